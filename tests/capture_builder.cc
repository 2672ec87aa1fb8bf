// Test captures built byte by byte: see capture_builder.h.
#include "capture_builder.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <stdexcept>

#include "test_support.h"

namespace dartdiag::testing {
namespace {

void Put16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xFF));
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v >> 16));
  Put16(out, static_cast<uint16_t>(v & 0xFFFF));
}
void PutLe16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}
void PutLe32(std::string& out, uint32_t v) {
  PutLe16(out, static_cast<uint16_t>(v & 0xFFFF));
  PutLe16(out, static_cast<uint16_t>(v >> 16));
}

bool IsV6(const std::string& address) { return address.find(':') != std::string::npos; }

std::string AddressBytes(const std::string& text) {
  unsigned char bytes[16] = {};
  const bool v6 = IsV6(text);
  if (inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), bytes) != 1) throw std::invalid_argument("bad address " + text);
  return std::string(reinterpret_cast<const char*>(bytes), v6 ? 16 : 4);
}

std::string Name(const std::string& dotted) {
  std::string out;
  size_t start = 0;
  while (start < dotted.size()) {
    size_t end = dotted.find('.', start);
    if (end == std::string::npos) end = dotted.size();
    out.push_back(static_cast<char>(end - start));
    out += dotted.substr(start, end - start);
    start = end + 1;
  }
  out.push_back('\0');
  return out;
}

std::string Header(uint16_t id, uint16_t flags, uint16_t answers) {
  std::string out;
  Put16(out, id);
  Put16(out, flags);
  Put16(out, 1);
  Put16(out, answers);
  Put16(out, 0);
  Put16(out, 0);
  return out;
}

std::string Question(const std::string& name, uint16_t qtype) {
  std::string out = Name(name);
  Put16(out, qtype);
  Put16(out, 1);
  return out;
}

std::string Ip(const std::string& src, const std::string& dst, uint8_t protocol, const std::string& body) {
  std::string out;
  if (IsV6(src)) {
    Put32(out, 0x60000000);
    Put16(out, static_cast<uint16_t>(body.size()));
    out.push_back(static_cast<char>(protocol));
    out.push_back(64);
  } else {
    out.push_back(0x45);
    out.push_back(0);
    Put16(out, static_cast<uint16_t>(20 + body.size()));
    Put32(out, 0);  // id, flags, fragment offset
    out.push_back(64);
    out.push_back(static_cast<char>(protocol));
    Put16(out, 0);  // checksum
  }
  return out + AddressBytes(src) + AddressBytes(dst) + body;
}

}  // namespace

std::string DnsQuery(uint16_t id, const std::string& name, uint16_t qtype) {
  return Header(id, 0x0100, 0) + Question(name, qtype);
}

std::string DnsResponse(uint16_t id, const std::string& name, uint16_t qtype, const std::vector<DnsAnswer>& answers) {
  std::string out = Header(id, 0x8180, static_cast<uint16_t>(answers.size())) + Question(name, qtype);
  for (const DnsAnswer& a : answers) {
    out += Name(a.name);
    const std::string data = a.type == "CNAME" ? Name(a.value) : AddressBytes(a.value);
    Put16(out, a.type == "CNAME" ? 5 : a.type == "AAAA" ? 28 : 1);
    Put16(out, 1);
    Put32(out, 60);
    Put16(out, static_cast<uint16_t>(data.size()));
    out += data;
  }
  return out;
}

std::string Udp(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport,
                const std::string& payload) {
  std::string udp;
  Put16(udp, sport);
  Put16(udp, dport);
  Put16(udp, static_cast<uint16_t>(8 + payload.size()));
  Put16(udp, 0);
  return Ip(src, dst, 17, udp + payload);
}

std::string Tcp(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport, uint8_t flags,
                uint32_t seq, const std::string& payload) {
  std::string tcp;
  Put16(tcp, sport);
  Put16(tcp, dport);
  Put32(tcp, seq);
  Put32(tcp, 0);  // ack
  tcp.push_back(0x50);
  tcp.push_back(static_cast<char>(flags));
  Put16(tcp, 64240);
  Put32(tcp, 0);  // checksum, urgent pointer
  return Ip(src, dst, 6, tcp + payload);
}

std::string IcmpUnreachable(const std::string& router, const std::string& client, const std::string& original) {
  const bool v6 = IsV6(router);
  std::string icmp;
  icmp.push_back(v6 ? 1 : 3);   // destination unreachable
  icmp.push_back(v6 ? 1 : 13);  // administratively prohibited
  Put16(icmp, 0);
  Put32(icmp, 0);
  return Ip(router, client, v6 ? 58 : 1, icmp + original.substr(0, (v6 ? 40 : 20) + 8));
}

std::string Ethernet(const std::string& ip, const std::vector<uint16_t>& vlan_tpids) {
  std::string out("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
  uint16_t vid = 10;
  for (uint16_t tpid : vlan_tpids) {
    Put16(out, tpid);
    Put16(out, vid++);
  }
  Put16(out, (ip[0] >> 4) == 6 ? 0x86DD : 0x0800);
  return out + ip;
}

std::string LinuxSll(const std::string& ip) {
  std::string out;
  Put16(out, 4);  // sent by us
  Put16(out, 1);  // ARPHRD_ETHER
  Put16(out, 6);
  out += std::string("\x00\x11\x22\x33\x44\x55\x00\x00", 8);
  Put16(out, (ip[0] >> 4) == 6 ? 0x86DD : 0x0800);
  return out + ip;
}

std::string LinuxSll2(const std::string& ip) {
  std::string out;
  Put16(out, (ip[0] >> 4) == 6 ? 0x86DD : 0x0800);
  Put16(out, 0);     // reserved
  Put32(out, 2);     // interface index
  Put16(out, 1);     // ARPHRD_ETHER
  out.push_back(4);  // outgoing
  out.push_back(6);
  out += std::string("\x00\x11\x22\x33\x44\x55\x00\x00", 8);
  return out + ip;
}

std::string BsdNull(const std::string& ip) {
  std::string out;
  PutLe32(out, (ip[0] >> 4) == 6 ? 30 : 2);
  return out + ip;
}

std::string WritePcap(int link_type, const std::vector<Frame>& frames) {
  TempDir dir;
  const std::string path = (dir.path() / "out.pcap").string();
  pcap_t* dead = pcap_open_dead(link_type, 262144);
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  if (dumper == nullptr) throw std::runtime_error(pcap_geterr(dead));
  for (const Frame& f : frames) {
    pcap_pkthdr header{};
    const auto micros = static_cast<int64_t>(f.seconds * 1e6 + 0.5);
    header.ts.tv_sec = kCaptureStartSeconds + micros / 1000000;
    header.ts.tv_usec = micros % 1000000;
    header.caplen = header.len = static_cast<bpf_u_int32>(f.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, reinterpret_cast<const u_char*>(f.bytes.data()));
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
  return ReadBytes(path);
}

std::string WritePcapng(const std::vector<PcapngInterface>& interfaces, const std::vector<Frame>& frames) {
  const auto block = [](uint32_t type, const std::string& body) {
    std::string padded = body;
    while (padded.size() % 4 != 0) padded.push_back('\0');
    std::string out;
    PutLe32(out, type);
    PutLe32(out, static_cast<uint32_t>(padded.size() + 12));
    out += padded;
    PutLe32(out, static_cast<uint32_t>(padded.size() + 12));
    return out;
  };
  std::string shb;
  PutLe32(shb, 0x1A2B3C4D);
  PutLe16(shb, 1);
  PutLe16(shb, 0);
  PutLe32(shb, 0xFFFFFFFF);  // section length unknown
  PutLe32(shb, 0xFFFFFFFF);
  std::string out = block(0x0A0D0D0A, shb);
  for (const PcapngInterface& i : interfaces) {
    std::string idb;
    PutLe16(idb, static_cast<uint16_t>(i.link_type));
    PutLe16(idb, 0);
    PutLe32(idb, i.snap_length);
    out += block(1, idb);
  }
  for (const Frame& f : frames) {
    const auto micros =
        static_cast<uint64_t>(kCaptureStartSeconds) * 1000000 + static_cast<uint64_t>(f.seconds * 1e6 + 0.5);
    std::string epb;
    PutLe32(epb, f.interface);
    PutLe32(epb, static_cast<uint32_t>(micros >> 32));
    PutLe32(epb, static_cast<uint32_t>(micros & 0xFFFFFFFF));
    PutLe32(epb, static_cast<uint32_t>(f.bytes.size()));
    PutLe32(epb, static_cast<uint32_t>(f.bytes.size()));
    out += block(6, epb + f.bytes);
  }
  return out;
}

}  // namespace dartdiag::testing
