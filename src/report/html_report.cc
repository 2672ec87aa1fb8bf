// HTML report: one self-contained page for a ticket (no script, font, style sheet or image from
// anywhere; a Content-Security-Policy forbids fetching any). Protections first in the client's own
// status words, the timeline picture (html_timeline.cc), each verdict with its checklist, the
// firewall request, the capture, then coverage, unexplained warnings and diagnostics collapsed.
// Every text from a bundle or a capture passes HtmlEscape. Tested by html_report_test.cc,
// tests/check_html.py and the Chromium check (tests/chromium_check.py).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "report/conclusion.h"
#include "log_types.h"
#include "dartdiag/report.h"
#include "report/firewall_request.h"
#include "html_escape.h"
#include "report/html_timeline.h"
#include "messages.h"

namespace dartdiag {
namespace {

constexpr const char* kStyle =
#include "html_style.inc"
    ;

std::string E(std::string_view s) { return HtmlEscape(s); }

class HtmlWriter {
 public:
  HtmlWriter(const Result& result, Lang lang, std::ostream& out) : r_(result), lang_(lang), out_(out) {}

  void Write() {
    Head();
    out_ << "<body>\n<header>\n<h1>" << E(Say(lang_, Msg::kHtmlTitle, fmt::arg("input", r_.input.path))) << "</h1>\n";
    out_ << "<p class=\"meta\">" << E(Say(lang_, Msg::kHtmlGenerated, fmt::arg("version", ToolVersion()))) << " · "
         << E(r_.input.kind);
    if (!r_.input.sha256.empty()) out_ << " · SHA-256 <span class=\"mono\">" << E(r_.input.sha256) << "</span>";
    out_ << "</p>\n</header>\n<main>\n";
    Protections();
    out_ << "<section id=\"timeline\">\n<h2>" << T(Msg::kHtmlTimelinePicture) << "</h2>\n"
         << TimelineSvg(r_, lang_) << "</section>\n";
    if (!r_.verdicts.empty()) {
      out_ << "<section id=\"verdicts\">\n<h2>" << T(Msg::kHtmlVerdicts) << "</h2>\n";
      for (size_t i = 0; i < r_.verdicts.size(); ++i) Verdict(r_.verdicts[i], i);
      out_ << "</section>\n";
    }
    FirewallBlock();
    if (r_.capture) Capture(*r_.capture);
    Coverage();
    Unexplained();
    Diagnostics();
    out_ << "</main>\n</body>\n</html>\n";
  }

 private:
  std::string T(Msg msg) const { return E(MessageText(msg, lang_)); }
  // The rule's status word in the page's language (the pack's translation).
  std::string Status(const dartdiag::Verdict& v) const {
    return lang_ == Lang::kEn || v.status_label.empty() ? v.status : v.status_label;
  }
  // A label such as "Root cause: " without its trailing colon and space, for headings.
  std::string Label(Msg msg) const {
    std::string s(MessageText(msg, lang_));
    while (!s.empty() && (s.back() == ' ' || s.back() == ':')) s.pop_back();
    if (s.ends_with("：")) s.resize(s.size() - std::string_view("：").size());
    return E(s);
  }

  void Head() {
    out_ << "<!DOCTYPE html>\n<html lang=\"" << LanguageOf(lang_).html << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<meta name=\"color-scheme\" content=\"light dark\">\n"
         << "<meta name=\"generator\" content=\"dartdiag " << E(ToolVersion()) << "\">\n"
         << "<title>" << E(Say(lang_, Msg::kHtmlTitle, fmt::arg("input", r_.input.path))) << "</title>\n<style>"
         << kStyle << "</style>\n</head>\n";
  }

  std::string ProtectionWords(const dartdiag::Verdict& v) const {
    std::string s(MessageText(v.protection == "web" ? Msg::kWebProtection : Msg::kDnsProtection, lang_));
    if (v.protection != "dns" && v.protection != "web") s = v.protection;
    if (v.family == "ipv4") s += " (IPv4)";
    if (v.family == "ipv6") s += " (IPv6)";
    return s;
  }

  // One card per protection and family: the state now and since when, from the most relevant
  // verdict (verdicts are ordered: still holding first, then by severity).
  void Protections() {
    struct Slot {
      std::string protection, family;
      Msg name;
    };
    const Slot slots[] = {
        {"dns", "ipv4", Msg::kDnsProtection}, {"dns", "ipv6", Msg::kDnsProtection}, {"web", "", Msg::kWebProtection}};
    out_ << "<section id=\"protections\">\n<h2>" << T(Msg::kHtmlProtections) << "</h2>\n<div class=\"cards\">\n";
    for (const Slot& slot : slots) {
      const auto v = std::find_if(r_.verdicts.begin(), r_.verdicts.end(), [&](const dartdiag::Verdict& x) {
        return x.protection == slot.protection && (slot.family.empty() || x.family == slot.family);
      });
      std::string name(MessageText(slot.name, lang_));
      if (!slot.family.empty()) name += slot.family == "ipv4" ? " (IPv4)" : " (IPv6)";
      std::string health, state, since;
      if (v != r_.verdicts.end()) {
        switch (v->end_state) {
          case EndState::kFailing:
            health = "failing", state = Status(*v), since = Say(lang_, Msg::kHtmlSince, fmt::arg("time", v->since));
            break;
          case EndState::kCleared:
            health = "ok", state = v->now.empty() ? Say(lang_, Msg::kHtmlNoProblem) : v->now;
            since = Say(lang_, Msg::kHtmlSince, fmt::arg("time", v->cleared_at));
            break;
          case EndState::kUnknown:
            health = "unknown", state = v->now.empty() ? Say(lang_, Msg::kHtmlNotKnown) : v->now;
            since = Say(lang_, Msg::kHtmlSince, fmt::arg("time", v->cleared_at));
            break;
        }
      } else if (Checked(slot.protection)) {
        health = "ok", state = Say(lang_, Msg::kHtmlNoProblem);
      } else {
        health = "unknown", state = Say(lang_, Msg::kHtmlNotRead);
      }
      out_ << fmt::format(
          "<div class=\"card {}\" data-protection=\"{}\" data-family=\"{}\"><div class=\"what\">{}</div>"
          "<div class=\"state\">{}</div><div class=\"since\">{}</div></div>\n",
          health, slot.protection, slot.family, E(name), E(state), E(since));
    }
    out_ << "</div>\n";
    const Conclusion c = Conclude(r_, lang_);
    out_ << fmt::format("<p class=\"closing {}\">{}</p>\n<p class=\"muted\">{} {}</p>\n", c.tone, E(c.headline),
                        E(c.detail), E(c.parsed));
    if (!c.incomplete.empty()) {
      out_ << "<p class=\"closing warning\">" << T(Msg::kAnalysisIncomplete) << ": " << E(c.incomplete) << "</p>\n";
    }
    out_ << "</section>\n";
  }

  // A protection was checked when a rule about it was evaluated (the default pack names its rules
  // "dns-..." and "web-...").
  bool Checked(std::string_view protection) const {
    return std::any_of(r_.rules_evaluated.begin(), r_.rules_evaluated.end(),
                       [&](const std::string& id) { return id.starts_with(std::string(protection) + "-"); });
  }

  std::string Badge(const dartdiag::Verdict& v) const {
    if (!DrivesExitCode(v)) return fmt::format("<span class=\"badge cleared\">{}</span>", T(Msg::kLabelCleared));
    const Msg msg = v.severity == Severity::kError     ? Msg::kLabelError
                    : v.severity == Severity::kWarning ? Msg::kLabelWarning
                                                       : Msg::kLabelInfo;
    return fmt::format("<span class=\"badge {}\">{}</span>", SeverityName(v.severity), T(msg));
  }

  void Verdict(const dartdiag::Verdict& v, size_t index) {
    out_ << fmt::format("<article class=\"verdict\" id=\"verdict-{}\" data-rule=\"{}\" data-family=\"{}\">\n",
                        index + 1, E(v.rule), E(v.family));
    out_ << "<h3>" << Badge(v) << E(ProtectionWords(v)) << ": " << E(Status(v)) << " <span class=\"rule\">["
         << E(v.rule) << "]</span></h3>\n";
    out_ << "<p>" << E(v.summary) << "</p>\n";
    for (const std::string& note : v.notes) out_ << "<p class=\"note\">" << E(note) << "</p>\n";
    out_ << "<dl class=\"facts\">\n<dt>" << Label(Msg::kRootCause) << "</dt><dd>" << E(v.root_cause) << "</dd>\n";
    const std::string span = v.first_seen == v.last_seen ? v.first_seen : v.first_seen + " .. " + v.last_seen;
    out_ << "<dt>" << Label(Msg::kSeen) << "</dt><dd>"
         << E(fmt::format("{}, {}", SayCount(lang_, v.timeline ? Msg::kFailures : Msg::kTimes, v.count), span))
         << "</dd>\n";
    out_ << "<dt>" << Label(Msg::kHtmlNow) << "</dt><dd>" << E(AtEnd(v)) << "</dd>\n</dl>\n";
    Evidence(v);
    if (v.capture) CaptureCheck(*v.capture);
    if (!v.remediation.empty()) {
      out_ << "<h4>" << Label(Msg::kRemediation) << "</h4>\n<ul class=\"checklist\">\n";
      for (size_t i = 0; i < v.remediation.size(); ++i) {
        out_ << fmt::format("<li><label><input type=\"checkbox\" name=\"step-{}-{}\">{}</label></li>\n", index + 1,
                            i + 1, E(v.remediation[i]));
      }
      out_ << "</ul>\n";
    }
    if (!v.links.empty()) {
      out_ << "<h4>" << Label(Msg::kLinks) << "</h4>\n<ul>\n";
      for (const Link& link : v.links) {
        const bool web = link.url.starts_with("https://") || link.url.starts_with("http://");
        const std::string text = E(link.title.empty() ? link.url : link.title);
        out_ << "<li>"
             << (web ? fmt::format("<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>", E(link.url), text)
                     : text + " " + E(link.url))
             << "</li>\n";
      }
      out_ << "</ul>\n";
    }
    out_ << "</article>\n";
  }

  std::string AtEnd(const dartdiag::Verdict& v) const {
    switch (v.end_state) {
      case EndState::kFailing:
        return Say(lang_, v.timeline && v.timeline->episodes > 1 ? Msg::kTimelineFailingAgain : Msg::kTimelineFailing,
                   fmt::arg("status", Status(v)), fmt::arg("since", v.since), fmt::arg("end", v.log_end));
      case EndState::kCleared:
        return Say(lang_, Msg::kTimelineCleared, fmt::arg("status", Status(v)), fmt::arg("since", v.since),
                   fmt::arg("cleared", v.cleared_at), fmt::arg("now", v.now));
      case EndState::kUnknown:
        return Say(lang_, Msg::kTimelineUnknown, fmt::arg("status", Status(v)), fmt::arg("since", v.since),
                   fmt::arg("cleared", v.cleared_at), fmt::arg("now", v.now));
    }
    return "";
  }

  void Evidence(const dartdiag::Verdict& v) {
    out_ << "<h4>" << Label(Msg::kEvidence) << "</h4>\n<table class=\"evidence\"><thead><tr><th>" << T(Msg::kHtmlFile)
         << "</th><th>" << T(Msg::kHtmlLine) << "</th><th>" << T(Msg::kHtmlTime) << "</th><th>" << T(Msg::kHtmlText)
         << "</th></tr></thead><tbody>\n";
    for (size_t i = 0; i < v.evidence.size(); ++i) {
      if (i == kMaxEvidence / 2 && v.evidence_total > v.evidence.size()) {
        out_ << "<tr><td colspan=\"4\" class=\"muted\">"
             << E(Say(lang_, Msg::kMoreEvidence, fmt::arg("n", v.evidence_total - v.evidence.size())))
             << "</td></tr>\n";
      }
      const EvidenceLine& e = v.evidence[i];
      out_ << fmt::format(
          "<tr><td class=\"text\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"text\">{}</td></tr>\n",
          E(e.file), e.line, E(e.time), E(e.text));
    }
    out_ << "</tbody></table>\n";
  }

  std::string Frames(const std::vector<FrameRef>& frames) const {
    std::string html = "<table class=\"frames\"><tbody>\n";
    for (const FrameRef& f : frames) {
      html += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td class=\"text\">{}</td></tr>\n",
                          E(Say(lang_, Msg::kFrame, fmt::arg("n", f.frame))),
                          f.time_ns == 0 ? "" : FormatCaptureTime(f.time_ns), E(f.text));
    }
    return html + "</tbody></table>\n";
  }

  void CaptureCheck(const dartdiag::CaptureCheck& check) {
    const Msg status = check.status == CaptureStatus::kConfirmed      ? Msg::kCaptureConfirmed
                       : check.status == CaptureStatus::kContradicted ? Msg::kCaptureContradicted
                                                                      : Msg::kCaptureNotCovered;
    out_ << "<h4>" << Label(Msg::kCaptureLabel) << "</h4>\n<p><span class=\"badge " << CaptureStatusName(check.status)
         << "\">" << T(status) << "</span>" << E(InLanguage(check.reason, check.reason_phrase, lang_)) << "</p>\n";
    if (!check.evidence.empty()) out_ << Frames(check.evidence);
    if (!check.filter.empty())
      out_ << "<p>" << T(Msg::kWiresharkFilter) << "<code>" << E(check.filter) << "</code></p>\n";
  }

  void FirewallBlock() {
    const std::vector<FirewallFlow> flows = FirewallRequest(r_);
    out_ << "<section id=\"firewall-request\">\n<h2>" << T(Msg::kFirewallRequest) << "</h2>\n<pre class=\"firewall\">";
    std::string text;
    for (const std::string& line : FirewallRequestLines(flows, lang_)) text += line + "\n";
    out_ << E(text) << "</pre>\n</section>\n";
  }

  void Capture(const CaptureReport& c) {
    out_ << "<section id=\"capture\">\n<h2>" << T(Msg::kCapture) << "</h2>\n<p class=\"meta\">" << E(c.path)
         << "</p>\n";
    std::string span;
    if (c.first_time_ns != 0)
      span = fmt::format(", {} .. {}", FormatCaptureTime(c.first_time_ns), FormatCaptureTime(c.last_time_ns));
    out_ << "<p>"
         << E(Say(lang_, Msg::kCaptureFrames, fmt::arg("format", c.format),
                  fmt::arg("links", c.link_types.empty() ? Say(lang_, Msg::kNoInterface)
                                                         : fmt::format("{}", fmt::join(c.link_types, ", "))),
                  fmt::arg("n", c.packets), fmt::arg("ip", c.ip_packets), fmt::arg("other", c.other_packets),
                  fmt::arg("undecodable", c.undecodable), fmt::arg("span", span)))
         << "</p>\n";
    if (c.timing) out_ << "<p>" << E(InLanguage(c.timing->text, c.timing->phrase, lang_)) << "</p>\n";
    if (!c.complete())
      out_ << "<p class=\"closing warning\">" << T(Msg::kIncompleteLabel)
           << E(InLanguage(c.error, c.error_phrase, lang_)) << "</p>\n";
    for (const CaptureFinding& f : c.findings) {
      const std::string level = f.severity                 ? std::string(SeverityName(*f.severity))
                                : f.verdict == "reachable" ? "ok"
                                                           : "info";
      const Msg label = !f.severity                       ? (f.verdict == "reachable" ? Msg::kLabelOk : Msg::kLabelInfo)
                        : *f.severity == Severity::kError ? Msg::kLabelError
                                                          : Msg::kLabelWarning;
      const std::string subject = f.subject == "ipv4" ? "IPv4" : f.subject == "ipv6" ? "IPv6" : f.subject;
      out_ << fmt::format(
          "<article class=\"finding\" data-check=\"{}\" data-verdict=\"{}\"><h3><span class=\"badge {}\">{}</span>{} "
          "{}: {}</h3>\n",
          E(f.check), E(f.verdict), level, T(label), f.check == "dns" ? T(Msg::kDnsShort) : T(Msg::kSwg), E(subject),
          E(FindingWord(f.verdict)));
      out_ << "<p>" << E(InLanguage(f.summary, f.summary_phrase, lang_)) << "</p>\n";
      if (!f.evidence.empty()) out_ << Frames(f.evidence);
      if (!f.filter.empty()) out_ << "<p>" << T(Msg::kWiresharkFilter) << "<code>" << E(f.filter) << "</code></p>\n";
      out_ << "</article>\n";
    }
    out_ << "</section>\n";
  }

  std::string FindingWord(std::string_view verdict) const {
    if (const auto msg = FindingVerdictMessage(verdict)) return std::string(MessageText(*msg, lang_));
    return std::string(verdict);
  }

  void Coverage() {
    out_ << "<details id=\"coverage\">\n<summary>" << T(Msg::kHtmlCoverage) << "</summary>\n";
    out_ << "<table class=\"files\"><thead><tr><th>" << T(Msg::kLogs) << "</th><th>" << T(Msg::kHtmlParser)
         << "</th><th>" << T(Msg::kHtmlEncoding) << "</th><th></th><th>" << T(Msg::kHtmlFirst) << "</th><th>"
         << T(Msg::kHtmlLast) << "</th></tr></thead><tbody>\n";
    for (const FileReport& f : r_.files) {
      std::string counts =
          f.error.empty() || f.bytes > 0
              ? SayCount(lang_, Msg::kLines, f.lines) + MessageText(Msg::kListSeparator, lang_).data() +
                    SayCount(lang_, Msg::kEvents, f.events)
              : Say(lang_, Msg::kUnreadable, fmt::arg("error", InLanguage(f.error, f.error_phrase, lang_)));
      if (f.unparsed_lines > 0)
        counts += std::string(MessageText(Msg::kListSeparator, lang_)) +
                  Say(lang_, Msg::kUnparsed, fmt::arg("n", f.unparsed_lines));
      if (!f.error.empty() && f.bytes > 0)
        counts += " · " + Say(lang_, Msg::kReadInPart, fmt::arg("error", InLanguage(f.error, f.error_phrase, lang_)));
      out_ << fmt::format(
          "<tr><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", E(f.path),
          E(f.parser), E(f.encoding), E(counts), E(f.first_time), E(f.last_time));
    }
    out_ << "</tbody></table>\n";
    for (const LogType& type : LogTypes()) {
      const bool found =
          std::any_of(r_.files.begin(), r_.files.end(), [&](const FileReport& f) { return f.parser == type.id; });
      if (!found) out_ << "<p>" << E(Say(lang_, Msg::kLogNotFound, fmt::arg("name", type.file_name))) << "</p>\n";
    }
    out_ << "<p>" << E(Say(lang_, Msg::kHtmlRulesEvaluated, fmt::arg("rules", fmt::join(r_.rules_evaluated, ", "))))
         << "</p>\n";
    if (!r_.rules_not_evaluated.empty()) {
      out_ << "<p>" << E(Say(lang_, Msg::kNotEvaluated, fmt::arg("rules", fmt::join(r_.rules_not_evaluated, ", "))))
           << "</p>\n";
    }
    if (!r_.members.empty()) {
      out_ << "<details><summary>" << E(Say(lang_, Msg::kHtmlOtherEntries, fmt::arg("n", r_.members.size())))
           << "</summary><ul>\n";
      for (const Member& m : r_.members)
        out_ << "<li class=\"mono\">" << E(m.path) << " (" << E(MemberKindName(m.kind)) << ")</li>\n";
      out_ << "</ul></details>\n";
    }
    for (const CapHit& hit : r_.integrity) {
      out_ << "<p class=\"closing warning\">" << T(Msg::kIntegrityHeading) << ": "
           << E(InLanguage(hit.message, hit.phrase, lang_)) << "</p>\n";
    }
    out_ << "</details>\n";
  }

  void Unexplained() {
    if (r_.unexplained.empty()) return;
    out_ << "<details id=\"unexplained\">\n<summary>"
         << E(SayCount(lang_, Msg::kUnexplainedHeading, r_.unexplained.size())) << "</summary>\n<table><thead><tr><th>"
         << T(Msg::kHtmlCount) << "</th><th></th><th>" << T(Msg::kHtmlText) << "</th><th>" << T(Msg::kHtmlFirst)
         << "</th><th>" << T(Msg::kHtmlLast) << "</th><th>" << T(Msg::kHtmlExample) << "</th></tr></thead><tbody>\n";
    for (const WarningTemplate& t : r_.unexplained) {
      out_ << fmt::format(
          "<tr><td class=\"num\">{}</td><td>{} {}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td>"
          "<td class=\"text\" title=\"{}\">{}:{}</td></tr>\n",
          t.count, E(t.LevelsText()), E(t.source), E(t.text), E(t.first_seen), E(t.last_seen), E(t.example),
          E(t.example_file), t.example_line);
    }
    out_ << "</tbody></table>\n</details>\n";
  }

  void Diagnostics() {
    std::vector<const Diagnostic*> all;
    for (const Diagnostic& d : r_.diagnostics) all.push_back(&d);
    if (r_.capture) {
      for (const Diagnostic& d : r_.capture->diagnostics) all.push_back(&d);
    }
    if (all.empty()) return;
    out_ << "<details id=\"diagnostics\">\n<summary>"
         << E(Say(lang_, Msg::kDiagnosticsHeading, fmt::arg("n", all.size()))) << "</summary>\n<table><tbody>\n";
    for (const Diagnostic* d : all) {
      const Msg level = LevelMessage(d->level);
      out_ << fmt::format(
          "<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td></tr>\n",
          T(level), E(d->code), E(d->line > 0 ? fmt::format("{}:{}", d->file, d->line) : d->file),
          E(InLanguage(d->message, d->phrase, lang_)));
    }
    out_ << "</tbody></table>\n</details>\n";
  }

  const Result& r_;
  Lang lang_;
  std::ostream& out_;
};

}  // namespace

void WriteHtmlReport(const Result& result, const ReportOptions& options, std::ostream& out) {
  HtmlWriter(result, ParseLanguage(options.lang).value_or(Lang::kEn), out).Write();
}

}  // namespace dartdiag
