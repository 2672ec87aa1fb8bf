// Frame decoding: link layer (Ethernet with 802.1Q/QinQ tags, Linux cooked SLL and SLL2, raw IP,
// BSD loopback/null), IPv4 and IPv6 (with extension headers), then UDP, TCP and ICMP errors, into
// a Packet. Every read is bounds-checked against the captured bytes; short or inconsistent headers
// make the frame malformed, never a crash. Tested by capture_test.cc and fuzz_capture.cc.
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "capture/capture_internal.h"

namespace dartdiag::capture {
namespace {

// LINKTYPE_* values of the pcap and pcapng formats (libpcap's DLT_RAW is 12, or 14 on OpenBSD).
constexpr int kLinkNull = 0, kLinkEthernet = 1, kLinkRawDlt = 12, kLinkRawDltOpenBsd = 14, kLinkRaw = 101,
              kLinkLoop = 108, kLinkSll = 113, kLinkIpv4 = 228, kLinkIpv6 = 229, kLinkSll2 = 276;

constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86DD;
constexpr int kMaxVlanTags = 4;
constexpr int kMaxIpv6ExtensionHeaders = 8;

uint16_t Be16(std::string_view b, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(b[at]) << 8) | static_cast<uint8_t>(b[at + 1]));
}
uint32_t Be32(std::string_view b, size_t at) { return (uint32_t{Be16(b, at)} << 16) | Be16(b, at + 2); }
uint8_t Byte(std::string_view b, size_t at) { return static_cast<uint8_t>(b[at]); }

IpAddress AddressAt(std::string_view b, size_t at, uint8_t family) {
  IpAddress a;
  a.family = family;
  std::memcpy(a.bytes.data(), b.data() + at, family == 4 ? 4 : 16);
  return a;
}

DecodeStatus DecodeIp(std::string_view ip, Packet& out, bool inner);

// An ICMP destination-unreachable body: the IP header and first 8 bytes of the packet it reports.
void DecodeUnreachable(std::string_view quoted, Packet& out) {
  Packet reported;
  if (DecodeIp(quoted, reported, /*inner=*/true) != DecodeStatus::kIp) return;
  out.unreachable = true;
  out.inner_dst = reported.dst;
  out.inner_transport = reported.transport;
  out.inner_src_port = reported.src_port;
  out.inner_dst_port = reported.dst_port;
}

DecodeStatus DecodeTransport(uint8_t protocol, std::string_view t, Packet& out, bool inner) {
  switch (protocol) {
    case 17: {  // UDP
      if (t.size() < 8) return inner ? DecodeStatus::kIp : DecodeStatus::kMalformed;
      out.transport = Transport::kUdp;
      out.src_port = Be16(t, 0);
      out.dst_port = Be16(t, 2);
      const uint16_t length = Be16(t, 4);
      if (!inner && length < 8) return DecodeStatus::kMalformed;
      out.payload = t.substr(8, length >= 8 ? length - 8u : 0);
      return DecodeStatus::kIp;
    }
    case 6: {  // TCP; an ICMP error quotes only the ports and sequence number
      if (t.size() < (inner ? 8u : 20u)) return inner ? DecodeStatus::kIp : DecodeStatus::kMalformed;
      out.transport = Transport::kTcp;
      out.src_port = Be16(t, 0);
      out.dst_port = Be16(t, 2);
      out.tcp_seq = Be32(t, 4);
      if (inner) return DecodeStatus::kIp;
      const size_t header = static_cast<size_t>(Byte(t, 12) >> 4) * 4;
      if (header < 20) return DecodeStatus::kMalformed;
      out.tcp_flags = Byte(t, 13);
      out.payload = header <= t.size() ? t.substr(header) : std::string_view();
      return DecodeStatus::kIp;
    }
    case 1:     // ICMP
    case 58: {  // ICMPv6
      out.transport = Transport::kIcmp;
      if (inner || t.size() < 8) return DecodeStatus::kIp;
      const uint8_t type = Byte(t, 0);
      if ((protocol == 1 && type == 3) || (protocol == 58 && type == 1)) DecodeUnreachable(t.substr(8), out);
      return DecodeStatus::kIp;
    }
    default: out.transport = Transport::kOther; return DecodeStatus::kIp;
  }
}

DecodeStatus DecodeIpv4(std::string_view b, Packet& out, bool inner) {
  if (b.size() < 20) return DecodeStatus::kMalformed;
  const size_t header = size_t{Byte(b, 0) & 0x0Fu} * 4;
  const size_t total = Be16(b, 2);
  if (header < 20 || header > b.size() || (!inner && total < header)) return DecodeStatus::kMalformed;
  out.src = AddressAt(b, 12, 4);
  out.dst = AddressAt(b, 16, 4);
  const size_t end = inner || total > b.size() ? b.size() : total;  // the snap length may cut it
  if ((Be16(b, 6) & 0x1FFF) != 0) return DecodeStatus::kIp;         // a later fragment: no transport header
  return DecodeTransport(Byte(b, 9), b.substr(header, end - header), out, inner);
}

DecodeStatus DecodeIpv6(std::string_view b, Packet& out, bool inner) {
  if (b.size() < 40) return DecodeStatus::kMalformed;
  out.src = AddressAt(b, 8, 6);
  out.dst = AddressAt(b, 24, 6);
  const size_t payload = Be16(b, 4);
  const size_t end = inner || payload == 0 || 40 + payload > b.size() ? b.size() : 40 + payload;
  uint8_t next = Byte(b, 6);
  size_t at = 40;
  for (int i = 0; i < kMaxIpv6ExtensionHeaders; ++i) {
    size_t length = 0;
    if (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
      if (at + 2 > end) return DecodeStatus::kMalformed;
      length = (size_t{Byte(b, at + 1)} + 1) * 8;
    } else if (next == 44) {  // fragment
      if (at + 8 > end) return DecodeStatus::kMalformed;
      if ((Be16(b, at + 2) >> 3) != 0) return DecodeStatus::kIp;  // a later fragment
      length = 8;
    } else if (next == 51) {  // authentication header
      if (at + 2 > end) return DecodeStatus::kMalformed;
      length = (size_t{Byte(b, at + 1)} + 2) * 4;
    } else {
      break;
    }
    if (at + length > end) return DecodeStatus::kMalformed;
    next = Byte(b, at);
    at += length;
  }
  return DecodeTransport(next, b.substr(at, end - at), out, inner);
}

DecodeStatus DecodeIp(std::string_view ip, Packet& out, bool inner) {
  if (ip.empty()) return DecodeStatus::kMalformed;
  switch (Byte(ip, 0) >> 4) {
    case 4: return DecodeIpv4(ip, out, inner);
    case 6: return DecodeIpv6(ip, out, inner);
    default: return DecodeStatus::kMalformed;
  }
}

// An EtherType (after any VLAN tags starting at `at`) to the IP decoder.
DecodeStatus DecodeEtherType(uint16_t type, std::string_view b, size_t at, Packet& out) {
  for (int tags = 0; type == 0x8100 || type == 0x88A8 || type == 0x9100; ++tags) {
    if (tags == kMaxVlanTags || at + 4 > b.size()) return DecodeStatus::kMalformed;
    type = Be16(b, at + 2);
    at += 4;
  }
  if (type != kEtherIpv4 && type != kEtherIpv6) return DecodeStatus::kNotIp;
  const DecodeStatus status = DecodeIp(b.substr(at), out, false);
  if (status == DecodeStatus::kIp && (out.src.family == 4) != (type == kEtherIpv4)) return DecodeStatus::kMalformed;
  return status;
}

// BSD loopback: a 4-byte address family in the capturing host's byte order (null) or big endian
// (loop). AF_INET is 2 everywhere; AF_INET6 is 10, 23, 24, 28 or 30 depending on the OS.
DecodeStatus DecodeLoopback(std::string_view b, Packet& out) {
  if (b.size() < 4) return DecodeStatus::kMalformed;
  const uint32_t big = Be32(b, 0);
  const uint32_t little =
      (uint32_t{Byte(b, 3)} << 24) | (uint32_t{Byte(b, 2)} << 16) | (uint32_t{Byte(b, 1)} << 8) | Byte(b, 0);
  const auto known = [](uint32_t family) {
    return family == 2 || family == 10 || family == 23 || family == 24 || family == 28 || family == 30;
  };
  if (!known(big) && !known(little)) return DecodeStatus::kNotIp;
  return DecodeIp(b.substr(4), out, false);
}

}  // namespace

DecodeStatus DecodeFrame(int link_type, std::string_view bytes, Packet& out) {
  switch (link_type) {
    case kLinkEthernet:
      if (bytes.size() < 14) return DecodeStatus::kMalformed;
      return DecodeEtherType(Be16(bytes, 12), bytes, 14, out);
    case kLinkSll:
      if (bytes.size() < 16) return DecodeStatus::kMalformed;
      return DecodeEtherType(Be16(bytes, 14), bytes, 16, out);
    case kLinkSll2:
      if (bytes.size() < 20) return DecodeStatus::kMalformed;
      return DecodeEtherType(Be16(bytes, 0), bytes, 20, out);
    case kLinkNull:
    case kLinkLoop: return DecodeLoopback(bytes, out);
    case kLinkRaw:
    case kLinkRawDlt:
    case kLinkRawDltOpenBsd: return DecodeIp(bytes, out, false);
    case kLinkIpv4:
      return !bytes.empty() && Byte(bytes, 0) >> 4 == 4 ? DecodeIp(bytes, out, false) : DecodeStatus::kMalformed;
    case kLinkIpv6:
      return !bytes.empty() && Byte(bytes, 0) >> 4 == 6 ? DecodeIp(bytes, out, false) : DecodeStatus::kMalformed;
    default: return DecodeStatus::kUnsupportedLink;
  }
}

std::string Describe(const Packet& packet) {
  const auto endpoint = [](const IpAddress& a, uint16_t port) {
    return a.family == 6 ? fmt::format("[{}]:{}", a.ToString(), port) : fmt::format("{}:{}", a.ToString(), port);
  };
  if (packet.transport != Transport::kUdp && packet.transport != Transport::kTcp) {
    return fmt::format("{} {} -> {}", packet.transport == Transport::kIcmp ? "ICMP" : "IP", packet.src.ToString(),
                       packet.dst.ToString());
  }
  std::string text = fmt::format("{} {} -> {}", packet.transport == Transport::kUdp ? "UDP" : "TCP",
                                 endpoint(packet.src, packet.src_port), endpoint(packet.dst, packet.dst_port));
  if (packet.transport == Transport::kTcp) {
    std::vector<std::string_view> flags;
    if (packet.tcp_flags & kTcpSyn) flags.push_back("SYN");
    if (packet.tcp_flags & kTcpRst) flags.push_back("RST");
    if (packet.tcp_flags & kTcpFin) flags.push_back("FIN");
    if (packet.tcp_flags & kTcpAck) flags.push_back("ACK");
    if (!flags.empty()) text += fmt::format(" [{}]", fmt::join(flags, ", "));
  }
  return text;
}

std::string LinkTypeName(int link_type) {
  switch (link_type) {
    case kLinkNull: return "null";
    case kLinkEthernet: return "ethernet";
    case kLinkRaw:
    case kLinkRawDlt:
    case kLinkRawDltOpenBsd: return "raw";
    case kLinkLoop: return "loop";
    case kLinkSll: return "linux-sll";
    case kLinkIpv4: return "ipv4";
    case kLinkIpv6: return "ipv6";
    case kLinkSll2: return "linux-sll2";
    default: return "linktype-" + std::to_string(link_type);
  }
}

}  // namespace dartdiag::capture
