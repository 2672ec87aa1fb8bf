// Human report: verdicts first, with evidence and remediation; what was checked; diagnostics.
// Colour only when asked (the command line decides from --color, the terminal and NO_COLOR).
// Tested by report_test.cc.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "capture/capture_report.h"
#include "report/conclusion.h"
#include "report/firewall_request.h"
#include "messages.h"
#include "log_time.h"
#include "log_types.h"
#include "dartdiag/report.h"
#include "terminal_escape.h"
#include "text_painter.h"

namespace dartdiag {
namespace {

constexpr size_t kDiagnosticsShown = 5;
constexpr size_t kUnexplainedShown = 5;
constexpr size_t kExampleShown = 160;  // bytes of an unexplained warning's example line
constexpr size_t kTimelineShown = 6;   // intervals in the text strip: first and last three

// Bundle text (paths, log lines, messages) as it may reach a terminal: control sequences escaped.
std::string Esc(std::string_view s) { return EscapeForTerminal(s); }

// The first `n` bytes of `s` (never inside a UTF-8 sequence) and "..." when it was longer.
std::string Shorten(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Text(Msg msg, Lang lang) { return std::string(MessageText(msg, lang)); }

// The rule's status word in the report's language (the pack's translation).
std::string StatusWord(const Verdict& v, Lang lang) {
  return Esc(lang == Lang::kEn || v.status_label.empty() ? v.status : v.status_label);
}

// The severity column: "ERROR   ", "CLEARED " (8 columns, as wide in every language).
std::string SeverityLabel(const Verdict& v, Lang lang) {
  const Msg msg = !DrivesExitCode(v)                 ? Msg::kLabelCleared
                  : v.severity == Severity::kError   ? Msg::kLabelError
                  : v.severity == Severity::kWarning ? Msg::kLabelWarning
                                                     : Msg::kLabelInfo;
  return PadColumns(MessageText(msg, lang), 8);
}

// Why a log was not read to its end, in the report's language.
std::string FileError(const FileReport& f, Lang lang) { return Esc(InLanguage(f.error, f.error_phrase, lang)); }

void WriteFiles(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  out << paint.Bold(Text(Msg::kLogs, lang)) << '\n';
  size_t width = 0, parser_width = 0, encoding_width = 0;
  for (const FileReport& f : result.files) {
    width = std::max(width, Esc(f.path).size());
    parser_width = std::max(parser_width, f.parser.size());
    encoding_width = std::max(encoding_width, f.encoding.size());
  }
  for (const FileReport& f : result.files) {
    if (!f.error.empty() && f.bytes == 0) {
      out << fmt::format("  {:<{}}  {:<{}}  {}\n", Esc(f.path), width, f.parser, parser_width,
                         Say(lang, Msg::kUnreadable, fmt::arg("error", FileError(f, lang))));
      continue;
    }
    out << fmt::format("  {:<{}}  {:<{}}  {:<{}}  {}{}{}", Esc(f.path), width, f.parser, parser_width, f.encoding,
                       encoding_width, SayCount(lang, Msg::kLines, f.lines), MessageText(Msg::kListSeparator, lang),
                       SayCount(lang, Msg::kEvents, f.events));
    if (f.unparsed_lines > 0)
      out << MessageText(Msg::kListSeparator, lang) << SayCount(lang, Msg::kUnparsed, f.unparsed_lines);
    if (!f.first_time.empty()) out << paint.Dim(fmt::format("  {} .. {}", Esc(f.first_time), Esc(f.last_time)));
    if (!f.error.empty()) out << "  " << Say(lang, Msg::kReadInPart, fmt::arg("error", FileError(f, lang)));
    out << '\n';
  }
  for (const LogType& type : LogTypes()) {
    const bool found =
        std::any_of(result.files.begin(), result.files.end(), [&](const FileReport& f) { return f.parser == type.id; });
    if (!found) out << "  " << Say(lang, Msg::kLogNotFound, fmt::arg("name", type.file_name)) << '\n';
  }
  if (!result.members.empty()) {
    const auto decoys = std::count_if(result.members.begin(), result.members.end(),
                                      [](const Member& m) { return m.kind == MemberKind::kDecoy; });
    const std::string decoy_text = decoys > 0 ? SayCount(lang, Msg::kMacDecoys, static_cast<uint64_t>(decoys)) : "";
    out << paint.Dim(Say(lang, Msg::kOtherEntriesLine,
                         fmt::arg("entries", SayCount(lang, Msg::kOtherEntries, result.members.size(),
                                                      fmt::arg("decoys", decoy_text)))));
  }
}

// Once, how to read the times below: local time of the PC, or placed in UTC by --log-tz.
void WriteTimes(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  if (!result.log_offset.empty()) {
    out << paint.Dim(Say(lang, Msg::kTimesOffset, fmt::arg("offset", result.log_offset))) << "\n\n";
    return;
  }
  const bool local = std::any_of(result.files.begin(), result.files.end(), [](const FileReport& f) {
    return !f.first_time.empty() && !StatesZone(f.first_time);
  });
  if (local) {
    out << paint.Dim(Text(Msg::kTimesLocal, lang)) << "\n\n";
  }
}

std::string EndStateText(const Verdict& v, Lang lang) {
  switch (v.end_state) {
    case EndState::kFailing: return Text(Msg::kStillFailing, lang);
    case EndState::kCleared: return Say(lang, Msg::kClearedAt, fmt::arg("time", Esc(v.cleared_at)));
    case EndState::kUnknown:
      return Say(lang, Msg::kNotKnownAtEnd,
                 fmt::arg("end", v.log_end.empty() ? Text(Msg::kLater, lang) : Esc(v.log_end)));
  }
  return "";
}

std::string Duration(int64_t seconds, Lang lang) {
  if (seconds < 60) return Say(lang, Msg::kDurationSeconds, fmt::arg("s", seconds));
  if (seconds < 3600) return Say(lang, Msg::kDurationMinutes, fmt::arg("m", seconds / 60), fmt::arg("s", seconds % 60));
  return Say(lang, Msg::kDurationHours, fmt::arg("h", seconds / 3600), fmt::arg("m", seconds / 60 % 60));
}

// What the verdict's first line adds after the status: nothing while it still holds.
std::string HeadlineState(const Verdict& v, Lang lang) {
  switch (v.end_state) {
    case EndState::kFailing: return "";
    case EndState::kCleared:
      return Say(lang, Msg::kHeadlineCleared, fmt::arg("time", Esc(v.cleared_at)), fmt::arg("now", Esc(v.now)));
    case EndState::kUnknown:
      return v.timeline ? Say(lang, Msg::kHeadlineUnknownSince, fmt::arg("time", Esc(v.cleared_at)))
                        : Text(Msg::kHeadlineUnknown, lang);
  }
  return "";
}

std::string PatternWord(std::string_view pattern, Lang lang) {
  if (pattern == "persistent") return Text(Msg::kPatternPersistent, lang);
  if (pattern == "intermittent") return Text(Msg::kPatternIntermittent, lang);
  if (pattern == "cleared") return Text(Msg::kPatternCleared, lang);
  if (pattern == "unknown") return Text(Msg::kPatternUnknown, lang);
  return Esc(pattern);
}

// "persistent: Unprotected since T, still at the end of the log (T)" and a compact strip of the
// group's states. Says what at_end and the headline say, in more words.
void WriteTimeline(const Verdict& v, Lang lang, const Painter& paint, std::ostream& out) {
  const TimelineSummary& t = *v.timeline;
  std::string what;
  if (t.episodes > 1) {
    what = Say(lang, Msg::kIntermittentEpisodes, fmt::arg("n", t.episodes),
               fmt::arg("duration", Duration(t.failing_seconds, lang)));
  } else {
    what = Say(lang, Msg::kPatternPrefix, fmt::arg("pattern", PatternWord(t.pattern, lang)));
  }
  const std::string status = StatusWord(v, lang);
  switch (v.end_state) {
    case EndState::kFailing:
      what += Say(lang, t.episodes > 1 ? Msg::kTimelineFailingAgain : Msg::kTimelineFailing, fmt::arg("status", status),
                  fmt::arg("since", Esc(v.since)), fmt::arg("end", Esc(v.log_end)));
      break;
    case EndState::kCleared:
      what += Say(lang, Msg::kTimelineCleared, fmt::arg("status", status), fmt::arg("since", Esc(v.since)),
                  fmt::arg("cleared", Esc(v.cleared_at)), fmt::arg("now", Esc(v.now)));
      break;
    case EndState::kUnknown:
      what += Say(lang, Msg::kTimelineUnknown, fmt::arg("status", status), fmt::arg("since", Esc(v.since)),
                  fmt::arg("cleared", Esc(v.cleared_at)), fmt::arg("now", Esc(v.now)));
      break;
  }
  if (t.open_cycle_at_end && v.end_state == EndState::kFailing) what += Text(Msg::kOpenCycle, lang);
  out << "  " << paint.Bold(Text(Msg::kTimeline, lang)) << what << '\n';
  std::string strip;
  const size_t n = t.intervals.size();
  for (size_t i = 0; i < n; ++i) {
    if (n > kTimelineShown && i == kTimelineShown / 2) {
      strip += Say(lang, Msg::kStripMore, fmt::arg("n", n - kTimelineShown));
      i = n - kTimelineShown / 2 - 1;
      continue;
    }
    const TimelineInterval& interval = t.intervals[i];
    const bool failing = interval.health == "failing";
    // English shows the state's id, a failing one in capitals; other languages the state's label.
    std::string state = lang == Lang::kEn ? (failing ? Upper(interval.state) : interval.state) : Esc(interval.label);
    if (lang != Lang::kEn && failing) state = Say(lang, Msg::kFailingState, fmt::arg("state", state));
    strip += fmt::format("{}{} {}", i == 0 ? "" : " -> ", Esc(interval.from), state);
  }
  strip += Say(lang, Msg::kStripEnd, fmt::arg("time", Esc(t.intervals.back().to)));
  out << paint.Dim("    " + strip) << '\n';
}

void WriteVerdict(const Verdict& v, Lang lang, const Painter& paint, std::ostream& out) {
  const std::string_view protection = v.protection == "dns"   ? MessageText(Msg::kDnsProtection, lang)
                                      : v.protection == "web" ? MessageText(Msg::kWebProtection, lang)
                                                              : std::string_view(v.protection);
  std::string heading = fmt::format("{}: {}", protection, StatusWord(v, lang));
  if (!v.family.empty())
    heading += v.family == "ipv4" ? " (IPv4)" : v.family == "ipv6" ? " (IPv6)" : " (" + Esc(v.family) + ")";
  heading += HeadlineState(v, lang);
  const std::string label = SeverityLabel(v, lang);
  out << '\n'
      << (DrivesExitCode(v) ? paint.ForSeverity(v.severity, label) : paint.Green(label)) << paint.Bold(heading) << "  "
      << paint.Dim("[" + v.rule + "]") << '\n';
  out << "  " << Esc(v.summary) << '\n';
  for (const std::string& note : v.notes) out << "  " << Esc(note) << '\n';
  out << "  " << paint.Bold(std::string(MessageText(Msg::kRootCause, lang))) << Esc(v.root_cause) << '\n';
  const std::string span = Esc(v.first_seen == v.last_seen ? v.first_seen : v.first_seen + " .. " + v.last_seen);
  if (v.timeline) {
    out << "  " << paint.Bold(std::string(MessageText(Msg::kSeen, lang)))
        << fmt::format("{}, {}\n", SayCount(lang, Msg::kFailures, v.count), span);
    WriteTimeline(v, lang, paint, out);
  } else {
    out << "  " << paint.Bold(std::string(MessageText(Msg::kSeen, lang)))
        << fmt::format("{}, {}; {}\n", SayCount(lang, Msg::kTimes, v.count), span, EndStateText(v, lang));
  }
  out << "  " << paint.Bold(std::string(MessageText(Msg::kEvidence, lang))) << '\n';
  for (size_t i = 0; i < v.evidence.size(); ++i) {
    const EvidenceLine& e = v.evidence[i];
    if (i == kMaxEvidence / 2 && v.evidence_total > v.evidence.size()) {
      out << paint.Dim("    " + Say(lang, Msg::kMoreEvidence, fmt::arg("n", v.evidence_total - v.evidence.size())) +
                       "\n");
    }
    out << "    " << paint.Dim(fmt::format("{}:{}", Esc(e.file), e.line)) << "  " << Esc(e.text) << '\n';
  }
  if (v.capture) WriteCaptureCheck(*v.capture, lang, paint, out);
  if (!v.remediation.empty()) {
    out << "  " << paint.Bold(std::string(MessageText(Msg::kRemediation, lang))) << '\n';
    for (size_t i = 0; i < v.remediation.size(); ++i) out << fmt::format("    {}. {}\n", i + 1, Esc(v.remediation[i]));
  }
  if (!v.links.empty()) {
    out << "  " << paint.Bold(std::string(MessageText(Msg::kLinks, lang))) << '\n';
    for (const Link& link : v.links) {
      out << "    " << Esc(link.title.empty() ? link.url : fmt::format("{}: {}", link.title, link.url)) << '\n';
    }
  }
}

void WriteConclusion(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  const Conclusion c = Conclude(result, lang);
  out << '\n';
  const std::string headline = c.tone == "error"     ? paint.ForSeverity(Severity::kError, c.headline)
                               : c.tone == "warning" ? paint.ForSeverity(Severity::kWarning, c.headline)
                               : c.tone == "ok"      ? paint.Green(c.headline)
                                                     : paint.Bold(c.headline);
  out << headline << c.detail << '\n';
  if (!result.has_logs()) return;
  if (!c.parsed.empty()) out << c.parsed << '\n';
  if (!c.incomplete.empty()) {
    out << paint.ForSeverity(Severity::kWarning, std::string(MessageText(Msg::kAnalysisIncomplete, lang))) << ": "
        << Esc(c.incomplete) << '\n';
  }
}

// The firewall request block (firewall_request.h), when something says the network blocks the client.
void WriteFirewallRequest(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  const std::vector<FirewallFlow> flows = FirewallRequest(result);
  if (flows.empty()) return;
  out << '\n' << paint.Bold(std::string(MessageText(Msg::kFirewallRequest, lang))) << '\n';
  for (const std::string& line : FirewallRequestLines(flows, lang))
    out << (line.empty() ? "" : "  " + Esc(line)) << '\n';
}

// WARN/ERROR templates no rule used: the top few, so a new failure type shows up.
void WriteUnexplained(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  if (result.unexplained.empty()) return;
  out << '\n' << paint.Bold(SayCount(lang, Msg::kUnexplainedHeading, result.unexplained.size())) << '\n';
  for (size_t i = 0; i < result.unexplained.size() && i < kUnexplainedShown; ++i) {
    const WarningTemplate& t = result.unexplained[i];
    out << fmt::format("  {:>5}x {} {}: {}\n", t.count, Esc(t.LevelsText()), Esc(t.source), Esc(t.text));
    out << paint.Dim("         " +
                     Say(lang, Msg::kUnexplainedWhen, fmt::arg("first", Esc(t.first_seen)),
                         fmt::arg("last", Esc(t.last_seen)), fmt::arg("file", Esc(t.example_file)),
                         fmt::arg("line", t.example_line)) +
                     "\n");
    out << paint.Dim(fmt::format("         {}\n", Esc(Shorten(t.example, kExampleShown))));
  }
  if (result.unexplained.size() > kUnexplainedShown) {
    out << paint.Dim("  " + Say(lang, Msg::kMoreSeeJson, fmt::arg("n", result.unexplained.size() - kUnexplainedShown)) +
                     "\n");
  }
  if (result.unexplained_uncounted > 0) {
    out << paint.ForSeverity(Severity::kWarning,
                             "  " +
                                 Say(lang, Msg::kUncountedWarnings, fmt::arg("n", result.unexplained_uncounted),
                                     fmt::arg("cap", result.unexplained_cap)) +
                                 "\n");
  }
}

void WriteExplanation(const RuleExplanation& e, Lang lang, const Painter& paint, std::ostream& out) {
  out << paint.Bold(fmt::format("{}: {}", e.rule, e.title)) << '\n';
  if (e.groups.empty()) out << "  " << Text(Msg::kExplainNoMatch, lang) << '\n';
  for (const GroupTrace& g : e.groups) {
    out << "  "
        << (g.group.empty() ? Text(Msg::kExplainAllEvents, lang)
                            : Say(lang, Msg::kExplainGroup, fmt::arg("group", Esc(g.group))))
        << ": "
        << (g.fired ? paint.ForSeverity(Severity::kError, Text(Msg::kExplainFired, lang))
                    : Text(Msg::kExplainDidNotFire, lang))
        << '\n';
    for (const NodeTrace& n : g.nodes) {
      const std::string indent(static_cast<size_t>(n.depth) * 2 + 4, ' ');
      out << indent
          << (n.held ? paint.Green(Text(Msg::kExplainHeld, lang))
                     : paint.ForSeverity(Severity::kWarning, Text(Msg::kExplainNotHeld, lang)))
          << ' ' << n.label << (n.count > 0 ? fmt::format(" ({})", SayCount(lang, Msg::kEvents, n.count)) : "") << '\n';
      for (const EvidenceLine& line : n.events) {
        out << indent << "    " << paint.Dim(fmt::format("{}:{}", Esc(line.file), line.line)) << "  " << Esc(line.text)
            << '\n';
      }
    }
  }
  if (!e.near_misses.empty()) out << "  " << Text(Msg::kExplainNearMisses, lang) << '\n';
  for (const NearMiss& miss : e.near_misses) {
    out << "    " << miss.pattern << '\n';
    out << "      " << paint.Dim(fmt::format("{}:{}", Esc(miss.event.file), miss.event.line)) << "  "
        << Esc(miss.event.text) << '\n';
    for (const std::string& why : miss.failed) out << "      - " << Esc(why) << '\n';
  }
}

// With --explain: the rules that did not fire although some of their conditions held.
void WriteAlmostFired(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  out << '\n' << paint.Bold(Text(Msg::kAlmostFired, lang)) << '\n';
  if (result.explanations.empty()) out << "  " << Text(Msg::kNoneAlmostFired, lang) << '\n';
  for (const RuleExplanation& e : result.explanations) {
    out << "  "
        << Say(lang, Msg::kConditionsHeld, fmt::arg("rule", e.rule), fmt::arg("held", e.best_held()),
               fmt::arg("total", e.total_nodes()))
        << '\n';
  }
  for (const RuleExplanation& e : result.explanations) {
    out << '\n';
    WriteExplanation(e, lang, paint, out);
  }
}

void WriteIntegrity(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  if (result.integrity.empty()) return;
  out << '\n' << paint.ForSeverity(Severity::kWarning, Text(Msg::kIntegrityHeading, lang)) << '\n';
  for (const CapHit& hit : result.integrity) out << "  " << Esc(InLanguage(hit.message, hit.phrase, lang)) << '\n';
}

std::string InputKindWord(std::string_view kind, Lang lang) {
  if (lang == Lang::kEn) return std::string(kind);
  if (kind == "zip") return Text(Msg::kKindZip, lang);
  if (kind == "folder") return Text(Msg::kKindFolder, lang);
  if (kind == "capture") return Text(Msg::kKindCapture, lang);
  if (kind == "file") return Text(Msg::kKindFile, lang);
  if (kind == "files") return Text(Msg::kKindFiles, lang);
  return Esc(kind);
}

std::string LevelWord(std::string_view level, Lang lang) {
  if (lang == Lang::kEn) return std::string(level);
  return Text(LevelMessage(level), lang);
}

void WriteDiagnostics(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  if (result.diagnostics.empty()) return;
  out << '\n' << paint.Bold(Say(lang, Msg::kDiagnosticsHeading, fmt::arg("n", result.diagnostics.size()))) << '\n';
  for (size_t i = 0; i < result.diagnostics.size() && i < kDiagnosticsShown; ++i) {
    const Diagnostic& d = result.diagnostics[i];
    const std::string where = Esc(d.line > 0 ? fmt::format("{}:{}", d.file, d.line) : d.file);
    out << fmt::format("  {}: {}{}\n", LevelWord(d.level, lang), where.empty() ? "" : where + ": ",
                       Esc(InLanguage(d.message, d.phrase, lang)));
  }
  if (result.diagnostics.size() > kDiagnosticsShown) {
    out << paint.Dim("  " + Say(lang, Msg::kMoreSeeJson, fmt::arg("n", result.diagnostics.size() - kDiagnosticsShown)) +
                     "\n");
  }
}

// --brief: one line per protection and family that has a verdict (the most relevant one: still
// holding first, then by severity, as verdicts are ordered), then one line per log without any.
void WriteBrief(const Result& result, Lang lang, const Painter& paint, std::ostream& out) {
  std::vector<std::string> seen;
  for (const Verdict& v : result.verdicts) {
    std::string what = v.protection == "dns"   ? Text(Msg::kDnsShort, lang)
                       : v.protection == "web" ? Text(Msg::kWebShort, lang)
                                               : v.protection;
    if (!v.family.empty()) what += v.family == "ipv4" ? " IPv4" : v.family == "ipv6" ? " IPv6" : " " + v.family;
    if (std::find(seen.begin(), seen.end(), what) != seen.end()) continue;
    seen.push_back(what);
    std::string state;
    const std::string status = StatusWord(v, lang);
    switch (v.end_state) {
      case EndState::kFailing:
        state = Say(lang, Msg::kBriefFailing, fmt::arg("status", status), fmt::arg("since", Esc(v.since)));
        break;
      case EndState::kCleared:
        state = Say(lang, Msg::kBriefCleared, fmt::arg("now", Esc(v.now)), fmt::arg("cleared", Esc(v.cleared_at)),
                    fmt::arg("status", status));
        break;
      case EndState::kUnknown:
        state = Say(lang, Msg::kBriefUnknown, fmt::arg("cleared", Esc(v.cleared_at)), fmt::arg("status", status),
                    fmt::arg("since", Esc(v.since)));
        break;
    }
    const std::string label = SeverityLabel(v, lang);
    out << (DrivesExitCode(v) ? paint.ForSeverity(v.severity, label) : paint.Green(label)) << PadColumns(Esc(what), 9)
        << ' ' << state << "  " << paint.Dim("[" + v.rule + "]") << '\n';
  }
  if (result.verdicts.empty()) {
    out << (result.has_logs()
                ? paint.Green(PadColumns(MessageText(Msg::kLabelOk, lang), 8) + Text(Msg::kBriefNoProblem, lang))
                : paint.ForSeverity(Severity::kWarning, PadColumns(MessageText(Msg::kLabelNoLogs, lang), 8) +
                                                            Text(Msg::kBriefNoLogs, lang)))
        << '\n';
  }
}

}  // namespace

void WriteTextReport(const Result& result, const ReportOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  const Lang lang = ParseLanguage(options.lang).value_or(Lang::kEn);
  if (options.brief) {
    WriteBrief(result, lang, paint, out);
    return;
  }
  out << paint.Bold(fmt::format("dartdiag {}", ToolVersion()))
      << Say(lang, Msg::kReportHeader, fmt::arg("input", Esc(result.input.path)),
             fmt::arg("kind", InputKindWord(result.input.kind, lang)))
      << "\n\n";
  const bool capture_only = result.input.kind == "capture";  // no bundle: no logs to list or conclude on
  WriteTimes(result, lang, paint, out);
  if (!capture_only) WriteFiles(result, lang, paint, out);
  for (const Verdict& v : result.verdicts) WriteVerdict(v, lang, paint, out);
  if (result.capture) {
    if (!capture_only) out << '\n';
    WriteCaptureSection(*result.capture, lang, paint, out);
  }
  WriteFirewallRequest(result, lang, paint, out);
  if (!capture_only) WriteConclusion(result, lang, paint, out);
  WriteUnexplained(result, lang, paint, out);
  if (options.explain) WriteAlmostFired(result, lang, paint, out);
  WriteIntegrity(result, lang, paint, out);
  WriteDiagnostics(result, lang, paint, out);
}

void WriteExplanations(const Result& result, const ReportOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  const Lang lang = ParseLanguage(options.lang).value_or(Lang::kEn);
  for (size_t i = 0; i < result.explanations.size(); ++i) {
    if (i > 0) out << '\n';  // between rules, not before the first: the output starts with the rule
    WriteExplanation(result.explanations[i], lang, paint, out);
  }
}

std::span<const ReportFormat> ReportFormats() {
  static constexpr std::array<ReportFormat, 3> kFormats = {{
      {"text", WriteTextReport},
      {"json", WriteJsonReport},
      {"html", WriteHtmlReport},
  }};
  return kFormats;
}

std::string_view ToolVersion() { return DARTDIAG_VERSION; }

}  // namespace dartdiag
