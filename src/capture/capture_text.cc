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

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void WriteFrames(const std::vector<FrameRef>& frames, const Painter& paint, std::string_view indent, std::ostream& out) {
  for (size_t i = 0; i < frames.size() && i < kFramesShown; ++i) {
    const FrameRef& f = frames[i];
    out << indent
        << paint.Dim(fmt::format("frame {}{}", f.frame, f.time_ns == 0 ? "" : "  " + FormatCaptureTime(f.time_ns)))
        << "  " << EscapeForTerminal(f.text) << '\n';
  }
  if (frames.size() > kFramesShown) {
    out << indent << paint.Dim(fmt::format("... {} more (see --format json)", frames.size() - kFramesShown)) << '\n';
  }
}

std::string FindingHeading(const CaptureFinding& f) {
  const std::string subject = f.subject == "ipv4" ? "IPv4" : f.subject == "ipv6" ? "IPv6" : f.subject;
  return fmt::format("{}{}: {}", f.check == "dns" ? "DNS" : "SWG", subject.empty() ? "" : " " + EscapeForTerminal(subject),
                     f.verdict);
}

void WriteDnsTable(const CaptureReport& c, std::string_view family, const Painter& paint, std::ostream& out) {
  std::vector<const DnsPath*> rows;
  for (const DnsPath& p : c.dns) {
    if (p.family == family) rows.push_back(&p);
  }
  if (rows.empty()) return;
  size_t width = 8;
  for (const DnsPath* p : rows) width = std::max(width, p->resolver.ToString().size());
  out << "  " << paint.Dim(fmt::format("{:<{}}  {:<8} {:>6} {:>8} {:>8} {:>9} {:>7}  {}", "resolver", width, "path", "sent",
                                       "queries", "retrans", "answered", "RSTs", "answer time (median)"))
      << '\n';
  for (const DnsPath* p : rows) {
    std::string median = "-";
    if (!p->answer_ms.empty()) {
      std::vector<double> ms = p->answer_ms;
      std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2), ms.end());
      median = fmt::format("{:.1f} ms", ms[ms.size() / 2]);
    }
    out << fmt::format("  {:<{}}  {:<8} {:>6} {:>8} {:>8} {:>9} {:>7}  {}\n", p->resolver.ToString(), width,
                       fmt::format("{}/{}", TransportName(p->transport), p->port), p->packets_sent, p->queries,
                       p->retransmissions, p->responded() ? fmt::format("{}", p->answered) : "none", p->rsts, median);
    if (!p->names.empty()) {
      std::vector<std::string> names;
      for (const DnsPath::Name& n : p->names) {
        names.push_back(fmt::format("{} {} ({})", n.type, EscapeForTerminal(n.name), n.queries));
      }
      out << "  " << paint.Dim(fmt::format("{:<{}}  queried: {}", "", width, fmt::join(names, ", "))) << '\n';
    }
  }
}

void WriteFinding(const CaptureReport& c, const CaptureFinding& f, const Painter& paint, std::ostream& out) {
  const std::string level = f.severity ? Upper(SeverityName(*f.severity)) : "OK";
  out << '\n';
  if (f.severity) {
    out << paint.ForSeverity(*f.severity, fmt::format("{:<8}", level));
  } else {
    out << (f.verdict == "reachable" ? paint.Green(fmt::format("{:<8}", level)) : paint.Dim(fmt::format("{:<8}", "INFO")));
  }
  out << paint.Bold(FindingHeading(f)) << '\n';
  out << "  " << EscapeForTerminal(f.summary) << '\n';
  if (f.check == "dns") WriteDnsTable(c, f.subject, paint, out);
  if (!f.evidence.empty()) {
    out << "  " << paint.Bold("Frames:") << '\n';
    WriteFrames(f.evidence, paint, "    ", out);
  }
  if (!f.filter.empty()) out << "  " << paint.Bold("Wireshark filter: ") << f.filter << '\n';
}

}  // namespace

void WriteCaptureCheck(const CaptureCheck& check, const Painter& paint, std::ostream& out) {
  const std::string status = Upper(CaptureStatusName(check.status));
  const std::string shown = check.status == CaptureStatus::kConfirmed      ? paint.ForSeverity(Severity::kError, status)
                            : check.status == CaptureStatus::kContradicted ? paint.Green(status)
                                                                           : paint.Dim(status);
  out << "  " << paint.Bold("Capture: ") << shown << "  " << EscapeForTerminal(check.reason) << '\n';
  WriteFrames(check.evidence, paint, "    ", out);
  if (!check.filter.empty()) out << "    " << paint.Bold("Wireshark filter: ") << check.filter << '\n';
}

void WriteCaptureSection(const CaptureReport& c, const Painter& paint, std::ostream& out) {
  out << paint.Bold("Capture") << "  " << EscapeForTerminal(c.path) << '\n';
  std::string span;
  if (c.first_time_ns != 0) span = fmt::format(", {} .. {}", FormatCaptureTime(c.first_time_ns), FormatCaptureTime(c.last_time_ns));
  out << fmt::format("  {}, {}: {} frames ({} IP, {} other, {} undecodable){}\n", c.format,
                     c.link_types.empty() ? "no interface" : fmt::format("{}", fmt::join(c.link_types, ", ")), c.packets,
                     c.ip_packets, c.other_packets, c.undecodable, span);
  if (c.timing) out << "  " << c.timing->text << '\n';
  if (!c.complete()) out << "  " << paint.ForSeverity(Severity::kWarning, "Incomplete: ") << EscapeForTerminal(c.error) << '\n';
  for (const CaptureFinding& f : c.findings) WriteFinding(c, f, paint, out);
  std::vector<std::string> problems;
  for (const CaptureFinding& f : c.findings) {
    if (f.severity) problems.push_back(FindingHeading(f));
  }
  out << '\n'
      << (problems.empty() ? paint.Green("Capture: no blocked path in the packets it holds.")
                           : paint.Bold(fmt::format("Capture: {}.", fmt::join(problems, "; "))))
      << '\n';
}

}  // namespace dartdiag
