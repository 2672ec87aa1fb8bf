// The packet-capture stage: a pcap or pcapng file read offline, decoded to packets, and read the
// way a support engineer reads it in Wireshark (DNS to the OpenDNS resolvers, TCP to the SWG
// proxy), giving verdicts with frame numbers and display filters. Tested by capture_test.cc and
// the fuzz target tests/fuzz/fuzz_capture.cc.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/collect.h"
#include "dartdiag/diagnostic.h"
#include "dartdiag/rule_pack.h"

namespace dartdiag {

// An IPv4 or IPv6 address (family 0: none), ordered so it can key a map.
struct IpAddress {
  uint8_t family = 0;  // 4 or 6
  std::array<uint8_t, 16> bytes{};
  auto operator<=>(const IpAddress&) const = default;
  std::string ToString() const;
  // Parses dotted IPv4 or IPv6 text; nullopt when it is neither.
  static std::optional<IpAddress> Parse(std::string_view text);
};

enum class Transport : uint8_t { kOther, kUdp, kTcp, kIcmp };
std::string_view TransportName(Transport transport);

inline constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpAck = 0x10;

// One decoded frame. Views point into the frame's bytes, valid during the callback only.
struct Packet {
  uint64_t frame = 0;    // 1-based, as Wireshark numbers frames
  int64_t time_ns = 0;   // since the Unix epoch, UTC
  IpAddress src, dst;
  Transport transport = Transport::kOther;
  uint16_t src_port = 0, dst_port = 0;
  uint8_t tcp_flags = 0;
  uint32_t tcp_seq = 0;
  std::string_view payload;  // transport payload as captured (may be cut by the snap length)
  // ICMP or ICMPv6 destination unreachable: the packet it reports (its destination and ports).
  bool unreachable = false;
  IpAddress inner_dst;
  Transport inner_transport = Transport::kOther;
  uint16_t inner_src_port = 0, inner_dst_port = 0;
};

// A frame behind a claim: number, time and a one-line description (like Wireshark's Info column).
struct FrameRef {
  uint64_t frame = 0;
  int64_t time_ns = 0;
  std::string text;
};
// ISO 8601 UTC with microseconds, e.g. "2024-08-27T03:07:43.250000Z"; "" outside years 1970..9999.
std::string FormatCaptureTime(int64_t time_ns);

// Where the resolvers and SWG names come from: data, not literals scattered through the code
// (DefaultCaptureNetwork() in capture_network.cc, extended by --swg-ip).
struct CaptureNetwork {
  struct Resolver {
    IpAddress address;
    std::string family;  // "ipv4" or "ipv6"
  };
  std::vector<Resolver> resolvers;
  std::vector<uint16_t> dns_ports;         // encrypted first: {443, 53}
  std::vector<std::string> swg_name_patterns;  // RE2, matched against lowercase DNS names
};
const CaptureNetwork& DefaultCaptureNetwork();

struct CaptureOptions {
  std::vector<std::string> swg_ips;  // --swg-ip: SWG proxy addresses known without DNS
};

// Per resolver address, transport and port: what was sent and what came back.
struct DnsPath {
  IpAddress resolver;
  std::string family;
  Transport transport = Transport::kUdp;
  uint16_t port = 0;
  uint64_t packets_sent = 0, packets_received = 0;  // every packet, DNS or not (DNSCrypt on 443)
  uint64_t queries = 0;          // distinct DNS queries (id, type, name)
  uint64_t retransmissions = 0;  // the same id, type and name sent again
  uint64_t answers = 0;          // DNS responses received
  uint64_t answered = 0;         // queries with a response
  uint64_t syns = 0, syn_acks = 0, rsts = 0, unreachable = 0;  // TCP, and ICMP errors about it
  std::vector<double> answer_ms;  // time to answer, first send to response (capped)
  struct Name {
    std::string type, name;
    uint64_t queries = 0;
  };
  std::vector<Name> names;  // query types and names, most queried first (capped)
  std::optional<FrameRef> first_sent, last_sent, first_received, first_rst;
  bool tried() const { return packets_sent > 0; }
  bool responded() const { return packets_received > rsts; }  // anything but a RST came back
};

// An SWG proxy address and what happened to the TCP connections to it.
struct SwgTarget {
  IpAddress address;
  std::string source;              // "dns" (learned from an answer) or "--swg-ip"
  std::vector<std::string> names;  // the CNAME chain that led to it, first name first
  std::optional<FrameRef> learned_at;
  std::vector<uint16_t> ports;
  uint64_t syns = 0, syn_retransmissions = 0, syn_acks = 0, rsts = 0, handshakes = 0, unreachable = 0;
  std::vector<FrameRef> evidence;  // first SYN, retransmissions, answers: capped
};

// One conclusion of the capture: DNS per address family, SWG per address.
struct CaptureFinding {
  std::string check;    // "dns" or "swg"
  std::string subject;  // "ipv4" / "ipv6", or the SWG address
  // dns: blocked | unencrypted-only | reachable | inconclusive | not-seen
  // swg: blocked-rst | blocked-icmp | blocked-silent | reachable | not-seen
  std::string verdict;
  std::optional<Severity> severity;  // set for problems only (blocked: error)
  std::string summary;
  std::string filter;  // Wireshark display filter showing the same packets
  std::vector<FrameRef> evidence;
};

// When the capture was taken relative to the bundle's logs (set when both were given).
struct CaptureTiming {
  // "within" the logs' time, "after" their last event, "before" their first, "overlaps" the end or
  // start, or "unknown" (the logs state local time and no --log-tz was given)
  std::string relation;
  std::optional<int64_t> seconds_after_log_end;  // capture start minus the logs' last event
  std::string text;                              // one sentence for the reports
};

struct CaptureReport {
  std::string path, format, sha256;  // format: "pcap" or "pcapng"
  std::vector<std::string> link_types;
  uint64_t packets = 0, ip_packets = 0, other_packets = 0, undecodable = 0;
  int64_t first_time_ns = 0, last_time_ns = 0;
  std::string error;  // why reading stopped early (truncated file, time cap); "" when read to the end
  std::vector<DnsPath> dns;
  std::vector<SwgTarget> swg;
  std::vector<CaptureFinding> findings;
  std::vector<Diagnostic> diagnostics;
  std::optional<CaptureTiming> timing;
  bool complete() const { return error.empty(); }
  std::optional<Severity> MostSevere() const;
};

// True when `head` starts with a pcap or pcapng magic number.
bool HasCaptureMagic(std::string_view head);
// True when the file at `path` starts with a capture magic number (false when unreadable).
bool IsCaptureFile(const std::string& path);

// The capture stage, one pass: read -> decode -> DNS and SWG tracking -> findings.
// Throws Error(kUnreadable) when the file is not a readable capture at all.
CaptureReport AnalyzeCapture(const std::string& path, const CaptureOptions& options, const Limits& limits);
CaptureReport AnalyzeCaptureBytes(std::string_view bytes, const std::string& display_path,
                                  const CaptureOptions& options, const Limits& limits);

// How a capture bears on one verdict drawn from the logs (Verdict::capture).
enum class CaptureStatus { kConfirmed, kContradicted, kNotCovered };
std::string_view CaptureStatusName(CaptureStatus status);  // "confirmed", "contradicted", "not-covered"

struct CaptureCheck {
  CaptureStatus status = CaptureStatus::kNotCovered;
  std::string reason;  // one or two sentences, with counts
  std::string filter;  // Wireshark display filter for the packets behind it; "" when none
  std::vector<FrameRef> evidence;
};

struct Verdict;
// Marks each log verdict confirmed, contradicted or not covered by the capture.
void CheckVerdictsAgainstCapture(const CaptureReport& capture, std::vector<Verdict>& verdicts);

}  // namespace dartdiag
