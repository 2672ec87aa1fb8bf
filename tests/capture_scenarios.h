// The client's side of the reference cases as packet frames, shared by the capture tests: the
// DNS probes to the resolvers on 443 and 53, TCP to the SWG proxy, and the proxy's resolution
// through a CNAME chain. Built with capture_builder.h.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "capture_builder.h"

namespace dartdiag::testing {

inline constexpr const char* kClient = "192.168.1.20";
inline constexpr const char* kClient6 = "2001:db8::20";
inline constexpr const char* kR1 = "208.67.222.222";
inline constexpr const char* kR2 = "208.67.220.220";
inline constexpr const char* kR1v6 = "2620:119:35::35";
inline constexpr const char* kR2v6 = "2620:119:53::53";
inline constexpr const char* kSwg = "18.135.112.200";
inline constexpr uint16_t kTxt = 16;
inline constexpr uint8_t kSyn = 0x02, kRst = 0x04, kAck = 0x10;

using Wrap = std::function<std::string(const std::string&)>;
std::string EthernetWrap(const std::string& ip);  // Ethernet(ip), as a Wrap

// The client probes each resolver on 443, then on 53, with TXT debug.opendns.com: one query per
// resolver and port, sent `tries` times one second apart, or answered at once on `answered` ports.
std::vector<Frame> DnsProbes(std::vector<std::string> resolvers, std::set<uint16_t> answered, int tries = 3,
                             const std::string& client = kClient, const Wrap& wrap = EthernetWrap);

// TCP to the SWG address: `attempts` SYNs of one connection (the first, then retransmissions),
// then the server's answer: "rst", "synack" (and the client's ACK), or "" (nothing).
std::vector<Frame> SwgConnection(const std::string& answer, int attempts = 3, double start = 100);

// The reference case's resolution: the proxy name, a CNAME chain to an AWS load balancer.
Frame SwgResolution(double at);

template <typename... Parts>
std::vector<Frame> Concat(Parts... parts) {
  std::vector<Frame> out;
  (out.insert(out.end(), parts.begin(), parts.end()), ...);
  return out;
}

}  // namespace dartdiag::testing
