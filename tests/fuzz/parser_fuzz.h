// The body shared by the log parser fuzz targets (fuzz_plugin_parser.cc, fuzz_eventlog_parser.cc):
// bytes -> Decode -> the log type's parser, with every event field read. Two differential checks
// guard the streaming stages: the decoder fed in random chunks must give the same text as one
// whole Decode, and the line splitter fed in random chunks, with and without a line cap, must
// give the same lines as one whole pass.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "log_types.h"
#include "text_decode.h"
#include "fuzz_support.h"

namespace dartdiag::fuzz {

// Chunk sizes from a generator seeded by the input: the same input always splits the same way.
class Chunker {
 public:
  explicit Chunker(uint64_t seed) : state_(seed | 1) {}
  size_t Next() {
    state_ ^= state_ << 13, state_ ^= state_ >> 7, state_ ^= state_ << 17;
    const uint64_t r = state_ % 64;
    return r < 48 ? 1 + r % 5 : 1 + (state_ >> 8) % 700;  // mostly tiny, sometimes large
  }

 private:
  uint64_t state_;
};

template <typename Fn>
void ForEachChunk(std::string_view text, Chunker& chunker, Fn&& fn) {
  while (!text.empty()) {
    const size_t n = std::min(text.size(), chunker.Next());
    fn(text.substr(0, n));
    text.remove_prefix(n);
  }
}

struct SplitLine {
  std::string text;
  bool cut;
  bool operator==(const SplitLine&) const = default;
};

inline std::vector<SplitLine> SplitInChunks(std::string_view text, size_t max_line, Chunker& chunker) {
  std::vector<SplitLine> lines;
  LineSplitter splitter(max_line);
  auto keep = [&](uint64_t number, std::string_view line, bool cut) {
    DARTDIAG_FUZZ_CHECK(number == lines.size() + 1);
    DARTDIAG_FUZZ_CHECK(line.size() <= max_line);
    lines.push_back({std::string(line), cut});
  };
  ForEachChunk(text, chunker, [&](std::string_view chunk) { splitter.Feed(chunk, keep); });
  splitter.Finish(keep);
  DARTDIAG_FUZZ_CHECK(splitter.lines() == lines.size());
  return lines;
}

inline void FuzzParser(std::string_view log_id, const uint8_t* data, size_t size) {
  const std::string_view bytes = AsText(data, size);
  const LogTypeId log = *LogTypeById(log_id);
  Chunker chunker(Touch(bytes));

  // Decode: whole, then streamed in chunks; both must agree.
  const DecodedText decoded = Decode(bytes);
  StreamDecoder decoder;
  std::string streamed;
  ForEachChunk(bytes, chunker, [&](std::string_view chunk) { decoder.Feed(chunk, streamed); });
  decoder.Finish(streamed);
  DARTDIAG_FUZZ_CHECK(decoder.encoding() == decoded.encoding);
  DARTDIAG_FUZZ_CHECK(decoder.invalid_units() == decoded.invalid_units);
  DARTDIAG_FUZZ_CHECK(streamed == decoded.text);
  const std::string_view text = decoded.text;

  // Lines: one whole pass, then streamed without and with a cap.
  std::vector<std::string> whole;  // copies: a line view is valid only during the call
  ForEachLine(text, [&](uint64_t number, std::string_view line) {
    DARTDIAG_FUZZ_CHECK(number == whole.size() + 1);
    whole.emplace_back(line);
  });
  const std::vector<SplitLine> uncapped = SplitInChunks(text, text.size() + 1, chunker);
  DARTDIAG_FUZZ_CHECK(uncapped.size() == whole.size());
  constexpr size_t kCap = 40;
  const std::vector<SplitLine> capped = SplitInChunks(text, kCap, chunker);
  DARTDIAG_FUZZ_CHECK(capped.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    DARTDIAG_FUZZ_CHECK(uncapped[i].text == whole[i] && !uncapped[i].cut);
    DARTDIAG_FUZZ_CHECK(capped[i].text == std::string_view(whole[i]).substr(0, kCap));
    DARTDIAG_FUZZ_CHECK(capped[i].cut == (whole[i].size() > kCap));
  }

  // Parse: every field of every event read; the counts agree with what the sink saw.
  TouchingSink sink;
  const ParseStats stats = ParseText(log, text, sink);
  DARTDIAG_FUZZ_CHECK(stats.lines == whole.size());
  DARTDIAG_FUZZ_CHECK(stats.events == sink.events);
  DARTDIAG_FUZZ_CHECK(stats.unparsed == sink.unparsed);
  DARTDIAG_FUZZ_CHECK(sink.last_line <= stats.lines);

  // The same parser fed the capped lines, as the pipeline does with long lines.
  TouchingSink capped_sink;
  auto parser = GetLogType(log).make_parser(log, capped_sink);
  for (size_t i = 0; i < capped.size(); ++i) parser->Line(i + 1, capped[i].text);
  const ParseStats capped_stats = parser->Finish();
  DARTDIAG_FUZZ_CHECK(capped_stats.lines == capped.size());
  DARTDIAG_FUZZ_CHECK(capped_stats.events == capped_sink.events);

  // Recognition by content, as for loose files with other names.
  GetLogType(log).sniff(text.substr(0, 16 * 1024));
  LogTypeByContent(text);
  Consume(sink.hash ^ capped_sink.hash);
}

}  // namespace dartdiag::fuzz
