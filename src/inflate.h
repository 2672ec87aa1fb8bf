// Raw deflate decompression with ISA-L's igzip (internal header), for zip entries whose
// compressed bytes libzip hands out as they are: several times faster than zlib. Output comes in
// full chunks of a fixed size (the last one shorter), exactly as the libzip read loop cuts them,
// so caps that fire between chunks fire at the same byte. Any doubt (a corrupt stream, a size or
// CRC-32 that disagrees with the archive's) is reported, never decided: the caller then reads the
// entry again through libzip, which names the problem as it always has.
// Tested by collect_test.cc, hostile_input_test.cc and end_to_end_test.cc through archive_zip.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dartdiag {

// Reads up to `size` compressed bytes into `data`; returns the count, 0 at the end, -1 on error.
using CompressedReadFn = std::function<int64_t(char* data, size_t size)>;
// Receives the next chunk; returns false to stop.
using InflatedChunkFn = std::function<bool(std::string_view chunk)>;

enum class InflateOutcome {
  kDone,     // the stream ended with the expected size and CRC-32
  kStopped,  // `emit` returned false
  kFailed,   // corrupt, truncated, or size or CRC-32 not as expected: read it again another way
};

// Inflates a raw deflate stream into chunks of `chunk_bytes`, checking the result against the
// archive's `expected_size` and `expected_crc`. `delivered` counts the bytes passed to `emit`.
InflateOutcome InflateRaw(const CompressedReadFn& read, uint64_t expected_size, uint32_t expected_crc,
                          size_t chunk_bytes, const InflatedChunkFn& emit, uint64_t& delivered);

}  // namespace dartdiag
