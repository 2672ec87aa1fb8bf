// DNS in the capture: a bounded, defensive DNS message parser (question, answers with CNAME, A and
// AAAA; compression jumps, name lengths and records capped), and the tracker that counts, per
// OpenDNS resolver address, transport and port, the packets and queries sent, retransmissions,
// answers and time to answer. Tested by capture_test.cc and fuzz_capture.cc.
#include <algorithm>

#include <fmt/format.h>

#include "capture/capture_internal.h"

namespace dartdiag::capture {
namespace {

constexpr size_t kMaxNameBytes = 255;
constexpr int kMaxCompressionJumps = 32;
constexpr uint16_t kMaxAnswers = 64;
constexpr size_t kMaxTrackedQueries = 100000;  // pending queries kept for matching answers
constexpr size_t kMaxAnswerSamples = 10000;    // per path, for the time-to-answer figures
constexpr size_t kMaxNamesPerPath = 1000;      // distinct (type, name) pairs counted per path
constexpr size_t kNamesReported = 10;

uint16_t Be16(std::string_view b, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(b[at]) << 8) | static_cast<uint8_t>(b[at + 1]));
}

// Reads a possibly compressed name at `at`, lowercased; `at` moves past it in the message.
bool ReadName(std::string_view m, size_t& at, std::string& out) {
  out.clear();
  size_t pos = at;
  bool jumped = false;
  for (int jumps = 0;;) {
    if (pos >= m.size()) return false;
    const uint8_t length = static_cast<uint8_t>(m[pos]);
    if ((length & 0xC0) == 0xC0) {
      if (pos + 1 >= m.size() || ++jumps > kMaxCompressionJumps) return false;
      if (!jumped) at = pos + 2;
      jumped = true;
      pos = (size_t{length & 0x3Fu} << 8) | static_cast<uint8_t>(m[pos + 1]);
      continue;
    }
    if ((length & 0xC0) != 0) return false;  // obsolete label types
    if (length == 0) {
      if (!jumped) at = pos + 1;
      return true;
    }
    if (pos + 1 + length > m.size() || out.size() + length + 1 > kMaxNameBytes) return false;
    if (!out.empty()) out += '.';
    for (size_t i = pos + 1; i <= pos + length; ++i) {
      const unsigned char c = static_cast<unsigned char>(m[i]);
      out += c > 0x20 && c < 0x7F ? static_cast<char>(std::tolower(c)) : '?';  // printable in reports
    }
    pos += 1 + length;
  }
}

std::string RcodeName(uint8_t rcode) {
  static constexpr const char* kNames[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
  return rcode < std::size(kNames) ? kNames[rcode] : fmt::format("RCODE{}", rcode);
}

}  // namespace

bool ParseDnsMessage(std::string_view m, DnsMessage& out) {
  out = DnsMessage();
  if (m.size() < 12) return false;
  const uint16_t flags = Be16(m, 2);
  if (((flags >> 11) & 0x0F) != 0 || Be16(m, 4) != 1) return false;  // a standard query with one question
  out.id = Be16(m, 0);
  out.response = (flags & 0x8000) != 0;
  out.rcode = static_cast<uint8_t>(flags & 0x0F);
  size_t at = 12;
  if (!ReadName(m, at, out.qname) || at + 4 > m.size()) return false;
  out.qtype = Be16(m, at);
  const uint16_t qclass = Be16(m, at + 2) & 0x7FFF;
  if (qclass != 1 && qclass != 255) return false;
  at += 4;
  const uint16_t answers = std::min(Be16(m, 6), kMaxAnswers);
  for (uint16_t i = 0; i < answers; ++i) {  // a record that does not parse ends the section
    DnsRecord record;
    if (!ReadName(m, at, record.name) || at + 10 > m.size()) break;
    record.type = Be16(m, at);
    const size_t length = Be16(m, at + 8);
    const size_t data = at + 10;
    if (data + length > m.size()) break;
    at = data + length;
    if (record.type == 1 && length == 4) {
      record.address.family = 4;
      std::copy_n(m.data() + data, 4, reinterpret_cast<char*>(record.address.bytes.data()));
    } else if (record.type == 28 && length == 16) {
      record.address.family = 6;
      std::copy_n(m.data() + data, 16, reinterpret_cast<char*>(record.address.bytes.data()));
    } else if (record.type == 5) {
      size_t target_at = data;
      if (!ReadName(m, target_at, record.target)) continue;
    } else {
      continue;
    }
    out.answers.push_back(std::move(record));
  }
  return true;
}

bool ParsePacketDns(const Packet& packet, DnsMessage& out) {
  if (packet.transport == Transport::kUdp) return ParseDnsMessage(packet.payload, out);
  if (packet.transport != Transport::kTcp || packet.payload.size() < 14) return false;
  const size_t length = Be16(packet.payload, 0);  // one message per segment start; no reassembly
  return length >= 12 && ParseDnsMessage(packet.payload.substr(2, length), out);
}

std::string DnsTypeName(uint16_t type) {
  switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
    case 33: return "SRV";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 255: return "ANY";
    default: return fmt::format("TYPE{}", type);
  }
}

DnsTracker::DnsTracker(const CaptureNetwork& network) : network_(network) {}

DnsPath& DnsTracker::PathFor(const PathKey& key, const std::string& family) {
  DnsPath& path = paths_[key];
  if (path.port == 0) {
    path.resolver = key.resolver;
    path.family = family;
    path.transport = key.transport;
    path.port = key.port;
  }
  return path;
}

void DnsTracker::Observe(const Packet& packet, const DnsMessage* dns) {
  const auto resolver = [&](const IpAddress& a) -> const CaptureNetwork::Resolver* {
    for (const CaptureNetwork::Resolver& r : network_.resolvers) {
      if (r.address == a) return &r;
    }
    return nullptr;
  };
  const auto dns_port = [&](uint16_t port) {
    return std::find(network_.dns_ports.begin(), network_.dns_ports.end(), port) != network_.dns_ports.end();
  };
  if (packet.unreachable) {  // an ICMP error about a packet sent to a resolver
    const CaptureNetwork::Resolver* r = resolver(packet.inner_dst);
    if (r != nullptr && dns_port(packet.inner_dst_port) &&
        (packet.inner_transport == Transport::kUdp || packet.inner_transport == Transport::kTcp)) {
      ++PathFor({packet.inner_dst, packet.inner_transport, packet.inner_dst_port}, r->family).unreachable;
    }
    return;
  }
  if (packet.transport != Transport::kUdp && packet.transport != Transport::kTcp) return;
  const CaptureNetwork::Resolver* to = dns_port(packet.dst_port) ? resolver(packet.dst) : nullptr;
  const CaptureNetwork::Resolver* from = dns_port(packet.src_port) ? resolver(packet.src) : nullptr;
  if (to == nullptr && from == nullptr) return;
  const bool sent = to != nullptr;
  const PathKey key = sent ? PathKey{packet.dst, packet.transport, packet.dst_port}
                           : PathKey{packet.src, packet.transport, packet.src_port};
  DnsPath& path = PathFor(key, sent ? to->family : from->family);
  FrameRef ref{packet.frame, packet.time_ns, Describe(packet)};
  const bool rst = packet.transport == Transport::kTcp && (packet.tcp_flags & kTcpRst) != 0;
  const bool syn = packet.transport == Transport::kTcp && (packet.tcp_flags & kTcpSyn) != 0;
  const bool ack = (packet.tcp_flags & kTcpAck) != 0;
  std::optional<QueryKey> query;
  if (dns != nullptr) query = QueryKey{key, dns->id, dns->qtype, dns->qname};
  if (sent) {
    ++path.packets_sent;
    if (syn && !ack) ++path.syns;
    if (dns != nullptr && !dns->response) {
      ref.text += fmt::format(" DNS query 0x{:04x} {} {}", dns->id, DnsTypeName(dns->qtype), dns->qname);
      const auto it = queries_.find(*query);
      if (it != queries_.end()) {
        ++path.retransmissions;
        ref.text += " (retransmission)";
      } else if (queries_.size() < kMaxTrackedQueries) {
        queries_.emplace(*query, Pending{packet.time_ns, false});
        ++path.queries;
        auto& names = names_[key];
        const auto name_key = std::make_pair(DnsTypeName(dns->qtype), dns->qname);
        if (names.count(name_key) > 0 || names.size() < kMaxNamesPerPath) ++names[name_key];
      } else {
        ++dropped_;
        ++path.queries;
      }
    }
    if (!path.first_sent) path.first_sent = ref;
    path.last_sent = std::move(ref);
    return;
  }
  ++path.packets_received;
  if (rst) {
    ++path.rsts;
    if (!path.first_rst) path.first_rst = std::move(ref);
    return;
  }
  if (syn && ack) ++path.syn_acks;
  if (dns != nullptr && dns->response) {
    ++path.answers;
    ref.text += fmt::format(" DNS response 0x{:04x} {} {} {}", dns->id, DnsTypeName(dns->qtype), dns->qname,
                            RcodeName(dns->rcode));
    const auto it = queries_.find(*query);
    if (it != queries_.end() && !it->second.answered) {
      it->second.answered = true;
      ++path.answered;
      const double ms = static_cast<double>(packet.time_ns - it->second.first_ns) / 1e6;
      if (path.answer_ms.size() < kMaxAnswerSamples) path.answer_ms.push_back(ms);
      ref.text += fmt::format(" after {:.1f} ms", ms);
    }
  }
  if (!path.first_received) path.first_received = std::move(ref);
}

std::vector<DnsPath> DnsTracker::Finish() {
  std::vector<DnsPath> out;
  for (auto& [key, path] : paths_) {
    for (const auto& [name, count] : names_[key]) path.names.push_back({name.first, name.second, count});
    std::stable_sort(path.names.begin(), path.names.end(),
                     [](const DnsPath::Name& a, const DnsPath::Name& b) { return a.queries > b.queries; });
    if (path.names.size() > kNamesReported) path.names.resize(kNamesReported);
    out.push_back(std::move(path));
  }
  // In the table's order: resolvers, then ports (encrypted first), then UDP before TCP.
  const auto resolver_rank = [&](const IpAddress& a) {
    return std::find_if(network_.resolvers.begin(), network_.resolvers.end(),
                        [&](const CaptureNetwork::Resolver& r) { return r.address == a; }) -
           network_.resolvers.begin();
  };
  const auto port_rank = [&](uint16_t port) {
    return std::find(network_.dns_ports.begin(), network_.dns_ports.end(), port) - network_.dns_ports.begin();
  };
  std::stable_sort(out.begin(), out.end(), [&](const DnsPath& a, const DnsPath& b) {
    return std::make_tuple(resolver_rank(a.resolver), port_rank(a.port), a.transport) <
           std::make_tuple(resolver_rank(b.resolver), port_rank(b.port), b.transport);
  });
  return out;
}

}  // namespace dartdiag::capture
