// The firewall request from a Result: the flow a log verdict needs is declared by its rule
// ("capture": {"firewall": ...} in the pack), the flow a capture finding shows blocked is a table
// here, and the resolvers come from the capture stage's network table. Tested by firewall_request_test.cc.
#include "report/firewall_request.h"

#include "capture/capture.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

namespace dartdiag {
namespace {

// Capture finding verdict -> the ports it shows blocked (DNS); SWG findings use the target's ports.
struct FindingRow {
  std::string_view check, verdict;
  std::initializer_list<uint16_t> ports;
};
const FindingRow kFindingNeeds[] = {
    {"dns", "blocked", {53, 443}}, {"dns", "unencrypted-only", {443}}, {"swg", "blocked-rst", {}},
    {"swg", "blocked-icmp", {}},   {"swg", "blocked-silent", {}},
};

template <typename T>
void AddUnique(std::vector<T>& to, const T& value) {
  if (std::find(to.begin(), to.end(), value) == to.end()) to.push_back(value);
}

FirewallFlow& FlowFor(std::vector<FirewallFlow>& flows, std::string_view protection, std::string_view family) {
  for (FirewallFlow& f : flows) {
    if (f.protection == protection && f.family == family) return f;
  }
  FirewallFlow flow;
  flow.protection = protection;
  flow.family = family;
  if (protection == "dns") {
    for (const CaptureNetwork::Resolver& r : DefaultCaptureNetwork().resolvers) {
      if (r.family == family) flow.destinations.push_back(r.address.ToString());
    }
  }
  flows.push_back(std::move(flow));
  return flows.back();
}

void AddLogVerdicts(const Result& result, std::vector<FirewallFlow>& flows) {
  for (const Verdict& v : result.verdicts) {
    if (v.end_state == EndState::kCleared) continue;  // what held at the end of the log
    const CaptureRef& need = v.capture_ref;           // the flow the rule declares its problem needs
    if (need.ports.empty()) continue;
    FirewallFlow& flow = FlowFor(flows, v.protection, v.protection == "dns" ? v.family : "");
    for (uint16_t port : need.ports) AddUnique(flow.ports, port);
    for (const std::string& p : need.protocols) AddUnique(flow.protocols, p);
    FirewallObservation o;
    o.source = "log";
    o.rule = v.rule;
    o.status = v.status;
    o.status_label = v.status_label;
    if (!v.evidence.empty()) {
      const EvidenceLine& e = v.evidence.back();  // the latest line: the state the log ended in
      o.file = e.file;
      o.line = e.line;
      o.time = e.time;
    }
    flow.observed.push_back(std::move(o));
  }
}

void AddDnsFinding(const CaptureReport& capture, const CaptureFinding& f, const FindingRow& row,
                   std::vector<FirewallFlow>& flows) {
  FirewallFlow& flow = FlowFor(flows, "dns", f.subject);
  for (uint16_t port : row.ports) AddUnique(flow.ports, port);
  for (const DnsPath& p : capture.dns) {
    if (p.family != f.subject || !p.tried() || p.responded()) continue;
    if (std::find(row.ports.begin(), row.ports.end(), p.port) == row.ports.end()) continue;
    AddUnique(flow.protocols, std::string(p.transport == Transport::kTcp ? "tcp" : "udp"));
    FirewallObservation o;
    o.source = "capture";
    o.status = f.verdict;
    o.subject = p.resolver.ToString();
    o.port = p.port;
    o.packets = p.packets_sent;
    o.rsts = p.rsts;
    for (const auto& ref : {p.first_sent, p.last_sent}) {
      if (ref) AddUnique(o.frames, ref->frame);
    }
    flow.observed.push_back(std::move(o));
  }
  if (flow.protocols.empty()) flow.protocols = {"tcp", "udp"};
}

void AddSwgFinding(const CaptureReport& capture, const CaptureFinding& f, std::vector<FirewallFlow>& flows) {
  const auto target = std::find_if(capture.swg.begin(), capture.swg.end(),
                                   [&](const SwgTarget& t) { return t.address.ToString() == f.subject; });
  if (target == capture.swg.end()) return;
  FirewallFlow& flow = FlowFor(flows, "web", "");
  AddUnique(flow.protocols, std::string("tcp"));
  for (uint16_t port : target->ports) AddUnique(flow.ports, port);
  if (target->ports.empty()) AddUnique(flow.ports, uint16_t{443});
  AddUnique(flow.destinations, f.subject);
  if (flow.learned_from.empty()) {
    flow.learned_from = target->source;
    if (target->learned_at) flow.learned_frame = target->learned_at->frame;
  }
  FirewallObservation o;
  o.source = "capture";
  o.status = f.verdict;
  o.subject = f.subject;
  o.packets = target->syns;
  o.rsts = target->rsts;
  for (const FrameRef& ref : target->evidence) AddUnique(o.frames, ref.frame);
  std::sort(o.frames.begin(), o.frames.end());
  flow.observed.push_back(std::move(o));
}

}  // namespace

std::vector<FirewallFlow> FirewallRequest(const Result& result) {
  std::vector<FirewallFlow> flows;
  AddLogVerdicts(result, flows);
  if (result.capture) {
    for (const CaptureFinding& f : result.capture->findings) {
      const auto row = std::find_if(std::begin(kFindingNeeds), std::end(kFindingNeeds),
                                    [&](const FindingRow& r) { return r.check == f.check && r.verdict == f.verdict; });
      if (row == std::end(kFindingNeeds)) continue;
      if (f.check == "dns") AddDnsFinding(*result.capture, f, *row, flows);
      if (f.check == "swg") AddSwgFinding(*result.capture, f, flows);
    }
  }
  for (FirewallFlow& f : flows) {
    std::sort(f.ports.begin(), f.ports.end());
    std::sort(f.protocols.begin(), f.protocols.end());
  }
  std::stable_sort(flows.begin(), flows.end(), [](const FirewallFlow& a, const FirewallFlow& b) {
    return std::tie(a.protection, a.family) < std::tie(b.protection, b.family);
  });
  return flows;
}

std::vector<std::string> FirewallRequestLines(const std::vector<FirewallFlow>& flows, Lang lang) {
  std::vector<std::string> lines;
  if (flows.empty()) {
    lines.push_back(Say(lang, Msg::kFirewallNone));
    return lines;
  }
  lines.push_back(Say(lang, Msg::kFirewallIntro));
  const std::string separator(MessageText(Msg::kListSeparator, lang));
  for (const FirewallFlow& f : flows) {
    std::vector<std::string> protocols, ports;
    for (const std::string& p : f.protocols) protocols.push_back(p == "tcp" ? "TCP" : p == "udp" ? "UDP" : p);
    for (uint16_t p : f.ports) ports.push_back(fmt::format("{}", p));
    std::string destinations;
    if (f.destinations.empty()) {
      destinations = Say(lang, Msg::kFirewallSwgRegion);
    } else if (f.protection == "web" && !f.learned_from.empty()) {
      const std::string how = f.learned_from == "dns"
                                  ? Say(lang, Msg::kFirewallLearnedDns, fmt::arg("frame", f.learned_frame))
                                  : Say(lang, Msg::kFirewallLearnedFlag);
      destinations = Say(lang, Msg::kFirewallSwgLearned, fmt::arg("address", fmt::join(f.destinations, separator)),
                         fmt::arg("how", how));
    } else {
      destinations = fmt::format("{}", fmt::join(f.destinations, separator));
    }
    lines.push_back("");
    lines.push_back(Say(lang, Msg::kFirewallAllow, fmt::arg("protocol", fmt::join(protocols, "+")),
                        fmt::arg("ports", fmt::join(ports, "+")), fmt::arg("destinations", destinations)));
    const std::string family = f.family == "ipv6" ? "IPv6" : "IPv4";
    lines.push_back("  " + Say(lang, Msg::kFirewallFor,
                               fmt::arg("purpose", f.protection == "dns"
                                                       ? Say(lang, Msg::kFirewallPurposeDns, fmt::arg("family", family))
                                                       : Say(lang, Msg::kFirewallPurposeWeb))));
    for (const FirewallObservation& o : f.observed) {
      std::string what;
      if (o.source == "log") {
        what = Say(lang, Msg::kFirewallObservedLog,
                   fmt::arg("status", lang == Lang::kEn || o.status_label.empty() ? o.status : o.status_label),
                   fmt::arg("file", o.file), fmt::arg("line", o.line), fmt::arg("time", o.time.empty() ? "-" : o.time));
      } else if (f.protection == "dns") {
        what = o.subject + ": " +
               Say(lang, Msg::kFirewallObservedDnsCapture, fmt::arg("sent", o.packets), fmt::arg("port", o.port),
                   fmt::arg("first", o.frames.empty() ? 0 : o.frames.front()),
                   fmt::arg("last", o.frames.empty() ? 0 : o.frames.back()));
      } else {
        what = Say(lang, Msg::kFirewallObservedSwgCapture, fmt::arg("syns", o.packets), fmt::arg("address", o.subject),
                   fmt::arg("rsts", o.rsts), fmt::arg("first", o.frames.empty() ? 0 : o.frames.front()),
                   fmt::arg("last", o.frames.empty() ? 0 : o.frames.back()));
      }
      lines.push_back("  " + Say(lang, Msg::kFirewallObserved, fmt::arg("what", what)));
    }
  }
  return lines;
}

}  // namespace dartdiag
