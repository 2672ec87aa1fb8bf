// Builds packet captures at test time: IP/UDP/TCP/ICMP packets and DNS messages byte by byte,
// link layers around them (Ethernet with VLAN tags, Linux SLL and SLL2, BSD null), and files:
// pcap written by libpcap (pcap_open_dead + pcap_dump), pcapng built by hand with several
// interfaces. Used by capture_test.cc, and by capture_scenarios.cc for the other capture tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dartdiag::testing {

// 2024-08-27T03:07:43Z, the time of the reference log's first probe.
inline constexpr int64_t kCaptureStartSeconds = 1724728063;

struct DnsAnswer {
  std::string name;
  std::string type;   // "A", "AAAA" or "CNAME"
  std::string value;  // address text, or the CNAME target
};

std::string DnsQuery(uint16_t id, const std::string& name, uint16_t qtype);
std::string DnsResponse(uint16_t id, const std::string& name, uint16_t qtype, const std::vector<DnsAnswer>& answers);

// IP packets; the family follows the address text. Checksums are left zero.
std::string Udp(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport,
                const std::string& payload);
std::string Tcp(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport, uint8_t flags,
                uint32_t seq, const std::string& payload = "");
// An ICMP (or ICMPv6) destination unreachable from `router` to `client` quoting `original`.
std::string IcmpUnreachable(const std::string& router, const std::string& client, const std::string& original);

// Link layers around an IP packet.
std::string Ethernet(const std::string& ip, const std::vector<uint16_t>& vlan_tpids = {});
std::string LinuxSll(const std::string& ip);
std::string LinuxSll2(const std::string& ip);
std::string BsdNull(const std::string& ip);  // AF_INET 2 / AF_INET6 30, host (little-endian) order

struct Frame {
  double seconds = 0;  // after kCaptureStartSeconds
  std::string bytes;
  uint32_t interface = 0;  // pcapng only
};

// A pcap file of `link_type` (DLT_*) written by libpcap.
std::string WritePcap(int link_type, const std::vector<Frame>& frames);

struct PcapngInterface {
  int link_type = 1;
  uint32_t snap_length = 262144;
};
// A little-endian pcapng with one section, the interfaces given, and one enhanced packet block per
// frame (microsecond time stamps).
std::string WritePcapng(const std::vector<PcapngInterface>& interfaces, const std::vector<Frame>& frames);

}  // namespace dartdiag::testing
