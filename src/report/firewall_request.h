// The firewall request: what the network team must allow through the perimeter firewall for the
// client to reach its cloud service, computed once from a Result (the verdicts still holding and
// the capture's blocked findings) and written by the text, JSON and HTML reports alike. Tested by
// firewall_request_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dartdiag/analysis.h"
#include "messages.h"

namespace dartdiag {

// Why a flow is asked for: a log verdict (its first evidence line) or a capture finding (frames).
struct FirewallObservation {
  std::string source;        // "log" or "capture"
  std::string rule;          // log: the verdict's rule id
  std::string status;        // log: the status the client showed; capture: the finding's verdict
  std::string status_label;  // log: the status in the report's language (Verdict::status_label)
  std::string file;          // log: the evidence line's archive path
  uint64_t line = 0;
  std::string time;
  std::string subject;             // capture: "ipv4"/"ipv6" or the SWG address
  uint16_t port = 0;               // capture, DNS: the port with no answer (0: all ports of the flow)
  uint64_t packets = 0, rsts = 0;  // capture: packets (or SYNs) sent, RSTs back
  std::vector<uint64_t> frames;    // capture: frame numbers behind it, in order
};

// One flow to allow: outbound from the PC's network to `destinations` on `protocols` x `ports`.
struct FirewallFlow {
  std::string protection;              // "dns" or "web"
  std::string family;                  // "ipv4", "ipv6", or "" (web)
  std::vector<std::string> protocols;  // "tcp", "udp"
  std::vector<uint16_t> ports;
  std::vector<std::string> destinations;  // addresses; empty: the SWG ingress ranges of the user's region
  std::string direction = "outbound";
  // web: the SWG address came from the capture (a DNS answer in `learned_frame`, or --swg-ip)
  std::string learned_from;  // "dns", "--swg-ip" or ""
  uint64_t learned_frame = 0;
  std::vector<FirewallObservation> observed;
};

// The flows, DNS per family first, then web; empty when nothing says the network blocks the client.
std::vector<FirewallFlow> FirewallRequest(const Result& result);

// The block as plain lines, in `lang`, to paste into a change ticket (no escaping: the writers
// escape for their medium).
std::vector<std::string> FirewallRequestLines(const std::vector<FirewallFlow>& flows, Lang lang);

}  // namespace dartdiag
