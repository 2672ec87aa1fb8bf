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
constexpr size_t kTimelineShown = 6;  // intervals in the text strip: first and last three

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

std::string Plural(uint64_t n, std::string_view word) {
  if (n != 1 && word.ends_with('y')) return fmt::format("{} {}ies", n, word.substr(0, word.size() - 1));
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

void WriteFiles(const Result& result, const Painter& paint, std::ostream& out) {
  out << paint.Bold("Logs") << '\n';
  size_t width = 0, parser_width = 0, encoding_width = 0;
  for (const FileReport& f : result.files) {
    width = std::max(width, Esc(f.path).size());
    parser_width = std::max(parser_width, f.parser.size());
    encoding_width = std::max(encoding_width, f.encoding.size());
  }
  for (const FileReport& f : result.files) {
    if (!f.error.empty() && f.bytes == 0) {
      out << fmt::format("  {:<{}}  {:<{}}  unreadable: {}\n", Esc(f.path), width, f.parser, parser_width, Esc(f.error));
      continue;
    }
    out << fmt::format("  {:<{}}  {:<{}}  {:<{}}  {}, {}", Esc(f.path), width, f.parser, parser_width, f.encoding, encoding_width,
                       Plural(f.lines, "line"), Plural(f.events, "event"));
    if (f.unparsed_lines > 0) out << fmt::format(", {} unparsed", f.unparsed_lines);
    if (!f.first_time.empty()) out << paint.Dim(fmt::format("  {} .. {}", Esc(f.first_time), Esc(f.last_time)));
    if (!f.error.empty()) out << fmt::format("  read in part: {}", Esc(f.error));
    out << '\n';
  }
  for (const LogType& type : LogTypes()) {
    const bool found = std::any_of(result.files.begin(), result.files.end(),
                                   [&](const FileReport& f) { return f.parser == type.id; });
    if (!found) out << fmt::format("  {} not found\n", type.file_name);
  }
  if (!result.members.empty()) {
    const auto decoys = std::count_if(result.members.begin(), result.members.end(),
                                      [](const Member& m) { return m.kind == MemberKind::kDecoy; });
    out << paint.Dim(fmt::format("  + {} not read (not Umbrella logs{})\n",
                                 Plural(result.members.size(), "other entry"),
                                 decoys > 0 ? fmt::format(", {} macOS decoys", decoys) : ""));
  }
}

// Once, how to read the times below: local time of the PC, or placed in UTC by --log-tz.
void WriteTimes(const Result& result, const Painter& paint, std::ostream& out) {
  if (!result.log_offset.empty()) {
    out << paint.Dim(fmt::format("Times: ISO 8601; logs that state local time read at UTC{} (--log-tz).", result.log_offset))
        << "\n\n";
    return;
  }
  const bool local = std::any_of(result.files.begin(), result.files.end(), [](const FileReport& f) {
    return !f.first_time.empty() && !StatesZone(f.first_time);
  });
  if (local) {
    out << paint.Dim("Times: ISO 8601, local time of the PC where the log states no zone (--log-tz +HH:MM places it in "
                     "UTC); times ending in Z are UTC.")
        << "\n\n";
  }
}

std::string EndStateText(const Verdict& v) {
  switch (v.end_state) {
    case EndState::kFailing: return "still failing at the end of the log";
    case EndState::kCleared: return fmt::format("cleared at {}", Esc(v.cleared_at));
    case EndState::kUnknown:
      return fmt::format("not known whether it still held at the end of the log (log ends {})",
                         v.log_end.empty() ? "later" : Esc(v.log_end));
  }
  return "";
}

std::string Duration(int64_t seconds) {
  if (seconds < 60) return fmt::format("{}s", seconds);
  if (seconds < 3600) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  return fmt::format("{}h{:02}m", seconds / 3600, seconds / 60 % 60);
}

// What the verdict's first line adds after the status: nothing while it still holds.
std::string HeadlineState(const Verdict& v) {
  switch (v.end_state) {
    case EndState::kFailing: return "";
    case EndState::kCleared: return fmt::format(": cleared at {}, now {}", Esc(v.cleared_at), Esc(v.now));
    case EndState::kUnknown:
      return v.timeline ? fmt::format(": not known since {} whether it still holds", Esc(v.cleared_at))
                        : ": not known whether it still holds";
  }
  return "";
}

// "persistent: Unprotected since T, still at the end of the log (T)" and a compact strip of the
// group's states. Says what at_end and the headline say, in more words.
void WriteTimeline(const Verdict& v, const Painter& paint, std::ostream& out) {
  const TimelineSummary& t = *v.timeline;
  std::string what;
  if (t.episodes > 1) {
    what = fmt::format("intermittent: {} episodes, {} in all; ", t.episodes, Duration(t.failing_seconds));
  } else {
    what = fmt::format("{}: ", t.pattern);
  }
  switch (v.end_state) {
    case EndState::kFailing:
      what += fmt::format("{} {}since {}, still at the end of the log ({})", Esc(v.status), t.episodes > 1 ? "again " : "",
                          Esc(v.since), Esc(v.log_end));
      break;
    case EndState::kCleared:
      what += fmt::format("over at the end: {} from {} to {}, now {}", Esc(v.status), Esc(v.since), Esc(v.cleared_at),
                          Esc(v.now));
      break;
    case EndState::kUnknown:
      what += fmt::format("{} from {}; since {}: {}", Esc(v.status), Esc(v.since), Esc(v.cleared_at), Esc(v.now));
      break;
  }
  if (t.open_cycle_at_end && v.end_state == EndState::kFailing) what += " (a probe cycle was still open when the log ended)";
  out << "  " << paint.Bold("Timeline: ") << what << '\n';
  std::string strip;
  const size_t n = t.intervals.size();
  for (size_t i = 0; i < n; ++i) {
    if (n > kTimelineShown && i == kTimelineShown / 2) {
      strip += fmt::format(" .. ({} more) ..", n - kTimelineShown);
      i = n - kTimelineShown / 2 - 1;
      continue;
    }
    const TimelineInterval& interval = t.intervals[i];
    const bool failing = interval.health == "failing";
    strip += fmt::format("{}{} {}", i == 0 ? "" : " -> ", Esc(interval.from), failing ? Upper(interval.state) : interval.state);
  }
  strip += fmt::format(" -> {} (end of log)", Esc(t.intervals.back().to));
  out << paint.Dim("    " + strip) << '\n';
}

void WriteVerdict(const Verdict& v, Lang lang, const Painter& paint, std::ostream& out) {
  const std::string_view protection = v.protection == "dns"   ? MessageText(Msg::kDnsProtection, lang)
                                      : v.protection == "web" ? MessageText(Msg::kWebProtection, lang)
                                                              : std::string_view(v.protection);
  std::string heading = fmt::format("{}: {}", protection, Esc(v.status));
  if (!v.family.empty()) heading += v.family == "ipv4" ? " (IPv4)" : v.family == "ipv6" ? " (IPv6)" : " (" + Esc(v.family) + ")";
  heading += HeadlineState(v);
  const std::string label = DrivesExitCode(v) ? fmt::format("{:<8}", Upper(SeverityName(v.severity))) : "CLEARED ";
  out << '\n'
      << (DrivesExitCode(v) ? paint.ForSeverity(v.severity, label) : paint.Green(label))
      << paint.Bold(heading) << "  " << paint.Dim("[" + v.rule + "]") << '\n';
  out << "  " << Esc(v.summary) << '\n';
  for (const std::string& note : v.notes) out << "  " << Esc(note) << '\n';
  out << "  " << paint.Bold(std::string(MessageText(Msg::kRootCause, lang))) << Esc(v.root_cause) << '\n';
  const std::string span = Esc(v.first_seen == v.last_seen ? v.first_seen : v.first_seen + " .. " + v.last_seen);
  if (v.timeline) {
    out << "  " << paint.Bold(std::string(MessageText(Msg::kSeen, lang)))
        << fmt::format("{}, {}\n", SayCount(lang, Msg::kFailures, v.count), span);
    WriteTimeline(v, paint, out);
  } else {
    out << "  " << paint.Bold(std::string(MessageText(Msg::kSeen, lang)))
        << fmt::format("{}, {}; {}\n", SayCount(lang, Msg::kTimes, v.count), span, EndStateText(v));
  }
  out << "  " << paint.Bold(std::string(MessageText(Msg::kEvidence, lang))) << '\n';
  for (size_t i = 0; i < v.evidence.size(); ++i) {
    const EvidenceLine& e = v.evidence[i];
    if (i == kMaxEvidence / 2 && v.evidence_total > v.evidence.size()) {
      out << paint.Dim(fmt::format("    ... {} more ...\n", v.evidence_total - v.evidence.size()));
    }
    out << "    " << paint.Dim(fmt::format("{}:{}", Esc(e.file), e.line)) << "  " << Esc(e.text) << '\n';
  }
  if (v.capture) WriteCaptureCheck(*v.capture, paint, out);
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
  for (const std::string& line : FirewallRequestLines(flows, lang)) out << (line.empty() ? "" : "  " + Esc(line)) << '\n';
}

// WARN/ERROR templates no rule used: the top few, so a new failure type shows up.
void WriteUnexplained(const Result& result, const Painter& paint, std::ostream& out) {
  if (result.unexplained.empty()) return;
  out << '\n'
      << paint.Bold(fmt::format("Unexplained warnings ({} template{}, no rule used them)", result.unexplained.size(),
                                result.unexplained.size() == 1 ? "" : "s"))
      << '\n';
  for (size_t i = 0; i < result.unexplained.size() && i < kUnexplainedShown; ++i) {
    const WarningTemplate& t = result.unexplained[i];
    out << fmt::format("  {:>5}x {} {}: {}\n", t.count, Esc(t.level), Esc(t.source), Esc(t.text));
    out << paint.Dim(fmt::format("         {} .. {}; e.g. {}:{}\n", Esc(t.first_seen), Esc(t.last_seen),
                                 Esc(t.example_file), t.example_line));
    out << paint.Dim(fmt::format("         {}\n", Esc(Shorten(t.example, kExampleShown))));
  }
  if (result.unexplained.size() > kUnexplainedShown) {
    out << paint.Dim(fmt::format("  ... {} more (see --format json)\n", result.unexplained.size() - kUnexplainedShown));
  }
  if (result.unexplained_uncounted > 0) {
    out << paint.ForSeverity(Severity::kWarning,
                             fmt::format("  {} warning(s) not counted: the cap of {} templates was reached; raise it with "
                                         "--max-warning-templates N\n",
                                         result.unexplained_uncounted, result.unexplained_cap));
  }
}

void WriteExplanation(const RuleExplanation& e, const Painter& paint, std::ostream& out) {
  out << paint.Bold(fmt::format("{}: {}", e.rule, e.title)) << '\n';
  if (e.groups.empty()) out << "  no event matched any pattern of this rule\n";
  for (const GroupTrace& g : e.groups) {
    out << "  " << (g.group.empty() ? std::string("all events") : "group " + Esc(g.group)) << ": "
        << (g.fired ? paint.ForSeverity(Severity::kError, "fired") : std::string("did not fire")) << '\n';
    for (const NodeTrace& n : g.nodes) {
      const std::string indent(static_cast<size_t>(n.depth) * 2 + 4, ' ');
      out << indent << (n.held ? paint.Green("[held]") : paint.ForSeverity(Severity::kWarning, "[not held]")) << ' '
          << n.label << (n.count > 0 ? fmt::format(" ({})", Plural(n.count, "event")) : "") << '\n';
      for (const EvidenceLine& line : n.events) {
        out << indent << "    " << paint.Dim(fmt::format("{}:{}", Esc(line.file), line.line)) << "  " << Esc(line.text) << '\n';
      }
    }
  }
  if (!e.near_misses.empty()) out << "  nearest misses (most field patterns matched, not all):\n";
  for (const NearMiss& miss : e.near_misses) {
    out << "    " << miss.pattern << '\n';
    out << "      " << paint.Dim(fmt::format("{}:{}", Esc(miss.event.file), miss.event.line)) << "  " << Esc(miss.event.text)
        << '\n';
    for (const std::string& why : miss.failed) out << "      - " << Esc(why) << '\n';
  }
}

// With --explain: the rules that did not fire although some of their conditions held.
void WriteAlmostFired(const Result& result, const Painter& paint, std::ostream& out) {
  out << '\n' << paint.Bold("Almost fired (--explain)") << '\n';
  if (result.explanations.empty()) out << "  no rule had a condition that held without firing\n";
  for (const RuleExplanation& e : result.explanations) {
    out << fmt::format("  {}: {} of {} conditions held in the best group\n", e.rule, e.best_held(), e.total_nodes());
  }
  for (const RuleExplanation& e : result.explanations) {
    out << '\n';
    WriteExplanation(e, paint, out);
  }
}

void WriteIntegrity(const Result& result, const Painter& paint, std::ostream& out) {
  if (result.integrity.empty()) return;
  out << '\n' << paint.ForSeverity(Severity::kWarning, "Integrity: caps stopped part of the analysis") << '\n';
  for (const CapHit& hit : result.integrity) out << "  " << Esc(hit.message) << '\n';
}

void WriteDiagnostics(const Result& result, const Painter& paint, std::ostream& out) {
  if (result.diagnostics.empty()) return;
  out << '\n' << paint.Bold(fmt::format("Diagnostics ({})", result.diagnostics.size())) << '\n';
  for (size_t i = 0; i < result.diagnostics.size() && i < kDiagnosticsShown; ++i) {
    const Diagnostic& d = result.diagnostics[i];
    const std::string where = Esc(d.line > 0 ? fmt::format("{}:{}", d.file, d.line) : d.file);
    out << fmt::format("  {}: {}{}\n", d.level, where.empty() ? "" : where + ": ", Esc(d.message));
  }
  if (result.diagnostics.size() > kDiagnosticsShown) {
    out << paint.Dim(fmt::format("  ... {} more (see --format json)\n", result.diagnostics.size() - kDiagnosticsShown));
  }
}

// --brief: one line per protection and family that has a verdict (the most relevant one: still
// holding first, then by severity, as verdicts are ordered), then one line per log without any.
void WriteBrief(const Result& result, const Painter& paint, std::ostream& out) {
  std::vector<std::string> seen;
  for (const Verdict& v : result.verdicts) {
    std::string what = std::string(v.protection == "dns" ? "DNS" : v.protection == "web" ? "Web" : v.protection);
    if (!v.family.empty()) what += v.family == "ipv4" ? " IPv4" : v.family == "ipv6" ? " IPv6" : " " + v.family;
    if (std::find(seen.begin(), seen.end(), what) != seen.end()) continue;
    seen.push_back(what);
    std::string state;
    switch (v.end_state) {
      case EndState::kFailing: state = fmt::format("{} since {}", v.status, v.since); break;
      case EndState::kCleared: state = fmt::format("{} since {} ({} cleared)", v.now, v.cleared_at, v.status); break;
      case EndState::kUnknown: state = fmt::format("not known since {} ({} from {})", v.cleared_at, v.status, v.since); break;
    }
    state = Esc(state);
    const std::string label = DrivesExitCode(v) ? fmt::format("{:<8}", Upper(SeverityName(v.severity))) : "CLEARED ";
    out << (DrivesExitCode(v) ? paint.ForSeverity(v.severity, label) : paint.Green(label)) << fmt::format("{:<9} ", what)
        << state << "  " << paint.Dim("[" + v.rule + "]") << '\n';
  }
  if (result.verdicts.empty()) {
    out << (result.has_logs() ? paint.Green("OK      no known problem") : paint.ForSeverity(Severity::kWarning, "NO LOGS no Umbrella log could be read"))
        << '\n';
  }
}

}  // namespace

void WriteTextReport(const Result& result, const ReportOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  if (options.brief) {
    WriteBrief(result, paint, out);
    return;
  }
  out << paint.Bold(fmt::format("dartdiag {}", ToolVersion())) << ": " << Esc(result.input.path) << " ("
      << result.input.kind << ")\n\n";
  const bool capture_only = result.input.kind == "capture";  // no bundle: no logs to list or conclude on
  WriteTimes(result, paint, out);
  if (!capture_only) WriteFiles(result, paint, out);
  const Lang lang = ParseLanguage(options.lang).value_or(Lang::kEn);
  for (const Verdict& v : result.verdicts) WriteVerdict(v, lang, paint, out);
  if (result.capture) {
    if (!capture_only) out << '\n';
    WriteCaptureSection(*result.capture, paint, out);
  }
  WriteFirewallRequest(result, lang, paint, out);
  if (!capture_only) WriteConclusion(result, lang, paint, out);
  WriteUnexplained(result, paint, out);
  if (options.explain) WriteAlmostFired(result, paint, out);
  WriteIntegrity(result, paint, out);
  WriteDiagnostics(result, paint, out);
}

void WriteExplanations(const Result& result, const ReportOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  for (size_t i = 0; i < result.explanations.size(); ++i) {
    if (i > 0) out << '\n';  // between rules, not before the first: the output starts with the rule
    WriteExplanation(result.explanations[i], paint, out);
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
