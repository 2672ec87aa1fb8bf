// Reports: what the human report says in each situation, colour rules, JSON determinism.
#include "dartdiag/report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using testing::TestData;

std::string Text(const std::string& bundle, const Terminal& terminal = {}, std::vector<std::string> extra = {}) {
  std::ostringstream out, err;
  extra.push_back(TestData("bundles/" + bundle).string());
  RunCli(extra, out, err, terminal);
  return out.str();
}

bool Has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

TEST(TextReport, VerdictsWithEvidenceRemediationAndEndState) {
  const std::string text = Text("DARTBundle_0827_0307");
  EXPECT_TRUE(Has(text, "ERROR   DNS protection: Unprotected (IPv4)  [dns-unprotected]")) << text;
  EXPECT_TRUE(Has(text, "ERROR   Web protection: Cloud Services Unavailable  [web-cloud-unavailable]"));
  EXPECT_TRUE(Has(text, "WARNING DNS protection: Encrypted DNS blocked (IPv6)  [dns-443-blocked]"));
  EXPECT_TRUE(
      Has(text, "\n    Cisco Secure Client/Umbrella/csccumbrellaplugin.txt:9  2024-08-27 03:07:53 [8880] [DEBUG]"));
  EXPECT_TRUE(Has(text,
                  "Seen: 1 failure, 2024-08-27T03:07:48 .. 2024-08-27T03:07:53\n"
                  "  Timeline: persistent: Unprotected since 2024-08-27T03:07:48, still at the end of the log "
                  "(2024-08-27T03:07:53)\n"))
      << text;
  EXPECT_TRUE(Has(text, "Fail-open applies (FailOpen : 1)"));
  EXPECT_TRUE(Has(text, "    1. Allow egress to 208.67.222.222 and 208.67.220.220"));
  EXPECT_TRUE(Has(text,
                  "2 errors, 1 warning. Checked 4 rules (dns-unprotected, dns-unencrypted, dns-443-blocked, "
                  "web-cloud-unavailable)."));
  // Errors come before warnings.
  EXPECT_LT(text.find("[web-cloud-unavailable]"), text.find("[dns-443-blocked]"));
  EXPECT_FALSE(Has(text, "\x1b["));
}

TEST(TextReport, NoFindingSaysWhatWasChecked) {
  const std::string text = Text("healthy");
  EXPECT_TRUE(Has(text,
                  "No known problem found. Checked 4 rules (dns-unprotected, dns-unencrypted, "
                  "dns-443-blocked, web-cloud-unavailable)."))
      << text;
}

TEST(TextReport, NoLogsIsNeverHealthy) {
  const std::string text = Text("no-umbrella-logs");
  EXPECT_TRUE(Has(text, "No Umbrella log could be read: looked for csccumbrellaplugin.txt, Umbrella.txt"));
  EXPECT_TRUE(Has(text, "this is not a healthy result"));
  EXPECT_FALSE(Has(text, "No known problem found"));
  EXPECT_TRUE(Has(text, "  csccumbrellaplugin.txt not found\n"));
}

TEST(TextReport, MissingLogMakesItsRulesNotEvaluated) {
  const std::string text = Text("dns-unencrypted");
  EXPECT_TRUE(Has(text, "not evaluated for lack of their log: web-cloud-unavailable")) << text;
  EXPECT_TRUE(Has(text, "  Umbrella.txt not found\n"));
}

TEST(TextReport, ColourOnTerminalUnlessNoColorOrNever) {
  const auto terminal = [](bool tty, bool no_color) {
    Terminal t;
    t.stdout_is_tty = tty;
    t.no_color = no_color;
    return t;
  };
  const Terminal tty = terminal(true, false);
  const Terminal tty_no_color = terminal(true, true);
  const Terminal pipe_no_color = terminal(false, true);
  EXPECT_TRUE(Has(Text("dns-unencrypted", tty), "\x1b[1;33mWARNING"));
  EXPECT_FALSE(Has(Text("dns-unencrypted", tty_no_color), "\x1b["));
  EXPECT_FALSE(Has(Text("dns-unencrypted", tty, {"--color", "never"}), "\x1b["));
  EXPECT_FALSE(Has(Text("dns-unencrypted", Terminal{}), "\x1b["));
  EXPECT_TRUE(Has(Text("dns-unencrypted", pipe_no_color, {"--color", "always"}), "\x1b["));
}

TEST(JsonReport, SameInputSameBytes) {
  const std::string a = Text("DARTBundle_0827_0307", {}, {"--format", "json"});
  const std::string b = Text("DARTBundle_0827_0307", {}, {"--format", "json"});
  EXPECT_EQ(a, b);
  // Top-level keys in documented order.
  EXPECT_LT(a.find("\"schema_version\""), a.find("\"tool\""));
  EXPECT_LT(a.find("\"tool\""), a.find("\"input\""));
  EXPECT_LT(a.find("\"files\""), a.find("\"verdicts\""));
  EXPECT_LT(a.find("\"verdicts\""), a.find("\"diagnostics\""));
}

TEST(JsonReport, InvalidUtf8InLogsIsReplacedNotFatal) {
  testing::TempDir dir;
  const auto file = dir.Write("csccumbrellaplugin.txt",
                              "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: "
                              "rejected all candidate resolvers for port 53 \xff\xfe\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunCli({"--format", "json", file.string()}, out, err, {}), 1);
  EXPECT_TRUE(Has(out.str(), "port 53 \xEF\xBF\xBD\xEF\xBF\xBD")) << out.str();
}

}  // namespace
}  // namespace dartdiag
