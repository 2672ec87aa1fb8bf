// A capture read together with a bundle, through the command line: each log verdict marked
// confirmed, contradicted or not covered by the capture's findings, a capture alone in text and
// JSON, the capture check a rule names in its pack, and the flags that take one value each.
// Captures come from capture_scenarios.h.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "capture/capture.h"
#include "capture_builder.h"
#include "capture_scenarios.h"
#include "dartdiag/rule_pack.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using nlohmann::json;
using testing::Concat;
using testing::DnsProbes;
using testing::Frame;
using testing::kClient6;
using testing::kR1;
using testing::kR1v6;
using testing::kR2;
using testing::kR2v6;
using testing::kSwg;
using testing::SwgConnection;
using testing::SwgResolution;
using testing::TempDir;

TEST(Capture, TogetherWithTheBundleEachVerdictIsMarked) {
  TempDir dir;
  const std::string bytes =
      testing::WritePcap(DLT_EN10MB, Concat(DnsProbes({kR1, kR2}, {}), DnsProbes({kR1v6, kR2v6}, {}, 1, kClient6),
                                            std::vector<Frame>{SwgResolution(99)}, SwgConnection("", 3)));
  const auto capture = dir.Write("capture.pcapng", bytes).string();
  const auto run =
      testing::Run({"--format", "json", testing::TestData("bundles/DARTBundle_0827_0307").string(), capture});
  EXPECT_EQ(run.code, 1) << run.err;
  const json report = json::parse(run.out);
  EXPECT_EQ(report["schema_version"], 3);
  EXPECT_EQ(report["input"]["kind"], "folder");
  EXPECT_EQ(report["capture"]["path"], capture);
  EXPECT_EQ(report["capture"]["packets"], 20);
  std::map<std::string, std::string> marks;
  for (const json& v : report["verdicts"]) {
    marks[v["rule"].get<std::string>() + "/" + (v["family"].is_null() ? "" : v["family"].get<std::string>())] =
        v["capture"]["status"];
  }
  EXPECT_EQ(marks, (std::map<std::string, std::string>{{"dns-443-blocked/ipv6", "confirmed"},
                                                       {"dns-unprotected/ipv4", "confirmed"},
                                                       {"web-cloud-unavailable/", "confirmed"}}));
  for (const json& v : report["verdicts"]) {
    if (v["rule"] != "dns-unprotected") continue;
    EXPECT_EQ(v["capture"]["filter"], "ip.addr == 208.67.222.222 or ip.addr == 208.67.220.220");
    EXPECT_EQ(v["capture"]["evidence"][0]["frame"], 1);
    EXPECT_EQ(v["capture"]["evidence"][0]["time"], "2024-08-27T03:07:43.000000Z");
  }

  const auto text = testing::Run({testing::TestData("bundles/DARTBundle_0827_0307").string(), capture});
  EXPECT_NE(text.out.find("  Capture: CONFIRMED  No answer from the IPv4 resolvers on port 53"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("SWG 18.135.112.200: blocked-silent"), std::string::npos);
  EXPECT_NE(text.out.find("Wireshark filter: ip.addr == 18.135.112.200"), std::string::npos);
}

TEST(Capture, ContradictedAndNotCoveredVerdicts) {
  TempDir dir;
  const auto answered =
      dir.Write("answered.pcap", testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {53}))).string();
  const auto run =
      testing::Run({"--format", "json", testing::TestData("bundles/DARTBundle_0827_0307").string(), answered});
  const json report = json::parse(run.out);
  for (const json& v : report["verdicts"]) {
    const std::string rule = v["rule"];
    if (rule == "dns-unprotected") {
      EXPECT_EQ(v["capture"]["status"], "contradicted");
      EXPECT_EQ(v["capture"]["filter"],
                "(ip.addr == 208.67.222.222 or ip.addr == 208.67.220.220) and (udp.port == 53 or tcp.port == 53)");
    }
    if (rule == "dns-443-blocked") {
      EXPECT_EQ(v["capture"]["status"], "not-covered");  // no IPv6 in the capture
    }
    if (rule == "web-cloud-unavailable") {
      EXPECT_EQ(v["capture"]["status"], "not-covered");
    }
  }
  // Without a capture, verdicts carry a null capture field and the report a null capture object.
  const auto plain = testing::Run({"--format", "json", testing::TestData("bundles/dns-ipv4-unprotected").string()});
  const json without = json::parse(plain.out);
  EXPECT_TRUE(without["capture"].is_null());
  EXPECT_TRUE(without["verdicts"][0]["capture"].is_null());
}

TEST(Capture, CaptureAloneInTextAndJson) {
  TempDir dir;
  const auto path = dir.Write("only.pcap", testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {}))).string();
  const auto text = testing::Run({path});
  EXPECT_EQ(text.code, 1);
  EXPECT_EQ(text.err, "");
  EXPECT_NE(text.out.find(fmt::format("dartdiag {}: {} (capture)", "0.1.0", path)), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("not found"), std::string::npos) << text.out;  // no missing-log lines
  EXPECT_NE(text.out.find("ERROR   DNS IPv4: blocked"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Capture: DNS IPv4: blocked."), std::string::npos) << text.out;
  const auto json_run = testing::Run({"--format", "json", path});
  const json report = json::parse(json_run.out);
  EXPECT_EQ(report["input"]["kind"], "capture");
  EXPECT_EQ(report["input"]["sha256"], report["capture"]["sha256"]);
  EXPECT_EQ(report["capture"]["findings"][0]["severity"], "error");
  EXPECT_EQ(report["capture"]["dns"][0]["retransmissions"], 2);
  EXPECT_EQ(testing::Run({"--fail-on", "never", path}).code, 0);
}

// Which capture check speaks for a rule is pack data: every check a pack may name exists, a pack
// author's condition rule naming one is confirmed like the default rule, and the same rule without
// "capture" is not covered (and asks for no flow in the firewall request).
TEST(Capture, RulesNameTheirCaptureCheckInThePack) {
  for (std::string_view name : CaptureCheckNames()) EXPECT_TRUE(HasCaptureCheck(name)) << name;
  EXPECT_FALSE(HasCaptureCheck("dns-unprotected"));
  TempDir dir;
  const auto capture = dir.Write("blocked.pcap", testing::WritePcap(DLT_EN10MB, DnsProbes({kR1, kR2}, {}))).string();
  const std::string bundle = testing::TestData("bundles/dns-ipv4-unprotected").string();
  const auto status_of = [&](const std::string& rules) {
    const auto run = testing::Run({"--format", "json", "--rules", rules, bundle, capture});
    const json report = json::parse(run.out);
    std::map<std::string, std::string> marks;
    for (const json& v : report["verdicts"]) marks[v["rule"]] = v["capture"]["status"];
    std::vector<std::string> ports;
    for (const json& flow : report["firewall_request"]) {
      for (const json& o : flow["observed"]) {
        if (o["source"] == "log")
          ports.push_back(fmt::format("{}:{}", o["rule"].get<std::string>(), flow["ports"].dump()));
      }
    }
    return std::pair{marks, ports};
  };
  const auto [conditions, condition_ports] = status_of(testing::TestData("rules/dns-conditions.json").string());
  EXPECT_EQ(conditions.at("dns-unprotected"), "confirmed");
  EXPECT_EQ(condition_ports, std::vector<std::string>{"dns-unprotected:[53,443]"});

  std::string pack = testing::ReadBytes(testing::TestData("rules/dns-conditions.json"));
  for (size_t at = pack.find(R"("capture": )"); at != std::string::npos; at = pack.find(R"("capture": )")) {
    pack.erase(at, pack.find('\n', at) - at);
  }
  const auto [bare, bare_ports] = status_of(dir.Write("bare.json", pack).string());
  EXPECT_EQ(bare.at("dns-unprotected"), "not-covered");
  EXPECT_TRUE(bare_ports.empty());
}

// README's example: --swg-ip (and --rules) take one value each, so the bundle and the capture
// after them stay inputs (they were swallowed as addresses, exit 3). Repeating the flag adds more.
TEST(Capture, SwgIpAndRulesTakeOneValueEach) {
  TempDir dir;
  const auto capture = dir.Write("cap.pcap", testing::WritePcap(DLT_EN10MB, SwgConnection("", 3))).string();
  const std::string bundle = testing::TestData("bundles/DARTBundle_0827_0307").string();
  const auto run = testing::Run({"--swg-ip", kSwg, bundle, capture, "--format", "json"});
  ASSERT_EQ(run.code, 1) << run.err;
  const json report = json::parse(run.out);
  EXPECT_EQ(report["input"]["kind"], "folder");
  EXPECT_EQ(report["capture"]["path"], capture);
  EXPECT_NE(run.out.find("\"address\": \"18.135.112.200\""), std::string::npos) << run.out;
  const auto rules = dir.Write("mine.json", R"({"rules": []})").string();
  const auto both = testing::Run({"--swg-ip", kSwg, "--swg-ip", "18.135.112.201", "--rules", rules, bundle, capture});
  EXPECT_EQ(both.code, 1) << both.err;
  EXPECT_NE(both.out.find("SWG 18.135.112.200: blocked-silent"), std::string::npos) << both.out;
}

}  // namespace
}  // namespace dartdiag
