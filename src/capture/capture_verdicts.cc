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

namespace dartdiag {
namespace capture {
namespace {

constexpr size_t kMaxFindingEvidence = 10;

std::string FamilyName(std::string_view family) { return family == "ipv6" ? "IPv6" : "IPv4"; }

std::string Plural(uint64_t n, std::string_view word) {
  if (n != 1 && word.ends_with('y')) return fmt::format("{} {}ies", n, word.substr(0, word.size() - 1));
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
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

std::string MedianMs(std::vector<double> ms) {
  if (ms.empty()) return "";
  std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2), ms.end());
  return fmt::format(", median {:.1f} ms", ms[ms.size() / 2]);
}

// "Port 443 (UDP): 12 packets sent, 4 queries, 8 retransmissions, no answer"
std::string Describe(const PortState& s) {
  std::string text = fmt::format("Port {} ({}): {} sent", s.port, fmt::join(s.transports, ", "), Plural(s.sent, "packet"));
  if (s.queries > 0) text += fmt::format(", {}", Plural(s.queries, "query"));
  if (s.retransmissions > 0) text += fmt::format(", {}", Plural(s.retransmissions, "retransmission"));
  if (s.responded) {
    text += s.queries > 0 ? fmt::format(", {} of {} answered{}", s.answered, s.queries, MedianMs(s.answer_ms))
                          : std::string(", answered");
  } else {
    text += ", no answer";
  }
  if (s.rsts > 0) text += fmt::format(", {} from the resolver address", Plural(s.rsts, "RST"));
  if (s.unreachable > 0) text += fmt::format(", {}", Plural(s.unreachable, "ICMP unreachable"));
  return text;
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
  for (const IpAddress& a : addresses) terms.push_back(fmt::format("{} == {}", a.family == 6 ? "ipv6.addr" : "ip.addr", a.ToString()));
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
    const std::string seen = fmt::format("{}; {}.", e.tried() ? Describe(e) : fmt::format("Port {}: nothing sent", encrypted),
                                         p.tried() ? Describe(p) : fmt::format("Port {}: nothing sent", plain));
    const bool any = std::any_of(paths.begin(), paths.end(), [&](const DnsPath& d) { return d.family == family; });
    if (!any) {
      f.verdict = "not-seen";
      f.summary = fmt::format("No packet to or from the {} OpenDNS resolvers in the capture (was it taken on the "
                              "egress physical interface while the problem showed?).", name);
    } else if (e.responded) {
      f.verdict = "reachable";
      f.summary = fmt::format("The {} resolvers answered on port {}: the network is not the cause of a DNS "
                              "protection problem. {}", name, encrypted, seen);
    } else if (p.responded && e.unanswered()) {
      f.verdict = "unencrypted-only";
      f.severity = Severity::kWarning;
      f.summary = fmt::format("The {} resolvers answered on port {} but not on port {}: DNS through Umbrella works "
                              "unencrypted only. {}", name, plain, encrypted, seen);
    } else if (e.unanswered() && p.unanswered()) {
      f.verdict = "blocked";
      f.severity = Severity::kError;
      f.summary = fmt::format("No answer from the {} resolvers on port {} or {}: upstream DNS to the OpenDNS "
                              "resolvers is blocked. {}", name, encrypted, plain, seen);
    } else {
      f.verdict = "inconclusive";
      f.summary = fmt::format("The capture covers only part of the {} probe sequence (port {} then {}). {}", name,
                              encrypted, plain, seen);
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
    f.summary = "No SWG proxy address is known: the capture holds no DNS answer for an SWG proxy name "
                "(swg-url-proxy-https*.sigproxy.*), and none was given with --swg-ip. Resolve the name with "
                "nslookup and pass the address with --swg-ip.";
    out.push_back(std::move(f));
    return out;
  }
  for (const SwgTarget& t : targets) {
    CaptureFinding f;
    f.check = "swg";
    f.subject = t.address.ToString();
    f.filter = AddressFilter({t.address});
    const std::string origin =
        t.names.empty() ? fmt::format("{} (given with {})", f.subject, t.source)
                        : fmt::format("{} ({} in frame {})", f.subject, fmt::join(t.names, " -> "), t.learned_at->frame);
    const std::string ports = t.ports.empty() ? "" : fmt::format(" on port {}", fmt::join(t.ports, ", "));
    const std::string syns = fmt::format("{}{} ({})", Plural(t.syns, "SYN"), ports,
                                         Plural(t.syn_retransmissions, "retransmission"));
    if (t.handshakes > 0 || t.syn_acks > 0) {
      f.verdict = "reachable";
      f.summary = fmt::format("{}: {}, {}, {} completed: the SWG proxy is reachable from this network.", origin, syns,
                              Plural(t.syn_acks, "SYN-ACK"), Plural(t.handshakes, "handshake"));
    } else if (t.rsts > 0) {
      f.verdict = "blocked-rst";
      f.summary = fmt::format("{}: {} answered by {} and no SYN-ACK: the connection is refused (a firewall resets "
                              "it).", origin, syns, Plural(t.rsts, "RST"));
    } else if (t.unreachable > 0) {
      f.verdict = "blocked-icmp";
      f.summary = fmt::format("{}: {} answered by {} and no SYN-ACK: the network rejects the connection.", origin,
                              syns, Plural(t.unreachable, "ICMP unreachable"));
    } else if (t.syns > 0) {
      f.verdict = "blocked-silent";
      f.summary = fmt::format("{}: {}, no SYN-ACK and no RST: the network drops the connection silently (a "
                              "firewall blocks the SWG address).", origin, syns);
    } else {
      f.verdict = "not-seen";
      f.summary = fmt::format("{}: no TCP connection to it in the capture.", origin);
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
  return {PortFor(capture.dns, v.family, network.dns_ports.front()), PortFor(capture.dns, v.family, network.dns_ports.back()),
          AddressFilter(ResolversOf(network, v.family))};
}

CaptureCheck Check(CaptureStatus status, std::string reason, std::string filter, std::vector<FrameRef> evidence) {
  return {status, std::move(reason), std::move(filter), std::move(evidence)};
}

CaptureCheck CheckUnprotected(const CaptureReport& capture, const Verdict& v) {
  const DnsPorts d = DnsPortsFor(capture, v);
  const std::string name = FamilyName(v.family);
  const std::string filter = PortFilter(d.addresses, d.plain.port);
  if (d.plain.unanswered()) {
    return Check(CaptureStatus::kConfirmed,
                 fmt::format("No answer from the {} resolvers on port {} in the capture: {}; {}.", name, d.plain.port,
                             Describe(d.plain), d.encrypted.tried() ? Describe(d.encrypted) : "port 443: nothing sent"),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  if (d.plain.responded) {
    return Check(CaptureStatus::kContradicted,
                 fmt::format("The {} resolvers answered on port {} in the capture: {}.", name, d.plain.port, Describe(d.plain)),
                 filter, Frames({&d.plain}));
  }
  return Check(CaptureStatus::kNotCovered, fmt::format("The capture holds no {} packet to the resolvers on port {}.", name, d.plain.port), "", {});
}

CaptureCheck CheckUnencrypted(const CaptureReport& capture, const Verdict& v) {
  const DnsPorts d = DnsPortsFor(capture, v);
  const std::string name = FamilyName(v.family);
  if (d.encrypted.responded) {
    return Check(CaptureStatus::kContradicted, fmt::format("The {} resolvers answered on port {} in the capture: {}.", name,
                                                           d.encrypted.port, Describe(d.encrypted)),
                 PortFilter(d.addresses, d.encrypted.port), Frames({&d.encrypted}));
  }
  if (d.plain.unanswered()) {
    return Check(CaptureStatus::kContradicted,
                 fmt::format("The {} resolvers did not answer on port {} either: DNS is blocked, not only unencrypted. {}.",
                             name, d.plain.port, Describe(d.plain)),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  if (d.encrypted.unanswered() && d.plain.responded) {
    return Check(CaptureStatus::kConfirmed, fmt::format("In the capture the {} resolvers answered on port {} only: {}; {}.",
                                                        name, d.plain.port, Describe(d.plain), Describe(d.encrypted)),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  return Check(CaptureStatus::kNotCovered,
               fmt::format("The capture does not hold {} packets to the resolvers on both port {} and port {}.", name,
                           d.encrypted.port, d.plain.port),
               "", {});
}

CaptureCheck CheckEncryptedBlocked(const CaptureReport& capture, const Verdict& v) {
  const DnsPorts d = DnsPortsFor(capture, v);
  const std::string name = FamilyName(v.family);
  const std::string filter = PortFilter(d.addresses, d.encrypted.port);
  if (d.encrypted.unanswered()) {
    const std::string plain = !d.plain.tried() ? "nothing was sent on port 53"
                              : d.plain.responded ? "port 53 was answered, so DNS works unencrypted"
                                                  : "port 53 got no answer either, so DNS is Unprotected";
    return Check(CaptureStatus::kConfirmed, fmt::format("No answer from the {} resolvers on port {} in the capture: {}; {}.",
                                                        name, d.encrypted.port, Describe(d.encrypted), plain),
                 d.addresses, Frames({&d.encrypted, &d.plain}));
  }
  if (d.encrypted.responded) {
    return Check(CaptureStatus::kContradicted, fmt::format("The {} resolvers answered on port {} in the capture: {}.", name,
                                                           d.encrypted.port, Describe(d.encrypted)),
                 filter, Frames({&d.encrypted}));
  }
  return Check(CaptureStatus::kNotCovered,
               fmt::format("The capture holds no {} packet to the resolvers on port {}.", name, d.encrypted.port), "", {});
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
    std::string reason = fmt::format("{}", fmt::join(join(chosen, [](const CaptureFinding& f) { return f.summary; }), " "));
    if (!blocked.empty() && !reachable.empty()) {
      reason += fmt::format(" Other SWG addresses were reachable: {}.",
                            fmt::join(join(reachable, [](const CaptureFinding& f) { return f.subject; }), ", "));
    }
    return Check(blocked.empty() ? CaptureStatus::kContradicted : CaptureStatus::kConfirmed, std::move(reason),
                 fmt::format("{}", fmt::join(join(chosen, [](const CaptureFinding& f) { return f.filter; }), " or ")),
                 std::move(evidence));
  }
  return Check(CaptureStatus::kNotCovered,
               "The capture holds no TCP connection attempt to a known SWG proxy address (learned from a DNS answer "
               "or given with --swg-ip).",
               "", {});
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
                    : CaptureCheck{CaptureStatus::kNotCovered, "The capture stage has no check for this rule.", "", {}};
    // The capture speaks for its own time: say so, and when it disagrees with a log verdict from
    // another time, that the network may have changed in between.
    if (!capture.timing || v.capture->status == CaptureStatus::kNotCovered) continue;
    const CaptureTiming& t = *capture.timing;
    if (v.capture->status == CaptureStatus::kConfirmed) {
      v.capture->reason += fmt::format(" Confirmed as of the capture ({}).", FormatCaptureTime(capture.first_time_ns));
    } else if (t.relation == "after" || t.relation == "before" || t.relation == "unknown") {
      v.capture->reason += " " + t.text +
                           " The network may have changed in between: the log verdict stands for the log's time, the "
                           "capture for its own.";
    }
  }
}

}  // namespace dartdiag
