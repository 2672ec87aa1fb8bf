// Parser for csccumbrellaplugin.txt lines:
//   YYYY-MM-DD HH:MM:SS[.fff] [pid] [LEVEL] <tid> Component: message
// The fixed header is read by hand (no regex); typed fields come from the component (address
// family) and the message (port, candidate resolvers). Tested by parser_test.cc.
#include <bit>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "log_types.h"
#include "text_decode.h"
#include "text_util.h"

namespace dartdiag {
namespace {

// Reads "[...]" at s[pos] (after optional spaces); returns the inside and moves pos past it.
std::optional<std::string_view> Bracketed(std::string_view s, size_t& pos, char open, char close) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  if (pos >= s.size() || s[pos] != open) return std::nullopt;
  // The inside is a few characters (a pid, a level, a thread id): a loop costs less than memchr.
  size_t end = pos + 1;
  while (end < s.size() && s[end] != close) ++end;
  if (end == s.size()) return std::nullopt;
  std::string_view inside = Trim(s.substr(pos + 1, end - pos - 1));
  pos = end + 1;
  return inside;
}

// The header as the client writes it after the time, " [8880] [DEBUG] < 12>": one space before
// each part, digits in the pid, capital letters in the level, a thread id of digits after any
// spaces. Read in one pass into the fields Bracketed would give (pid, level, thread trimmed), with
// pos past the '>'; false, touching nothing, for any other shape (tabs, more spaces, other
// characters, no thread), which Bracketed then reads. Tested by parser_test.cc (both paths).
bool UsualHeader(std::string_view line, size_t& pos, Event& event) {
  const char* s = line.data();
  const size_t n = line.size();
  size_t p = pos;
  if (p + 2 > n || s[p] != ' ' || s[p + 1] != '[') return false;
  const size_t pid = p += 2;
  while (p < n && IsDigit(s[p])) ++p;
  if (p == pid || p + 3 > n || s[p] != ']' || s[p + 1] != ' ' || s[p + 2] != '[') return false;
  const size_t pid_end = p;
  const size_t level = p += 3;
  while (p < n && s[p] >= 'A' && s[p] <= 'Z') ++p;
  if (p == level || p + 3 > n || s[p] != ']' || s[p + 1] != ' ' || s[p + 2] != '<') return false;
  const size_t level_end = p;
  p += 3;
  while (p < n && s[p] == ' ') ++p;
  const size_t thread = p;
  while (p < n && IsDigit(s[p])) ++p;
  if (p == thread || p >= n || s[p] != '>') return false;
  event.Set(FieldId::kPid, std::string_view(s + pid, pid_end - pid));
  event.Set(FieldId::kLevel, std::string_view(s + level, level_end - level));
  event.Set(FieldId::kThread, std::string_view(s + thread, p - thread));
  pos = p + 1;
  return true;
}

// The digits after the first "port " in the message ("using port 443", "for port 53", ", port 53").
std::string_view FindPort(std::string_view message) {
  for (size_t at = message.find("port "); at != std::string_view::npos; at = message.find("port ", at + 1)) {
    size_t begin = at + 5, end = begin;
    while (end < message.size() && IsDigit(message[end])) ++end;
    if (end > begin && (at == 0 || !std::isalpha(static_cast<unsigned char>(message[at - 1])))) {
      return message.substr(begin, end - begin);
    }
  }
  return {};
}

// "(candidates are A, B)" or "at addresses A, B, port P".
std::string_view FindCandidates(std::string_view message) {
  if (size_t at = message.find("candidates are "); at != std::string_view::npos) {
    const size_t begin = at + 15;
    const size_t end = message.find(')', begin);
    return Trim(message.substr(begin, end == std::string_view::npos ? end : end - begin));
  }
  if (size_t at = message.find("at addresses "); at != std::string_view::npos) {
    const size_t begin = at + 13;
    const size_t end = message.find(", port", begin);
    return Trim(message.substr(begin, end == std::string_view::npos ? end : end - begin));
  }
  return {};
}

// The first "ipv4" or "ipv6" in the component, in any case. Only an 'i' or 'I' can start one,
// so those are the only places looked at: eight bytes at a time, the places of the first such
// byte in each (ORing 0x20 makes 'i' of exactly 'i' and 'I'). The state models ask for the family
// of every DNS line. Tested against the byte-by-byte reading by parser_test.cc.
std::string_view FamilyOf(std::string_view component) {
  const char* s = component.data();
  const size_t n = component.size();
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  size_t i = 0;
  while (i + 4 <= n) {
    if constexpr (std::endian::native == std::endian::little) {
      if (i + 8 <= n) {
        uint64_t word;
        std::memcpy(&word, s + i, 8);
        const uint64_t x = (word | kOnes * 0x20) ^ (kOnes * 'i');  // a zero byte where 'i' or 'I' is
        const uint64_t zeros = (x - kOnes) & ~x & kHighs;          // its lowest bit marks the first exactly
        if (zeros == 0) {
          i += 8;
          continue;
        }
        i += static_cast<size_t>(std::countr_zero(zeros)) / 8;
        if (i + 4 > n) break;
      }
    }
    if ((s[i] | 0x20) == 'i' && (s[i + 1] | 0x20) == 'p' && (s[i + 2] | 0x20) == 'v') {
      if (s[i + 3] == '4') return "ipv4";
      if (s[i + 3] == '6') return "ipv6";
    }
    ++i;
  }
  return {};
}

constexpr uint16_t FieldBit(FieldId id) { return static_cast<uint16_t>(1u << static_cast<size_t>(id)); }

// The minute of the last valid "YYYY-MM-DD HH:MM:SS" seen ("YYYY-MM-DD HH:MM:") and its seconds
// since 1970: consecutive lines mostly share it, so only the seconds are read.
struct MinuteCache {
  char text[17] = {};
  int64_t sort_time = 0;
  bool valid = false;
};

// Parses one line into `event` (views into `line` and `time_buf`); false if it is not a record.
// `line` ends in no space (TrimBack): its end is the end of the component or message.
bool ParseLine(std::string_view line, Event& event, char (&time_buf)[32], MinuteCache& minute) {
  int64_t sort_time = 0;
  const auto s = ReadDigits(line, 17, 2);
  if (minute.valid && s && *s <= 60 && std::memcmp(line.data(), minute.text, 17) == 0) {
    sort_time = minute.sort_time + *s;  // the checks below depend on these 19 bytes only
  } else {
    const auto y = ReadDigits(line, 0, 4), mo = ReadDigits(line, 5, 2), d = ReadDigits(line, 8, 2);
    const auto h = ReadDigits(line, 11, 2), mi = ReadDigits(line, 14, 2);
    if (!y || !mo || !d || !h || !mi || !s || line[4] != '-' || line[7] != '-' ||
        (line[10] != ' ' && line[10] != 'T') || line[13] != ':' || line[16] != ':' ||
        !ValidDateTime(*y, *mo, *d, *h, *mi, *s)) {
      return false;
    }
    minute.sort_time = CivilToSeconds(*y, *mo, *d, *h, *mi, 0);
    sort_time = minute.sort_time + *s;
    std::memcpy(minute.text, line.data(), 17);
    minute.valid = true;
  }
  size_t pos = 19;
  if (pos < line.size() && (line[pos] == '.' || line[pos] == ',')) {
    ++pos;
    while (pos < line.size() && IsDigit(line[pos])) ++pos;
  }
  const size_t time_len = std::min<size_t>(pos, sizeof(time_buf) - 1);
  std::memcpy(time_buf, line.data(), time_len);
  time_buf[10] = 'T';
  if (time_len > 19 && time_buf[19] == ',') time_buf[19] = '.';
  event.time = std::string_view(time_buf, time_len);
  event.sort_time = sort_time;

  if (!UsualHeader(line, pos, event)) {
    const auto pid = Bracketed(line, pos, '[', ']');
    const auto level = Bracketed(line, pos, '[', ']');
    if (!pid || !level) return false;
    event.Set(FieldId::kPid, *pid);
    event.Set(FieldId::kLevel, *level);
    if (const auto thread = Bracketed(line, pos, '<', '>')) event.Set(FieldId::kThread, *thread);
  }

  std::string_view rest = TrimFront(line.substr(std::min(pos, line.size())));
  std::string_view message = rest;
  // Port and candidates mean searching the message, the family the component; most events are
  // never asked for them.
  uint16_t deferred = FieldBit(FieldId::kPort) | FieldBit(FieldId::kCandidates);
  if (const size_t colon = rest.find(": "); colon != std::string_view::npos) {
    event.Set(FieldId::kComponent, rest.substr(0, colon));
    deferred |= FieldBit(FieldId::kFamily);
    message = TrimFront(rest.substr(colon + 2));
  } else if (rest.ends_with(':')) {
    event.Set(FieldId::kComponent, rest.substr(0, rest.size() - 1));
    message = {};
  }
  event.Set(FieldId::kMessage, message);
  event.Defer(deferred, [](const Event& e, FieldId asked) -> uint16_t {
    auto& fields = e.fields;
    if (asked == FieldId::kFamily) {
      fields[static_cast<size_t>(FieldId::kFamily)] = FamilyOf(fields[static_cast<size_t>(FieldId::kComponent)]);
      return FieldBit(FieldId::kFamily);
    }
    if (asked == FieldId::kPort) {  // the rules ask for the port of every DNS line, for candidates seldom
      fields[static_cast<size_t>(FieldId::kPort)] = FindPort(fields[static_cast<size_t>(FieldId::kMessage)]);
      return FieldBit(FieldId::kPort);
    }
    fields[static_cast<size_t>(FieldId::kCandidates)] = FindCandidates(fields[static_cast<size_t>(FieldId::kMessage)]);
    return FieldBit(FieldId::kCandidates);
  });
  return true;
}

// Event::reparse: a line's fields from its text alone, all at once (for kept copies).
uint16_t Reparse(const Event& e, FieldId) {
  Event parsed;
  char time_buf[32] = {};
  MinuteCache minute;
  constexpr auto kAll = static_cast<uint16_t>((1u << kFieldCount) - 1);
  // The text was parsed as a record when the event was made: only a caller that hands in other
  // text reaches this, and gets every field empty (tested by parser_test.cc).
  if (!ParseLine(e.raw, parsed, time_buf, minute)) {
    e.fields = {};
    return kAll;
  }
  for (size_t i = 0; i < kFieldCount; ++i) e.fields[i] = parsed.Get(static_cast<FieldId>(i));
  return kAll;
}

}  // namespace

namespace {

class PluginParser final : public LineParser {
 public:
  PluginParser(LogTypeId log, EventSink& sink) : sink_(sink) { event_.log = log; }

  void Line(uint64_t number, std::string_view line) override {
    ++stats_.lines;
    // One event for every line: a new Event per line meant clearing all its fields (a `rep stos`
    // of 300 bytes, a tenth of the time per line at 1% matched lines). Only the fields ParseLine
    // may write are cleared; it never writes the others, which stay empty. parser_test.cc checks
    // that no field of one line reaches the next.
    Event& event = event_;
    for (const FieldId id : kWritten) event.fields[static_cast<size_t>(id)] = {};
    event.line = number;
    const std::string_view body = TrimBack(line);  // the record's fields end where the line's text does
    event.raw = TrimFront(body);
    event.reparse = Reparse;  // `raw` is `body`: a record starts with its time
    if (ParseLine(body, event, time_buf_, minute_)) {
      ++stats_.events;
      sink_.OnEvent(event);
    } else if (!event.raw.empty()) {
      ++stats_.unparsed;
      sink_.OnUnparsed(number, line);
    }
  }

  ParseStats Finish() override { return stats_; }

 private:
  // The fields ParseLine sets or defers (the event's others are never written).
  static constexpr FieldId kWritten[] = {FieldId::kPid,     FieldId::kLevel,  FieldId::kThread, FieldId::kComponent,
                                         FieldId::kMessage, FieldId::kFamily, FieldId::kPort,   FieldId::kCandidates};

  EventSink& sink_;
  ParseStats stats_;
  char time_buf_[32] = {};
  MinuteCache minute_;
  Event event_;
};

}  // namespace

std::unique_ptr<LineParser> MakePluginParser(LogTypeId log, EventSink& sink) {
  return std::make_unique<PluginParser>(log, sink);
}

bool SniffPluginLog(std::string_view first_lines) {
  return AnyOfFirstLines(first_lines, 20, [](std::string_view line) {
    Event event;
    char time_buf[32] = {};
    MinuteCache minute;
    return ParseLine(TrimBack(line), event, time_buf, minute);
  });
}

}  // namespace dartdiag
