// Frames of the reference cases (see capture_scenarios.h).
#include "capture_scenarios.h"

namespace dartdiag::testing {

std::string EthernetWrap(const std::string& ip) { return Ethernet(ip); }

// The client probes each resolver on 443, then on 53, with TXT debug.opendns.com: one query per
// resolver and port, sent `tries` times one second apart, or answered at once on `answered` ports.
std::vector<Frame> DnsProbes(std::vector<std::string> resolvers, std::set<uint16_t> answered, int tries,
                             const std::string& client, const Wrap& wrap) {
  std::vector<Frame> frames;
  double t = 0;
  uint16_t id = 0x1000;
  for (uint16_t port : {uint16_t{443}, uint16_t{53}}) {
    for (const std::string& resolver : resolvers) {
      const std::string query = DnsQuery(id, "debug.opendns.com", kTxt);
      const uint16_t client_port = static_cast<uint16_t>(50000 + id % 100);
      if (answered.count(port) > 0) {
        frames.push_back({t, wrap(Udp(client, resolver, client_port, port, query))});
        frames.push_back({t + 0.025, wrap(Udp(resolver, client, port, client_port,
                                              DnsResponse(id, "debug.opendns.com", kTxt, {})))});
      } else {
        for (int i = 0; i < tries; ++i)
          frames.push_back({t + i, wrap(Udp(client, resolver, client_port, port, query))});
      }
      t += tries;
      ++id;
    }
  }
  return frames;
}

// TCP to the SWG address: `attempts` SYNs of one connection (the first, then retransmissions),
// then the server's answer: "rst", "synack" (and the client's ACK), or "" (nothing).
std::vector<Frame> SwgConnection(const std::string& answer, int attempts, double start) {
  std::vector<Frame> frames;
  for (int i = 0; i < attempts; ++i)
    frames.push_back({start + i, Ethernet(Tcp(kClient, kSwg, 51000, 443, kSyn, 7777))});
  if (answer == "rst") frames.push_back({start + 0.01, Ethernet(Tcp(kSwg, kClient, 443, 51000, kRst | kAck, 0))});
  if (answer == "synack") {
    frames.push_back({start + 0.02, Ethernet(Tcp(kSwg, kClient, 443, 51000, kSyn | kAck, 1))});
    frames.push_back({start + 0.03, Ethernet(Tcp(kClient, kSwg, 51000, 443, kAck, 7778))});
  }
  return frames;
}

// The reference case's resolution: the proxy name, a CNAME chain to an AWS load balancer.
Frame SwgResolution(double at) {
  const std::string name = "swg-url-proxy-https-sse.sigproxy.qq.opendns.com";
  return {at, Ethernet(Udp("192.168.1.1", kClient, 53, 53000,
                           DnsResponse(0x4242, name, 1,
                                       {{name, "CNAME", "swg-proxy_eu-west-2_1_1n.sigproxy.aws.umbrella.com"},
                                        {"swg-proxy_eu-west-2_1_1n.sigproxy.aws.umbrella.com", "CNAME",
                                         "swg-nlb-eu-west-2.elb.amazonaws.com"},
                                        {"swg-nlb-eu-west-2.elb.amazonaws.com", "A", kSwg}})))};
}

}  // namespace dartdiag::testing
