// The capture in the text report: a line per log verdict (confirmed, contradicted or not covered,
// with frames and a display filter) and a capture section (what was read, each finding with its
// frames and filter, the DNS paths as a table). Tested by capture_test.cc.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "capture/capture_report.h"
#include "terminal_escape.h"

namespace dartdiag {
namespace {

constexpr size_t kFramesShown = 6;

std::string Text(Msg msg, Lang lang) { return std::string(MessageText(msg, lang)); }

void WriteFrames(const std::vector<FrameRef>& frames, Lang lang, const Painter& paint, std::string_view indent,
                 std::ostream& out) {
  for (size_t i = 0; i < frames.size() && i < kFramesShown; ++i) {
    const FrameRef& f = frames[i];
    out << indent
        << paint.Dim(Say(lang, Msg::kFrame, fmt::arg("n", f.frame)) +
                     (f.time_ns == 0 ? "" : "  " + FormatCaptureTime(f.time_ns)))
        << "  " << EscapeForTerminal(f.text) << '\n';
  }
  if (frames.size() > kFramesShown) {
    out << indent << paint.Dim(Say(lang, Msg::kMoreSeeJson, fmt::arg("n", frames.size() - kFramesShown))) << '\n';
  }
}

// The finding's verdict word: its id in English (as JSON has it), the catalogue's word otherwise.
std::string VerdictWord(std::string_view verdict, Lang lang) {
  if (const auto msg = FindingVerdictMessage(verdict)) return Text(*msg, lang);
  return EscapeForTerminal(verdict);
}

std::string FindingHeading(const CaptureFinding& f, Lang lang) {
  const std::string subject = f.subject == "ipv4" ? "IPv4" : f.subject == "ipv6" ? "IPv6" : f.subject;
  return fmt::format("{}{}: {}", f.check == "dns" ? Text(Msg::kDnsShort, lang) : Text(Msg::kSwg, lang),
                     subject.empty() ? "" : " " + EscapeForTerminal(subject), VerdictWord(f.verdict, lang));
}

void WriteDnsTable(const CaptureReport& c, std::string_view family, Lang lang, const Painter& paint,
                   std::ostream& out) {
  std::vector<const DnsPath*> rows;
  for (const DnsPath& p : c.dns) {
    if (p.family == family) rows.push_back(&p);
  }
  if (rows.empty()) return;
  size_t width = 8;
  for (const DnsPath* p : rows) width = std::max(width, p->resolver.ToString().size());
  // Columns padded by display width, so CJK headings line up too.
  const auto left = [&](Msg msg, size_t w) { return PadColumns(MessageText(msg, lang), w); };
  const auto right = [&](Msg msg, size_t w) {
    const std::string_view t = MessageText(msg, lang);
    const size_t columns = DisplayColumns(t);
    return std::string(columns < w ? w - columns : 0, ' ') + std::string(t);
  };
  out << "  "
      << paint.Dim(fmt::format(
             "{}  {} {} {} {} {} {}  {}", left(Msg::kDnsTableHeader, width), left(Msg::kDnsTablePath, 8),
             right(Msg::kDnsTableSent, 6), right(Msg::kDnsTableQueries, 8), right(Msg::kDnsTableRetrans, 8),
             right(Msg::kDnsTableAnswered, 9), right(Msg::kDnsTableRsts, 7), Text(Msg::kDnsTableMedian, lang)))
      << '\n';
  for (const DnsPath* p : rows) {
    std::string median = "-";
    if (!p->answer_ms.empty()) {
      std::vector<double> ms = p->answer_ms;
      std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2), ms.end());
      median = fmt::format("{:.1f} ms", ms[ms.size() / 2]);
    }
    out << fmt::format(
        "  {:<{}}  {:<8} {:>6} {:>8} {:>8} {:>9} {:>7}  {}\n", p->resolver.ToString(), width,
        fmt::format("{}/{}", TransportName(p->transport), p->port), p->packets_sent, p->queries, p->retransmissions,
        p->responded() ? fmt::format("{}", p->answered) : Text(Msg::kDnsTableNone, lang), p->rsts, median);
    if (!p->names.empty()) {
      std::vector<std::string> names;
      for (const DnsPath::Name& n : p->names) {
        names.push_back(fmt::format("{} {} ({})", n.type, EscapeForTerminal(n.name), n.queries));
      }
      out << "  "
          << paint.Dim(fmt::format("{:<{}}  {}", "", width,
                                   Say(lang, Msg::kQueried, fmt::arg("names", fmt::join(names, ", ")))))
          << '\n';
    }
  }
}

void WriteFinding(const CaptureReport& c, const CaptureFinding& f, Lang lang, const Painter& paint, std::ostream& out) {
  const Msg level = !f.severity                         ? Msg::kLabelOk
                    : *f.severity == Severity::kError   ? Msg::kLabelError
                    : *f.severity == Severity::kWarning ? Msg::kLabelWarning
                                                        : Msg::kLabelInfo;
  out << '\n';
  if (f.severity) {
    out << paint.ForSeverity(*f.severity, PadColumns(MessageText(level, lang), 8));
  } else {
    out << (f.verdict == "reachable" ? paint.Green(PadColumns(MessageText(level, lang), 8))
                                     : paint.Dim(PadColumns(MessageText(Msg::kLabelInfo, lang), 8)));
  }
  out << paint.Bold(FindingHeading(f, lang)) << '\n';
  out << "  " << EscapeForTerminal(InLanguage(f.summary, f.summary_phrase, lang)) << '\n';
  if (f.check == "dns") WriteDnsTable(c, f.subject, lang, paint, out);
  if (!f.evidence.empty()) {
    out << "  " << paint.Bold(Text(Msg::kFrames, lang)) << '\n';
    WriteFrames(f.evidence, lang, paint, "    ", out);
  }
  if (!f.filter.empty()) out << "  " << paint.Bold(Text(Msg::kWiresharkFilter, lang)) << f.filter << '\n';
}

Msg CaptureStatusMsg(CaptureStatus status) {
  return status == CaptureStatus::kConfirmed      ? Msg::kCaptureConfirmed
         : status == CaptureStatus::kContradicted ? Msg::kCaptureContradicted
                                                  : Msg::kCaptureNotCovered;
}

}  // namespace

void WriteCaptureCheck(const CaptureCheck& check, Lang lang, const Painter& paint, std::ostream& out) {
  const std::string status = Text(CaptureStatusMsg(check.status), lang);
  const std::string shown = check.status == CaptureStatus::kConfirmed      ? paint.ForSeverity(Severity::kError, status)
                            : check.status == CaptureStatus::kContradicted ? paint.Green(status)
                                                                           : paint.Dim(status);
  out << "  " << paint.Bold(Text(Msg::kCaptureLabel, lang)) << shown << "  "
      << EscapeForTerminal(InLanguage(check.reason, check.reason_phrase, lang)) << '\n';
  WriteFrames(check.evidence, lang, paint, "    ", out);
  if (!check.filter.empty()) out << "    " << paint.Bold(Text(Msg::kWiresharkFilter, lang)) << check.filter << '\n';
}

void WriteCaptureSection(const CaptureReport& c, Lang lang, const Painter& paint, std::ostream& out) {
  out << paint.Bold(Text(Msg::kCapture, lang)) << "  " << EscapeForTerminal(c.path) << '\n';
  std::string span;
  if (c.first_time_ns != 0)
    span = fmt::format(", {} .. {}", FormatCaptureTime(c.first_time_ns), FormatCaptureTime(c.last_time_ns));
  out << "  "
      << Say(lang, Msg::kCaptureFrames, fmt::arg("format", c.format),
             fmt::arg("links", c.link_types.empty() ? Text(Msg::kNoInterface, lang)
                                                    : fmt::format("{}", fmt::join(c.link_types, ", "))),
             fmt::arg("n", c.packets), fmt::arg("ip", c.ip_packets), fmt::arg("other", c.other_packets),
             fmt::arg("undecodable", c.undecodable), fmt::arg("span", span))
      << '\n';
  if (c.timing) out << "  " << InLanguage(c.timing->text, c.timing->phrase, lang) << '\n';
  if (!c.complete()) {
    out << "  " << paint.ForSeverity(Severity::kWarning, Text(Msg::kIncompleteLabel, lang))
        << EscapeForTerminal(InLanguage(c.error, c.error_phrase, lang)) << '\n';
  }
  for (const CaptureFinding& f : c.findings) WriteFinding(c, f, lang, paint, out);
  std::vector<std::string> problems;
  for (const CaptureFinding& f : c.findings) {
    if (f.severity) problems.push_back(FindingHeading(f, lang));
  }
  out << '\n'
      << (problems.empty()
              ? paint.Green(Text(Msg::kCaptureNoBlocked, lang))
              : paint.Bold(Say(lang, Msg::kCaptureProblems,
                               fmt::arg("problems", fmt::join(problems, MessageText(Msg::kClauseSeparator, lang))))))
      << '\n';
}

}  // namespace dartdiag
