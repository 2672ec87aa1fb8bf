// What the capture concludes: DNS per address family (no answer on 443 and 53: blocked; answers
// on 53 only: unencrypted only; answers on 443: the network is not the cause), SWG per address
// (blocked with RST, by ICMP, silently, or reachable), each with frames and a Wireshark display
// filter; and the table that marks each log verdict confirmed, contradicted or not covered.
// Tested by capture_test.cc.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "capture/capture_internal.h"
#include "dartdiag/verdict.h"
#include "messages.h"

namespace dartdiag {
namespace capture {
namespace {

constexpr size_t kMaxFindingEvidence = 10;

std::string FamilyName(std::string_view family) { return family == "ipv6" ? "IPv6" : "IPv4"; }

// A sentence in English (what JSON shows) and as a phrase, for the human reports.
void SetSummary(CaptureFinding& f, Phrase phrase) {
  f.summary = RenderPhrase(phrase, Lang::kEn);
  f.summary_phrase = std::move(phrase);
}

// Everything seen on one port to the resolvers of one family (all resolvers, UDP and TCP).
struct PortState {
  uint16_t port = 0;
  uint64_t sent = 0, queries = 0, retransmissions = 0, answered = 0, rsts = 0, unreachable = 0;
  bool responded = false;
  std::vector<std::string> transports;
  std::vector<double> answer_ms;
  std::vector<FrameRef> frames;  // first and last sent, first answer or RST, per path
  bool tried() const { return sent > 0; }
  bool unanswered() const { return tried() && !responded; }
};

PortState PortFor(const std::vector<DnsPath>& paths, std::string_view family, uint16_t port) {
  PortState s;
  s.port = port;
  for (const DnsPath& p : paths) {
    if ((!family.empty() && p.family != family) || p.port != port) continue;
    s.sent += p.packets_sent;
    s.queries += p.queries;
    s.retransmissions += p.retransmissions;
    s.answered += p.answered;
    s.rsts += p.rsts;
    s.unreachable += p.unreachable;
    s.responded = s.responded || p.responded();
    const std::string transport = p.transport == Transport::kTcp ? "TCP" : "UDP";
    if (p.tried() && std::find(s.transports.begin(), s.transports.end(), transport) == s.transports.end()) {
      s.transports.push_back(transport);
    }
    s.answer_ms.insert(s.answer_ms.end(), p.answer_ms.begin(), p.answer_ms.end());
    for (const auto& ref : {p.first_sent, p.last_sent, p.first_received, p.first_rst}) {
      if (ref && (s.frames.empty() || s.frames.back().frame != ref->frame)) s.frames.push_back(*ref);
    }
  }
  return s;
}

std::vector<Phrase> MedianMs(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2), ms.end());
  return {PhraseOf(Msg::kCapMedian, Arg("ms", fmt::format("{:.1f}", ms[ms.size() / 2])))};
}

// "Port 443 (UDP): 12 packets sent, 4 queries, 8 retransmissions, no answer"
Phrase Describe(const PortState& s) {
  std::vector<Phrase> parts = {PhraseOf(Msg::kCapPortSent, Arg("port", s.port),
                                        Arg("transports", fmt::format("{}", fmt::join(s.transports, ", "))),
                                        Arg("n", s.sent))};
  if (s.queries > 0) parts.push_back(PhraseOf(Msg::kCapQueries, Arg("n", s.queries)));
  if (s.retransmissions > 0) parts.push_back(PhraseOf(Msg::kCapRetransmissions, Arg("n", s.retransmissions)));
  if (s.responded) {
    parts.push_back(s.queries > 0
                        ? PhraseOf(Msg::kCapAnsweredOf, Arg("answered", s.answered), Arg("queries", s.queries),
                                   Arg("median", MedianMs(s.answer_ms), Msg::kListSeparator))
                        : PhraseOf(Msg::kCapAnswered));
  } else {
    parts.push_back(PhraseOf(Msg::kCapNoAnswer));
  }
  if (s.rsts > 0) parts.push_back(PhraseOf(Msg::kCapRstsFromResolver, Arg("n", s.rsts)));
  if (s.unreachable > 0) parts.push_back(PhraseOf(Msg::kCapIcmpUnreachable, Arg("n", s.unreachable)));
  return PhraseOf(Msg::kPhraseList, Arg("items", std::move(parts), Msg::kListSeparator));
}

std::vector<IpAddress> ResolversOf(const CaptureNetwork& network, std::string_view family) {
  std::vector<IpAddress> out;
  for (const CaptureNetwork::Resolver& r : network.resolvers) {
    if (family.empty() || r.family == family) out.push_back(r.address);
  }
  return out;
}

std::string PortFilter(const std::string& addresses, uint16_t port) {
  return fmt::format("({}) and (udp.port == {} or tcp.port == {})", addresses, port, port);
}

std::vector<FrameRef> Frames(std::initializer_list<const PortState*> ports) {
  std::vector<FrameRef> out;
  for (const PortState* p : ports) out.insert(out.end(), p->frames.begin(), p->frames.end());
  std::sort(out.begin(), out.end(), [](const FrameRef& a, const FrameRef& b) { return a.frame < b.frame; });
  if (out.size() > kMaxFindingEvidence) out.resize(kMaxFindingEvidence);
  return out;
}

}  // namespace

std::string AddressFilter(const std::vector<IpAddress>& addresses) {
  std::vector<std::string> terms;
  for (const IpAddress& a : addresses)
    terms.push_back(fmt::format("{} == {}", a.family == 6 ? "ipv6.addr" : "ip.addr", a.ToString()));
  return fmt::format("{}", fmt::join(terms, " or "));
}

std::vector<CaptureFinding> DnsFindings(const CaptureNetwork& network, const std::vector<DnsPath>& paths) {
  std::vector<CaptureFinding> out;
  std::vector<std::string> families;
  for (const CaptureNetwork::Resolver& r : network.resolvers) {
    if (std::find(families.begin(), families.end(), r.family) == families.end()) families.push_back(r.family);
  }
  const uint16_t encrypted = network.dns_ports.front(), plain = network.dns_ports.back();
  for (const std::string& family : families) {
    CaptureFinding f;
    f.check = "dns";
    f.subject = family;
    f.filter = AddressFilter(ResolversOf(network, family));
    const PortState e = PortFor(paths, family, encrypted), p = PortFor(paths, family, plain);
    const std::string name = FamilyName(family);
    const Phrase seen =
        PhraseOf(Msg::kCapSeen,
                 Arg("encrypted", e.tried() ? Describe(e) : PhraseOf(Msg::kCapPortNothingSent, Arg("port", encrypted))),
                 Arg("plain", p.tried() ? Describe(p) : PhraseOf(Msg::kCapPortNothingSent, Arg("port", plain))));
    const bool any = std::any_of(paths.begin(), paths.end(), [&](const DnsPath& d) { return d.family == family; });
    if (!any) {
      f.verdict = "not-seen";
      SetSummary(f, PhraseOf(Msg::kCapDnsNotSeen, Arg("family", name)));
    } else if (e.responded) {
      f.verdict = "reachable";
      SetSummary(f, PhraseOf(Msg::kCapDnsReachable, Arg("family", name), Arg("port", encrypted), Arg("seen", seen)));
    } else if (p.responded && e.unanswered()) {
      f.verdict = "unencrypted-only";
      f.severity = Severity::kWarning;
      SetSummary(f, PhraseOf(Msg::kCapDnsUnencryptedOnly, Arg("family", name), Arg("plain", plain),
                             Arg("encrypted", encrypted), Arg("seen", seen)));
    } else if (e.unanswered() && p.unanswered()) {
      f.verdict = "blocked";
      f.severity = Severity::kError;
      SetSummary(f, PhraseOf(Msg::kCapDnsBlocked, Arg("family", name), Arg("encrypted", encrypted), Arg("plain", plain),
                             Arg("seen", seen)));
    } else {
      f.verdict = "inconclusive";
      SetSummary(f, PhraseOf(Msg::kCapDnsInconclusive, Arg("family", name), Arg("encrypted", encrypted),
                             Arg("plain", plain), Arg("seen", seen)));
    }
    f.evidence = Frames({&e, &p});
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<CaptureFinding> SwgFindings(const std::vector<SwgTarget>& targets) {
  std::vector<CaptureFinding> out;
  if (targets.empty()) {
    CaptureFinding f;
    f.check = "swg";
    f.verdict = "not-seen";
    SetSummary(
        f, PhraseOf(Msg::kCapSwgNoneKnown, Arg("pattern", "swg-url-proxy-https*.sigproxy.*"), Arg("tool", "nslookup")));
    out.push_back(std::move(f));
    return out;
  }
  for (const SwgTarget& t : targets) {
    CaptureFinding f;
    f.check = "swg";
    f.subject = t.address.ToString();
    f.filter = AddressFilter({t.address});
    const Phrase origin =
        t.names.empty()
            ? PhraseOf(Msg::kCapSwgGiven, Arg("address", f.subject), Arg("source", t.source))
            : PhraseOf(Msg::kCapSwgLearned, Arg("address", f.subject),
                       Arg("names", fmt::format("{}", fmt::join(t.names, " -> "))), Arg("frame", t.learned_at->frame));
    std::vector<Phrase> ports;
    if (!t.ports.empty())
      ports.push_back(PhraseOf(Msg::kCapOnPorts, Arg("ports", fmt::format("{}", fmt::join(t.ports, ", ")))));
    const Phrase syns =
        PhraseOf(Msg::kCapSyns, Arg("n", t.syns), Arg("ports", std::move(ports), Msg::kListSeparator),
                 Arg("retransmissions", PhraseOf(Msg::kCapRetransmissions, Arg("n", t.syn_retransmissions))));
    if (t.handshakes > 0 || t.syn_acks > 0) {
      f.verdict = "reachable";
      SetSummary(f, PhraseOf(Msg::kCapSwgReachable, Arg("origin", origin), Arg("syns", syns),
                             Arg("syn_acks", PhraseOf(Msg::kCapSynAcks, Arg("n", t.syn_acks))),
                             Arg("handshakes", PhraseOf(Msg::kCapHandshakes, Arg("n", t.handshakes)))));
    } else if (t.rsts > 0) {
      f.verdict = "blocked-rst";
      SetSummary(f, PhraseOf(Msg::kCapSwgBlockedRst, Arg("origin", origin), Arg("syns", syns),
                             Arg("rsts", PhraseOf(Msg::kCapRsts, Arg("n", t.rsts)))));
    } else if (t.unreachable > 0) {
      f.verdict = "blocked-icmp";
      SetSummary(f, PhraseOf(Msg::kCapSwgBlockedIcmp, Arg("origin", origin), Arg("syns", syns),
                             Arg("unreachable", PhraseOf(Msg::kCapIcmpUnreachable, Arg("n", t.unreachable)))));
    } else if (t.syns > 0) {
      f.verdict = "blocked-silent";
      SetSummary(f, PhraseOf(Msg::kCapSwgBlockedSilent, Arg("origin", origin), Arg("syns", syns)));
    } else {
      f.verdict = "not-seen";
      SetSummary(f, PhraseOf(Msg::kCapSwgNotSeen, Arg("origin", origin)));
    }
    if (f.verdict.starts_with("blocked")) f.severity = Severity::kError;
    if (t.learned_at) f.evidence.push_back(*t.learned_at);
    for (const FrameRef& ref : t.evidence) {
      if (f.evidence.size() < kMaxFindingEvidence) f.evidence.push_back(ref);
    }
    out.push_back(std::move(f));
  }
  return out;
}

namespace {

using CheckFn = CaptureCheck (*)(const CaptureReport&, const Verdict&);

struct DnsPorts {
  PortState encrypted, plain;
  std::string addresses;
};

DnsPorts DnsPortsFor(const CaptureReport& capture, const Verdict& v) {
  const CaptureNetwork& network = DefaultCaptureNetwork();
  return {PortFor(capture.dns, v.family, network.dns_ports.front()),
          PortFor(capture.dns, v.family, network.dns_ports.back()), AddressFilter(ResolversOf(network, v.family))};
}

CaptureCheck Check(CaptureStatus status, Phrase reason, std::string filter, std::vector<FrameRef> evidence) {
  std::string english = RenderPhrase(reason, Lang::kEn);
  return {status, std::move(english), std::move(filter), std::move(evidence), std::move(reason)};
}

CaptureCheck CheckUnprotected(const CaptureReport& capture, const Verdict& v) {
  const DnsPorts d = DnsPortsFor(capture, v);
  const std::string name = FamilyName(v.family);
  const std::string filter = PortFilter(d.addresses, d.plain.port);
  if (d.plain.unanswered()) {
    return Check(
        CaptureStatus::kConfirmed,
        PhraseOf(Msg::kCapCheckNoAnswer, Arg("family", name), Arg("port", d.plain.port),
                 Arg("first", Describe(d.plain)),
                 Arg("second", d.encrypted.tried() ? Describe(d.encrypted)
                                                   : PhraseOf(Msg::kCapPortNothingSentLower, Arg("port", 443)))),
        d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  if (d.plain.responded) {
    return Check(CaptureStatus::kContradicted,
                 PhraseOf(Msg::kCapCheckAnswered, Arg("family", name), Arg("port", d.plain.port),
                          Arg("seen", Describe(d.plain))),
                 filter, Frames({&d.plain}));
  }
  return Check(CaptureStatus::kNotCovered,
               PhraseOf(Msg::kCapCheckNoPacket, Arg("family", name), Arg("port", d.plain.port)), "", {});
}

CaptureCheck CheckUnencrypted(const CaptureReport& capture, const Verdict& v) {
  const DnsPorts d = DnsPortsFor(capture, v);
  const std::string name = FamilyName(v.family);
  if (d.encrypted.responded) {
    return Check(CaptureStatus::kContradicted,
                 PhraseOf(Msg::kCapCheckAnswered, Arg("family", name), Arg("port", d.encrypted.port),
                          Arg("seen", Describe(d.encrypted))),
                 PortFilter(d.addresses, d.encrypted.port), Frames({&d.encrypted}));
  }
  if (d.plain.unanswered()) {
    return Check(CaptureStatus::kContradicted,
                 PhraseOf(Msg::kCapCheckNotEitherPort, Arg("family", name), Arg("port", d.plain.port),
                          Arg("seen", Describe(d.plain))),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  if (d.encrypted.unanswered() && d.plain.responded) {
    return Check(CaptureStatus::kConfirmed,
                 PhraseOf(Msg::kCapCheckOnlyPort, Arg("family", name), Arg("port", d.plain.port),
                          Arg("first", Describe(d.plain)), Arg("second", Describe(d.encrypted))),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  return Check(CaptureStatus::kNotCovered,
               PhraseOf(Msg::kCapCheckNotBothPorts, Arg("family", name), Arg("encrypted", d.encrypted.port),
                        Arg("plain", d.plain.port)),
               "", {});
}

CaptureCheck CheckEncryptedBlocked(const CaptureReport& capture, const Verdict& v) {
  const DnsPorts d = DnsPortsFor(capture, v);
  const std::string name = FamilyName(v.family);
  const std::string filter = PortFilter(d.addresses, d.encrypted.port);
  if (d.encrypted.unanswered()) {
    const Msg plain = !d.plain.tried()    ? Msg::kCapPlainNothingSent
                      : d.plain.responded ? Msg::kCapPlainAnswered
                                          : Msg::kCapPlainUnanswered;
    return Check(CaptureStatus::kConfirmed,
                 PhraseOf(Msg::kCapCheckNoAnswer, Arg("family", name), Arg("port", d.encrypted.port),
                          Arg("first", Describe(d.encrypted)), Arg("second", PhraseOf(plain))),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  if (d.encrypted.responded) {
    return Check(CaptureStatus::kContradicted,
                 PhraseOf(Msg::kCapCheckAnswered, Arg("family", name), Arg("port", d.encrypted.port),
                          Arg("seen", Describe(d.encrypted))),
                 filter, Frames({&d.encrypted}));
  }
  return Check(CaptureStatus::kNotCovered,
               PhraseOf(Msg::kCapCheckNoPacket, Arg("family", name), Arg("port", d.encrypted.port)), "", {});
}

CaptureCheck CheckWeb(const CaptureReport& capture, const Verdict&) {
  std::vector<const CaptureFinding*> blocked, reachable;
  for (const CaptureFinding& f : capture.findings) {
    if (f.check != "swg") continue;
    if (f.verdict.starts_with("blocked")) blocked.push_back(&f);
    if (f.verdict == "reachable") reachable.push_back(&f);
  }
  const auto join = [](const std::vector<const CaptureFinding*>& fs, auto field) {
    std::vector<std::string> parts;
    for (const CaptureFinding* f : fs) parts.push_back(field(*f));
    return parts;
  };
  if (!blocked.empty() || !reachable.empty()) {
    const auto& chosen = blocked.empty() ? reachable : blocked;
    std::vector<FrameRef> evidence;
    for (const CaptureFinding* f : chosen) evidence.insert(evidence.end(), f->evidence.begin(), f->evidence.end());
    if (evidence.size() > kMaxFindingEvidence) evidence.resize(kMaxFindingEvidence);
    std::vector<Phrase> sentences;
    for (const CaptureFinding* f : chosen) sentences.push_back(f->summary_phrase);
    if (!blocked.empty() && !reachable.empty()) {
      sentences.push_back(PhraseOf(
          Msg::kCapOtherSwgReachable,
          Arg("addresses",
              fmt::format("{}", fmt::join(join(reachable, [](const CaptureFinding& f) { return f.subject; }), ", ")))));
    }
    return Check(blocked.empty() ? CaptureStatus::kContradicted : CaptureStatus::kConfirmed,
                 PhraseOf(Msg::kPhraseList, Arg("items", std::move(sentences), Msg::kSentenceSeparator)),
                 fmt::format("{}", fmt::join(join(chosen, [](const CaptureFinding& f) { return f.filter; }), " or ")),
                 std::move(evidence));
  }
  return Check(CaptureStatus::kNotCovered, PhraseOf(Msg::kCapWebNotCovered), "", {});
}

// The capture checks a rule can name in its pack ("capture": {"check": ...}), by name; every name
// of CaptureCheckNames() has a row (capture_test.cc checks it).
struct CrossCheck {
  std::string_view name;
  CheckFn check;
};
constexpr CrossCheck kCrossChecks[] = {
    {"dns-blocked", CheckUnprotected},
    {"dns-unencrypted-only", CheckUnencrypted},
    {"dns-443-blocked", CheckEncryptedBlocked},
    {"swg-blocked", CheckWeb},
};

}  // namespace
}  // namespace capture

bool HasCaptureCheck(std::string_view name) {
  return std::any_of(std::begin(capture::kCrossChecks), std::end(capture::kCrossChecks),
                     [&](const capture::CrossCheck& c) { return c.name == name; });
}

std::string_view CaptureStatusName(CaptureStatus status) {
  switch (status) {
    case CaptureStatus::kConfirmed: return "confirmed";
    case CaptureStatus::kContradicted: return "contradicted";
    case CaptureStatus::kNotCovered: break;
  }
  return "not-covered";
}

std::optional<Severity> CaptureReport::MostSevere() const {
  std::optional<Severity> most;
  for (const CaptureFinding& f : findings) {
    if (f.severity && (!most || *f.severity > *most)) most = f.severity;
  }
  return most;
}

void CheckVerdictsAgainstCapture(const CaptureReport& capture, std::vector<Verdict>& verdicts) {
  for (Verdict& v : verdicts) {
    const auto row = std::find_if(std::begin(capture::kCrossChecks), std::end(capture::kCrossChecks),
                                  [&](const capture::CrossCheck& c) { return c.name == v.capture_ref.check; });
    v.capture = row != std::end(capture::kCrossChecks)
                    ? row->check(capture, v)
                    : capture::Check(CaptureStatus::kNotCovered, PhraseOf(Msg::kCapNoCheck), "", {});
    // The capture speaks for its own time: say so, and when it disagrees with a log verdict from
    // another time, that the network may have changed in between.
    if (!capture.timing || v.capture->status == CaptureStatus::kNotCovered) continue;
    const CaptureTiming& t = *capture.timing;
    std::vector<Phrase> sentences = {v.capture->reason_phrase};
    if (v.capture->status == CaptureStatus::kConfirmed) {
      sentences.push_back(PhraseOf(Msg::kCapConfirmedAsOf, Arg("time", FormatCaptureTime(capture.first_time_ns))));
    } else if (t.relation == "after" || t.relation == "before" || t.relation == "unknown") {
      sentences.push_back(t.phrase);
      sentences.push_back(PhraseOf(Msg::kCapNetworkMayHaveChanged));
    }
    if (sentences.size() == 1) continue;
    v.capture->reason_phrase = PhraseOf(Msg::kPhraseList, Arg("items", std::move(sentences), Msg::kSentenceSeparator));
    v.capture->reason = RenderPhrase(v.capture->reason_phrase, Lang::kEn);
  }
}

}  // namespace dartdiag
