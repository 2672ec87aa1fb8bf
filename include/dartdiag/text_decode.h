// Decoding stage: raw log bytes to UTF-8 text, and line iteration over mixed line ends.
// Tested by text_decode_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dartdiag {

enum class Encoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be };
std::string_view EncodingName(Encoding encoding);  // "utf-8", "utf-8-bom", "utf-16le", "utf-16be"

struct DecodedText {
  Encoding encoding = Encoding::kUtf8;
  std::string_view text;     // UTF-8 (invalid UTF-8 input bytes are passed through untouched)
  std::string storage;       // owns `text` when the input had to be converted
  uint64_t invalid_units = 0;  // unpaired surrogates, a dangling odd byte: replaced by U+FFFD
};

// UTF-16 is recognised by its BOM, or without one when most bytes at odd (LE) or even (BE)
// offsets of the first kilobyte are NUL. Everything else is treated as UTF-8.
// The result's `text` may view `bytes`: keep `bytes` alive as long as the result.
DecodedText Decode(std::string_view bytes);

// Calls `fn(line_number, line)` for each line; lines end at LF, CRLF or a lone CR, and the
// terminator is not part of the line. A final line without terminator is reported too; an
// empty input has no lines.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  uint64_t number = 0;
  size_t pos = 0;
  const size_t size = text.size();
  while (pos < size) {
    size_t end = pos;
    while (end < size && text[end] != '\n' && text[end] != '\r') ++end;
    fn(++number, text.substr(pos, end - pos));
    if (end < size && text[end] == '\r' && end + 1 < size && text[end + 1] == '\n') ++end;
    pos = end + 1;
  }
}

}  // namespace dartdiag
