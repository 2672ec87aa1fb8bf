// MaskMessage (declared in unexplained_collector.h): the variable parts of a warning message
// replaced by <guid>, <ip>, <hex>, <n>, <url>, <email>, <path>, <host> before template mining.
// One scan: the stretch up to the next digit or mark (: @ . - \\) is copied at once, eight bytes
// a step through a table; the run holding that byte is walked word by word, and the byte after
// each word says which typed detector may start there, so detectors run only where they can
// match. The output is that of the masker before this one, kept as the slow reference in
// tests/mask_reference.cc: mask_test.cc compares both on generated messages; unexplained_test.cc
// holds the table of examples.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "unexplained_collector.h"
#include "text_util.h"

namespace dartdiag {
namespace {

// Character classes in one table: the scan looks each byte up once.
enum : uint16_t {
  kWord = 1,
  kHexDigit = 2,
  kDecimal = 4,
  kBlank = 8,
  kColon = 16,
  kAt = 32,
  kDot = 64,
  kDash = 128,
  kBackslash = 256,
  kAlpha = 512,
  kBreak = 1024,
  kTrailing = 2048
};
// Bytes that may start or sit inside a typed span other than a number or a hex word.
constexpr uint16_t kMarks = kColon | kAt | kDot | kDash | kBackslash;
constexpr std::array<uint16_t, 256> kClass = [] {
  std::array<uint16_t, 256> t{};
  const std::string_view breaks(" \t\r\n\"'<>|", 9), trailing = ".,;:)]!?";  // see IsBreak, IsTrailingPunct
  for (int c = 0; c < 256; ++c) {
    const bool digit = c >= '0' && c <= '9', lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
    t[c] = static_cast<uint16_t>((digit || lower || upper || c == '_' ? kWord : 0) |
                                 (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? kHexDigit : 0) |
                                 (digit ? kDecimal : 0) | (c == ' ' || c == '\t' ? kBlank : 0) |
                                 (c == ':' ? kColon : 0) | (c == '@' ? kAt : 0) | (c == '.' ? kDot : 0) |
                                 (c == '-' ? kDash : 0) | (c == '\\' ? kBackslash : 0) | (lower || upper ? kAlpha : 0) |
                                 (breaks.find(static_cast<char>(c)) != std::string_view::npos ? kBreak : 0) |
                                 (trailing.find(static_cast<char>(c)) != std::string_view::npos ? kTrailing : 0));
  }
  return t;
}();
uint16_t Class(char c) { return kClass[static_cast<unsigned char>(c)]; }
// Bytes a typed span or a number needs: a digit or a mark. Runs of blanks and other bytes are
// copied as they are.
constexpr std::array<uint8_t, 256> kStop = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = (kClass[c] & (kDecimal | kMarks)) != 0;
  return t;
}();
bool Stops(const char* p) { return kStop[static_cast<unsigned char>(*p)]; }
bool IsHex(char c) { return Class(c) & kHexDigit; }
bool IsWord(char c) { return Class(c) & kWord; }
bool IsAlpha(char c) { return Class(c) & kAlpha; }
bool IsAlnum(char c) { return Class(c) & (kAlpha | kDecimal); }
bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || IsDigit(c); }
bool IsBreak(char c) { return Class(c) & kBreak; }  // where a URL or an unquoted path ends
bool IsTrailingPunct(char c) { return Class(c) & kTrailing; }
bool IsEmailLocal(char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }

// --- Typed spans. Each looks at one position and says how long the span there is (0: none). ---

// Where a GUID's hex digits sit among its 36 bytes (8-4-4-4-12, dashes at 8, 13, 18 and 23).
constexpr std::array<uint8_t, 32> kGuidHexAt = [] {
  std::array<uint8_t, 32> at{};
  size_t n = 0;
  for (uint8_t k = 0; k < 36; ++k) {
    if (k != 8 && k != 13 && k != 18 && k != 23) at[n++] = k;
  }
  return at;
}();

// A GUID (8-4-4-4-12 hex digits, optionally in braces). Its bytes sit at fixed offsets, so the
// dashes are checked first and the 32 digits' classes and-ed with no branch per byte.
size_t GuidAt(std::string_view s, size_t pos) {
  const bool brace = s[pos] == '{';
  const size_t i = pos + brace;
  if (s.size() - i < 36) return 0;
  const char* const p = s.data() + i;
  if (p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-') return 0;
  uint16_t all = kHexDigit;
  for (const uint8_t k : kGuidHexAt) all &= Class(p[k]);
  if (all == 0) return 0;
  const size_t end = i + 36;
  if (end < s.size() && IsWord(s[end])) return 0;
  if (brace) return end < s.size() && s[end] == '}' ? end + 1 - pos : 0;
  return end - pos;
}

// An IPv4 address.
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

// An IPv6 address (hex groups of up to 4 and colons, with "::" or 7 colons).
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

// Length of the run from pos to the first break, without trailing punctuation.
size_t RunToBreak(std::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && !IsBreak(s[end])) ++end;
  while (end > pos && IsTrailingPunct(s[end - 1])) --end;
  return end - pos;
}

// "scheme://..." (scheme of 2 to 11 letters) up to whitespace, a quote or <>, without trailing
// punctuation.
size_t UrlAt(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && IsAlpha(s[i]) && i - pos <= 10) ++i;
  if (i - pos < 2 || s.substr(i, 3) != "://") return 0;
  const size_t n = RunToBreak(s, pos);
  return n > i + 3 - pos ? n : 0;
}

// local@domain.tld: local part of letters, digits and . _ % + -, a domain with at least one dot.
size_t EmailAt(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && IsEmailLocal(s[i])) ++i;
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

// "C:\..." or "\\server\..." up to whitespace (or, after an opening quote, up to the closing
// quote), without trailing punctuation.
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

// Top-level domains that make a dotted name a host name rather than a file or a type name.
constexpr std::array<std::string_view, 30> kTopLevel = {
    "com", "net", "org", "io", "local", "lan", "corp", "internal", "home", "edu", "gov", "mil", "int", "biz", "info",
    "co",  "us",  "uk",  "de", "fr",    "nl",  "jp",   "cn",       "tw",   "au",  "ca",  "in",  "eu",  "ch",  "se"};

// The label's letters, lower case, packed into one integer (labels of 2 to 8 letters).
constexpr uint64_t PackLower(std::string_view label) {
  uint64_t v = 0;
  for (char c : label) v = (v << 8) | static_cast<unsigned char>(c | 0x20);
  return v;
}
constexpr std::array<uint64_t, kTopLevel.size()> kTopLevelPacked = [] {
  std::array<uint64_t, kTopLevel.size()> t{};
  for (size_t i = 0; i < t.size(); ++i) t[i] = PackLower(kTopLevel[i]);
  return t;
}();

bool IsTopLevel(std::string_view label) {  // label: letters only
  if (label.size() < 2 || label.size() > 8) return false;
  const uint64_t v = PackLower(label);  // letters of one case pack alike, and no two lengths collide
  for (uint64_t t : kTopLevelPacked) {
    if (t == v) return true;
  }
  return false;
}

// A dotted host name whose last label is a well-known top-level domain (corp.example.com,
// acme-corp.local), or a Windows default computer name (DESKTOP-7Q2W9E, LAPTOP-.., WIN-..).
size_t HostAt(std::string_view s, size_t pos) {
  // Windows default names: at most one prefix can match, told by the first letter.
  std::string_view prefix;
  switch (s[pos]) {
    case 'D': prefix = "DESKTOP-"; break;
    case 'L': prefix = "LAPTOP-"; break;
    case 'W': prefix = "WIN-"; break;
    default: break;
  }
  if (!prefix.empty() && s.size() - pos >= prefix.size() && s.compare(pos, prefix.size(), prefix) == 0) {
    size_t i = pos + prefix.size();
    while (i < s.size() && IsUpperAlnum(s[i])) ++i;
    const size_t tail = i - pos - prefix.size();
    if (tail >= 5 && tail <= 15 && (i == s.size() || !IsWord(s[i]))) {
      // DESKTOP-7Q2W9E.corp.example.com: the whole name
      if (i < s.size() && s[i] == '.') {
        if (const size_t more = HostAt(s, i + 1); more > 0) return i + 1 + more - pos;
      }
      return i - pos;
    }
  }
  if (!IsAlnum(s[pos])) return 0;
  size_t i = pos, labels = 0, last_begin = pos;
  bool last_letters = true;
  while (true) {
    const size_t begin = i;
    last_letters = true;
    for (uint16_t k; i < s.size() && ((k = Class(s[i])) & (kAlpha | kDecimal | kDash)); ++i) {
      last_letters = last_letters && (k & kAlpha);
    }
    if (i == begin || s[begin] == '-' || s[i - 1] == '-' || i - begin > 63) return 0;
    ++labels;
    last_begin = begin;
    if (i + 1 < s.size() && s[i] == '.' && IsAlnum(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (i < s.size() && (IsWord(s[i]) || s[i] == '@')) return 0;
  if (labels < 2 || !last_letters || !IsTopLevel(s.substr(last_begin, i - last_begin))) return 0;
  return i - pos;
}

// --- The scan. Output is written through a pointer into a buffer sized for the worst case. ---

char* Put(char* o, std::string_view text) {
  std::memcpy(o, text.data(), text.size());
  return o + text.size();
}

// s[pos, end) to o. The output has 16 bytes to spare, so a short copy inside the message moves a
// fixed 16 bytes (two instructions) instead of calling memcpy.
char* Copy(std::string_view s, size_t pos, size_t end, char* o) {
  const size_t n = end - pos;
  if (n <= 16 && pos + 16 <= s.size()) {
    std::memcpy(o, s.data() + pos, 16);
  } else {
    std::memcpy(o, s.data() + pos, n);
  }
  return o + n;
}

// The word s[pos, end) (letters, digits, '_'), whose bytes' classes or-ed are `any`: at a word
// start, 0x-prefixed hex or all-hex with a digit and a letter is <hex>; otherwise each digit run
// is <n>.
char* PutWord(std::string_view s, size_t pos, size_t end, uint16_t any, bool start, char* o) {
  if (!(any & kDecimal)) return Copy(s, pos, end, o);
  if (start) {
    bool hex = true, letter = false;  // all hex digits, and a letter among them
    for (size_t i = pos; i < end && hex; ++i) {
      hex = IsHex(s[i]);
      letter = letter || !IsDigit(s[i]);
    }
    hex = hex && letter;
    if (!hex && end - pos > 2 && s[pos] == '0' && (s[pos + 1] == 'x' || s[pos + 1] == 'X')) {
      hex = true;
      for (size_t i = pos + 2; i < end && hex; ++i) hex = IsHex(s[i]);
    }
    if (hex) return Put(o, "<hex>");
  }
  for (size_t i = pos; i < end;) {
    if (!IsDigit(s[i])) {
      *o++ = s[i++];
      continue;
    }
    while (i < end && IsDigit(s[i])) ++i;
    o = Put(o, "<n>");
  }
  return o;
}

// A typed span at a position where a word starts (after a byte that is not a letter, digit or
// '_'): the word is s[pos, end) with classes `all` (and-ed); `marks` holds kAt when an '@'
// follows somewhere. Its length and mask, or 0. Each detector is tried only where the byte after the word lets it
// match, in the order GUID, address, URL, e-mail, path, host.
size_t SpanAtWord(std::string_view s, size_t pos, size_t end, uint16_t all, uint16_t marks, const char** mask) {
  if (end == s.size()) return 0;  // every typed span goes on past a word with a separator
  const char next = s[end];
  const size_t length = end - pos;
  size_t n = 0;
  if (next == '-' && length == 8 && (all & kHexDigit) && (n = GuidAt(s, pos)) > 0) {
    *mask = "<guid>";
  } else if ((next == '.' || next == ':') && length <= 5 && (all & kHexDigit) &&
             ((IsDigit(s[pos]) && (n = Ipv4At(s, pos)) > 0) || (n = Ipv6At(s, pos)) > 0)) {
    *mask = "<ip>";
  } else if (next == ':' && (all & kAlpha) && length >= 2 && length <= 11 && (n = UrlAt(s, pos)) > 0) {
    *mask = "<url>";
  } else if ((marks & kAt) && (next == '@' || IsEmailLocal(next)) && (n = EmailAt(s, pos)) > 0) {
    *mask = "<email>";
  } else if (next == ':' && length == 1 && (all & kAlpha) && (n = WindowsPathAt(s, pos)) > 0) {
    *mask = "<path>";
  } else if ((next == '.' || next == '-') && (n = HostAt(s, pos)) > 0) {
    *mask = "<host>";
  }
  return n;
}

// The same at a word-start position holding punctuation `c`: a braced GUID, an IPv6 address
// from "::", an e-mail address from its local part, a UNC path, a negative number.
size_t SpanAtMark(std::string_view s, size_t pos, uint16_t marks, const char** mask) {
  const char c = s[pos];
  size_t n = 0;
  if (c == '{' && (n = GuidAt(s, pos)) > 0) {
    *mask = "<guid>";
  } else if (c == ':' && (n = Ipv6At(s, pos)) > 0) {
    *mask = "<ip>";
  } else if ((marks & kAt) && IsEmailLocal(c) && (n = EmailAt(s, pos)) > 0) {
    *mask = "<email>";
  } else if (c == '\\' && (n = WindowsPathAt(s, pos)) > 0) {
    *mask = "<path>";
  } else if (c == '-' && pos + 1 < s.size() && IsDigit(s[pos + 1])) {  // -2147024891
    size_t end = pos + 1;
    while (end < s.size() && IsDigit(s[end])) ++end;
    if (end == s.size() || !IsWord(s[end])) {
      *mask = "<n>";
      n = end - pos;
    }
  }
  return n;
}

// The run at pos (up to the next blank), word by word; a quoted path may carry on past its end.
// `marks` holds kAt when an '@' follows somewhere. Where the scan stopped.
size_t MaskRun(std::string_view s, size_t pos, uint16_t marks, bool start, char*& o) {
  while (pos < s.size()) {
    uint16_t k = Class(s[pos]);
    if (k & kBlank) break;
    const char* mask = nullptr;
    size_t n = 0;
    if (!(k & kWord)) {
      if (start) n = SpanAtMark(s, pos, marks, &mask);
      if (n == 0) {
        *o++ = s[pos++];
        start = true;
        continue;
      }
    } else {
      size_t end = pos;
      uint16_t all = 0xffff, any = 0;
      do {
        all &= k;
        any |= k;
      } while (++end < s.size() && ((k = Class(s[end])) & kWord));
      if (start) n = SpanAtWord(s, pos, end, all, marks, &mask);
      if (n == 0) {
        o = PutWord(s, pos, end, any, start, o);
        pos = end;
        start = false;
        continue;
      }
    }
    o = Put(o, mask);
    pos += n;
    start = !IsWord(s[pos - 1]);
  }
  return pos;
}

}  // namespace

std::string MaskMessage(std::string_view message) {
  std::string out;
  MaskMessage(message, out);
  return out;
}

void MaskMessage(std::string_view message, std::string& out) {
  // The most a message can grow: a one-digit word becomes "<n>"; and 16 bytes for Copy.
  out.resize(3 * message.size() + 16);
  char* const begin = out.data();
  char* o = begin;
  const char* const m = message.data();
  const size_t size = message.size();
  size_t pos = 0;
  size_t at = message.find('@');  // an e-mail address needs one
  while (pos < size) {
    // Up to the next digit or mark, eight bytes a step: the runs before it are copied as they are.
    size_t stop = pos;
    for (const char* q = m + stop; stop + 8 <= size; q += 8, stop += 8) {
      unsigned any = 0;  // no branch per byte
      for (int k = 0; k < 8; ++k) any |= static_cast<unsigned>(Stops(q + k));
      if (any != 0) break;
    }
    while (stop < size && !Stops(m + stop)) ++stop;
    if (stop == size) {
      o = Copy(message, pos, size, o);
      break;
    }
    size_t run = stop;  // the run holding it starts after the last blank
    while (run > pos && !(Class(m[run - 1]) & kBlank)) --run;
    o = Copy(message, pos, run, o);
    if (at != std::string_view::npos && at < run) at = message.find('@', run);
    pos = MaskRun(message, run, at != std::string_view::npos ? kAt : 0, run == 0 || !IsWord(m[run - 1]), o);
  }
  out.resize(static_cast<size_t>(o - begin));
}

}  // namespace dartdiag
