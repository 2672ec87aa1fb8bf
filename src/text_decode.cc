// Decoding stage: BOM and NUL-pattern detection, streaming UTF-16 to UTF-8 conversion.
// Tested by text_decode_test.cc.
#include "text_decode.h"

#include <algorithm>
#include <optional>

namespace dartdiag {
namespace {

constexpr size_t kSniffBytes = 1024;
constexpr uint32_t kReplacement = 0xFFFD;

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

// Converts whole UTF-16 units of `bytes`; returns how many bytes were consumed (an odd byte or
// a high surrogate whose pair may follow in the next chunk is left over).
size_t ConvertUtf16(std::string_view bytes, bool little_endian, std::string& out, uint64_t& invalid) {
  const auto unit_at = [&](size_t i) -> uint32_t {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (b0 | (b1 << 8)) : ((b0 << 8) | b1);
  };
  out.reserve(out.size() + bytes.size() / 2);
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    const uint32_t unit = unit_at(i);
    if (unit < 0x80) {  // the common case in logs
      out.push_back(static_cast<char>(unit));
    } else if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (i + 3 >= bytes.size()) break;  // the pair may be in the next chunk
      const uint32_t low = unit_at(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
      } else {
        AppendUtf8(out, kReplacement);
        ++invalid;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      AppendUtf8(out, kReplacement);
      ++invalid;
    } else {
      AppendUtf8(out, unit);
    }
  }
  return i;
}

// Without a BOM, UTF-16 shows as NUL bytes at every other offset of ASCII text.
std::optional<bool> SniffUtf16WithoutBom(std::string_view bytes) {
  const size_t n = std::min(bytes.size(), kSniffBytes) & ~size_t{1};
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

// The encoding of a stream from its first bytes, and the length of its BOM.
std::pair<Encoding, size_t> Detect(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) return {Encoding::kUtf8Bom, 3};
  if (head.starts_with("\xFF\xFE")) return {Encoding::kUtf16Le, 2};
  if (head.starts_with("\xFE\xFF")) return {Encoding::kUtf16Be, 2};
  if (auto little = SniffUtf16WithoutBom(head)) return {*little ? Encoding::kUtf16Le : Encoding::kUtf16Be, 0};
  return {Encoding::kUtf8, 0};
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

void StreamDecoder::Feed(std::string_view bytes, std::string& out) {
  const size_t from = out.size();
  if (!settled_) {
    held_.append(bytes);
    if (held_.size() >= kSniffBytes) Settle(out);
  } else {
    Convert(bytes, out);
  }
  Scrub(out, from);
}

std::string_view StreamDecoder::View(std::string_view bytes, std::string& scratch) {
  scratch.clear();
  // What Feed does to such bytes: Convert appends them and Scrub finds nothing to drop.
  if (settled_ && (encoding_ == Encoding::kUtf8 || encoding_ == Encoding::kUtf8Bom) && bom_prefix_.empty() &&
      !bytes.empty() && std::memchr(bytes.data(), '\0', bytes.size()) == nullptr &&
      std::memchr(bytes.data(), '\xEF', bytes.size()) == nullptr) {
    at_line_start_ = bytes.back() == '\n' || bytes.back() == '\r';
    return bytes;
  }
  Feed(bytes, scratch);
  return scratch;
}

void StreamDecoder::Finish(std::string& out) {
  const size_t from = out.size();
  if (!settled_) Settle(out);
  if (!held_.empty()) {  // a dangling odd byte or a high surrogate without its pair
    AppendUtf8(out, kReplacement);
    ++invalid_units_;
    held_.clear();
  }
  Scrub(out, from);
  out.append(bom_prefix_);  // the start of a BOM that never completed is text
  bom_prefix_.clear();
}

void StreamDecoder::Scrub(std::string& out, size_t from) {
  if (!bom_prefix_.empty()) {
    out.insert(from, bom_prefix_);
    bom_prefix_.clear();
  }
  const size_t size = out.size();
  if (from == size) return;
  const char* data = out.data();
  if (std::memchr(data + from, '\0', size - from) == nullptr &&
      std::memchr(data + from, '\xEF', size - from) == nullptr) {  // the common case
    at_line_start_ = data[size - 1] == '\n' || data[size - 1] == '\r';
    return;
  }
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  size_t w = from;
  for (size_t r = from; r < size; ++r) {
    const char c = out[r];
    if (c == '\0') {
      ++skipped_nuls_;
      if (!at_line_start_) {  // a NUL run after part of a line ends that line
        out[w++] = '\n';
        at_line_start_ = true;
      }
      continue;
    }
    if (c == '\xEF') {
      const std::string_view rest = std::string_view(out).substr(r, 3);
      if (rest == kBom) {
        ++skipped_boms_;
        r += 2;
        continue;
      }
      if (rest.size() < 3 && kBom.starts_with(rest)) {  // may complete in the next chunk
        bom_prefix_.assign(rest);
        break;
      }
    }
    out[w++] = c;
    at_line_start_ = c == '\n' || c == '\r';
  }
  out.resize(w);
}

void StreamDecoder::Settle(std::string& out) {
  settled_ = true;
  const auto [encoding, bom] = Detect(held_);
  encoding_ = encoding;
  std::string head = std::move(held_);
  held_.clear();
  Convert(std::string_view(head).substr(bom), out);
}

void StreamDecoder::Convert(std::string_view bytes, std::string& out) {
  if (encoding_ == Encoding::kUtf8 || encoding_ == Encoding::kUtf8Bom) {
    out.append(bytes);
    return;
  }
  const bool little = encoding_ == Encoding::kUtf16Le;
  if (!held_.empty()) {  // complete the unit left over from the previous chunk
    const size_t take = std::min<size_t>(bytes.size(), 4 - held_.size());
    held_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    const size_t used = ConvertUtf16(held_, little, out, invalid_units_);
    std::string rest = held_.substr(used);
    held_.clear();
    if (!rest.empty() && bytes.empty()) {
      held_ = std::move(rest);
      return;
    }
    if (!rest.empty()) {  // re-join the rest with this chunk (at most 3 bytes re-copied)
      std::string joined = rest + std::string(bytes.substr(0, 4));
      const size_t used2 = ConvertUtf16(joined, little, out, invalid_units_);
      const size_t from_bytes = used2 > rest.size() ? used2 - rest.size() : 0;
      if (used2 < rest.size()) {
        held_ = joined.substr(used2);
        return;
      }
      bytes.remove_prefix(from_bytes);
    }
  }
  const size_t used = ConvertUtf16(bytes, little, out, invalid_units_);
  held_.assign(bytes.substr(used));
}

DecodedText Decode(std::string_view bytes) {
  DecodedText out;
  const auto [encoding, bom] = Detect(bytes);
  const std::string_view text = bytes.substr(bom);
  if ((encoding == Encoding::kUtf8 || encoding == Encoding::kUtf8Bom) && text.find('\0') == std::string_view::npos &&
      text.find("\xEF\xBB\xBF") == std::string_view::npos) {
    out.encoding = encoding;
    out.text = text;
    return out;
  }
  StreamDecoder decoder;  // converted, or NULs and stray BOMs to drop
  decoder.Feed(bytes, out.storage);
  decoder.Finish(out.storage);
  out.encoding = decoder.encoding();
  out.invalid_units = decoder.invalid_units();
  out.skipped_nuls = decoder.skipped_nuls();
  out.skipped_boms = decoder.skipped_boms();
  out.text = out.storage;
  return out;
}

}  // namespace dartdiag
