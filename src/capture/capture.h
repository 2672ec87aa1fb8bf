// The capture stage: a pcap or pcapng file read offline, decoded to packets, and read the way a
// support engineer reads it in Wireshark (DNS to the OpenDNS resolvers, TCP to the SWG proxy),
// giving findings with frame numbers and display filters (the model: dartdiag/capture.h). Tested
// by capture_test.cc and the fuzz target tests/fuzz/fuzz_capture.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/capture.h"
#include "dartdiag/input.h"

namespace dartdiag {

inline constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpAck = 0x10;

// One decoded frame. Views point into the frame's bytes, valid during the callback only.
struct Packet {
  uint64_t frame = 0;   // 1-based, as Wireshark numbers frames
  int64_t time_ns = 0;  // since the Unix epoch, UTC
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

// Where the resolvers and SWG names come from: data, not literals scattered through the code
// (DefaultCaptureNetwork() in capture_network.cc, extended by --swg-ip).
struct CaptureNetwork {
  struct Resolver {
    IpAddress address;
    std::string family;  // "ipv4" or "ipv6"
  };
  std::vector<Resolver> resolvers;
  std::vector<uint16_t> dns_ports;             // encrypted first: {443, 53}
  std::vector<std::string> swg_name_patterns;  // RE2, matched against lowercase DNS names
};
const CaptureNetwork& DefaultCaptureNetwork();

// True when `head` starts with a pcap or pcapng magic number.
bool HasCaptureMagic(std::string_view head);
// True when the file at `path` starts with a capture magic number (false when unreadable).
bool IsCaptureFile(const std::string& path);

// The capture stage, one pass: read -> decode -> DNS and SWG tracking -> findings.
// Throws Error(kUnreadable) when the file is not a readable capture at all.
CaptureReport AnalyzeCapture(const std::string& path, const CaptureOptions& options, const Limits& limits);
CaptureReport AnalyzeCaptureBytes(std::string_view bytes, const std::string& display_path,
                                  const CaptureOptions& options, const Limits& limits);

// Whether the capture stage implements the capture check `name` (see CaptureCheckNames()).
bool HasCaptureCheck(std::string_view name);

struct Verdict;
// Marks each log verdict confirmed, contradicted or not covered by the capture, through the
// capture check its rule names (Verdict::capture_ref).
void CheckVerdictsAgainstCapture(const CaptureReport& capture, std::vector<Verdict>& verdicts);

}  // namespace dartdiag
