// See report_consistency.h.
#include "report_consistency.h"

#include <algorithm>

#include <fmt/format.h>

namespace dartdiag::testing {
namespace {

// The text report's first line of verdict `v` (its heading), found by the rule id tag.
std::vector<std::string> HeadlinesOf(const std::string& text, const Verdict& v) {
  std::vector<std::string> lines;
  size_t pos = 0;
  const std::string tag = "  [" + v.rule + "]";
  while ((pos = text.find(tag, pos)) != std::string::npos) {
    const size_t begin = text.rfind('\n', pos) + 1;
    const std::string line = text.substr(begin, pos - begin);
    const std::string family = v.family == "ipv4" ? "(IPv4)" : v.family == "ipv6" ? "(IPv6)" : "";
    if (line.find(v.status + (family.empty() ? "" : " " + family)) != std::string::npos) lines.push_back(line);
    pos += tag.size();
  }
  return lines;
}

std::string Plural(size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

std::vector<std::string> Contradictions(const Result& result, const std::string& text, ExitCode code) {
  std::vector<std::string> problems;
  size_t errors = 0, warnings = 0, cleared = 0;
  for (const Verdict& v : result.verdicts) {
    const std::string name = v.rule + (v.group.empty() ? "" : "/" + v.group);
    const auto problem = [&](const std::string& what) { problems.push_back(name + ": " + what); };
    const bool active = DrivesExitCode(v);
    if (!active) ++cleared;
    if (active && v.severity == Severity::kError) ++errors;
    if (active && v.severity == Severity::kWarning) ++warnings;
    if (v.end_state == EndState::kCleared && v.cleared_at.empty()) problem("cleared without a time");
    if (v.evidence.empty()) problem("no evidence");
    if (v.timeline) {
      const TimelineSummary& t = *v.timeline;
      if (t.failing_at_end != (v.end_state == EndState::kFailing)) problem("timeline and at_end disagree on failing");
      if (v.end_state == EndState::kCleared && t.cleared_at != v.cleared_at)
        problem("timeline and at_end clear at different times");
      if (v.end_state == EndState::kFailing && !t.cleared_at.empty())
        problem("failing, yet the timeline has a clearing time");
      if (t.episodes == 0) problem("a state verdict without an episode");
      const std::string want = t.episodes > 1                      ? "intermittent"
                               : v.end_state == EndState::kFailing ? "persistent"
                               : v.end_state == EndState::kCleared ? "cleared"
                                                                   : "unknown";
      if (t.pattern != want) problem("pattern " + t.pattern + ", expected " + want);
      if (t.intervals.empty()) {
        problem("a timeline without intervals");
      } else if ((t.intervals.back().label == v.now) == false) {
        problem("the last interval is not the state now");
      }
    }
    // The end of the log is a log's last line as the Logs section shows it (after the clock went
    // back, not the latest time stated), and the timeline ends there.
    if (!v.log_end.empty()) {
      const bool a_log_ends_there = std::any_of(result.files.begin(), result.files.end(),
                                                [&](const FileReport& f) { return f.last_time == v.log_end; });
      if (!a_log_ends_there) problem("at_end.log_end " + v.log_end + " is no log's last line");
      if (v.timeline && !v.timeline->intervals.empty() && v.timeline->intervals.back().to != v.log_end) {
        problem("the timeline ends at " + v.timeline->intervals.back().to + ", at_end.log_end is " + v.log_end);
      }
    }
    // The text report: the headline says cleared / not known exactly when at_end does.
    const std::vector<std::string> headlines = HeadlinesOf(text, v);
    if (headlines.size() != 1) problem(fmt::format("{} headlines in the text report", headlines.size()));
    for (const std::string& headline : headlines) {
      if (headline.starts_with("CLEARED") != (v.end_state == EndState::kCleared)) problem("headline: " + headline);
      if ((headline.find(": not known") != std::string::npos) != (v.end_state == EndState::kUnknown)) {
        problem("headline: " + headline);
      }
    }
  }
  // The closing line counts what still holds; "no problem" only when nothing does.
  if (result.has_logs()) {
    const bool blocked_capture = result.capture && result.capture->MostSevere().has_value();
    const bool none = errors == 0 && warnings == 0 && !blocked_capture;
    const bool says_none = text.find("No known problem found.") != std::string::npos ||
                           text.find("No known problem at the end of the log") != std::string::npos;
    if (!result.complete()) {  // part was not read: never "no problem"
      if (says_none) problems.push_back("closing line: no-problem wording on an incomplete analysis");
    } else if (says_none != none && result.input.kind != "capture") {
      problems.push_back("closing line: no-problem wording disagrees");
    }
    if (errors > 0 && text.find(Plural(errors, "error") + ".") == std::string::npos &&
        text.find(Plural(errors, "error") + ",") == std::string::npos) {
      problems.push_back(fmt::format("closing line does not say {}", Plural(errors, "error")));
    }
    if (warnings > 0 && text.find(Plural(warnings, "warning")) == std::string::npos) {
      problems.push_back(fmt::format("closing line does not say {}", Plural(warnings, "warning")));
    }
    if (cleared > 0 && text.find(fmt::format("{} cleared before the end of the log", Plural(cleared, "problem"))) ==
                           std::string::npos) {
      problems.push_back("closing line does not count the cleared problems");
    }
  }
  // The exit code: 1 exactly when something at or above warning still holds (or a capture blocks).
  const bool blocked =
      result.capture && result.capture->MostSevere() && *result.capture->MostSevere() >= Severity::kWarning;
  const bool findings = errors + warnings > 0 || blocked;
  if ((code == ExitCode::kFindings) != findings) {
    problems.push_back(fmt::format("exit code {} with {} error(s), {} warning(s) still holding", static_cast<int>(code),
                                   errors, warnings));
  }
  return problems;
}

}  // namespace dartdiag::testing
