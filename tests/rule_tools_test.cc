// `dartdiag rules list|show|check|lint` on the default pack and on deliberately bad packs, with
// exact messages.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace dartdiag {
namespace {

using testing::TempDir;
constexpr auto RunCliIn = testing::Run;

const char kRuleHead[] = R"({"id": "r", "title": "Probe seen", "protection": "dns", "status": "S",
  "severity": "warning", "summary": "s", "root_cause": "c",)";

std::string Pack(const std::string& rest) { return std::string(R"({"rules": [)") + kRuleHead + rest + "]}"; }

const char kLine[] = "2024-08-27 03:07:43 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: probing port 53";

TEST(RulesList, TextMarkdownJson) {
  const auto text = RunCliIn({"rules", "list"});
  EXPECT_EQ(text.code, 0);
  // Every format has the same columns: id, protection, severity, status, title.
  EXPECT_TRUE(text.out.starts_with("ID                     PROTECTION  SEVERITY  STATUS                      TITLE\n"))
      << text.out;
  EXPECT_NE(text.out.find(
                "dns-unprotected        dns         error     Unprotected                 DNS protection Unprotected"),
            std::string::npos)
      << text.out;
  const auto md = RunCliIn({"rules", "list", "--format", "markdown"});
  EXPECT_NE(md.out.find("| `web-cloud-unavailable` | web | error | Cloud Services Unavailable |"), std::string::npos);
  const auto json = nlohmann::json::parse(RunCliIn({"rules", "list", "--format", "json"}).out);
  ASSERT_EQ(json.size(), 4u);
  EXPECT_EQ(json[0]["id"], "dns-unprotected");
  EXPECT_EQ(json[0]["source"], "<default rules>");
}

TEST(RulesShow, ConditionsInWordsAndExamples) {
  const auto run = RunCliIn({"rules", "show", "dns-unprotected"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("When:\n  state model 'dns', for each family separately: in state 'unprotected' (Unprotected, "
                         "failing)\n    entered on port-53:failed\n    left on port-443:ok (to 'encrypted', ok)\n"
                         "    left on port-53:ok (to 'unencrypted', degraded)\n    counts port-53:failed\n"),
            std::string::npos)
      << run.out;
  // The rule as conditions over events, from a pack of its own.
  const auto conditions = RunCliIn(
      {"rules", "show", "--rules", testing::TestData("rules/dns-conditions.json").string(), "dns-unprotected"});
  EXPECT_NE(
      conditions.out.find("When:\n  for each family separately:\n    an event of csccumbrellaplugin where component "
                          "matches /(?i)dns protection/ and message matches /rejected all candidate resolvers for "
                          "port 53\\b/\n"),
      std::string::npos)
      << conditions.out;
  EXPECT_NE(run.out.find("Examples that must not match:\n  - 2024-08-27 03:07:43"), std::string::npos);
  const auto md = RunCliIn({"rules", "show", "web-cloud-unavailable", "--format", "markdown"});
  EXPECT_TRUE(md.out.starts_with("## `web-cloud-unavailable`: Web protection Cloud Services Unavailable"));
  const auto missing = RunCliIn({"rules", "show", "nope"});
  EXPECT_EQ(missing.code, 3);
  EXPECT_EQ(missing.err, "dartdiag: no rule with id 'nope' (see dartdiag rules list)\n");
}

TEST(RulesShow, TimeOperatorsInWords) {
  const auto run =
      RunCliIn({"rules", "show", "--no-default-rules", "--rules",
                testing::TestData("rules/still-unprotected.json").string(), "dns-still-unprotected-at-end"});
  EXPECT_NE(run.out.find("    an event of:\n      an event of csccumbrellaplugin where component matches /(?i)dns "
                         "protection/ and message matches /rejected all candidate resolvers for port 53\\b/\n"
                         "    not followed until the end of the log by:\n      an event of:\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("      not followed within 15 s by:\n"), std::string::npos);
}

TEST(RulesCheck, DefaultPackPasses) {
  const auto run = RunCliIn({"rules", "check"});
  EXPECT_EQ(run.code, 0) << run.out;
  EXPECT_NE(run.out.find("PASS  dns-unprotected  5 examples\n"), std::string::npos);
  EXPECT_TRUE(run.out.ends_with("4 rules: 4 passed, 0 failed\n"));
}

TEST(RulesCheck, FailingExamplesAreNamed) {
  TempDir dir;
  const auto pack =
      dir.Write("bad.json", Pack(R"("when": {"event": {"log": "csccumbrellaplugin", "message": "port 53"}},
    "examples": {"match": ["2024-08-27 03:07:43 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: port 443"],
                 "no_match": [")" +
                                 std::string(kLine) + R"("]}})"));
  const auto run = RunCliIn({"rules", "check", pack.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out,
            "FAIL  r  2 examples\n"
            "      /rules/0/examples/match/0: should fire, did not\n"
            "      /rules/0/examples/no_match/0: should not fire, did\n"
            "1 rule: 0 passed, 1 failed\n");
}

TEST(RulesCheck, RuleWithoutExamplesFails) {
  TempDir dir;
  const auto pack =
      dir.Write("none.json", Pack(R"("when": {"event": {"log": "csccumbrellaplugin", "message": "x"}}})"));
  const auto run = RunCliIn({"rules", "check", pack.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out, "FAIL  r  0 examples\n      no examples\n1 rule: 0 passed, 1 failed\n");
}

TEST(RulesLint, DefaultPackIsClean) {
  const auto run = RunCliIn({"rules", "lint"});
  EXPECT_EQ(run.code, 0) << run.out;
  EXPECT_EQ(run.out, "0 findings\n");
}

TEST(RulesLint, EveryKindOfFinding) {
  TempDir dir;
  const auto pack =
      dir.Write("lint.json", Pack(R"("when": {"all_of": [{"event": {"log": "csccumbrellaplugin", "message": "port 53"}},
                                  {"event": {"log": "csccumbrellaplugin", "message": "never seen"}}]},
         "examples": {"match": [")" +
                                  std::string(kLine) + R"("]}})"));
  const auto run = RunCliIn({"rules", "lint", pack.string()});
  EXPECT_EQ(run.code, 1);
  const std::string f = pack.string();
  EXPECT_EQ(run.out, f + ": /rules/0: rule 'r' has no remediation\n" + f + ": /rules/0: rule 'r' has no links\n" + f +
                         ": /rules/0: rule 'r' has no example that must not match\n" + f +
                         ": /rules/0/when/all_of/1/event: rule 'r': no example line matches this pattern\n"
                         "4 findings\n");
}

TEST(RulesLint, LoadProblemsBecomeFindings) {
  TempDir dir;
  const auto pack = dir.Write("broken.json", std::string(R"({"rules": [)") + kRuleHead +
                                                 R"("when": {"event": {"log": "vpnagent", "message": "(x"}}},)" +
                                                 kRuleHead + R"("when": {"event": {"log": "csccumbrellaplugin"}}}]})");
  const auto run = RunCliIn({"rules", "lint", pack.string()});
  EXPECT_EQ(run.code, 1);
  const std::string f = pack.string();
  EXPECT_EQ(run.out,
            f + ": /rules/0/when/event/log: unknown log 'vpnagent' (known: csccumbrellaplugin, umbrella-eventlog)\n" +
                f + ": /rules/0/when/event/message: invalid regular expression: missing ): (x\n" + f +
                ": /rules/1/id: duplicate rule id 'r'\n3 findings\n");
}

// {event_id} in a plugin-log rule came out empty, and {famliy} stayed literal in the report: lint
// names both, with the rule and the text's JSON path. The grouping field is always filled.
TEST(RulesLint, PlaceholdersNoEventCanFill) {
  TempDir dir;
  const auto pack = dir.Write("placeholders.json", std::string(R"({"rules": [{"id": "r", "title": "t",
    "protection": "dns", "status": "S", "severity": "warning", "group_by": "family",
    "summary": "Event {event_id} for {famliy} on port {port}, {family} (kept: {a b}, {0}, {}).",
    "root_cause": "c", "remediation": ["Check {source}."], "links": ["https://example.com"],
    "when": {"all_of": [{"event": {"log": "csccumbrellaplugin", "message": "port 53"}},
                        {"not": {"event": {"log": "umbrella-eventlog", "source": "x"}}}]},
    "notes": [{"if": {"log": "csccumbrellaplugin"}, "text": "{fail_open}{port}"}],
    "examples": {"match": [")") + kLine + R"("], "no_match": ["x"]}}]})");
  const auto run = RunCliIn({"rules", "lint", pack.string()});
  EXPECT_EQ(run.code, 1);
  const std::string f = pack.string();
  EXPECT_EQ(run.out, f +
                         ": /rules/0/summary: rule 'r': placeholder {event_id} is always empty: no event of "
                         "csccumbrellaplugin carries event_id\n" +
                         f +
                         ": /rules/0/summary: rule 'r': placeholder {famliy} names no field, so the report shows it as "
                         "written (did you mean {family}?)\n" +
                         f +
                         ": /rules/0/remediation/0: rule 'r': placeholder {source} is always empty: no event of "
                         "csccumbrellaplugin carries source\n" +
                         f +
                         ": /rules/0/notes/0/text: rule 'r': placeholder {fail_open} is always empty: no event of "
                         "csccumbrellaplugin carries fail_open\n" +
                         f +
                         ": /rules/0/when/all_of/1/not/event: rule 'r': no example line matches this pattern\n"
                         "5 findings\n");
}

// A pack that is not UTF-8 is a located finding, and --format json stays valid JSON: the message
// never carries the raw byte, and a file name that is not UTF-8 is written with U+FFFD.
TEST(RulesLint, InvalidUtf8IsALocatedFindingAndJsonStaysValid) {
  TempDir dir;
  const auto bad = dir.Write("latin1.json", "{\"rules\": [],\n \"description\": \"caf\xE9\"}");
  const auto run = RunCliIn({"rules", "lint", "--format", "json", bad.string()});
  EXPECT_EQ(run.code, 1);
  const auto findings = nlohmann::json::parse(run.out);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["path"], "");
  EXPECT_EQ(findings[0]["message"], "line 2, column 21: not valid JSON: invalid UTF-8 in a string (byte 0xE9)");
  EXPECT_EQ(RunCliIn({"rules", "lint", bad.string()}).out,
            bad.string() + ": line 2, column 21: not valid JSON: invalid UTF-8 in a string (byte 0xE9)\n1 finding\n");
  const auto odd_name = dir.Write("pack\xFF.json", R"({"rules": [1]})");
  const auto named = RunCliIn({"rules", "lint", "--format", "json", odd_name.string()});
  EXPECT_EQ(named.code, 1);
  const auto by_name = nlohmann::json::parse(named.out);
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_NE(by_name[0]["file"].get<std::string>().find("pack\xEF\xBF\xBD.json"), std::string::npos);
  EXPECT_EQ(by_name[0]["path"], "/rules/0");
}

}  // namespace
}  // namespace dartdiag
