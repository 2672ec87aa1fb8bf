// Redaction of a whole Result, after Analyze() and before any writer: every text the reports can
// show is visited twice, once to learn the values found at known positions (user folders in
// paths, the event log's computer and user, DNS query names), once to rewrite it, so a value
// learned in one place is replaced in all. Verdict ids, severities, counts, states and times are
// never touched: a report's verdicts and exit code stay those of the run without --redact.
// Tested by redact_test.cc.
#include "report/redact_result.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "messages.h"

namespace dartdiag {
namespace {

using TextFn = const std::function<void(std::string&)>&;

// The event log's User of a service record: no person's.
bool IsAccountOfNobody(std::string_view user) {
  constexpr std::string_view kNobody[] = {"n/a",
                                          "system",
                                          "local service",
                                          "network service",
                                          "nt authority\\system",
                                          "nt authority\\local service",
                                          "nt authority\\network service"};
  std::string lower(user);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(std::begin(kNobody), std::end(kNobody), lower) != std::end(kNobody) ||
         (lower.starts_with("s-1-5-") && lower.size() <= 8);  // S-1-5-18, -19, -20
}

void Evidence(EvidenceLine& e, TextFn fn) {
  fn(e.file);
  fn(e.text);
}

void Frames(std::vector<FrameRef>& frames, TextFn fn) {
  for (FrameRef& f : frames) fn(f.text);
}
void Frame(std::optional<FrameRef>& frame, TextFn fn) {
  if (frame) fn(frame->text);
}

// A phrase's arguments carry what the input said (addresses, names): the same texts as its English.
void Said(Phrase& phrase, TextFn fn) { ForEachPhraseText(phrase, fn); }

void Check(CaptureCheck& check, TextFn fn) {
  fn(check.reason);
  Said(check.reason_phrase, fn);
  fn(check.filter);
  Frames(check.evidence, fn);
}

void Diagnostics(std::vector<Diagnostic>& diagnostics, TextFn fn) {
  for (Diagnostic& d : diagnostics) {
    fn(d.file);
    fn(d.message);
    Said(d.phrase, fn);
  }
}

void Capture(CaptureReport& c, TextFn fn) {
  fn(c.path);
  fn(c.error);
  Said(c.error_phrase, fn);
  for (DnsPath& p : c.dns) {
    Frame(p.first_sent, fn);
    Frame(p.last_sent, fn);
    Frame(p.first_received, fn);
    Frame(p.first_rst, fn);
  }
  for (SwgTarget& t : c.swg) {
    Frame(t.learned_at, fn);
    Frames(t.evidence, fn);
  }
  for (CaptureFinding& f : c.findings) {
    fn(f.summary);
    Said(f.summary_phrase, fn);
    fn(f.filter);
    Frames(f.evidence, fn);
  }
  Diagnostics(c.diagnostics, fn);
  if (c.timing) {
    fn(c.timing->text);
    Said(c.timing->phrase, fn);
  }
}

// Every text of the result a report can show, except the DNS query names (RedactResult).
void ForEachText(Result& r, std::vector<std::string*>& extra, TextFn fn) {
  for (std::string* s : extra) fn(*s);
  fn(r.input.path);
  for (FileReport& f : r.files) {
    fn(f.path);
    fn(f.error);
    Said(f.error_phrase, fn);
  }
  for (Member& m : r.members) fn(m.path);
  for (Verdict& v : r.verdicts) {
    fn(v.group);
    fn(v.summary);
    fn(v.root_cause);
    for (std::string& s : v.remediation) fn(s);
    for (std::string& s : v.notes) fn(s);
    for (auto& [name, value] : v.fields) fn(value);
    for (EvidenceLine& e : v.evidence) Evidence(e, fn);
    if (v.capture) Check(*v.capture, fn);
  }
  Diagnostics(r.diagnostics, fn);
  for (CapHit& hit : r.integrity) {
    fn(hit.file);
    fn(hit.message);
    Said(hit.phrase, fn);
  }
  if (r.capture) Capture(*r.capture, fn);
  for (WarningTemplate& t : r.unexplained) {
    fn(t.source);
    fn(t.text);
    fn(t.example_file);
    fn(t.example);
  }
  for (RuleExplanation& x : r.explanations) {
    for (GroupTrace& g : x.groups) {
      fn(g.group);
      for (NodeTrace& n : g.nodes) {
        for (EvidenceLine& e : n.events) Evidence(e, fn);
      }
    }
    for (NearMiss& m : x.near_misses) {
      Evidence(m.event, fn);
      for (std::string& s : m.failed) fn(s);
    }
  }
}

}  // namespace

void RedactResult(Result& result, Redactor& redactor, std::vector<std::string*> extra) {
  // What the capture learned of the service stays: SWG addresses and the names that led to them.
  if (result.capture) {
    for (const SwgTarget& t : result.capture->swg) {
      redactor.KeepAddress(t.address);
      for (const std::string& name : t.names) redactor.KeepName(name);
    }
  }
  // Known positions first, so that every text below is rewritten knowing all of them.
  for (const auto& [kind, value] : result.identities) {
    if (kind == IdentityKind::kHost) redactor.LearnHost(value);
    if (kind != IdentityKind::kUser || IsAccountOfNobody(value)) continue;
    const size_t slash = value.find('\\');  // "CORP\alice"
    if (slash == std::string::npos) {
      redactor.LearnUser(value);
    } else {
      redactor.LearnDomain(value.substr(0, slash));
      redactor.LearnUser(value.substr(slash + 1));
    }
  }
  if (result.capture) {
    for (const DnsPath& p : result.capture->dns) {
      for (const DnsPath::Name& n : p.names) redactor.LearnDnsName(n.name);
    }
  }
  ForEachText(result, extra, [&](std::string& text) { redactor.LearnFrom(text); });

  ForEachText(result, extra, [&](std::string& text) {
    if (!text.empty()) text = redactor.Rewrite(text);
  });
  if (result.capture) {
    for (DnsPath& p : result.capture->dns) {
      for (DnsPath::Name& n : p.names) n.name = redactor.RewriteDnsName(n.name);
    }
  }
  result.identities.clear();  // what they were is in the map, not in the result
}

}  // namespace dartdiag
