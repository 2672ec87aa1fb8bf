// Command-line behaviour: help, version, usage errors, rule pack flags, standard input.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

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
  EXPECT_EQ(run.err, "dartdiag: " + a + ", " + b +
                         ": several bundles on one command line; each gets its own report with: "
                         "dartdiag batch " +
                         a + " " + b + "\n");
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
    const std::string out = RunCliIn(args).out;
    // Each "--name" (lowercase letters and inner dashes); no std::regex (GCC 12 warns inside it
    // under the sanitizers).
    const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    for (size_t pos = out.find("--"); pos != std::string::npos; pos = out.find("--", pos + 2)) {
      size_t end = pos + 2;
      while (end < out.size() && (lower(out[end]) || (out[end] == '-' && end + 1 < out.size() && lower(out[end + 1]))))
        ++end;
      if (end > pos + 2 && (pos == 0 || out[pos - 1] != '-')) options.insert(out.substr(pos, end - pos));
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
  for (const char* code : {".B 0\n", ".B 1\n", ".B 2\n", ".B 3\n", ".B 4\n"})
    EXPECT_NE(man.find(code), std::string::npos) << code;
}

// Hostile packs in every command that loads one: 200,000 nested '[' in ok_after (exit 139 before)
// and a within of 2^64 - 1 (a heap overflow under ASan) are usage errors naming file and place.
TEST(Cli, HostileRulePacksAreUsageErrorsInEveryCommand) {
  TempDir dir;
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const auto nested =
      dir.Write(
             "nested.json",
             R"({"rules": [], "state_models": [{"id": "t", "protection": "dns", "states": [{"id": "u", "label": "U", "health": "unknown"}], "transitions": [], "cycles": [{"id": "c",
    "fail": {"log": "csccumbrellaplugin"}, "start": {"log": "csccumbrellaplugin"}, "ok_after": )" +
                 deep + "}]}]}")
          .string();
  const auto wrapped = dir.Write("wrapped.json", R"({"rules": [{"id": "w", "title": "t", "protection": "dns",
    "status": "s", "severity": "error", "summary": "s", "root_cause": "c",
    "when": {"sequence": {"steps": [{"event": {"log": "csccumbrellaplugin"}}, {"event": {"log": "csccumbrellaplugin"}}],
                          "within": 18446744073709551615}}}]})")
                           .string();
  const std::string bundle = TestData("bundles/healthy").string();
  const std::vector<std::pair<std::string, std::string>> packs = {
      {nested, ": line 2, column 219: arrays and objects nest deeper than 128 levels"},
      {wrapped, ": /rules/0/when/sequence/within: must be a duration"}};
  for (const auto& [pack, problem] : packs) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--rules", pack, bundle},
                                                 {"batch", "-q", "--rules", pack, bundle},
                                                 {"explain", "--rules", pack, "dns-unprotected", bundle},
                                                 {"rules", "list", "--rules", pack},
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

// `dartdiag -` reads a bundle from standard input, as `curl ... | dartdiag -` does: a zip or a
// single log (recognised by content), giving the report the same bytes give from a file.
TEST(Cli, DashReadsAZipOrALogFromStandardInput) {
  TempDir dir;
  const std::string zip = testing::MakeZip(testing::ReadTree(TestData("bundles/DARTBundle_0827_0307")));
  const auto zip_file = dir.Write("bundle.zip", zip);
  const auto piped = testing::RunWithStdin({"--format", "json", "-"}, zip);
  const auto named = RunCliIn({"--format", "json", zip_file.string()});
  ASSERT_EQ(piped.code, 1) << piped.err;
  EXPECT_EQ(piped.err, "");
  auto from_stdin = nlohmann::json::parse(piped.out), from_file = nlohmann::json::parse(named.out);
  EXPECT_EQ(from_stdin["input"]["path"], "<stdin>");
  EXPECT_EQ(from_stdin["input"]["kind"], "zip");
  from_stdin["input"]["path"] = from_file["input"]["path"];
  EXPECT_EQ(from_stdin, from_file);

  const std::string log =
      testing::ReadBytes(TestData("bundles/dns-ipv4-unprotected/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"));
  const auto log_run = testing::RunWithStdin({"--format", "json", "-"}, log);
  ASSERT_EQ(log_run.code, 1) << log_run.err;
  const auto report = nlohmann::json::parse(log_run.out);
  EXPECT_EQ(report["input"]["kind"], "file");
  EXPECT_EQ(report["files"][0]["path"], "<stdin>");
  EXPECT_EQ(report["files"][0]["parser"], "csccumbrellaplugin");
  EXPECT_EQ(report["verdicts"][0]["evidence"][0]["file"], "<stdin>");
  EXPECT_EQ(
      report["input"]["sha256"],
      nlohmann::json::parse(RunCliIn({"--format", "json", dir.Write("p.log", log).string()}).out)["input"]["sha256"]);
  // UTF-16 with a BOM, as Umbrella.txt often comes, is recognised by content too.
  const std::string eventlog = testing::ReadBytes(TestData("bundles/web-unavailable/Logs/Umbrella.txt"));
  const auto utf16 = testing::RunWithStdin({"-"}, testing::ToUtf16(eventlog, true));
  EXPECT_EQ(utf16.code, 1) << utf16.err;
  EXPECT_NE(utf16.out.find("[web-cloud-unavailable]"), std::string::npos) << utf16.out;
  EXPECT_NE(RunCliIn({"--help"}).out.find("or - alone to read a bundle zip or a single log from standard input"),
            std::string::npos);
}

// Standard input meets the same caps as a file, and is never written to disk by an entry's name.
TEST(Cli, DashIsBoundedByTheCapsAndNeverWritten) {
  TempDir dir;
  const std::string log =
      testing::ReadBytes(TestData("bundles/dns-ipv4-unprotected/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"));
  const std::string zip = testing::MakeZip({{"../../stdin-escape/csccumbrellaplugin.txt", log}});
  const auto evil = testing::RunWithStdin({"--format", "json", "-"}, zip);
  EXPECT_EQ(evil.code, 1) << evil.err;
  EXPECT_EQ(nlohmann::json::parse(evil.out)["verdicts"][0]["evidence"][0]["file"],
            "../../stdin-escape/csccumbrellaplugin.txt");
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::current_path().parent_path().parent_path() / "stdin-escape"));

  const auto big_zip = testing::RunWithStdin({"--max-entry-bytes", "100", "-"}, zip);
  EXPECT_EQ(big_zip.code, 2);
  EXPECT_EQ(big_zip.err,
            "dartdiag: <stdin>: a zip read from standard input is held in memory, and this one is larger "
            "than 100 bytes (--max-entry-bytes); save it to a file and name the file\n");
  const auto cut_log = testing::RunWithStdin({"--format", "json", "--max-entry-bytes", "300", "-"}, log);
  const auto cut = nlohmann::json::parse(cut_log.out);
  ASSERT_EQ(cut["integrity"].size(), 1u) << cut_log.out;
  EXPECT_EQ(cut["integrity"][0]["cap"], "entry-bytes");
  EXPECT_EQ(cut["integrity"][0]["file"], "<stdin>");
  EXPECT_TRUE(cut["input"]["sha256"].is_null());  // not read to its end: no digest

  EXPECT_EQ(testing::RunWithStdin({"-"}, "").err, "dartdiag: <stdin>: empty input\n");
  const auto junk = testing::RunWithStdin({"-"}, "hello\n");
  EXPECT_EQ(junk.code, 2);
  EXPECT_EQ(junk.err, "dartdiag: <stdin>: not a zip archive or a recognised Umbrella log\n");
  const auto pcap =
      testing::RunWithStdin({"-"}, std::string("\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8) + std::string(16, '\0'));
  EXPECT_EQ(pcap.code, 3);
  EXPECT_EQ(pcap.err, "dartdiag: <stdin>: a packet capture is read from a file: save it and name the file\n");
  const auto two = testing::RunWithStdin({"-", TestData("bundles/healthy").string()}, log);
  EXPECT_EQ(two.code, 3);
  EXPECT_EQ(RunCliIn({"-"}).code, 3);  // no standard input to read
}

}  // namespace
}  // namespace dartdiag
