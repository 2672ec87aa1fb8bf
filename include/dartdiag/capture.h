// The packet capture's part of the report model: what was seen per DNS path and SWG address, the
// findings, and how the capture bears on each verdict drawn from the logs. The capture stage that
// fills it (read -> decode -> track -> findings) is src/capture/, behind src/capture/capture.h.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/diagnostic.h"
#include "dartdiag/phrase.h"
#include "dartdiag/severity.h"

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

// A frame behind a claim: number, time and a one-line description (like Wireshark's Info column).
struct FrameRef {
  uint64_t frame = 0;
  int64_t time_ns = 0;
  std::string text;
};
// ISO 8601 UTC with microseconds, e.g. "2024-08-27T03:07:43.250000Z"; "" outside years 1970..9999.
std::string FormatCaptureTime(int64_t time_ns);

struct CaptureOptions {
  std::vector<std::string> swg_ips;  // --swg-ip: SWG proxy addresses known without DNS
};

// Per resolver address, transport and port: what was sent and what came back.
struct DnsPath {
  IpAddress resolver;
  std::string family;
  Transport transport = Transport::kUdp;
  uint16_t port = 0;
  uint64_t packets_sent = 0, packets_received = 0;             // every packet, DNS or not (DNSCrypt on 443)
  uint64_t queries = 0;                                        // distinct DNS queries (id, type, name)
  uint64_t retransmissions = 0;                                // the same id, type and name sent again
  uint64_t answers = 0;                                        // DNS responses received
  uint64_t answered = 0;                                       // queries with a response
  uint64_t syns = 0, syn_acks = 0, rsts = 0, unreachable = 0;  // TCP, and ICMP errors about it
  std::vector<double> answer_ms;                               // time to answer, first send to response (capped)
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
  std::string summary;               // in English (what JSON shows)
  Phrase summary_phrase{};           // the same in the catalogue's words, for the human reports
  std::string filter;                // Wireshark display filter showing the same packets
  std::vector<FrameRef> evidence;
};

// When the capture was taken relative to the bundle's logs (set when both were given).
struct CaptureTiming {
  // "within" the logs' time, "after" their last event, "before" their first, "overlaps" the end or
  // start, or "unknown" (the logs state local time and no --log-tz was given)
  std::string relation;
  std::optional<int64_t> seconds_after_log_end;  // capture start minus the logs' last event
  std::string text;                              // one sentence for the reports, in English
  Phrase phrase{};                               // the same in the catalogue's words
};

struct CaptureReport {
  std::string path, format, sha256;  // format: "pcap" or "pcapng"
  std::vector<std::string> link_types;
  uint64_t packets = 0, ip_packets = 0, other_packets = 0, undecodable = 0;
  int64_t first_time_ns = 0, last_time_ns = 0;
  std::string error;      // why reading stopped early (truncated file, time cap); "" when read to the end
  Phrase error_phrase{};  // `error` in the catalogue's words, for the human reports; empty: only `error`
  std::vector<DnsPath> dns;
  std::vector<SwgTarget> swg;
  std::vector<CaptureFinding> findings;
  std::vector<Diagnostic> diagnostics;
  std::optional<CaptureTiming> timing;
  bool complete() const { return error.empty(); }
  std::optional<Severity> MostSevere() const;
};

// How a capture bears on one verdict drawn from the logs (Verdict::capture).
enum class CaptureStatus { kConfirmed, kContradicted, kNotCovered };
std::string_view CaptureStatusName(CaptureStatus status);  // "confirmed", "contradicted", "not-covered"

struct CaptureCheck {
  CaptureStatus status = CaptureStatus::kNotCovered;
  std::string reason;  // one or two sentences, with counts, in English (what JSON shows)
  std::string filter;  // Wireshark display filter for the packets behind it; "" when none
  std::vector<FrameRef> evidence;
  Phrase reason_phrase{};  // `reason` in the catalogue's words, for the human reports
};

}  // namespace dartdiag
