// Decoding stage: raw log bytes to UTF-8 text as a stream, and line splitting with a line-length
// cap. Memory stays bounded by the chunk size plus the longest line kept.
// Tested by text_decode_test.cc.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace dartdiag {

enum class Encoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be };
std::string_view EncodingName(Encoding encoding);  // "utf-8", "utf-8-bom", "utf-16le", "utf-16be"

// Decodes a byte stream to UTF-8. The encoding is settled from the first kilobyte: a BOM, or
// for UTF-16 without one, NUL bytes at most odd (LE) or even (BE) offsets; else UTF-8, whose
// invalid bytes pass through untouched. Unpaired surrogates and a dangling odd byte become U+FFFD.
// NUL characters and byte-order marks after the start carry no text: a run of NULs (what Windows
// leaves in a log after a crash, before the lines written after the restart) is dropped, and
// ends the line when it follows part of one, so the line behind it starts a line of its own; a
// stray BOM (two logs concatenated) is dropped. Both are counted.
class StreamDecoder {
 public:
  // Appends the UTF-8 text decodable so far to `out` (which it does not clear).
  void Feed(std::string_view bytes, std::string& out);
  // The same text as Feed(bytes, scratch) would append to an empty `scratch`, as a view: of `bytes`
  // itself when they pass through unchanged (settled UTF-8 with no NUL and no 0xEF byte, the
  // common chunk), else of `scratch` (cleared first). Valid while both live unchanged.
  std::string_view View(std::string_view bytes, std::string& scratch);
  void Finish(std::string& out);
  Encoding encoding() const { return encoding_; }
  uint64_t invalid_units() const { return invalid_units_; }
  uint64_t skipped_nuls() const { return skipped_nuls_; }
  uint64_t skipped_boms() const { return skipped_boms_; }

 private:
  void Settle(std::string& out);
  void Convert(std::string_view bytes, std::string& out);
  void Scrub(std::string& out, size_t from);  // NULs and BOMs out of out[from..]

  bool settled_ = false;
  Encoding encoding_ = Encoding::kUtf8;
  std::string held_;  // bytes before the encoding is settled, or an incomplete UTF-16 unit
  uint64_t invalid_units_ = 0;
  uint64_t skipped_nuls_ = 0, skipped_boms_ = 0;
  bool at_line_start_ = true;  // the last byte written ended a line (or nothing was written)
  std::string bom_prefix_;     // "\xEF" or "\xEF\xBB" at the end of the output so far, held back
};

struct DecodedText {
  Encoding encoding = Encoding::kUtf8;
  std::string_view text;  // UTF-8
  std::string storage;    // owns `text` when the input had to be converted
  uint64_t invalid_units = 0;
  uint64_t skipped_nuls = 0, skipped_boms = 0;
};

// Decodes a whole buffer; UTF-8 input is viewed, not copied: keep `bytes` alive with the result.
DecodedText Decode(std::string_view bytes);

// Splits a stream of text into lines ending at LF, CRLF or a lone CR (also across chunk
// boundaries). A line longer than `max_line_bytes` is cut to that length and reported with
// cut = true; the rest of it is skipped. Calls fn(number, line, cut).
class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line_bytes) : max_(max_line_bytes) {}

  template <typename Fn>
  void Feed(std::string_view text, Fn&& fn) {
    size_t pos = 0;
    if (pending_cr_) {
      pending_cr_ = false;
      if (!text.empty() && text[0] == '\n') pos = 1;
    }
    const char* data = text.data();
    const size_t size = text.size();
    // The next LF and the next CR at or after pos, each found with memchr once and kept until
    // passed: every byte is scanned about once per terminator kind, and a file without CRs
    // costs one memchr over the chunk for them.
    size_t next_lf = FindByte(data, pos, size, '\n');
    size_t next_cr = FindByte(data, pos, size, '\r');
    while (pos < size) {
      if (next_lf < pos) next_lf = FindByte(data, pos, size, '\n');
      if (next_cr < pos) next_cr = FindByte(data, pos, size, '\r');
      size_t end = std::min(next_lf, next_cr);
      const std::string_view piece(data + pos, end - pos);
      if (end == size) {  // no terminator yet: keep the partial line
        Keep(piece);
        break;
      }
      if (partial_.empty() && !cutting_) {
        const bool cut = piece.size() > max_;
        Emit(cut ? piece.substr(0, max_) : piece, cut, fn);
      } else {
        Keep(piece);
        Emit(partial_, cutting_, fn);
      }
      if (data[end] == '\r') {
        if (end + 1 < size && data[end + 1] == '\n') {
          ++end;
        } else if (end + 1 == size) {
          pending_cr_ = true;
        }
      }
      pos = end + 1;
    }
  }

  template <typename Fn>
  void Finish(Fn&& fn) {
    if (!partial_.empty() || cutting_) Emit(partial_, cutting_, fn);
  }

  uint64_t lines() const { return number_; }
  uint64_t cut_lines() const { return cut_lines_; }

 private:
  // Index of the first `c` in data[from, size), or size.
  static size_t FindByte(const char* data, size_t from, size_t size, char c) {
    const void* hit = from < size ? std::memchr(data + from, c, size - from) : nullptr;
    return hit == nullptr ? size : static_cast<size_t>(static_cast<const char*>(hit) - data);
  }

  void Keep(std::string_view piece) {
    const size_t room = max_ > partial_.size() ? max_ - partial_.size() : 0;
    if (piece.size() > room) cutting_ = true;
    partial_.append(piece.substr(0, std::min(room, piece.size())));
  }

  template <typename Fn>
  void Emit(std::string_view line, bool cut, Fn& fn) {
    cut_lines_ += cut;
    fn(++number_, line, cut);
    partial_.clear();
    cutting_ = false;
  }

  size_t max_;
  std::string partial_;
  bool cutting_ = false;
  bool pending_cr_ = false;
  uint64_t number_ = 0;
  uint64_t cut_lines_ = 0;
};

// True when `pred(line)` holds for one of the first `max_lines` lines of `text` (content sniffing).
template <typename Pred>
bool AnyOfFirstLines(std::string_view text, int max_lines, Pred&& pred) {
  bool found = false;
  int seen = 0;
  LineSplitter splitter(text.size() + 1);
  auto test = [&](uint64_t, std::string_view line, bool) {
    if (!found && ++seen <= max_lines) found = pred(line);
  };
  splitter.Feed(text, test);
  splitter.Finish(test);
  return found;
}

// Calls fn(number, line) for each line of a whole text (no length cap).
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  LineSplitter splitter(text.size() + 1);
  auto call = [&](uint64_t number, std::string_view line, bool) { fn(number, line); };
  splitter.Feed(text, call);
  splitter.Finish(call);
}

}  // namespace dartdiag
