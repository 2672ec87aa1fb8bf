// The capture stage written down once: read each frame (capture_reader.cc) -> decode it
// (capture_decode.cc) -> parse DNS where a DNS port is involved (capture_dns.cc) -> count DNS to
// the resolvers and TCP to the SWG proxy (capture_dns.cc, capture_swg.cc) -> findings
// (capture_verdicts.cc). One pass, memory bounded by the trackers' caps, the time bounded by
// Limits::max_seconds. Tested by capture_test.cc and fuzz_capture.cc.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "capture/capture_internal.h"
#include "collect.h"
#include "dartdiag/error.h"
#include "messages.h"

namespace dartdiag {
namespace {

constexpr size_t kFrameSamples = 5;           // undecodable frames listed one by one
constexpr uint64_t kClockEveryFrames = 4096;  // how often the time cap is checked

bool ShouldParseDns(const Packet& p, const CaptureNetwork& network) {
  if (p.transport != Transport::kUdp && p.transport != Transport::kTcp) return false;
  const uint16_t plain = network.dns_ports.back();
  if (p.src_port == plain || p.dst_port == plain) return true;  // any DNS server: the SWG name may resolve there
  for (const CaptureNetwork::Resolver& r : network.resolvers) {
    if (r.address == p.src || r.address == p.dst) return true;  // DNS on 443 to the resolvers
  }
  return false;
}

CaptureReport RunCapture(const capture::FileOpener& open, const std::string& display, std::string sha256,
                         const CaptureOptions& options, const Limits& limits) {
  const CaptureNetwork& network = DefaultCaptureNetwork();
  capture::DnsTracker dns(network);
  capture::SwgTracker swg(network);
  for (const std::string& text : options.swg_ips) {
    const std::optional<IpAddress> address = IpAddress::Parse(text);
    if (!address) throw Error(ExitCode::kUsage, fmt::format("--swg-ip: '{}' is not an IPv4 or IPv6 address", text));
    swg.AddKnownAddress(*address, "--swg-ip");
  }

  CaptureReport report;
  report.path = display;
  report.sha256 = std::move(sha256);
  std::map<int, uint64_t> unsupported;  // link type -> frames
  uint64_t undecodable_listed = 0;
  const auto start = std::chrono::steady_clock::now();
  const capture::ReadSummary summary = capture::ReadCapture(open, display, [&](const capture::RawFrame& raw) {
    ++report.packets;
    if (raw.time_ns != 0 && (report.first_time_ns == 0 || raw.time_ns < report.first_time_ns))
      report.first_time_ns = raw.time_ns;
    report.last_time_ns = std::max(report.last_time_ns, raw.time_ns);
    Packet packet;
    packet.frame = raw.frame;
    packet.time_ns = raw.time_ns;
    switch (capture::DecodeFrame(raw.link_type, raw.bytes, packet)) {
      case capture::DecodeStatus::kIp: {
        ++report.ip_packets;
        capture::DnsMessage message;
        const bool has_dns = ShouldParseDns(packet, network) && capture::ParsePacketDns(packet, message);
        dns.Observe(packet, has_dns ? &message : nullptr);
        swg.Observe(packet, has_dns ? &message : nullptr);
        break;
      }
      case capture::DecodeStatus::kNotIp: ++report.other_packets; break;
      case capture::DecodeStatus::kUnsupportedLink: ++unsupported[raw.link_type]; break;
      case capture::DecodeStatus::kMalformed:
        ++report.undecodable;
        if (undecodable_listed++ < kFrameSamples) {
          report.diagnostics.push_back(
              PhrasedDiagnostic("info", "undecodable-frame", display, 0,
                                PhraseOf(Msg::kDiagUndecodableFrame, Arg("frame", raw.frame),
                                         Arg("link", capture::LinkTypeName(raw.link_type)), Arg("n", raw.captured))));
        }
        break;
    }
    if (report.packets % kClockEveryFrames == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limits.max_seconds) {
      report.error_phrase = PhraseOf(Msg::kCaptureStoppedTime, Arg("frame", raw.frame),
                                     Arg("seconds", fmt::format("{}", limits.max_seconds)));
      report.error = RenderPhrase(report.error_phrase, Lang::kEn);
      return false;
    }
    return true;
  });

  report.format = summary.format;
  for (int link : summary.link_types) report.link_types.push_back(capture::LinkTypeName(link));
  if (report.error.empty()) {
    report.error = summary.error;
    report.error_phrase = summary.error_phrase;
  }
  if (report.undecodable > kFrameSamples) {
    report.diagnostics.push_back(
        PhrasedDiagnostic("info", "undecodable-frames", display, 0,
                          PhraseOf(Msg::kDiagUndecodableFrames, Arg("n", report.undecodable - kFrameSamples))));
  }
  for (const auto& [link, frames] : unsupported) {
    report.undecodable += frames;
    report.diagnostics.push_back(PhrasedDiagnostic(
        "warning", "unsupported-link-type", display, 0,
        PhraseOf(Msg::kDiagUnsupportedLink, Arg("n", frames), Arg("link", capture::LinkTypeName(link)))));
  }
  if (dns.dropped_queries() > 0 || swg.dropped_servers() > 0) {
    report.diagnostics.push_back(
        PhrasedDiagnostic("warning", "capture-table-full", display, 0,
                          PhraseOf(Msg::kDiagCaptureTableFull, Arg("queries", dns.dropped_queries()),
                                   Arg("servers", swg.dropped_servers()))));
  }
  report.dns = dns.Finish();
  report.swg = swg.Finish();
  report.findings = capture::DnsFindings(network, report.dns);
  for (CaptureFinding& f : capture::SwgFindings(report.swg)) report.findings.push_back(std::move(f));
  return report;
}

}  // namespace

std::string FormatCaptureTime(int64_t time_ns) {
  int64_t seconds = time_ns / 1000000000, nanos = time_ns % 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    --seconds;
  }
  if (seconds < 0 || seconds > 253402300799) return "";  // outside years 1970..9999: a corrupt time stamp
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, nanos / 1000);
}

CaptureReport AnalyzeCapture(const std::string& path, const CaptureOptions& options, const Limits& limits) {
  std::string sha256 = Sha256File(path, path);
  return RunCapture([&] { return std::fopen(path.c_str(), "rb"); }, path, std::move(sha256), options, limits);
}

CaptureReport AnalyzeCaptureBytes(std::string_view bytes, const std::string& display_path,
                                  const CaptureOptions& options, const Limits& limits) {
  if (bytes.empty()) throw Error(ExitCode::kUnreadable, fmt::format("{}: empty file", display_path));
  const auto open = [&] { return fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb"); };
  return RunCapture(open, display_path, Sha256Hex(bytes), options, limits);
}

}  // namespace dartdiag
