// The SWG proxy in the capture: its addresses learned from DNS answers for the proxy names
// (following CNAME chains, as nslookup shows them) or given with --swg-ip, and per address the TCP
// connection attempts: SYNs, SYN retransmissions, SYN-ACKs, RSTs, completed handshakes and ICMP
// errors. Every TCP server is counted in one pass (bounded), so an address learned late in the
// capture still has its earlier SYNs. Tested by capture_test.cc and fuzz_capture.cc.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include "capture/capture_internal.h"

namespace dartdiag::capture {
namespace {

constexpr size_t kMaxServers = 4096;       // distinct TCP servers counted
constexpr size_t kMaxConnections = 65536;  // connections followed for the handshake
constexpr int kMaxCnameDepth = 16;
// Evidence frames kept per address, by kind.
constexpr int kSynFrames = 4, kAnswerFrames = 2, kRstFrames = 2, kHandshakeFrames = 1, kIcmpFrames = 2;

}  // namespace

SwgTracker::SwgTracker(const CaptureNetwork& network) {
  RE2::Options options;
  options.set_log_errors(false);
  for (const std::string& pattern : network.swg_name_patterns) {
    auto re = std::make_unique<const RE2>(pattern, options);
    if (re->ok()) patterns_.push_back(std::move(re));
  }
}

void SwgTracker::AddKnownAddress(const IpAddress& address, std::string source) {
  Learned& known = learned_[address];
  known.source = std::move(source);
}

SwgTracker::Tracked* SwgTracker::ServerFor(const IpAddress& server, bool create) {
  const auto it = servers_.find(server);
  if (it != servers_.end()) return &it->second;
  if (!create) return nullptr;
  if (servers_.size() >= kMaxServers) {
    ++dropped_;
    return nullptr;
  }
  Tracked& tracked = servers_[server];
  tracked.target.address = server;
  return &tracked;
}

void SwgTracker::Keep(Tracked& tracked, int& kept, int cap, const Packet& packet, std::string_view note) {
  if (kept >= cap) return;
  ++kept;
  std::string text = Describe(packet);
  if (!note.empty()) text += fmt::format(" ({})", note);
  tracked.target.evidence.push_back({packet.frame, packet.time_ns, std::move(text)});
}

void SwgTracker::Learn(const DnsMessage& dns, const Packet& packet) {
  const auto is_swg = [&](const std::string& name) {
    return std::any_of(patterns_.begin(), patterns_.end(),
                       [&](const auto& re) { return RE2::PartialMatch(name, *re); });
  };
  std::vector<std::string> starts;
  if (is_swg(dns.qname)) starts.push_back(dns.qname);
  for (const DnsRecord& r : dns.answers) {
    if (is_swg(r.name) && std::find(starts.begin(), starts.end(), r.name) == starts.end()) starts.push_back(r.name);
  }
  for (const std::string& start : starts) {
    std::vector<std::string> chain{start};
    for (int depth = 0; depth < kMaxCnameDepth; ++depth) {
      const auto next = std::find_if(dns.answers.begin(), dns.answers.end(),
                                     [&](const DnsRecord& r) { return r.type == 5 && r.name == chain.back(); });
      if (next == dns.answers.end() || std::find(chain.begin(), chain.end(), next->target) != chain.end()) break;
      chain.push_back(next->target);
    }
    for (const DnsRecord& r : dns.answers) {
      if (r.address.family == 0 || std::find(chain.begin(), chain.end(), r.name) == chain.end()) continue;
      Learned& learned = learned_[r.address];
      if (learned.source.empty()) learned.source = "dns";
      if (learned.names.empty()) {
        learned.names = chain;
        learned.at = FrameRef{
            packet.frame, packet.time_ns,
            fmt::format("{} DNS response {} -> {}", Describe(packet), fmt::join(chain, " -> "), r.address.ToString())};
      }
    }
  }
}

void SwgTracker::Observe(const Packet& packet, const DnsMessage* dns) {
  if (dns != nullptr && dns->response) Learn(*dns, packet);
  if (packet.unreachable && packet.inner_transport == Transport::kTcp) {
    if (Tracked* t = ServerFor(packet.inner_dst, true)) {
      ++t->target.unreachable;
      Keep(*t, t->icmp_frames, kIcmpFrames, packet, fmt::format("unreachable: {}", packet.inner_dst.ToString()));
    }
    return;
  }
  if (packet.transport != Transport::kTcp) return;
  const uint8_t flags = packet.tcp_flags;
  if ((flags & kTcpSyn) != 0 && (flags & kTcpAck) == 0) {  // client -> server
    Tracked* t = ServerFor(packet.dst, true);
    if (t == nullptr) return;
    SwgTarget& target = t->target;
    ++target.syns;
    if (std::find(target.ports.begin(), target.ports.end(), packet.dst_port) == target.ports.end()) {
      target.ports.push_back(packet.dst_port);
    }
    const auto syn = std::make_tuple(packet.src, packet.dst, packet.src_port, packet.dst_port, packet.tcp_seq);
    const bool again = syns_.count(syn) > 0;
    if (again) {
      ++target.syn_retransmissions;
    } else if (syns_.size() < kMaxConnections) {
      syns_.insert(syn);
    }
    const ConnKey key{packet.src, packet.dst, packet.src_port, packet.dst_port};
    if (conns_.size() < kMaxConnections || conns_.count(key) > 0) conns_[key] = Conn{};
    Keep(*t, t->syn_frames, kSynFrames, packet, again ? "SYN retransmission" : "");
    return;
  }
  if ((flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck) || (flags & kTcpRst) != 0) {  // server -> client
    Tracked* t = ServerFor(packet.src, false);
    if (t == nullptr) return;
    const auto conn = conns_.find(ConnKey{packet.dst, packet.src, packet.dst_port, packet.src_port});
    if ((flags & kTcpRst) != 0) {
      ++t->target.rsts;
      Keep(*t, t->rst_frames, kRstFrames, packet, "");
      return;
    }
    ++t->target.syn_acks;
    if (conn != conns_.end()) conn->second.syn_ack = true;
    Keep(*t, t->answer_frames, kAnswerFrames, packet, "");
    return;
  }
  if ((flags & kTcpAck) != 0) {  // client -> server: the third packet of the handshake
    const auto conn = conns_.find(ConnKey{packet.src, packet.dst, packet.src_port, packet.dst_port});
    if (conn == conns_.end() || !conn->second.syn_ack || conn->second.established) return;
    conn->second.established = true;
    if (Tracked* t = ServerFor(packet.dst, false)) {
      ++t->target.handshakes;
      Keep(*t, t->handshake_frames, kHandshakeFrames, packet, "handshake completed");
    }
  }
}

std::vector<SwgTarget> SwgTracker::Finish() {
  std::vector<SwgTarget> out;
  for (auto& [address, learned] : learned_) {
    SwgTarget target;
    if (const auto it = servers_.find(address); it != servers_.end()) target = std::move(it->second.target);
    target.address = address;
    target.source = learned.source;
    target.names = learned.names;
    target.learned_at = learned.at;
    std::sort(target.ports.begin(), target.ports.end());
    std::stable_sort(target.evidence.begin(), target.evidence.end(),
                     [](const FrameRef& a, const FrameRef& b) { return a.frame < b.frame; });
    out.push_back(std::move(target));
  }
  return out;
}

}  // namespace dartdiag::capture
