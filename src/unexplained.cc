// Unexplained warnings: masking, and the front of the template miner (see unexplained.h). Tested by
// unexplained_test.cc.
#include "dartdiag/unexplained.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "log_types.h"
#include "message_masks.h"
#include "template_miner.h"
#include "text_util.h"

namespace dartdiag {
namespace {

// Character classes in one table: MaskMessage looks at every byte of every warning several times.
enum : uint16_t { kWord = 1, kHexDigit = 2, kDecimal = 4, kBlank = 8, kColon = 16, kAt = 32, kDot = 64, kDash = 128, kBackslash = 256 };
constexpr std::array<uint16_t, 256> kClass = [] {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool digit = c >= '0' && c <= '9', lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
    t[c] = static_cast<uint16_t>((digit || lower || upper || c == '_' ? kWord : 0) |
                                 (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? kHexDigit : 0) |
                                 (digit ? kDecimal : 0) | (c == ' ' || c == '\t' ? kBlank : 0) | (c == ':' ? kColon : 0) |
                                 (c == '@' ? kAt : 0) | (c == '.' ? kDot : 0) | (c == '-' ? kDash : 0) |
                                 (c == '\\' ? kBackslash : 0));
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
std::string MaskMessage(std::string_view message) {
  std::string out;
  MaskMessage(message, out);
  return out;
}

void MaskMessage(std::string_view message, std::string& out) {
  out.clear();
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

UnexplainedCollector::UnexplainedCollector(size_t max_templates)
    : miner_(std::make_unique<TemplateMiner>(MinerOptions{.max_templates = max_templates})) {}
UnexplainedCollector::~UnexplainedCollector() = default;

void UnexplainedCollector::Observe(const Event& event, const std::string& file) {
  const std::string_view level = event.Get(FieldId::kLevel);
  if (!IsWarningLevel(level)) return;
  const std::string_view source = !event.Get(FieldId::kComponent).empty() ? event.Get(FieldId::kComponent)
                                                                           : event.Get(FieldId::kSource);
  // The group: log type, level as written, source; the length keeps level and source apart.
  const uint32_t level_size = static_cast<uint32_t>(level.size());
  key_.assign(1, static_cast<char>(event.log));
  key_.append(reinterpret_cast<const char*>(&level_size), sizeof level_size);
  key_.append(level).append(source);
  auto group = group_ids_.find(key_);
  if (group == group_ids_.end()) {
    if (miner_->templates() >= miner_->options().max_templates) {  // no new group past the cap
      miner_->CountUncounted();
      return;
    }
    group = group_ids_.emplace(key_, static_cast<uint32_t>(groups_.size())).first;
    groups_.push_back({std::string(GetLogType(event.log).id), std::string(level), std::string(source)});
  }
  if (files_.empty() || files_.back() != file) files_.push_back(file);
  MaskMessage(event.Get(FieldId::kMessage), masked_);
  miner_->Add(group->second, masked_, {event.time, files_.size() - 1, event.line, event.raw});
}

uint64_t UnexplainedCollector::uncounted() const { return miner_->uncounted(); }
size_t UnexplainedCollector::max_templates() const { return miner_->options().max_templates; }

std::vector<WarningTemplate> UnexplainedCollector::Templates() const {
  std::vector<WarningTemplate> out;
  for (MinedTemplate& m : miner_->Templates()) {
    const Group& g = groups_[m.group];
    out.push_back({g.log, g.level, g.source, std::move(m.text), m.count, std::move(m.first_seen), std::move(m.last_seen),
                   files_[m.example_file], m.example_line, std::move(m.example)});
  }
  std::stable_sort(out.begin(), out.end(), [](const WarningTemplate& a, const WarningTemplate& b) {
    return std::tie(b.count, a.log, a.level, a.source, a.text) < std::tie(a.count, b.log, b.level, b.source, b.text);
  });
  return out;
}

}  // namespace dartdiag
