// The closing lines of the human reports (conclusion.h). Tested by report_test.cc and the golden
// reports.
#include "report/conclusion.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "log_types.h"

namespace dartdiag {

Conclusion Conclude(const Result& result, Lang lang) {
  Conclusion c;
  const std::string separator(MessageText(Msg::kListSeparator, lang));
  if (!result.has_logs()) {
    std::vector<std::string> names;
    for (const LogType& t : LogTypes()) names.emplace_back(t.file_name);
    c.tone = "warning";
    c.headline = Say(lang, Msg::kNoLogRead);
    c.detail = Say(lang, Msg::kNoLogReadDetail, fmt::arg("names", fmt::join(names, ", ")));
    return c;
  }
  std::array<size_t, 3> by_severity{};
  size_t cleared = 0;
  for (const Verdict& v : result.verdicts) {
    if (DrivesExitCode(v)) {
      ++by_severity[static_cast<size_t>(v.severity)];
    } else {
      ++cleared;
    }
  }
  const std::string cleared_text = SayCount(lang, Msg::kProblemsCleared, cleared);
  // Findings of a capture count like verdicts (and for the exit code): the closing line says so.
  size_t capture_problems = 0;
  if (result.capture) {
    capture_problems =
        static_cast<size_t>(std::count_if(result.capture->findings.begin(), result.capture->findings.end(),
                                          [](const CaptureFinding& f) { return f.severity.has_value(); }));
  }
  const std::string in_capture = SayCount(lang, Msg::kCaptureShows, capture_problems);
  if (result.verdicts.size() == cleared && capture_problems > 0) {
    c.tone = "error";
    c.headline =
        Say(lang, Msg::kNoProblemInLogsBut,
            fmt::arg("cleared", cleared > 0 ? Say(lang, Msg::kAtTheirEnd, fmt::arg("cleared", cleared_text)) : ""),
            fmt::arg("capture", in_capture));
  } else if (result.verdicts.empty() && !result.complete()) {  // never "no problem" when part was not read
    c.tone = "warning";
    c.headline = Say(lang, Msg::kNoVerdictFromPart);
  } else if (result.verdicts.empty()) {
    c.tone = "ok";
    c.headline = Say(lang, Msg::kNoKnownProblem);
  } else if (cleared == result.verdicts.size() && result.complete()) {
    c.tone = "ok";
    c.headline = Say(lang, Msg::kNoKnownProblemAtEnd, fmt::arg("cleared", cleared_text));
  } else {
    std::vector<std::string> counts;
    if (by_severity[2] > 0) counts.push_back(SayCount(lang, Msg::kErrors, by_severity[2]));
    if (by_severity[1] > 0) counts.push_back(SayCount(lang, Msg::kWarnings, by_severity[1]));
    if (by_severity[0] > 0) counts.push_back(SayCount(lang, Msg::kInfos, by_severity[0]));
    if (cleared > 0) counts.push_back(cleared_text);
    if (capture_problems > 0) counts.push_back(in_capture);
    c.tone = "plain";
    c.headline = Say(lang, Msg::kSentenceEnd, fmt::arg("text", fmt::join(counts, separator)));
  }
  c.detail = SayCount(lang, Msg::kCheckedRules, result.rules_evaluated.size(),
                      fmt::arg("rules", fmt::join(result.rules_evaluated, ", ")));
  if (!result.rules_not_evaluated.empty()) {
    c.detail += Say(lang, Msg::kNotEvaluated, fmt::arg("rules", fmt::join(result.rules_not_evaluated, ", ")));
  }
  c.detail = Say(lang, Msg::kSentenceEnd, fmt::arg("text", c.detail));
  uint64_t lines = 0, unparsed = 0;
  for (const FileReport& f : result.files) {
    lines += f.lines;
    unparsed += f.unparsed_lines;
  }
  if (lines > 0) {
    c.parsed = SayCount(lang, Msg::kParsedShare, lines,
                        fmt::arg("share", 100.0 * static_cast<double>(lines - unparsed) / static_cast<double>(lines)));
  }
  if (!result.complete()) c.incomplete = InLanguage(IncompleteReason(result), IncompletePhrase(result), lang);
  return c;
}

}  // namespace dartdiag
