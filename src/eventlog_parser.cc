// Parser for Umbrella.txt, a text export of the Umbrella module's Windows event log, in both
// shapes seen in the field:
//   classic:  "Date : 08/27/2024" / "Time :" / "Type :" / "Source :" / "Description : ..." records
//             with any padding, optional separator lines (runs of *, -, =, _), multi-line
//             descriptions, a new record at each Date key;
//   wevtutil: "Event[N]:" then indented "Log Name:", "Source:", "Date:" (ISO 8601), "Event ID:",
//             "Level:", ... and "Description:" followed by the message lines.
// A description "LEVEL | Thread <hex> | message" is split; "[FailOpen : 1, CMode : 1 TMode : 0]"
// becomes typed fields. Tested by parser_test.cc.
#include <array>
#include <string>
#include <vector>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "log_types.h"
#include "text_decode.h"
#include "text_util.h"

namespace dartdiag {
namespace {

enum class Key { kDate, kTime, kType, kLevel, kSource, kEventId, kDescription, kComputer, kUser, kOther, kNone };

struct KeyName {
  std::string_view name;
  Key key;
};
constexpr std::array<KeyName, 17> kKeys = {{
    {"Date", Key::kDate},
    {"Time", Key::kTime},
    {"Type", Key::kType},
    {"Event Type", Key::kType},
    {"Level", Key::kLevel},
    {"Source", Key::kSource},
    {"Event ID", Key::kEventId},
    {"EventID", Key::kEventId},
    {"Description", Key::kDescription},
    {"Log Name", Key::kOther},
    {"Category", Key::kOther},
    {"Task Category", Key::kOther},
    {"Task", Key::kOther},
    {"Opcode", Key::kOther},
    {"Keyword", Key::kOther},
    {"User", Key::kUser},
    {"Computer", Key::kComputer},
}};

// "  Key   :  value" with a known key; returns the key and the trimmed value.
Key ReadKey(std::string_view line, std::string_view& value) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Key::kNone;
  const std::string_view name = Trim(line.substr(0, colon));
  for (const auto& k : kKeys) {
    if (EqualsIgnoreCase(name, k.name)) {
      value = Trim(line.substr(colon + 1));
      return k.key;
    }
  }
  // "User Name", "Keywords" and other metadata keys that wevtutil adds.
  if (StartsWithIgnoreCase(name, "User") || StartsWithIgnoreCase(name, "Keyword")) {
    value = Trim(line.substr(colon + 1));
    return StartsWithIgnoreCase(name, "User") ? Key::kUser : Key::kOther;
  }
  return Key::kNone;
}

bool IsSeparator(std::string_view t) {
  if (t.size() < 3) return false;
  for (char c : t) {
    if (c != '*' && c != '-' && c != '=' && c != '_' && !IsSpace(c)) return false;
  }
  return true;
}

bool IsWevtutilHeader(std::string_view t) {  // "Event[12]:"
  if (!t.starts_with("Event[")) return false;
  size_t i = 6;
  while (i < t.size() && IsDigit(t[i])) ++i;
  return i > 6 && t.substr(i).starts_with("]") && Trim(t.substr(i + 1)) == ":";
}

// "08/27/2024" (US order; day first when the first number exceeds 12), or ISO "2024-08-27".
// Sets y/m/d and the number of characters read.
bool ReadDate(std::string_view v, int& y, int& m, int& d, size_t& used) {
  if (auto yy = ReadDigits(v, 0, 4); yy && v.size() >= 10 && v[4] == '-' && v[7] == '-') {
    auto mm = ReadDigits(v, 5, 2), dd = ReadDigits(v, 8, 2);
    if (!mm || !dd) return false;
    y = *yy, m = *mm, d = *dd;
    used = 10;
    return ValidDateTime(y, m, d, 0, 0, 0);
  }
  int parts[3] = {0, 0, 0};
  size_t pos = 0;
  for (int p = 0; p < 3; ++p) {
    size_t begin = pos;
    while (pos < v.size() && IsDigit(v[pos]) && pos - begin < 4) parts[p] = parts[p] * 10 + (v[pos++] - '0');
    if (pos == begin) return false;
    if (p < 2 && (pos >= v.size() || (v[pos] != '/' && v[pos] != '.' && v[pos] != '-'))) return false;
    if (p < 2) ++pos;
  }
  y = parts[2];
  m = parts[0] > 12 ? parts[1] : parts[0];
  d = parts[0] > 12 ? parts[0] : parts[1];
  used = pos;
  return ValidDateTime(y, m, d, 0, 0, 0);
}

// "06:41:22", "6:41:22 PM", "06:41:22.5120000Z", "06:41:22+02:00". Sets the ISO suffix kept
// as stated (fraction and zone); AM/PM is folded into the hour.
bool ReadTime(std::string_view v, int& h, int& mi, int& s, std::string_view& suffix) {
  size_t pos = 0;
  int parts[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    size_t begin = pos;
    while (pos < v.size() && IsDigit(v[pos]) && pos - begin < 2) parts[p] = parts[p] * 10 + (v[pos++] - '0');
    if (pos == begin) return false;
    if (p < 2 && (pos >= v.size() || v[pos++] != ':')) return false;
  }
  h = parts[0], mi = parts[1], s = parts[2];
  size_t end = pos;
  if (end < v.size() && v[end] == '.') {
    ++end;
    while (end < v.size() && IsDigit(v[end])) ++end;
  }
  if (end < v.size() && (v[end] == 'Z' || v[end] == 'z')) {
    ++end;
  } else if (end + 6 <= v.size() && (v[end] == '+' || v[end] == '-') && ReadDigits(v, end + 1, 2) &&
             v[end + 3] == ':' && ReadDigits(v, end + 4, 2)) {
    end += 6;
  }
  suffix = v.substr(pos, end - pos);
  const std::string_view meridiem = Trim(v.substr(end));
  if (EqualsIgnoreCase(meridiem, "PM") && h < 12) h += 12;
  if (EqualsIgnoreCase(meridiem, "AM") && h == 12) h = 0;
  return ValidDateTime(1970, 1, 1, h, mi, s);
}

// Digits after "Name" and a ':' with any padding, e.g. "FailOpen : 1".
std::string_view FlagValue(std::string_view message, std::string_view name) {
  const size_t at = message.find(name);
  if (at == std::string_view::npos) return {};
  size_t pos = at + name.size();
  while (pos < message.size() && IsSpace(message[pos])) ++pos;
  if (pos >= message.size() || message[pos] != ':') return {};
  ++pos;
  while (pos < message.size() && IsSpace(message[pos])) ++pos;
  const size_t begin = pos;
  while (pos < message.size() && IsDigit(message[pos])) ++pos;
  return message.substr(begin, pos - begin);
}

struct Record {
  bool open = false;
  bool wevtutil = false;
  bool in_description = false;
  bool has_date = false;
  bool cut = false;  // the description reached the cap: the rest of the record is dropped
  uint64_t start_line = 0;
  uint64_t description_line = 0;
  std::string date, time, type, level, source, event_id;
  // Owned (lines are transient views) and bounded by the record cap, whatever the record's length:
  // the non-blank description parts joined with spaces, and the same behind the line the
  // description starts on ("Description : ...") for the raw text.
  std::string message, raw;
};

// Appends `part` to `text` after a space, within `cap` bytes (cut at a UTF-8 boundary); false
// when it did not fit whole.
bool AppendCapped(std::string& text, std::string_view part, size_t cap) {
  const size_t sep = text.empty() ? 0 : 1;
  if (text.size() + sep + part.size() <= cap) {
    if (sep) text.push_back(' ');
    text.append(part);
    return true;
  }
  if (text.size() + sep < cap) {
    size_t room = cap - text.size() - sep;
    while (room > 0 && (static_cast<unsigned char>(part[room]) & 0xC0) == 0x80) --room;
    if (sep) text.push_back(' ');
    text.append(part.substr(0, room));
  }
  return false;
}

class Parser final : public LineParser {
 public:
  Parser(LogTypeId log, EventSink& sink) : log_(log), sink_(sink) {}

  void Line(uint64_t number, std::string_view line) override {
    ++stats_.lines;
    const std::string_view t = Trim(line);
    if (t.empty()) return;
    if (IsWevtutilHeader(t)) {
      Flush();
      Open(number, /*wevtutil=*/true);
      return;
    }
    if (IsSeparator(t)) {
      if (record_.wevtutil) {
        if (record_.in_description) AddDescription(number, t, t);
      } else {
        Flush();
      }
      return;
    }
    std::string_view value;
    Key key = ReadKey(t, value);
    if (record_.in_description && !(key == Key::kDate && !record_.wevtutil)) key = Key::kNone;
    if (key == Key::kNone) {
      if (record_.in_description) {
        AddDescription(number, t, t);
      } else {
        ++stats_.unparsed;
        sink_.OnUnparsed(number, line);
      }
      return;
    }
    if (key == Key::kDate && !record_.wevtutil && record_.open && record_.has_date) Flush();
    if (!record_.open) Open(number, /*wevtutil=*/false);
    switch (key) {
      case Key::kDate: record_.date = value, record_.has_date = true; break;
      case Key::kTime: record_.time = value; break;
      case Key::kType: record_.type = value; break;
      case Key::kLevel: record_.level = value; break;
      case Key::kSource: record_.source = value; break;
      case Key::kEventId: record_.event_id = value; break;
      case Key::kDescription:
        record_.in_description = true;
        AddDescription(number, value, t);
        break;
      case Key::kComputer: sink_.OnIdentity(IdentityKind::kHost, value); break;
      case Key::kUser: sink_.OnIdentity(IdentityKind::kUser, value); break;
      case Key::kOther:
      case Key::kNone: break;
    }
  }

  ParseStats Finish() override {
    Flush();
    return stats_;
  }

  void SetMaxRecordBytes(size_t max_bytes) override { max_record_bytes_ = max_bytes; }

 private:
  // One part of the description; `line` is the trimmed line it came from, which starts the raw
  // text when it is the first part. Past the cap the record is cut once and counted.
  void AddDescription(uint64_t number, std::string_view part, std::string_view line) {
    if (part.empty() || record_.cut) return;
    if (record_.message.empty() && record_.raw.empty()) {
      record_.description_line = number;
      AppendCapped(record_.raw, line, max_record_bytes_);
    } else {
      AppendCapped(record_.raw, part, max_record_bytes_);
    }
    if (!AppendCapped(record_.message, part, max_record_bytes_)) {
      record_.cut = true;
      ++stats_.cut_records;
    }
  }

  void Open(uint64_t number, bool wevtutil) {
    record_ = Record{};
    record_.open = true;
    record_.wevtutil = wevtutil;
    record_.start_line = number;
  }

  void Flush() {
    if (!record_.open) return;
    Record r = std::move(record_);
    record_ = Record{};
    if (!r.has_date && r.message.empty()) return;  // an "Event[N]:" header and nothing else

    Event event;
    event.log = log_;
    event.line = r.description_line ? r.description_line : r.start_line;
    SetTime(r, event);

    message_ = std::move(r.message);
    std::string_view message = message_;
    event.Set(FieldId::kLevel, !r.level.empty() ? r.level : r.type);
    event.Set(FieldId::kSource, r.source);
    event.Set(FieldId::kEventId, r.event_id);
    SplitDescription(message, event);
    // The raw text: the line the description starts on, continuation lines joined with spaces.
    raw_ = std::move(r.raw);
    event.raw = raw_;
    ++stats_.events;
    sink_.OnEvent(event);
  }

  // Always ISO 8601: the date, then the time from the Date value itself (wevtutil, or a
  // "date time" value) or from the Time key, then any fraction and zone the log states.
  void SetTime(const Record& r, Event& event) {
    int y = 0, m = 0, d = 0, h = 0, mi = 0, s = 0;
    size_t used = 0;
    if (!ReadDate(r.date, y, m, d, used)) return;
    std::string_view rest = Trim(std::string_view(r.date).substr(used));
    if (!rest.empty() && (rest[0] == 'T' || rest[0] == 't')) rest.remove_prefix(1);
    std::string_view suffix;
    if (ReadTime(rest.empty() ? std::string_view(r.time) : rest, h, mi, s, suffix)) {
      WriteDateTime(time_, y, m, d, h, mi, s);
      time_.append(suffix);
    } else {
      h = mi = s = 0;
      WriteDateTime(time_, y, m, d, -1, 0, 0);
    }
    event.time = time_;
    event.sort_time = CivilToSeconds(y, m, d, h, mi, s);
  }

  // "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (h < 0: the date only) into `out`, printf's %04d and
  // %02d digits, written without a format parse or an allocation per record.
  static void WriteDateTime(std::string& out, int y, int m, int d, int h, int mi, int s) {
    char buf[72];  // room for any int in every place
    char* end = h < 0 ? fmt::format_to(buf, FMT_COMPILE("{:04}-{:02}-{:02}"), y, m, d)
                      : fmt::format_to(buf, FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}"), y, m, d, h, mi, s);
    out.assign(buf, static_cast<size_t>(end - buf));
  }

  // "WARN | Thread 27cc | message" -> level, thread, message; typed flags from the message.
  static void SplitDescription(std::string_view message, Event& event) {
    const size_t bar1 = message.find('|');
    if (bar1 != std::string_view::npos) {
      const size_t bar2 = message.find('|', bar1 + 1);
      const std::string_view level = Trim(message.substr(0, bar1));
      const std::string_view thread =
          Trim(message.substr(bar1 + 1, bar2 == std::string_view::npos ? 0 : bar2 - bar1 - 1));
      const bool level_ok = !level.empty() && level.size() <= 10 && level.find(' ') == std::string_view::npos;
      if (level_ok && bar2 != std::string_view::npos && StartsWithIgnoreCase(thread, "Thread")) {
        event.Set(FieldId::kLevel, level);
        event.Set(FieldId::kThread, Trim(thread.substr(6)));
        message = Trim(message.substr(bar2 + 1));
      }
    }
    event.Set(FieldId::kMessage, message);
    event.Set(FieldId::kFailOpen, FlagValue(message, "FailOpen"));
    event.Set(FieldId::kCMode, FlagValue(message, "CMode"));
    event.Set(FieldId::kTMode, FlagValue(message, "TMode"));
  }

  LogTypeId log_;
  EventSink& sink_;
  ParseStats stats_;
  size_t max_record_bytes_ = size_t{1} << 20;  // Limits::max_line_bytes unless the pipeline says otherwise
  Record record_;
  std::string message_, raw_, time_;  // storage the emitted event's views point into
};

}  // namespace

std::unique_ptr<LineParser> MakeEventLogParser(LogTypeId log, EventSink& sink) {
  return std::make_unique<Parser>(log, sink);
}

bool SniffEventLog(std::string_view first_lines) {
  return AnyOfFirstLines(first_lines, 30, [](std::string_view line) {
    const std::string_view t = Trim(line);
    std::string_view value;
    int y, m, d;
    size_t used;
    return IsWevtutilHeader(t) || (ReadKey(t, value) == Key::kDate && ReadDate(value, y, m, d, used));
  });
}

}  // namespace dartdiag
