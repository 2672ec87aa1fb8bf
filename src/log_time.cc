// Times in one form (see log_time.h). Tested by log_time_test.cc.
#include "log_time.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "messages.h"
#include "text_util.h"

namespace dartdiag {
namespace {

constexpr int kMaxOffsetMinutes = 14 * 60;

Phrase Span(int64_t seconds) {
  seconds = seconds < 0 ? -seconds : seconds;
  if (seconds < 120) return PhraseOf(Msg::kSpanSeconds, Arg("n", static_cast<uint64_t>(seconds)));
  if (seconds < 2 * 3600) return PhraseOf(Msg::kSpanMinutes, Arg("n", static_cast<uint64_t>(seconds / 60)));
  if (seconds < 2 * 86400)
    return PhraseOf(Msg::kSpanHours, Arg("n", fmt::format("{:.1f}", static_cast<double>(seconds) / 3600)));
  return PhraseOf(Msg::kSpanDays, Arg("n", fmt::format("{:.1f}", static_cast<double>(seconds) / 86400)));
}

// The timing's sentence, in English for `text` and as a phrase for the human reports.
void SetText(CaptureTiming& timing, Phrase phrase) {
  timing.text = RenderPhrase(phrase, Lang::kEn);
  timing.phrase = std::move(phrase);
}

}  // namespace

std::optional<int> ParseUtcOffset(std::string_view text) {
  if (text == "UTC" || text == "utc" || text == "Z" || text == "z") return 0;
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  std::string_view rest = text.substr(1);
  int hours = 0, minutes = 0;
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 2 && std::all_of(s.begin(), s.end(), IsDigit);
  };
  const size_t colon = rest.find(':');
  if (colon != std::string_view::npos) {
    if (!digits(rest.substr(0, colon)) || rest.size() - colon - 1 != 2 || !digits(rest.substr(colon + 1)))
      return std::nullopt;
    hours = std::atoi(std::string(rest.substr(0, colon)).c_str());
    minutes = std::atoi(std::string(rest.substr(colon + 1)).c_str());
  } else if (rest.size() == 4 && digits(rest.substr(0, 2)) && digits(rest.substr(2))) {
    hours = std::atoi(std::string(rest.substr(0, 2)).c_str());
    minutes = std::atoi(std::string(rest.substr(2)).c_str());
  } else if (digits(rest)) {
    hours = std::atoi(std::string(rest).c_str());
  } else {
    return std::nullopt;
  }
  if (minutes >= 60 || hours * 60 + minutes > kMaxOffsetMinutes) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

std::string FormatUtcOffset(int minutes) {
  const int a = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

bool StatesZone(std::string_view time) {
  if (time.size() < 20) return false;  // "YYYY-MM-DDTHH:MM:SS" and more
  if (time.back() == 'Z') return true;
  const size_t sign = time.find_last_of("+-");
  return sign != std::string_view::npos && sign >= 19 && time.size() - sign == 6 && time[sign + 3] == ':';
}

std::optional<int64_t> UtcSeconds(std::string_view time, std::optional<int> offset_minutes) {
  const auto y = ReadDigits(time, 0, 4), mo = ReadDigits(time, 5, 2), d = ReadDigits(time, 8, 2);
  const auto h = ReadDigits(time, 11, 2), mi = ReadDigits(time, 14, 2), s = ReadDigits(time, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || time[4] != '-' || time[7] != '-' || time[10] != 'T') return std::nullopt;
  const int64_t civil = CivilToSeconds(*y, *mo, *d, *h, *mi, *s);
  if (!StatesZone(time)) {
    if (!offset_minutes) return std::nullopt;
    return civil - int64_t{*offset_minutes} * 60;
  }
  if (time.back() == 'Z') return civil;
  const auto offset = ParseUtcOffset(time.substr(time.size() - 6));
  if (!offset) return std::nullopt;
  return civil - int64_t{*offset} * 60;
}

void ApplyLogOffset(Result& result, int offset_minutes) {
  const std::string suffix = FormatUtcOffset(offset_minutes);
  const auto fix = [&](std::string& t) {
    if (!t.empty() && !StatesZone(t) && UtcSeconds(t, 0)) t += suffix;
  };
  for (FileReport& f : result.files) {
    fix(f.first_time);
    fix(f.last_time);
  }
  for (Verdict& v : result.verdicts) {
    for (std::string* t : {&v.first_seen, &v.last_seen, &v.since, &v.cleared_at, &v.log_end}) fix(*t);
    for (EvidenceLine& e : v.evidence) fix(e.time);
    if (v.timeline) {
      fix(v.timeline->cleared_at);
      for (TimelineInterval& i : v.timeline->intervals) {
        fix(i.from);
        fix(i.to);
      }
    }
  }
  for (WarningTemplate& w : result.unexplained) {
    fix(w.first_seen);
    fix(w.last_seen);
  }
  for (RuleExplanation& e : result.explanations) {
    for (GroupTrace& g : e.groups) {
      for (NodeTrace& n : g.nodes) {
        for (EvidenceLine& line : n.events) fix(line.time);
      }
    }
  }
  result.log_offset = suffix;
}

CaptureTiming PlaceCapture(const Result& result, const CaptureReport& capture) {
  CaptureTiming timing;
  std::optional<int64_t> first, last;
  bool local = false;
  const std::optional<int> offset = result.log_offset.empty() ? std::nullopt : ParseUtcOffset(result.log_offset);
  for (const FileReport& f : result.files) {
    for (const std::string* t : {&f.first_time, &f.last_time}) {
      if (t->empty()) continue;
      const auto utc = UtcSeconds(*t, offset);
      if (!utc) {
        local = local || !StatesZone(*t);
        continue;
      }
      first = first ? std::min(*first, *utc) : *utc;
      last = last ? std::max(*last, *utc) : *utc;
    }
  }
  if (local || !first || capture.first_time_ns == 0) {
    timing.relation = "unknown";
    SetText(timing, PhraseOf(local ? Msg::kTimingUnknown : Msg::kTimingNoTime));
    return timing;
  }
  const int64_t start = capture.first_time_ns / 1000000000, end = capture.last_time_ns / 1000000000;
  timing.seconds_after_log_end = start - *last;
  if (start > *last) {
    timing.relation = "after";
    SetText(timing, PhraseOf(Msg::kTimingAfter, Arg("span", Span(start - *last))));
  } else if (end < *first) {
    timing.relation = "before";
    SetText(timing, PhraseOf(Msg::kTimingBefore, Arg("span", Span(*first - end))));
  } else if (start >= *first && end <= *last) {
    timing.relation = "within";
    SetText(timing, PhraseOf(Msg::kTimingWithin));
  } else {
    timing.relation = "overlaps";
    SetText(timing, PhraseOf(Msg::kTimingOverlaps));
  }
  return timing;
}

}  // namespace dartdiag
