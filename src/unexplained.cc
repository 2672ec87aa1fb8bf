// Unexplained warnings: templating and counting (see unexplained.h). Tested by
// unexplained_test.cc.
#include "dartdiag/unexplained.h"

#include <algorithm>

#include "log_types.h"
#include "text_util.h"

namespace dartdiag {
namespace {

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsWord(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

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

// One pass: GUIDs, IPv4 and IPv6 addresses, then words: 0x-prefixed or all-hex with both a digit
// and a letter become <hex>; digit runs inside any other word become <n>.
std::string MaskMessage(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  size_t pos = 0;
  while (pos < message.size()) {
    const char c = message[pos];
    const bool start = pos == 0 || !IsWord(message[pos - 1]);
    if (start && (c == '{' || IsHex(c))) {
      if (const size_t n = GuidAt(message, pos)) {
        out += "<guid>";
        pos += n;
        continue;
      }
    }
    if (start && (IsHex(c) || c == ':')) {
      size_t n = IsDigit(c) ? Ipv4At(message, pos) : 0;
      if (n == 0) n = Ipv6At(message, pos);
      if (n > 0) {
        out += "<ip>";
        pos += n;
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
    while (end < message.size() && IsWord(message[end])) {
      all_hex = all_hex && IsHex(message[end]);
      digit = digit || IsDigit(message[end]);
      letter = letter || !IsDigit(message[end]);
      ++end;
    }
    const std::string_view word = message.substr(pos, end - pos);
    const bool prefixed = word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X') &&
                          std::all_of(word.begin() + 2, word.end(), IsHex);
    if (start && (prefixed || (all_hex && digit && letter))) {
      out += "<hex>";
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

bool IsWarningLevel(std::string_view level) {
  // Most events are DEBUG or INFO: rule them out on the first letter.
  const char first = level.empty() ? '\0' : static_cast<char>(level[0] | 0x20);
  if (first != 'w' && first != 'e' && first != 'f' && first != 'c') return false;
  for (std::string_view name : {"WARN", "WARNING", "ERROR", "ERR", "FATAL", "CRITICAL"}) {
    if (EqualsIgnoreCase(level, name)) return true;
  }
  return false;
}

void UnexplainedCollector::Observe(const Event& event, const std::string& file) {
  if (!IsWarningLevel(event.Get(FieldId::kLevel))) return;
  const std::string_view source = !event.Get(FieldId::kComponent).empty() ? event.Get(FieldId::kComponent)
                                                                           : event.Get(FieldId::kSource);
  auto key = std::make_tuple(std::string(GetLogType(event.log).id), std::string(event.Get(FieldId::kLevel)),
                             std::string(source), MaskMessage(event.Get(FieldId::kMessage)));
  auto it = templates_.find(key);
  if (it == templates_.end()) {
    if (templates_.size() >= max_) {
      ++uncounted_;
      return;
    }
    WarningTemplate t;
    t.log = std::get<0>(key);
    t.level = std::get<1>(key);
    t.source = std::get<2>(key);
    t.text = std::get<3>(key);
    t.first_seen = std::string(event.time);
    t.example_file = file;
    t.example_line = event.line;
    t.example = std::string(event.raw);
    it = templates_.emplace(std::move(key), std::move(t)).first;
  }
  ++it->second.count;
  it->second.last_seen = std::string(event.time);
}

std::vector<WarningTemplate> UnexplainedCollector::Templates() const {
  std::vector<WarningTemplate> out;
  for (const auto& [key, t] : templates_) out.push_back(t);
  std::stable_sort(out.begin(), out.end(), [](const WarningTemplate& a, const WarningTemplate& b) {
    return a.count > b.count;
  });
  return out;
}

}  // namespace dartdiag
