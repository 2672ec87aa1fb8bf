// The capture stage on captures built at test time (capture_builder.h): DNS to the resolvers
// unanswered, answered on 53 only, or answered; SWG connections reset, dropped or completed; SWG
// addresses from CNAME chains; IPv6, VLAN tags, Linux cooked SLL and SLL2, BSD null, pcapng with
// two interfaces (same and mixed link types); truncated captures and garbage frames. Asserts
// counts, verdicts, frame numbers, filters and exit codes. A capture read with a bundle, and the
// command line, are in capture_report_test.cc.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <functional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "capture_builder.h"
#include "capture_scenarios.h"
#include "capture/capture_internal.h"
#include "capture/capture.h"
#include "capture/pcap_library.h"
#include "dartdiag/error.h"
#include "dartdiag/rule_pack.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using nlohmann::json;
using testing::Concat;
using testing::DnsProbes;
using testing::DnsQuery;
using testing::DnsResponse;
using testing::Ethernet;
using testing::Frame;
using testing::kAck;
using testing::kClient;
using testing::kClient6;
using testing::kR1;
using testing::kR1v6;
using testing::kR2;
using testing::kR2v6;
using testing::kSwg;
using testing::kSyn;
using testing::kTxt;
using testing::SwgConnection;
using testing::SwgResolution;
using testing::Tcp;
using testing::TempDir;
using testing::Udp;

CaptureReport Analyze(const std::string& bytes, std::vector<std::string> swg_ips = {}) {
  CaptureOptions options;
  options.swg_ips = std::move(swg_ips);
  return AnalyzeCaptureBytes(bytes, "test.pcap", options, Limits{});
}

// "dns/ipv4=blocked@1,3,4,6" : check, subject, verdict and evidence frames of every finding.
std::vector<std::string> Dump(const CaptureReport& report) {
  std::vector<std::string> out;
  for (const CaptureFinding& f : report.findings) {
    std::vector<uint64_t> frames;
    for (const FrameRef& r : f.evidence) frames.push_back(r.frame);
    out.push_back(
        fmt::format("{}/{}={}{}{}", f.check, f.subject, f.verdict, frames.empty() ? "" : "@", fmt::join(frames, ",")));
  }
  return out;
}

const DnsPath& Path(const CaptureReport& report, const std::string& resolver, uint16_t port,
                    Transport transport = Transport::kUdp) {
  for (const DnsPath& p : report.dns) {
    if (p.resolver.ToString() == resolver && p.port == port && p.transport == transport) return p;
  }
  throw std::runtime_error("no path " + resolver);
}

const CaptureFinding& Finding(const CaptureReport& report, const std::string& check, const std::string& subject) {
  for (const CaptureFinding& f : report.findings) {
    if (f.check == check && f.subject == subject) return f;
  }
  throw std::runtime_error("no finding " + check + " " + subject);
}

struct CaptureCase {
  const char* name;
  std::function<std::string()> bytes;
  std::vector<std::string> swg_ips;
  std::vector<std::string> findings;
  int exit_code;  // `dartdiag capture` alone
};

class CaptureCases : public ::testing::TestWithParam<CaptureCase> {};

TEST_P(CaptureCases, FindingsAndExitCode) {
  const CaptureCase& c = GetParam();
  const std::string bytes = c.bytes();
  const CaptureReport report = Analyze(bytes, c.swg_ips);
  EXPECT_EQ(Dump(report), c.findings);
  TempDir dir;
  std::vector<std::string> args{dir.Write("capture.bin", bytes).string()};
  for (const std::string& ip : c.swg_ips) args.insert(args.end(), {"--swg-ip", ip});
  const auto run = testing::Run(args);
  EXPECT_EQ(run.code, c.exit_code) << run.out << run.err;
}

const std::vector<std::string> kNoSwg = {"swg/=not-seen"};

INSTANTIATE_TEST_SUITE_P(
    Capture, CaptureCases,
    ::testing::Values(
        CaptureCase{"dns_unanswered_on_443_and_53",
                    [] {
                      return testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {}));
                    },
                    {},
                    {"dns/ipv4=blocked@1,3,4,6,7,9,10,12", "dns/ipv6=not-seen", "swg/=not-seen"},
                    1},
        CaptureCase{"dns_answered_on_53_only",
                    [] {
                      return testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {53}));
                    },
                    {},
                    {"dns/ipv4=unencrypted-only@1,3,4,6,7,8,9,10", "dns/ipv6=not-seen", "swg/=not-seen"},
                    1},
        CaptureCase{"dns_answered_on_443",
                    [] {
                      return testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {443, 53}));
                    },
                    {},
                    {"dns/ipv4=reachable@1,2,3,4,5,6,7,8", "dns/ipv6=not-seen", "swg/=not-seen"},
                    0},
        CaptureCase{"dns_only_53_tried_is_inconclusive",
                    [] {
                      return testing::WritePcap(
                          DLT_EN10MB,
                          {{0, Ethernet(Udp(kClient, kR1, 50000, 53, DnsQuery(1, "debug.opendns.com", kTxt)))}});
                    },
                    {},
                    {"dns/ipv4=inconclusive@1", "dns/ipv6=not-seen", "swg/=not-seen"},
                    0},
        CaptureCase{"swg_syn_then_rst",
                    [] { return testing::WritePcap(DLT_EN10MB, SwgConnection("rst", 1)); },
                    {kSwg},
                    {"dns/ipv4=not-seen", "dns/ipv6=not-seen", "swg/18.135.112.200=blocked-rst@1,2"},
                    1},
        CaptureCase{"swg_syn_retransmitted_without_answer",
                    [] { return testing::WritePcap(DLT_EN10MB, SwgConnection("", 4)); },
                    {kSwg},
                    {"dns/ipv4=not-seen", "dns/ipv6=not-seen", "swg/18.135.112.200=blocked-silent@1,2,3,4"},
                    1},
        CaptureCase{"swg_handshake_completed",
                    [] { return testing::WritePcap(DLT_EN10MB, SwgConnection("synack", 1)); },
                    {kSwg},
                    {"dns/ipv4=not-seen", "dns/ipv6=not-seen", "swg/18.135.112.200=reachable@1,2,3"},
                    0},
        CaptureCase{"swg_address_from_cname_chain",
                    [] {
                      return testing::WritePcap(DLT_EN10MB,
                                                Concat(std::vector<Frame>{SwgResolution(99)}, SwgConnection("", 3)));
                    },
                    {},
                    {"dns/ipv4=not-seen", "dns/ipv6=not-seen", "swg/18.135.112.200=blocked-silent@1,2,3,4"},
                    1},
        CaptureCase{"swg_icmp_prohibited",
                    [] {
                      return testing::WritePcap(
                          DLT_EN10MB, {{0, Ethernet(Tcp(kClient, kSwg, 51000, 443, kSyn, 1))},
                                       {0.01, Ethernet(testing::IcmpUnreachable(
                                                  "192.168.1.1", kClient, Tcp(kClient, kSwg, 51000, 443, kSyn, 1)))}});
                    },
                    {kSwg},
                    {"dns/ipv4=not-seen", "dns/ipv6=not-seen", "swg/18.135.112.200=blocked-icmp@1,2"},
                    1},
        CaptureCase{"ipv6_resolvers_unanswered",
                    [] {
                      return testing::WritePcap(DLT_EN10MB, DnsProbes({kR1v6, kR2v6}, {}, 2, kClient6));
                    },
                    {},
                    {"dns/ipv4=not-seen", "dns/ipv6=blocked@1,2,3,4,5,6,7,8", "swg/=not-seen"},
                    1},
        CaptureCase{"vlan_and_qinq_tags",
                    [] {
                      return testing::WritePcap(DLT_EN10MB,
                                                DnsProbes({kR1, kR2}, {}, 3, kClient, [](const std::string& ip) {
                                                  return Ethernet(ip, {0x88A8, 0x8100});
                                                }));
                    },
                    {},
                    {"dns/ipv4=blocked@1,3,4,6,7,9,10,12", "dns/ipv6=not-seen", "swg/=not-seen"},
                    1},
        CaptureCase{
            "linux_cooked_sll",
            [] {
              return testing::WritePcap(DLT_LINUX_SLL, DnsProbes({kR1, kR2}, {53}, 3, kClient, testing::LinuxSll));
            },
            {},
            {"dns/ipv4=unencrypted-only@1,3,4,6,7,8,9,10", "dns/ipv6=not-seen", "swg/=not-seen"},
            1},
        CaptureCase{
            "linux_cooked_sll2",
            [] {
              return testing::WritePcap(DLT_LINUX_SLL2, DnsProbes({kR1, kR2}, {}, 3, kClient, testing::LinuxSll2));
            },
            {},
            {"dns/ipv4=blocked@1,3,4,6,7,9,10,12", "dns/ipv6=not-seen", "swg/=not-seen"},
            1},
        CaptureCase{"bsd_null_loopback",
                    [] {
                      return testing::WritePcap(DLT_NULL, DnsProbes({kR1, kR2}, {443}, 3, kClient, testing::BsdNull));
                    },
                    {},
                    {"dns/ipv4=reachable@1,2,3,4,5,7,8,10", "dns/ipv6=not-seen", "swg/=not-seen"},
                    0},
        CaptureCase{"raw_ip",
                    [] {
                      return testing::WritePcap(
                          DLT_RAW, DnsProbes({kR1, kR2}, {}, 3, kClient, [](const std::string& ip) { return ip; }));
                    },
                    {},
                    {"dns/ipv4=blocked@1,3,4,6,7,9,10,12", "dns/ipv6=not-seen", "swg/=not-seen"},
                    1}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(Capture, CountsPerResolverPortAndTransport) {
  const CaptureReport report = Analyze(testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {53})));
  EXPECT_EQ(report.format, "pcap");
  EXPECT_EQ(report.link_types, std::vector<std::string>{"ethernet"});
  EXPECT_EQ(report.packets, 10u);
  EXPECT_EQ(report.ip_packets, 10u);
  const DnsPath& blocked = Path(report, kR1, 443);
  EXPECT_EQ(blocked.packets_sent, 3u);
  EXPECT_EQ(blocked.queries, 1u);
  EXPECT_EQ(blocked.retransmissions, 2u);
  EXPECT_EQ(blocked.answered, 0u);
  EXPECT_FALSE(blocked.responded());
  ASSERT_EQ(blocked.names.size(), 1u);
  EXPECT_EQ(blocked.names[0].type, "TXT");
  EXPECT_EQ(blocked.names[0].name, "debug.opendns.com");
  EXPECT_EQ(blocked.first_sent->frame, 1u);
  EXPECT_EQ(blocked.last_sent->frame, 3u);
  EXPECT_EQ(FormatCaptureTime(blocked.last_sent->time_ns), "2024-08-27T03:07:45.000000Z");
  EXPECT_NE(blocked.last_sent->text.find("DNS query 0x1000 TXT debug.opendns.com (retransmission)"), std::string::npos)
      << blocked.last_sent->text;
  const DnsPath& answered = Path(report, kR2, 53);
  EXPECT_EQ(answered.queries, 1u);
  EXPECT_EQ(answered.answered, 1u);
  EXPECT_EQ(answered.first_received->frame, 10u);
  ASSERT_EQ(answered.answer_ms.size(), 1u);
  EXPECT_NEAR(answered.answer_ms[0], 25.0, 0.01);
  const CaptureFinding& dns = Finding(report, "dns", "ipv4");
  EXPECT_EQ(dns.filter, "ip.addr == 208.67.222.222 or ip.addr == 208.67.220.220");
  EXPECT_EQ(dns.severity, Severity::kWarning);
  EXPECT_NE(dns.summary.find("answered on port 53 but not on port 443"), std::string::npos) << dns.summary;
}

TEST(Capture, SwgLearnedFromCnameChainKeepsTheChainAndCountsRetransmissions) {
  const CaptureReport report = Analyze(testing::WritePcap(
      DLT_EN10MB, Concat(SwgConnection("", 2, 1), std::vector<Frame>{SwgResolution(5)}, SwgConnection("", 3, 10))));
  ASSERT_EQ(report.swg.size(), 1u);
  const SwgTarget& swg = report.swg[0];
  EXPECT_EQ(swg.source, "dns");
  EXPECT_EQ(swg.names, (std::vector<std::string>{"swg-url-proxy-https-sse.sigproxy.qq.opendns.com",
                                                 "swg-proxy_eu-west-2_1_1n.sigproxy.aws.umbrella.com",
                                                 "swg-nlb-eu-west-2.elb.amazonaws.com"}));
  EXPECT_EQ(swg.learned_at->frame, 3u);
  EXPECT_EQ(swg.syns, 5u);  // SYNs before the answer in the capture count too
  EXPECT_EQ(swg.syn_retransmissions, 4u);
  EXPECT_EQ(swg.ports, std::vector<uint16_t>{443});
  const CaptureFinding& f = Finding(report, "swg", kSwg);
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.filter, "ip.addr == 18.135.112.200");
  EXPECT_NE(f.summary.find("5 SYNs on port 443 (4 retransmissions), no SYN-ACK and no RST"), std::string::npos)
      << f.summary;
}

TEST(Capture, PcapngWithTwoEthernetInterfacesIsReadByLibpcap) {
  std::vector<Frame> frames = DnsProbes({kR1, kR2}, {});
  for (size_t i = 0; i < frames.size(); ++i) frames[i].interface = static_cast<uint32_t>(i % 2);
  const CaptureReport report = Analyze(testing::WritePcapng({{1, 262144}, {1, 262144}}, frames));
  EXPECT_EQ(report.format, "pcapng");
  EXPECT_EQ(report.packets, 12u);
  EXPECT_EQ(Dump(report)[0], "dns/ipv4=blocked@1,3,4,6,7,9,10,12");
  EXPECT_EQ(FormatCaptureTime(report.first_time_ns), "2024-08-27T03:07:43.000000Z");
}

TEST(Capture, PcapngWithMixedInterfacesIsReadWithEachInterfacesLinkType) {
  // Wi-Fi as Ethernet and the loopback adapter as BSD null, with different snap lengths: libpcap
  // refuses such a file; the block walker reads it.
  std::vector<Frame> frames = DnsProbes({kR1, kR2}, {53});
  frames.push_back({60, testing::BsdNull(Udp("127.0.0.1", "127.0.0.1", 1000, 53, DnsQuery(9, "example.com", 1))), 1});
  const CaptureReport report = Analyze(testing::WritePcapng({{1, 262144}, {0, 65535}}, frames));
  EXPECT_EQ(report.link_types, (std::vector<std::string>{"ethernet", "null"}));
  EXPECT_EQ(report.packets, 11u);
  EXPECT_EQ(report.ip_packets, 11u);
  EXPECT_TRUE(report.complete()) << report.error;
  EXPECT_EQ(Dump(report)[0], "dns/ipv4=unencrypted-only@1,3,4,6,7,8,9,10");
  EXPECT_EQ(FormatCaptureTime(Path(report, kR2, 53).first_received->time_ns), "2024-08-27T03:07:52.025000Z");
}

TEST(Capture, TruncatedCaptureKeepsWhatWasReadAndIsIncomplete) {
  std::string bytes = testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {}));
  bytes.resize(bytes.size() - 30);  // the last frame is cut
  const CaptureReport report = Analyze(bytes);
  EXPECT_FALSE(report.complete());
  EXPECT_NE(report.error.find("reading stopped after frame 11: truncated dump file"), std::string::npos)
      << report.error;
  EXPECT_EQ(report.packets, 11u);
  EXPECT_EQ(Dump(report)[0], "dns/ipv4=blocked@1,3,4,6,7,9,10,11");

  TempDir dir;
  const auto path = dir.Write("cut.pcap", bytes).string();
  EXPECT_EQ(testing::Run({path}).code, 1);  // blocked still counts
  const auto never = testing::Run({"--fail-on", "never", path});
  EXPECT_EQ(never.code, 4);
  EXPECT_NE(never.err.find("truncated dump file"), std::string::npos) << never.err;

  std::string pcapng = testing::WritePcapng({{1, 262144}}, DnsProbes({kR1, kR2}, {}));
  pcapng.resize(pcapng.size() - 10);
  const CaptureReport cut = Analyze(pcapng);
  EXPECT_FALSE(cut.complete());
  EXPECT_EQ(cut.packets, 11u);
}

TEST(Capture, TimeCapStopsTheCaptureAndKeepsWhatWasRead) {
  std::vector<Frame> frames;
  for (int i = 0; i < 5000; ++i) frames.push_back({i * 0.001, Ethernet(Tcp(kClient, kSwg, 51000, 443, kSyn, 7))});
  Limits limits;
  limits.max_seconds = 0;  // checked every 4096 frames
  const CaptureReport report =
      AnalyzeCaptureBytes(testing::WritePcap(DLT_EN10MB, frames), "slow.pcap", CaptureOptions{{kSwg}}, limits);
  EXPECT_EQ(report.packets, 4096u);
  EXPECT_FALSE(report.complete());
  EXPECT_EQ(report.error, "stopped after frame 4096: over the 0 s time cap (--max-seconds)");
  EXPECT_EQ(report.swg.at(0).syns, 4096u);
}

TEST(Capture, GarbageFramesAreCountedNotFatal) {
  std::vector<Frame> frames = {
      {0, std::string("\x01\x02\x03", 3)},                                   // shorter than Ethernet
      {0, Ethernet(std::string("\x45\x00\x00\x10", 4))},                     // IPv4 header cut
      {0, Ethernet(std::string(40, '\x7f'))},                                // IP version 7
      {0, std::string(14, '\0') + std::string("\x08\x06", 2).substr(0, 0)},  // EtherType 0: not IP
      {0,
       Ethernet(Udp(kClient, kR1, 5, 53, std::string("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c", 14)))},
  };
  frames.push_back({1, Ethernet(Udp(kClient, kR1, 6, 53, DnsQuery(1, "debug.opendns.com", kTxt)))});
  const CaptureReport report = Analyze(testing::WritePcap(DLT_EN10MB, frames));
  EXPECT_EQ(report.packets, 6u);
  EXPECT_EQ(report.undecodable, 3u);
  EXPECT_EQ(report.other_packets, 1u);
  EXPECT_EQ(report.ip_packets, 2u);
  ASSERT_GE(report.diagnostics.size(), 3u);
  EXPECT_EQ(report.diagnostics[0].code, "undecodable-frame");
  EXPECT_EQ(report.diagnostics[0].message, "frame 1: not a well-formed ethernet frame (3 bytes captured)");
  // The DNS message whose name points at itself is not a query; the well-formed one is.
  EXPECT_EQ(Path(report, kR1, 53).packets_sent, 2u);
  EXPECT_EQ(Path(report, kR1, 53).queries, 1u);
}

TEST(Capture, DnsParserIsBounded) {
  capture::DnsMessage m;
  const std::string loop("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x10\x00\x01", 18);
  EXPECT_FALSE(capture::ParseDnsMessage(loop, m));
  std::string long_name = DnsQuery(1,
                                   std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') +
                                       "." + std::string(63, 'd') + ".e",
                                   1);
  EXPECT_FALSE(capture::ParseDnsMessage(long_name, m));  // 257 bytes: over the 255-byte limit
  EXPECT_TRUE(capture::ParseDnsMessage(DnsQuery(7, "Debug.OpenDNS.com", kTxt), m));
  EXPECT_EQ(m.qname, "debug.opendns.com");
  EXPECT_EQ(m.id, 7);
  const std::string response = DnsResponse(8, "a.example", 1, {{"a.example", "A", "192.0.2.1"}});
  EXPECT_TRUE(capture::ParseDnsMessage(response.substr(0, response.size() - 2), m));  // a cut record is dropped
  EXPECT_TRUE(m.answers.empty());
  EXPECT_FALSE(capture::ParseDnsMessage("short", m));
}

TEST(Capture, TcpDnsAndIcmpUnreachableToTheResolvers) {
  const std::string query = DnsQuery(3, "debug.opendns.com", kTxt);
  const std::string framed = std::string(1, '\0') + static_cast<char>(query.size()) + query;
  const std::string udp = Udp(kClient, kR1, 50001, 443, query);
  const CaptureReport report = Analyze(
      testing::WritePcap(DLT_EN10MB, {{0, Ethernet(Tcp(kClient, kR1, 50000, 53, kSyn, 1))},
                                      {0.01, Ethernet(Tcp(kR1, kClient, 53, 50000, kSyn | kAck, 9))},
                                      {0.02, Ethernet(Tcp(kClient, kR1, 50000, 53, kAck | 0x08, 2, framed))},
                                      {1, Ethernet(udp)},
                                      {1.01, Ethernet(testing::IcmpUnreachable("192.168.1.1", kClient, udp))}}));
  const DnsPath& tcp = Path(report, kR1, 53, Transport::kTcp);
  EXPECT_EQ(tcp.syns, 1u);
  EXPECT_EQ(tcp.syn_acks, 1u);
  EXPECT_EQ(tcp.queries, 1u);
  EXPECT_TRUE(tcp.responded());
  EXPECT_EQ(Path(report, kR1, 443).unreachable, 1u);
  EXPECT_EQ(Dump(report)[0], "dns/ipv4=unencrypted-only@1,2,3,4");  // 53 answered over TCP, 443 rejected
}

TEST(Capture, NotACaptureAndUsageErrors) {
  TempDir dir;
  const auto header_only = dir.Write("bad.pcap", std::string("\xd4\xc3\xb2\xa1\x02\x00", 6));
  const auto bad = testing::Run({header_only.string()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("bad.pcap: not a readable pcap capture ("), std::string::npos) << bad.err;

  const std::string good = testing::WritePcap(DLT_EN10MB, SwgConnection("", 1));
  const auto a = dir.Write("a.pcap", good).string(), b = dir.Write("b.pcap", good).string();
  const auto two = testing::Run({a, b});
  EXPECT_EQ(two.code, 3);
  EXPECT_NE(two.err.find("one packet capture at a time"), std::string::npos) << two.err;
  EXPECT_EQ(testing::Run({a, "--swg-ip", "not-an-ip"}).code, 3);
  EXPECT_EQ(testing::Run({testing::TestData("bundles/healthy").string(), "--swg-ip", kSwg}).code, 3);
}

TEST(PcapLibrary, LoadedOnFirstUseWithEveryFunction) {
  const capture::PcapLibrary& lib = capture::Pcap();
  EXPECT_NE(lib.fopen_offline_with_tstamp_precision, nullptr);
  EXPECT_NE(lib.datalink, nullptr);
  EXPECT_NE(lib.next_ex, nullptr);
  EXPECT_NE(lib.geterr, nullptr);
  EXPECT_NE(lib.close, nullptr);
  EXPECT_EQ(&lib, &capture::Pcap());  // loaded once
}

TEST(PcapLibrary, MissingLibraryOrFunctionIsAnErrorNamingIt) {
  try {
    capture::LoadPcapLibrary("libdartdiag-no-such-pcap.so");
    FAIL() << "loaded a library that does not exist";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::kUnreadable);
    EXPECT_NE(std::string(error.what()).find("libpcap (libdartdiag-no-such-pcap.so) does not load: "),
              std::string::npos)
        << error.what();
  }
  try {
    capture::LoadPcapLibrary("libc.so.6");  // loads, but is not libpcap
    FAIL() << "libc taken for libpcap";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("libc.so.6 has no pcap_fopen_offline_with_tstamp_precision"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace dartdiag
