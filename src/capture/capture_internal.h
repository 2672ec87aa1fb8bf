// Internal interfaces between the files of the capture stage: reader (capture_reader.cc,
// capture_pcapng.cc) -> decoder (capture_decode.cc) -> DNS and SWG trackers (capture_dns.cc,
// capture_swg.cc) -> findings (capture_verdicts.cc), driven by capture.cc. Tested by
// capture_test.cc.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <re2/re2.h>

#include "capture/capture.h"

namespace dartdiag::capture {

// ---- Reading (capture_reader.cc, capture_pcapng.cc)

struct RawFrame {
  uint64_t frame = 0;
  int64_t time_ns = 0;
  uint32_t captured = 0, original = 0;  // bytes captured and on the wire
  int link_type = 0;                    // LINKTYPE_* (DLT_RAW read as LINKTYPE_RAW)
  std::string_view bytes;
};
// Seconds and nanoseconds as nanoseconds since the epoch, saturated instead of overflowing (a corrupt
// time stamp must not be undefined behaviour).
int64_t SaturatedNanos(int64_t seconds, int64_t nanos);

// Returns false to stop reading.
using RawFrameFn = std::function<bool(const RawFrame&)>;

struct ReadSummary {
  std::string format;           // "pcap" or "pcapng"
  std::vector<int> link_types;  // in order of first appearance
  std::string error;            // why reading stopped before the end; "" at the end of the file
  Phrase error_phrase;          // the same in the catalogue's words
  // Reading stopped after `frame` because of `why` (the reader's own words).
  void StoppedAfter(uint64_t frame, std::string_view why);
};

// Opens a fresh FILE* on the capture each time it is called (the reader may need two passes).
using FileOpener = std::function<FILE*()>;

// Reads every frame through libpcap; pcapng files whose interfaces differ in link type or snap
// length (which libpcap refuses) go through ReadPcapngBlocks. Throws Error(kUnreadable) when no
// frame can be read at all because the file is not a capture.
ReadSummary ReadCapture(const FileOpener& open, const std::string& display, const RawFrameFn& fn);

// pcapng block walker for files with mixed interfaces; `file` is owned and closed.
bool PcapngInterfacesAgree(FILE* file);
ReadSummary ReadPcapngBlocks(FILE* file, const std::string& display, const RawFrameFn& fn);

// ---- Decoding (capture_decode.cc)

enum class DecodeStatus { kIp, kNotIp, kMalformed, kUnsupportedLink };
// Decodes one frame's link layer, IP and transport headers into `out` (frame and time untouched).
DecodeStatus DecodeFrame(int link_type, std::string_view bytes, Packet& out);
// "ethernet", "linux-sll", ... or "linktype-<n>".
std::string LinkTypeName(int link_type);
// "UDP 10.0.0.5:51000 -> 208.67.222.222:53", "TCP ... [SYN, ACK]" and the like.
std::string Describe(const Packet& packet);

// ---- DNS (capture_dns.cc)

struct DnsRecord {
  std::string name;  // lowercase
  uint16_t type = 0;
  std::string target;  // CNAME target, lowercase
  IpAddress address;   // A or AAAA
};

struct DnsMessage {
  uint16_t id = 0;
  bool response = false;
  uint8_t rcode = 0;
  std::string qname;  // lowercase, no trailing dot; "" when the message has no question
  uint16_t qtype = 0;
  std::vector<DnsRecord> answers;  // answer section (capped)
};

// Parses a DNS message (bounded: names, compression jumps and records are capped). False when the
// bytes are not a well-formed DNS message.
bool ParseDnsMessage(std::string_view bytes, DnsMessage& out);
// The DNS message carried by a packet: UDP payload, or a TCP segment starting with the 2-byte
// length prefix. False when there is none.
bool ParsePacketDns(const Packet& packet, DnsMessage& out);
std::string DnsTypeName(uint16_t type);

class DnsTracker {
 public:
  explicit DnsTracker(const CaptureNetwork& network);
  void Observe(const Packet& packet, const DnsMessage* dns);
  std::vector<DnsPath> Finish();
  uint64_t dropped_queries() const { return dropped_; }

 private:
  struct PathKey {
    IpAddress resolver;
    Transport transport;
    uint16_t port;
    auto operator<=>(const PathKey&) const = default;
  };
  struct QueryKey {
    PathKey path;
    uint16_t id;
    uint16_t type;
    std::string name;
    auto operator<=>(const QueryKey&) const = default;
  };
  struct Pending {
    int64_t first_ns = 0;
    bool answered = false;
  };
  DnsPath& PathFor(const PathKey& key, const std::string& family);
  const CaptureNetwork& network_;
  std::map<PathKey, DnsPath> paths_;
  std::map<QueryKey, Pending> queries_;
  std::map<PathKey, std::map<std::pair<std::string, std::string>, uint64_t>> names_;
  uint64_t dropped_ = 0;
};

// ---- SWG (capture_swg.cc)

class SwgTracker {
 public:
  explicit SwgTracker(const CaptureNetwork& network);
  void AddKnownAddress(const IpAddress& address, std::string source);
  void Observe(const Packet& packet, const DnsMessage* dns);
  // The SWG targets (addresses learned from DNS or given) with their TCP statistics.
  std::vector<SwgTarget> Finish();
  uint64_t dropped_servers() const { return dropped_; }

 private:
  struct Tracked {
    SwgTarget target;
    int syn_frames = 0, answer_frames = 0, rst_frames = 0, handshake_frames = 0, icmp_frames = 0;
  };
  struct Learned {
    std::string source;
    std::vector<std::string> names;
    std::optional<FrameRef> at;
  };
  struct Conn {
    bool syn_ack = false, established = false;
  };
  struct ConnKey {
    IpAddress client, server;
    uint16_t client_port, server_port;
    auto operator<=>(const ConnKey&) const = default;
  };
  Tracked* ServerFor(const IpAddress& server, bool create);
  void Keep(Tracked& tracked, int& kept, int cap, const Packet& packet, std::string_view note);
  void Learn(const DnsMessage& dns, const Packet& packet);
  std::vector<std::unique_ptr<const re2::RE2>> patterns_;
  std::map<IpAddress, Tracked> servers_;  // every TCP server a SYN went to (bounded)
  std::map<IpAddress, Learned> learned_;  // the SWG addresses
  std::map<ConnKey, Conn> conns_;
  std::set<std::tuple<IpAddress, IpAddress, uint16_t, uint16_t, uint32_t>> syns_;  // for retransmissions
  uint64_t dropped_ = 0;
};

// ---- Findings (capture_verdicts.cc)

std::vector<CaptureFinding> DnsFindings(const CaptureNetwork& network, const std::vector<DnsPath>& paths);
std::vector<CaptureFinding> SwgFindings(const std::vector<SwgTarget>& targets);
// "ip.addr == A or ip.addr == B" (ipv6.addr for IPv6 addresses).
std::string AddressFilter(const std::vector<IpAddress>& addresses);

}  // namespace dartdiag::capture
