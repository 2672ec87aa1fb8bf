// Visible escapes for terminal control characters in bundle text. Tested by
// terminal_escape_test.cc.
#include "terminal_escape.h"

#include <algorithm>

#include <fmt/format.h>

namespace dartdiag {
namespace {

// Code points a terminal acts on or that reorder or break the line: C1 controls, bidi marks,
// embeddings, overrides and isolates, and the Unicode line and paragraph separators.
bool IsDangerousCodePoint(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Length of the valid UTF-8 sequence at `s[i]` (0 when invalid) and its code point.
size_t Utf8Sequence(std::string_view s, size_t i, uint32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  size_t n = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

bool NeedsEscape(std::string_view text) {
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t') || b >= 0x7F) return true;
  }
  return false;
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  if (!NeedsEscape(text)) return std::string(text);  // plain ASCII: the common case
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t') || b == 0x7F) {
        out += fmt::format("\\x{:02x}", b);
      } else {
        out.push_back(static_cast<char>(b));
      }
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = Utf8Sequence(text, i, cp);
    if (n == 0) {  // not UTF-8: a lone 0x9B is CSI to a terminal in an 8-bit mode
      out += fmt::format("\\x{:02x}", b);
      ++i;
    } else if (IsDangerousCodePoint(cp)) {
      out += fmt::format("\\u{:04x}", cp);
      i += n;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string EscapeLinesForTerminal(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos <= text.size();) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    out += EscapeForTerminal(text.substr(pos, end - pos));
    if (end < text.size()) out.push_back('\n');
    pos = end + 1;
  }
  return out;
}

}  // namespace dartdiag
