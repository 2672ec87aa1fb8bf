// Command-line behaviour: help, version, usage errors, rule pack flags.
#include <gtest/gtest.h>

#include "test_support.h"

namespace dartdiag {
namespace {

using testing::TempDir;
using testing::TestData;
constexpr auto RunCliIn = testing::Run;

TEST(Cli, HelpDocumentsExitCodes) {
  const auto run = RunCliIn({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("Exit codes:"), std::string::npos);
  EXPECT_NE(run.out.find("4  analysed but incomplete"), std::string::npos);
  EXPECT_NE(run.out.find("--fail-on"), std::string::npos);
}

TEST(Cli, Version) {
  const auto run = RunCliIn({"--version"});
  EXPECT_EQ(run.code, 0);
  EXPECT_TRUE(run.out.starts_with("dartdiag ")) << run.out;
}

TEST(Cli, UsageErrorsExitThreeWithOneLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"--format", "xml", "x.zip"}, {"--bogus", "x.zip"}, {"--fail-on", "fatal", "x"}}) {
    const auto run = RunCliIn(args);
    EXPECT_EQ(run.code, 3) << run.err;
    EXPECT_TRUE(run.err.starts_with("dartdiag: ")) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

TEST(Cli, BadRulePackExitsThreeNamingFileAndPath) {
  TempDir dir;
  const auto rules = dir.Write("bad.json", R"({"rules": [{"id": "x"}]})");
  const auto run = RunCliIn({"--rules", rules.string(), TestData("bundles/healthy").string()});
  EXPECT_EQ(run.code, 3);
  EXPECT_TRUE(run.err.starts_with("dartdiag: " + rules.string() + ": /rules/0/title: missing\n")) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(Cli, MissingRulePackFile) {
  const auto run = RunCliIn({"--rules", "/nonexistent/rules.json", TestData("bundles/healthy").string()});
  EXPECT_EQ(run.code, 3);
  EXPECT_EQ(run.err, "dartdiag: /nonexistent/rules.json: cannot read rule pack\n");
}

TEST(Cli, ExtraRulePackAddsARuleWithoutRebuilding) {
  TempDir dir;
  const auto rules = dir.Write("mine.json", R"({"rules": [{"id": "plugin-started", "title": "Plugin started",
    "protection": "dns", "status": "Started", "severity": "info", "summary": "The plugin started.",
    "root_cause": "It was started.", "remediation": ["Nothing to do."],
    "when": {"event": {"log": "csccumbrellaplugin", "message": "^plugin started"}}}]})");
  const std::string bundle = TestData("bundles/healthy").string();
  const auto run = RunCliIn({"--rules", rules.string(), "--fail-on", "info", "--format", "json", bundle});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("\"rule\": \"plugin-started\""), std::string::npos);
  const auto only = RunCliIn({"--no-default-rules", "--rules", rules.string(), bundle});
  EXPECT_NE(only.out.find("Checked 1 rule (plugin-started)"), std::string::npos) << only.out;
}

// Hostile packs in every command that loads one: 200,000 nested '[' in ok_after (exit 139 before)
// and a within of 2^64 - 1 (a heap overflow under ASan) are usage errors naming file and place.
TEST(Cli, HostileRulePacksAreUsageErrorsInEveryCommand) {
  TempDir dir;
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const auto nested = dir.Write("nested.json", R"({"rules": [], "timelines": [{"id": "t", "protection": "dns",
    "fail": {"log": "csccumbrellaplugin"}, "start": {"log": "csccumbrellaplugin"}, "ok_after": )" + deep + "}]}").string();
  const auto wrapped = dir.Write("wrapped.json", R"({"rules": [{"id": "w", "title": "t", "protection": "dns",
    "status": "s", "severity": "error", "summary": "s", "root_cause": "c",
    "when": {"sequence": {"steps": [{"event": {"log": "csccumbrellaplugin"}}, {"event": {"log": "csccumbrellaplugin"}}],
                          "within": 18446744073709551615}}}]})").string();
  const std::string bundle = TestData("bundles/healthy").string();
  const std::vector<std::pair<std::string, std::string>> packs = {
      {nested, ": line 2, column 221: arrays and objects nest deeper than 128 levels"},
      {wrapped, ": /rules/0/when/sequence/within: must be a duration"}};
  for (const auto& [pack, problem] : packs) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--rules", pack, bundle}, {"batch", "-q", "--rules", pack, bundle},
          {"explain", "--rules", pack, "dns-unprotected", bundle}, {"rules", "list", "--rules", pack},
          {"rules", "check", pack}}) {
      const auto run = RunCliIn(args);
      EXPECT_EQ(run.code, 3) << args[0] << " " << pack << "\n" << run.err;
      EXPECT_NE(run.err.find(": " + pack + problem), std::string::npos) << run.err;
    }
    const auto lint = RunCliIn({"rules", "lint", pack});
    EXPECT_EQ(lint.code, 1);
    EXPECT_TRUE(lint.out.starts_with(pack + problem)) << lint.out;
  }
}

// What is wrong and where, in dartdiag's words, not the JSON library's.
TEST(Cli, RulePackThatIsNotJsonSaysWhereInOwnWords) {
  TempDir dir;
  const auto rules = dir.Write("typo.json", "{\"rules\": [\n  {\"id\": \"x\"\n   \"title\": \"t\"}\n]}");
  const auto run = RunCliIn({"--rules", rules.string(), TestData("bundles/healthy").string()});
  EXPECT_EQ(run.code, 3);
  EXPECT_EQ(run.err, "dartdiag: " + rules.string() +
                         ": line 3, column 4: not valid JSON: expected ',' or '}' after a member, found '\"'\n");
  EXPECT_EQ(run.err.find("json.exception"), std::string::npos);
}

}  // namespace
}  // namespace dartdiag
