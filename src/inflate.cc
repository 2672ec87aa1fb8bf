// Raw deflate with ISA-L (see inflate.h). Tested through archive_zip.cc by collect_test.cc,
// hostile_input_test.cc and end_to_end_test.cc.
#include "inflate.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <memory>

namespace dartdiag {
namespace {

constexpr size_t kInputBytes = 256 * 1024;

}  // namespace

InflateOutcome InflateRaw(const CompressedReadFn& read, uint64_t expected_size, uint32_t expected_crc,
                          size_t chunk_bytes, const InflatedChunkFn& emit, uint64_t& delivered) {
  auto state = std::make_unique<inflate_state>();  // about 20 KiB: not on the stack
  isal_inflate_init(state.get());
  state->crc_flag = ISAL_GZIP_NO_HDR;  // the gzip CRC-32 is the zip CRC-32
  // Buffers sized for the entry (within the chunk size) and not zero-filled: a small entry costs
  // no more memory than it needs. An output one byte longer than declared still catches a
  // stream that runs past its declared size.
  const size_t output_size = static_cast<size_t>(std::min<uint64_t>(chunk_bytes, expected_size + 1));
  const size_t input_size = std::min(kInputBytes, std::max<size_t>(4096, output_size));
  const auto input = std::make_unique_for_overwrite<uint8_t[]>(input_size);
  const auto output = std::make_unique_for_overwrite<uint8_t[]>(output_size);
  bool input_ended = false;
  for (;;) {
    size_t filled = 0;
    while (filled < output_size && state->block_state != ISAL_BLOCK_FINISH) {
      if (state->avail_in == 0) {
        if (input_ended) return InflateOutcome::kFailed;  // the stream stops short
        const int64_t n = read(reinterpret_cast<char*>(input.get()), input_size);
        if (n < 0) return InflateOutcome::kFailed;
        input_ended = n == 0;
        state->next_in = input.get();
        state->avail_in = static_cast<uint32_t>(n);
      }
      state->next_out = output.get() + filled;
      state->avail_out = static_cast<uint32_t>(output_size - filled);
      if (isal_inflate(state.get()) < 0) return InflateOutcome::kFailed;
      filled = output_size - state->avail_out;
    }
    const bool finished = state->block_state == ISAL_BLOCK_FINISH;
    if (delivered + filled > expected_size) return InflateOutcome::kFailed;  // longer than declared
    if (finished && (delivered + filled != expected_size || state->crc != expected_crc)) {
      return InflateOutcome::kFailed;
    }
    if (filled > 0) {
      if (!emit(std::string_view(reinterpret_cast<const char*>(output.get()), filled))) return InflateOutcome::kStopped;
      delivered += filled;
    }
    if (finished) return InflateOutcome::kDone;
  }
}

}  // namespace dartdiag
