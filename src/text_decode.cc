// Decoding stage: BOM and NUL-pattern detection, UTF-16 to UTF-8 conversion.
// Tested by text_decode_test.cc.
#include "dartdiag/text_decode.h"

#include <algorithm>
#include <optional>

namespace dartdiag {
namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// Converts UTF-16 code units to UTF-8; unpaired surrogates and a dangling odd byte become U+FFFD.
void DecodeUtf16(std::string_view bytes, bool little_endian, DecodedText& out) {
  const auto unit_at = [&](size_t i) -> uint32_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (b0 | (b1 << 8)) : ((b0 << 8) | b1);
  };
  std::string& s = out.storage;
  s.reserve(bytes.size() / 2 + bytes.size() / 8);
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    uint32_t unit = unit_at(i);
    if (unit < 0x80) {  // the common case in logs
      s.push_back(static_cast<char>(unit));
    } else if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size() &&
               unit_at(i + 2) >= 0xDC00 && unit_at(i + 2) <= 0xDFFF) {
      AppendUtf8(s, 0x10000 + ((unit - 0xD800) << 10) + (unit_at(i + 2) - 0xDC00));
      i += 2;
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
      AppendUtf8(s, kReplacement);
      ++out.invalid_units;
    } else {
      AppendUtf8(s, unit);
    }
  }
  if (i < bytes.size()) {  // odd byte count
    AppendUtf8(s, kReplacement);
    ++out.invalid_units;
  }
  out.text = s;
}

// Without a BOM, UTF-16 shows as NUL bytes at every other offset of ASCII text.
std::optional<bool> SniffUtf16WithoutBom(std::string_view bytes) {
  const size_t n = std::min<size_t>(bytes.size(), 1024) & ~size_t{1};
  if (n < 8) return std::nullopt;
  size_t odd_nul = 0, even_nul = 0;
  for (size_t i = 0; i < n; i += 2) {
    even_nul += bytes[i] == '\0';
    odd_nul += bytes[i + 1] == '\0';
  }
  const size_t pairs = n / 2;
  if (odd_nul * 10 >= pairs * 9 && even_nul * 10 < pairs) return true;   // little endian
  if (even_nul * 10 >= pairs * 9 && odd_nul * 10 < pairs) return false;  // big endian
  return std::nullopt;
}

}  // namespace

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8: return "utf-8";
    case Encoding::kUtf8Bom: return "utf-8-bom";
    case Encoding::kUtf16Le: return "utf-16le";
    case Encoding::kUtf16Be: return "utf-16be";
  }
  return "unknown";
}

DecodedText Decode(std::string_view bytes) {
  DecodedText out;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    out.encoding = Encoding::kUtf8Bom;
    out.text = bytes.substr(3);
  } else if (bytes.starts_with("\xFF\xFE")) {
    out.encoding = Encoding::kUtf16Le;
    DecodeUtf16(bytes.substr(2), true, out);
  } else if (bytes.starts_with("\xFE\xFF")) {
    out.encoding = Encoding::kUtf16Be;
    DecodeUtf16(bytes.substr(2), false, out);
  } else if (auto little = SniffUtf16WithoutBom(bytes)) {
    out.encoding = *little ? Encoding::kUtf16Le : Encoding::kUtf16Be;
    DecodeUtf16(bytes, *little, out);
  } else {
    out.text = bytes;
  }
  return out;
}

}  // namespace dartdiag
