// The network facts the capture stage looks for, kept as one data table (the OpenDNS resolvers,
// the DNS ports, the SWG proxy name patterns; see docs/architecture.md), and IP address text
// forms. Tested by capture_test.cc.
#include <arpa/inet.h>

#include <cstring>

#include "capture/capture.h"

namespace dartdiag {
namespace {

struct ResolverRow {
  const char* address;
  const char* family;
};

// Cisco's published DNS-protection destinations (UDP and TCP, ports 53 and 443).
constexpr ResolverRow kResolvers[] = {
    {"208.67.222.222", "ipv4"},
    {"208.67.220.220", "ipv4"},
    {"2620:119:35::35", "ipv6"},
    {"2620:119:53::53", "ipv6"},
};

// Encrypted first: the client probes 443, then falls back to 53.
constexpr uint16_t kDnsPorts[] = {443, 53};

// SWG proxy names (Umbrella, Secure Access and regional variants, and the explicit-proxy name),
// matched against lowercase DNS names without the trailing dot.
constexpr const char* kSwgNamePatterns[] = {
    R"(^swg-url-proxy-https[a-z0-9-]*\.sigproxy\.)",
    R"(^proxy\.sig\.umbrella\.com$)",
};

}  // namespace

const CaptureNetwork& DefaultCaptureNetwork() {
  static const CaptureNetwork network = [] {
    CaptureNetwork n;
    for (const ResolverRow& row : kResolvers) n.resolvers.push_back({*IpAddress::Parse(row.address), row.family});
    n.dns_ports.assign(std::begin(kDnsPorts), std::end(kDnsPorts));
    n.swg_name_patterns.assign(std::begin(kSwgNamePatterns), std::end(kSwgNamePatterns));
    return n;
  }();
  return network;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family == 4) return inet_ntop(AF_INET, bytes.data(), text, sizeof(text)) ? text : "";
  if (family == 6) return inet_ntop(AF_INET6, bytes.data(), text, sizeof(text)) ? text : "";
  return "";
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  const std::string s(text);
  IpAddress address;
  if (inet_pton(AF_INET, s.c_str(), address.bytes.data()) == 1) {
    address.family = 4;
    return address;
  }
  address = IpAddress{};
  if (inet_pton(AF_INET6, s.c_str(), address.bytes.data()) == 1) {
    address.family = 6;
    return address;
  }
  return std::nullopt;
}

std::string_view TransportName(Transport transport) {
  switch (transport) {
    case Transport::kUdp: return "udp";
    case Transport::kTcp: return "tcp";
    case Transport::kIcmp: return "icmp";
    case Transport::kOther: break;
  }
  return "other";
}

}  // namespace dartdiag
