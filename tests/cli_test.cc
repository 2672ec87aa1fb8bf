// Command-line behaviour: help, version, usage errors, rule pack flags.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

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

TEST(Cli, SeveralBundlesAreRefusedWithAPointerToBatch) {
  const std::string a = TestData("bundles/healthy").string(), b = TestData("bundles/dns-unencrypted").string();
  const auto run = RunCliIn({a, b});
  EXPECT_EQ(run.code, 3);
  EXPECT_EQ(run.err, "dartdiag: " + a + ", " + b + ": several bundles on one command line; each gets its own report with: "
                     "dartdiag batch " + a + " " + b + "\n");
  EXPECT_EQ(run.out, "");
  // Loose log files of one laptop still combine into one report.
  const std::string folder = TestData("bundles/DARTBundle_0827_0307/Cisco Secure Client/Umbrella/").string();
  const auto loose = RunCliIn({folder + "csccumbrellaplugin.txt", folder + "Umbrella.txt"});
  EXPECT_EQ(loose.code, 1) << loose.err;
  EXPECT_NE(loose.out.find("2 errors, 1 warning."), std::string::npos) << loose.out;
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

// The man page and the bash, zsh and fish completions name every long option that --help lists,
// for the tool and each subcommand.
TEST(Cli, ManPageAndCompletionsNameEveryOption) {
  std::set<std::string> options;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"batch", "--help"}, {"explain", "--help"}, {"rules", "list", "--help"}}) {
    const auto run = RunCliIn(args);
    static const std::regex kLong("--[a-z][a-z-]*[a-z]");
    for (auto it = std::sregex_iterator(run.out.begin(), run.out.end(), kLong); it != std::sregex_iterator(); ++it) {
      options.insert(it->str());
    }
  }
  ASSERT_GT(options.size(), 20u);
  const std::filesystem::path root = TestData("bundles").parent_path().parent_path();
  std::string man = testing::ReadBytes(root / "docs/dartdiag.1");
  std::erase(man, '\\');  // roff escapes: "\-\-fail\-on"
  const auto completions = root / "completions";
  const std::string bash = testing::ReadBytes(completions / "dartdiag.bash");
  const std::string zsh = testing::ReadBytes(completions / "_dartdiag");
  const std::string fish = testing::ReadBytes(completions / "dartdiag.fish");
  for (const std::string& option : options) {
    EXPECT_NE(man.find(option), std::string::npos) << "docs/dartdiag.1 lacks " << option;
    EXPECT_NE(bash.find(option), std::string::npos) << "completions/dartdiag.bash lacks " << option;
    EXPECT_NE(zsh.find(option), std::string::npos) << "completions/_dartdiag lacks " << option;
    if (option != "--help") {
      EXPECT_NE(fish.find("-l " + option.substr(2) + " "), std::string::npos) << "fish lacks " << option;
    }
  }
  for (const char* code : {".B 0\n", ".B 1\n", ".B 2\n", ".B 3\n", ".B 4\n"}) EXPECT_NE(man.find(code), std::string::npos) << code;
}

}  // namespace
}  // namespace dartdiag
