// The masker as it was before the one-scan rewrite (commit 3556afe, src/unexplained.cc and
// src/message_masks.cc), kept unchanged as the slow reference MaskMessage must agree with
// (mask_reference.h). Do not optimise it: its value is that it is the old, reviewed code.
#include "mask_reference.h"

#include <algorithm>
#include <array>

#include "text_util.h"

namespace dartdiag::testing {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || IsDigit(c); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsBreak(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '|';
}
bool IsTrailingPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '!' || c == '?';
}

// Length of the run from pos to the first break, without trailing punctuation.
size_t RunToBreak(std::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && !IsBreak(s[end])) ++end;
  while (end > pos && IsTrailingPunct(s[end - 1])) --end;
  return end - pos;
}

// Top-level domains that make a dotted name a host name rather than a file or a type name.
constexpr std::array<std::string_view, 30> kTopLevel = {
    "com", "net", "org", "io", "local", "lan", "corp", "internal", "home", "edu", "gov", "mil", "int", "biz", "info",
    "co",  "us",  "uk",  "de", "fr",    "nl",  "jp",   "cn",       "tw",   "au",  "ca",  "in",  "eu",  "ch",  "se"};

bool IsTopLevel(std::string_view label) {
  if (label.size() < 2 || label.size() > 8) return false;
  return std::any_of(kTopLevel.begin(), kTopLevel.end(),
                     [&](std::string_view t) { return EqualsIgnoreCase(label, t); });
}

size_t UrlAt(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && IsAlpha(s[i]) && i - pos <= 10) ++i;
  if (i - pos < 2 || s.substr(i, 3) != "://") return 0;
  const size_t n = RunToBreak(s, pos);
  return n > i + 3 - pos ? n : 0;
}

size_t EmailAt(std::string_view s, size_t pos) {
  size_t i = pos;
  const auto local = [](char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
  while (i < s.size() && local(s[i])) ++i;
  if (i == pos || i >= s.size() || s[i] != '@') return 0;
  const size_t domain = ++i;
  size_t dots = 0, label = 0;
  while (i < s.size() && (IsAlnum(s[i]) || s[i] == '-' || (s[i] == '.' && label > 0))) {
    if (s[i] == '.') {
      ++dots;
      label = 0;
    } else {
      ++label;
    }
    ++i;
  }
  if (i > domain && s[i - 1] == '.') {  // a full stop after the address
    --i;
    --dots;
    label = 1;
  }
  return dots > 0 && label > 0 ? i - pos : 0;
}

size_t WindowsPathAt(std::string_view s, size_t pos) {
  const bool drive = pos + 2 < s.size() && IsAlpha(s[pos]) && s[pos + 1] == ':' && s[pos + 2] == '\\';
  const bool unc = pos + 2 < s.size() && s[pos] == '\\' && s[pos + 1] == '\\' && IsAlnum(s[pos + 2]);
  if (!drive && !unc) return 0;
  if (pos > 0 && (s[pos - 1] == '\'' || s[pos - 1] == '"')) {  // quoted: spaces are part of it
    const size_t close = s.find(s[pos - 1], pos);
    if (close != std::string_view::npos && close > pos + 3) return close - pos;
  }
  const size_t n = RunToBreak(s, pos);
  return n > 3 ? n : 0;
}

size_t HostAt(std::string_view s, size_t pos) {
  const char first = s[pos];
  for (std::string_view prefix : {"DESKTOP-", "LAPTOP-", "WIN-"}) {  // Windows default names
    if (first != prefix[0] || s.substr(pos, prefix.size()) != prefix) continue;
    size_t i = pos + prefix.size();
    while (i < s.size() && IsUpperAlnum(s[i])) ++i;
    const size_t tail = i - pos - prefix.size();
    if (tail >= 5 && tail <= 15 && (i == s.size() || !IsWordChar(s[i]))) {
      // DESKTOP-7Q2W9E.corp.example.com: the whole name
      if (i < s.size() && s[i] == '.') {
        if (const size_t more = HostAt(s, i + 1); more > 0) return i + 1 + more - pos;
      }
      return i - pos;
    }
  }
  if (!IsAlnum(s[pos])) return 0;
  size_t i = pos, labels = 0, last_begin = pos;
  while (true) {
    const size_t begin = i;
    while (i < s.size() && (IsAlnum(s[i]) || s[i] == '-')) ++i;
    if (i == begin || s[begin] == '-' || s[i - 1] == '-' || i - begin > 63) return 0;
    ++labels;
    last_begin = begin;
    if (i + 1 < s.size() && s[i] == '.' && IsAlnum(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (i < s.size() && (IsWordChar(s[i]) || s[i] == '@')) return 0;
  const std::string_view last = s.substr(last_begin, i - last_begin);
  if (labels < 2 || !std::all_of(last.begin(), last.end(), IsAlpha) || !IsTopLevel(last)) return 0;
  return i - pos;
}

// Character classes in one table: MaskMessage looks at every byte of every warning several times.
enum : uint16_t {
  kWord = 1,
  kHexDigit = 2,
  kDecimal = 4,
  kBlank = 8,
  kColon = 16,
  kAt = 32,
  kDot = 64,
  kDash = 128,
  kBackslash = 256
};
constexpr std::array<uint16_t, 256> kClass = [] {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool digit = c >= '0' && c <= '9', lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
    t[c] = static_cast<uint16_t>((digit || lower || upper || c == '_' ? kWord : 0) |
                                 (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? kHexDigit : 0) |
                                 (digit ? kDecimal : 0) | (c == ' ' || c == '\t' ? kBlank : 0) |
                                 (c == ':' ? kColon : 0) | (c == '@' ? kAt : 0) | (c == '.' ? kDot : 0) |
                                 (c == '-' ? kDash : 0) | (c == '\\' ? kBackslash : 0));
  }
  return t;
}();
uint16_t Class(char c) { return kClass[static_cast<unsigned char>(c)]; }
bool IsHex(char c) { return Class(c) & kHexDigit; }
bool IsWord(char c) { return Class(c) & kWord; }

// Hex digits at s[pos], exactly n of them.
bool HexRun(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsHex(s[i])) return false;
  }
  return true;
}

// A GUID at s[pos] (8-4-4-4-12 hex digits, optionally in braces): its length, or 0.
size_t GuidAt(std::string_view s, size_t pos) {
  const bool brace = s[pos] == '{';
  size_t i = pos + brace;
  for (size_t n : {8, 4, 4, 4, 12}) {
    if (!HexRun(s, i, n)) return 0;
    i += n;
    if (n != 12) {
      if (i >= s.size() || s[i] != '-') return 0;
      ++i;
    }
  }
  if (i < s.size() && IsWord(s[i])) return 0;
  if (brace) return i < s.size() && s[i] == '}' ? i + 1 - pos : 0;
  return i - pos;
}

// An IPv4 address at s[pos]: its length, or 0.
size_t Ipv4At(std::string_view s, size_t pos) {
  size_t i = pos;
  for (int part = 0; part < 4; ++part) {
    const size_t begin = i;
    while (i < s.size() && IsDigit(s[i]) && i - begin < 3) ++i;
    if (i == begin) return 0;
    if (part < 3) {
      if (i >= s.size() || s[i] != '.') return 0;
      ++i;
    }
  }
  return i < s.size() && IsWord(s[i]) ? 0 : i - pos;
}

// An IPv6 address at s[pos] (hex groups of up to 4 and colons, with "::" or 7 colons): its length.
size_t Ipv6At(std::string_view s, size_t pos) {
  size_t i = pos, colons = 0, group = 0;
  bool double_colon = false;
  while (i < s.size() && (IsHex(s[i]) || s[i] == ':')) {
    if (s[i] == ':') {
      double_colon = double_colon || (i + 1 < s.size() && s[i + 1] == ':');
      ++colons;
      group = 0;
    } else if (++group > 4) {
      return 0;
    }
    ++i;
  }
  if (i < s.size() && IsWord(s[i])) return 0;
  return (double_colon || colons == 7) && colons >= 2 ? i - pos : 0;
}

}  // namespace

// One pass: GUIDs, IPv4 and IPv6 addresses; URLs, e-mail addresses, Windows paths and host names
// (message_masks.h, looked for only in runs holding ':', '@', '\\', '.' or '-'); negative
// numbers; then words: 0x-prefixed or all-hex with both a digit
// and a letter become <hex>; digit runs inside any other word become <n>.
std::string ReferenceMaskMessage(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  size_t pos = 0, run_end = 0;
  unsigned run_marks = 0;
  while (pos < message.size()) {
    const char c = message[pos];
    if (Class(c) & kBlank) {
      out.push_back(c);
      ++pos;
      continue;
    }
    const bool start = pos == 0 || !IsWord(message[pos - 1]);
    // The address and id checks only where their separator follows (most words have none).
    if (start && (c == '{' || (IsHex(c) && pos + 8 < message.size() && message[pos + 8] == '-'))) {
      if (const size_t n = GuidAt(message, pos)) {
        out += "<guid>";
        pos += n;
        continue;
      }
    }
    size_t sep = pos;
    while (start && sep < message.size() && IsHex(message[sep]) && sep - pos <= 4) ++sep;
    if (start && (c == ':' || (sep > pos && sep < message.size() && (message[sep] == '.' || message[sep] == ':')))) {
      size_t n = IsDigit(c) ? Ipv4At(message, pos) : 0;
      if (n == 0) n = Ipv6At(message, pos);
      if (n > 0) {
        out += "<ip>";
        pos += n;
        continue;
      }
    }
    if (start && pos >= run_end) {  // a new whitespace-delimited run: which typed spans it may hold
      run_end = pos;
      run_marks = 0;
      while (run_end < message.size() && !(Class(message[run_end]) & kBlank)) run_marks |= Class(message[run_end++]);
      if (!(run_marks & (kDecimal | kColon | kAt | kDot | kDash | kBackslash))) {  // no digit, no mark: as it is
        out.append(message.substr(pos, run_end - pos));
        pos = run_end;
        continue;
      }
      run_marks &= kColon | kAt | kDot | kDash | kBackslash;
    }
    if (start && run_marks != 0) {
      size_t n = 0;
      const char* mask = nullptr;
      if ((run_marks & kColon) && (n = UrlAt(message, pos)) > 0) {
        mask = "<url>";
      } else if ((run_marks & kAt) && (n = EmailAt(message, pos)) > 0) {
        mask = "<email>";
      } else if ((run_marks & kBackslash) && (n = WindowsPathAt(message, pos)) > 0) {
        mask = "<path>";
      } else if ((run_marks & (kDot | kDash)) && (n = HostAt(message, pos)) > 0) {
        mask = "<host>";
      }
      if (mask != nullptr) {
        out += mask;
        pos += n;
        continue;
      }
    }
    if (c == '-' && start && pos + 1 < message.size() && IsDigit(message[pos + 1])) {  // -2147024891
      size_t end = pos + 1;
      while (end < message.size() && IsDigit(message[end])) ++end;
      if (end == message.size() || !IsWord(message[end])) {
        out += "<n>";
        pos = end;
        continue;
      }
    }
    if (!IsWord(c)) {
      out.push_back(c);
      ++pos;
      continue;
    }
    size_t end = pos;
    bool all_hex = true, digit = false, letter = false;
    uint16_t all = 0xffff, any = 0;
    for (uint16_t k; end < message.size() && ((k = Class(message[end])) & kWord); ++end) {
      all &= k;
      any |= k;
    }
    all_hex = all & kHexDigit;
    digit = any & kDecimal;
    letter = !(all & kDecimal);
    const std::string_view word = message.substr(pos, end - pos);
    const bool prefixed = word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X') &&
                          std::all_of(word.begin() + 2, word.end(), IsHex);
    if (start && (prefixed || (all_hex && digit && letter))) {
      out += "<hex>";
    } else if (!digit) {
      out.append(word);
    } else {
      for (size_t i = 0; i < word.size();) {  // digit runs become <n>
        if (!IsDigit(word[i])) {
          out.push_back(word[i++]);
          continue;
        }
        while (i < word.size() && IsDigit(word[i])) ++i;
        out += "<n>";
      }
    }
    pos = end;
  }
  return out;
}

}  // namespace dartdiag::testing
