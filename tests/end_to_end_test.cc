// End to end through the command line, on bundles zipped at test time from the plain-text
// folders in testdata/bundles, and on broken inputs. Asserts verdicts, evidence lines and
// exit codes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <sstream>
#include <tuple>

#include "collect.h"
#include "dartdiag/analysis.h"
#include "dartdiag/report.h"
#include "dartdiag/rule_pack.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using nlohmann::json;
using testing::MakeZip;
using testing::ReadTree;
constexpr auto RunCliIn = testing::Run;
using testing::TempDir;
using testing::TestData;
using testing::ZipEntry;

std::vector<ZipEntry> Bundle(const std::string& name) { return ReadTree(TestData("bundles/" + name)); }

struct JsonRun {
  int code;
  json report;
  std::string err;
};

JsonRun RunJson(std::vector<std::string> args) {
  args.insert(args.begin(), {"--format", "json"});
  const auto run = RunCliIn(args);
  JsonRun out{run.code, json(), run.err};
  if (!run.out.empty()) out.report = json::parse(run.out);
  return out;
}

// "rule/family@file:line,line" for each verdict.
std::vector<std::string> Verdicts(const json& report) {
  std::vector<std::string> out;
  for (const json& v : report["verdicts"]) {
    std::string s = v["rule"].get<std::string>();
    if (!v["family"].is_null()) s += "/" + v["family"].get<std::string>();
    std::string where;
    for (const json& e : v["evidence"]) {
      const std::string file = e["file"].get<std::string>();
      where += (where.empty() ? "@" + file.substr(file.find_last_of('/') + 1) + ":" : ",") +
               std::to_string(e["line"].get<int>());
    }
    out.push_back(s + where);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct BundleCase {
  const char* folder;
  int code;
  std::vector<std::string> verdicts;
};

class BundleCases : public ::testing::TestWithParam<BundleCase> {};

TEST_P(BundleCases, ZippedAtTestTime) {
  const BundleCase& c = GetParam();
  TempDir dir;
  const auto zip = dir.Write("bundle.zip", MakeZip(Bundle(c.folder)));
  const JsonRun run = RunJson({zip.string()});
  EXPECT_EQ(run.code, c.code) << run.err;
  EXPECT_EQ(Verdicts(run.report), c.verdicts);
  EXPECT_EQ(run.report["input"]["kind"], "zip");
  EXPECT_EQ(run.report["input"]["sha256"].get<std::string>().size(), 64u);
}

TEST_P(BundleCases, FolderInputGivesTheSameVerdicts) {
  const BundleCase& c = GetParam();
  const JsonRun run = RunJson({TestData("bundles/" + std::string(c.folder)).string()});
  EXPECT_EQ(run.code, c.code) << run.err;
  EXPECT_EQ(Verdicts(run.report), c.verdicts);
  EXPECT_EQ(run.report["input"]["kind"], "folder");
}

INSTANTIATE_TEST_SUITE_P(
    EndToEnd, BundleCases,
    ::testing::Values(
        BundleCase{"DARTBundle_0827_0307",
                   1,
                   {"dns-443-blocked/ipv6@csccumbrellaplugin.txt:6", "dns-unprotected/ipv4@csccumbrellaplugin.txt:7,9",
                    "web-cloud-unavailable@Umbrella.txt:13"}},
        BundleCase{"dns-ipv4-unprotected", 1, {"dns-unprotected/ipv4@csccumbrellaplugin.txt:4,6,11"}},
        BundleCase{"dns-ipv6-unprotected", 1, {"dns-unprotected/ipv6@csccumbrellaplugin.txt:2,5"}},
        BundleCase{"dns-unencrypted", 1, {"dns-unencrypted/ipv4@csccumbrellaplugin.txt:3,4,7"}},
        BundleCase{"web-unavailable", 1, {"web-cloud-unavailable@Umbrella.txt:29"}},
        BundleCase{"dns-recovered", 0, {"dns-unprotected/ipv4@csccumbrellaplugin.txt:4,7,15,23,31,55,160,163,171,179"}},
        BundleCase{"healthy", 0, {}}, BundleCase{"macos-decoys", 0, {}}, BundleCase{"no-umbrella-logs", 4, {}}),
    [](const auto& test) {
      std::string name = test.param.folder;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST(EndToEnd, WebVerdictStatesFailOpenFromTypedFields) {
  const JsonRun open = RunJson({TestData("bundles/DARTBundle_0827_0307").string()});
  const json* web = nullptr;
  for (const json& v : open.report["verdicts"])
    if (v["rule"] == "web-cloud-unavailable") web = &v;
  ASSERT_NE(web, nullptr);
  EXPECT_EQ((*web)["status"], "Cloud Services Unavailable");
  EXPECT_EQ((*web)["fields"]["fail_open"], "1");
  ASSERT_EQ((*web)["notes"].size(), 1u);
  EXPECT_NE((*web)["notes"][0].get<std::string>().find("no web protection is applied"), std::string::npos);

  const JsonRun closed = RunJson({TestData("bundles/web-unavailable").string()});
  EXPECT_EQ(closed.report["verdicts"][0]["fields"]["fail_open"], "0");
  EXPECT_NE(closed.report["verdicts"][0]["notes"][0].get<std::string>().find("Fail-open does not apply"),
            std::string::npos);
  EXPECT_EQ(closed.report["verdicts"][0]["first_seen"], "2024-08-27T06:41:22.5120000Z");
}

TEST(EndToEnd, DnsVerdictCarriesEverythingASupportEngineerNeeds) {
  const JsonRun run = RunJson({TestData("bundles/dns-ipv4-unprotected").string()});
  const json& v = run.report["verdicts"].at(0);
  EXPECT_EQ(v["protection"], "dns");
  EXPECT_EQ(v["status"], "Unprotected");
  EXPECT_EQ(v["severity"], "error");
  EXPECT_EQ(v["count"], 2);
  EXPECT_EQ(v["first_seen"], "2024-08-27T03:07:48");  // the port 53 fallback: port 443 was rejected
  EXPECT_EQ(v["last_seen"], "2024-08-27T03:08:13");
  EXPECT_EQ(v["at_end"]["state"], "failing");
  EXPECT_EQ(v["at_end"]["since"], "2024-08-27T03:07:48");
  EXPECT_EQ(v["at_end"]["now"], "Unprotected");
  EXPECT_EQ(v["active"], true);
  EXPECT_EQ(v["timeline"]["pattern"], "persistent");
  EXPECT_NE(v["remediation"].dump().find("208.67.222.222"), std::string::npos);
  EXPECT_NE(v["remediation"].dump().find("ip.addr == 208.67.222.222 or ip.addr == 208.67.220.220"), std::string::npos);
  EXPECT_EQ(v["evidence"][0]["file"], "Cisco Secure Client/Umbrella/csccumbrellaplugin.txt");
  EXPECT_EQ(v["evidence"][1]["text"],
            "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all "
            "candidate resolvers for port 53");
}

// The folder report of a bundle lists its logs and other entries in the same order and with the
// same relative paths as the report of the same bundle zipped, whatever order the zip holds them in.
TEST(EndToEnd, FolderAndZipOfTheSameBundleListEntriesAlike) {
  TempDir dir;
  std::vector<ZipEntry> entries = Bundle("DARTBundle_0827_0307");
  std::reverse(entries.begin(), entries.end());
  const auto zip = dir.Write("bundle.zip", MakeZip(entries)).string();
  const std::string folder = TestData("bundles/DARTBundle_0827_0307").string();
  const JsonRun zipped = RunJson({zip}), unzipped = RunJson({folder});
  const auto paths = [](const json& list) {
    std::vector<std::string> out;
    for (const json& item : list) out.push_back(item["path"]);
    return out;
  };
  EXPECT_EQ(paths(unzipped.report["files"]),
            (std::vector<std::string>{"Cisco Secure Client/Umbrella/csccumbrellaplugin.txt",
                                      "Cisco Secure Client/Umbrella/Umbrella.txt"}));
  EXPECT_EQ(paths(zipped.report["files"]), paths(unzipped.report["files"]));
  EXPECT_EQ(paths(unzipped.report["other_entries"]),
            (std::vector<std::string>{"Cisco Secure Client/Umbrella/OrgInfo.json",
                                      "Cisco Secure Client/VPN/vpnagent.txt", "System/systeminfo.txt"}));
  EXPECT_EQ(paths(zipped.report["other_entries"]), paths(unzipped.report["other_entries"]));
  const auto logs_section = [](const std::string& text) {  // from "Logs" to the blank line after it
    const size_t start = text.find("\nLogs\n");
    return text.substr(start, text.find("\n\n", start + 1) - start);
  };
  EXPECT_EQ(logs_section(RunCliIn({zip}).out), logs_section(RunCliIn({folder}).out));
}

TEST(EndToEnd, ZipInsideZipIsOpened) {
  TempDir dir;
  const std::string inner = MakeZip(Bundle("dns-ipv4-unprotected"));
  const auto outer = dir.Write("ticket-4711.zip", MakeZip({{"attachments/DARTBundle_0827_0307.zip", inner},
                                                           {"notes.txt", "customer says DNS is broken"}}));
  const JsonRun run = RunJson({outer.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(Verdicts(run.report), std::vector<std::string>{"dns-unprotected/ipv4@csccumbrellaplugin.txt:4,6,11"});
  EXPECT_EQ(run.report["verdicts"][0]["evidence"][0]["file"],
            "attachments/DARTBundle_0827_0307.zip!/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt");
}

TEST(EndToEnd, NestingDeeperThanTheBoundIsNotOpened) {
  TempDir dir;
  std::string zip = MakeZip(Bundle("dns-ipv4-unprotected"));
  for (int i = 0; i < 4; ++i) zip = MakeZip({{"level" + std::to_string(i) + ".zip", zip}});
  const JsonRun run = RunJson({dir.Write("deep.zip", zip).string()});
  EXPECT_EQ(run.code, 2);  // a cap hit and nothing else analysed
  EXPECT_TRUE(run.report["verdicts"].empty());
  ASSERT_EQ(run.report["integrity"].size(), 1u);
  EXPECT_EQ(run.report["integrity"][0]["cap"], "depth");
  EXPECT_EQ(run.report["integrity"][0]["file"], "level3.zip!/level2.zip!/level1.zip!/level0.zip");
}

TEST(EndToEnd, BackslashEntryNamesAreFound) {
  TempDir dir;
  std::vector<ZipEntry> entries = Bundle("DARTBundle_0827_0307");
  for (ZipEntry& e : entries) std::replace(e.name.begin(), e.name.end(), '/', '\\');
  const JsonRun run = RunJson({dir.Write("win.zip", MakeZip(entries)).string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(Verdicts(run.report).size(), 3u);
  EXPECT_EQ(run.report["files"][0]["path"], "Cisco Secure Client\\Umbrella\\csccumbrellaplugin.txt");
  EXPECT_EQ(run.report["files"][1]["path"], "Cisco Secure Client\\Umbrella\\Umbrella.txt");
}

TEST(EndToEnd, MacosDecoysInAZipAreListedNotRead) {
  TempDir dir;
  const JsonRun run = RunJson({dir.Write("mac.zip", MakeZip(Bundle("macos-decoys"))).string()});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.report["files"].size(), 2u);
  int decoys = 0;
  for (const json& m : run.report["other_entries"]) decoys += m["kind"] == "decoy";
  EXPECT_EQ(decoys, 2);
}

TEST(EndToEnd, LooseFilesAreOneBundle) {
  const std::string base = TestData("bundles/DARTBundle_0827_0307/Cisco Secure Client/Umbrella/").string();
  const JsonRun run = RunJson({base + "csccumbrellaplugin.txt", base + "Umbrella.txt"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(Verdicts(run.report).size(), 3u);
  EXPECT_EQ(run.report["input"]["kind"], "files");
}

TEST(EndToEnd, LooseFileWithAnotherNameIsRecognisedByContent) {
  TempDir dir;
  const std::string text =
      testing::ReadBytes(TestData("bundles/dns-ipv4-unprotected/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"));
  const JsonRun run = RunJson({dir.Write("plugin-log-from-ticket.log", text).string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.report["files"][0]["parser"], "csccumbrellaplugin");
  EXPECT_EQ(run.report["input"]["kind"], "file");
}

TEST(EndToEnd, Utf16EventLogWithCrlfInAZip) {
  TempDir dir;
  std::string text =
      testing::ReadBytes(TestData("bundles/DARTBundle_0827_0307/Cisco Secure Client/Umbrella/Umbrella.txt"));
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const auto zip = dir.Write("u16.zip", MakeZip({{"Umbrella/Umbrella.txt", testing::ToUtf16(crlf, true)}}));
  const JsonRun run = RunJson({zip.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.report["files"][0]["encoding"], "utf-16le");
  EXPECT_EQ(Verdicts(run.report), std::vector<std::string>{"web-cloud-unavailable@Umbrella.txt:13"});
}

TEST(EndToEnd, ZipRecognisedByMagicWhateverItsName) {
  TempDir dir;
  const auto file = dir.Write("attachment.bin", MakeZip(Bundle("dns-unencrypted")));
  EXPECT_EQ(RunJson({file.string()}).report["input"]["kind"], "zip");
}

TEST(EndToEnd, FailOnMovesTheExitCode) {
  const std::string folder = TestData("bundles/dns-unencrypted").string();  // one warning
  EXPECT_EQ(RunCliIn({folder}).code, 1);
  EXPECT_EQ(RunCliIn({"--fail-on", "error", folder}).code, 0);
  EXPECT_EQ(RunCliIn({"--fail-on", "never", folder}).code, 0);
  EXPECT_EQ(RunCliIn({"--fail-on", "info", TestData("bundles/healthy").string()}).code, 0);
}

// Broken inputs: documented exit code and a one-line message naming the input.
TEST(BrokenInputs, MissingFile) {
  const auto run = RunCliIn({"/nonexistent/bundle.zip"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "dartdiag: /nonexistent/bundle.zip: no such file or folder\n");
  EXPECT_TRUE(run.out.empty());
}

TEST(BrokenInputs, EmptyFile) {
  TempDir dir;
  const auto file = dir.Write("empty.zip", "");
  const auto run = RunCliIn({file.string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "dartdiag: " + file.string() + ": empty file\n");
}

TEST(BrokenInputs, NotAZip) {
  TempDir dir;
  const auto file = dir.Write("bundle.zip", "this is a text file, not a bundle\n");
  const auto run = RunCliIn({file.string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "dartdiag: " + file.string() + ": not a zip archive, a folder or a recognised Umbrella log\n");
}

TEST(BrokenInputs, TruncatedZip) {
  TempDir dir;
  const std::string zip = MakeZip(Bundle("DARTBundle_0827_0307"));
  const auto file = dir.Write("cut.zip", zip.substr(0, zip.size() / 2));
  const auto run = RunCliIn({file.string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(run.err.starts_with("dartdiag: " + file.string() + ": not a readable zip archive (")) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
}

// A caller that already has the input's digest (batch hashes each input to find duplicates) hands
// it over: the report states it and the file is not hashed again. The digest given here is not
// the file's, so a report that shows it cannot have come from hashing. Without one, the file is
// hashed, and the given digest changes nothing else (the same verdicts).
TEST(InputDigest, GivenByTheCallerIsReportedAndNotComputedAgain) {
  TempDir dir;
  const std::string zip = MakeZip(Bundle("DARTBundle_0827_0307"));
  const auto file = dir.Write("bundle.zip", zip);
  const std::string loose = TestData("bundles/dns-unencrypted/csccumbrellaplugin.txt");
  static const RulePack pack = LoadRulePack({DefaultRuleSource()});
  const std::string given(64, 'a');
  for (const std::string& path : {file.string(), loose}) {
    SCOPED_TRACE(path);
    AnalyzeOptions options;
    options.inputs = {path};
    const std::string actual = Sha256Hex(testing::ReadBytes(path));
    EXPECT_EQ(Analyze(options, pack).input.sha256, actual);
    options.input_sha256 = given;
    const Result result = Analyze(options, pack);
    EXPECT_EQ(result.input.sha256, given);
    options.input_sha256.clear();
    EXPECT_EQ(Analyze(options, pack).verdicts.size(), result.verdicts.size());
  }
  AnalyzeOptions options;
  EXPECT_EQ(AnalyzeZipBytes(zip, "in-memory.zip", options, pack).input.sha256, Sha256Hex(zip));
  options.input_sha256 = given;
  EXPECT_EQ(AnalyzeZipBytes(zip, "in-memory.zip", options, pack).input.sha256, given);
  options.inputs = {file.string(), loose};  // a list of files has no digest, given or not
  EXPECT_EQ(Analyze(options, pack).input.sha256, "");
}

// A loose log or a zip of 1 MiB or more is hashed on a thread of its own while it is read; a
// smaller one after it is read. Either way the digest is the whole file's, also when a cap stops
// the reading early, and a broken zip still gives its one-line error.
TEST(InputDigest, IsTheWholeFilesWhetherHashedBesideOrAfter) {
  TempDir dir;
  std::mt19937_64 random(7);
  std::string log;
  while (log.size() < 6 * (1u << 20)) {  // lines that deflate cannot shrink much: the zip is over 1 MiB too
    log += fmt::format("2024-08-27 03:07:{:02} [8880] [DEBUG] < 12> Other Component: token {:016x}{:016x}\n",
                       log.size() % 60, random(), random());
  }
  const std::string small = log.substr(0, log.find('\n', (1u << 20) - 300) + 1);
  ASSERT_LT(small.size(), 1u << 20);
  const std::string zip = MakeZip({{"Umbrella/csccumbrellaplugin.txt", log}});
  ASSERT_GT(zip.size(), 1u << 20);
  for (const auto& [name, bytes, extra] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"small/csccumbrellaplugin.txt", small, ""},
                                                                      {"large/csccumbrellaplugin.txt", log, ""},
                                                                      {"cut/csccumbrellaplugin.txt", log, "100000"},
                                                                      {"bundle.zip", zip, ""},
                                                                      {"cut.zip", zip, "100000"}}) {
    SCOPED_TRACE(name);
    const auto file = dir.Write(name, bytes);
    std::vector<std::string> args = {file.string()};
    if (!extra.empty()) args.insert(args.begin(), {"--max-bundle-bytes", extra});
    const JsonRun run = RunJson(args);
    EXPECT_EQ(run.code, extra.empty() ? 0 : 2) << run.err;  // 2: capped, no log read
    EXPECT_EQ(run.report["input"]["sha256"], Sha256Hex(bytes));
    EXPECT_EQ(run.report["integrity"].size(), extra.empty() ? 0u : 1u);
  }
  const auto broken = dir.Write("broken.zip", zip.substr(0, zip.size() - 100));
  const auto run = RunCliIn({broken.string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(run.err.starts_with("dartdiag: " + broken.string() + ": not a readable zip archive (")) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
}

TEST(BrokenInputs, EncryptedLogEntry) {
  TempDir dir;
  const std::string text =
      testing::ReadBytes(TestData("bundles/dns-ipv4-unprotected/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"));
  const auto file = dir.Write("enc.zip", MakeZip({{"Umbrella/csccumbrellaplugin.txt", text, true}}));
  const JsonRun run = RunJson({file.string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "dartdiag: " + file.string() + ": no Umbrella log could be read (" + file.string() +
                         ": entry 'Umbrella/csccumbrellaplugin.txt' is encrypted)\n");
  EXPECT_EQ(run.report["files"][0]["error"], file.string() + ": entry 'Umbrella/csccumbrellaplugin.txt' is encrypted");
}

TEST(BrokenInputs, EncryptedLogBesideAReadableOneIsPartial) {
  TempDir dir;
  std::vector<ZipEntry> entries = Bundle("healthy");
  entries[0].encrypt = true;  // Umbrella.txt
  const JsonRun run = RunJson({dir.Write("half.zip", MakeZip(entries)).string()});
  EXPECT_EQ(run.code, 4);
  EXPECT_EQ(run.report["coverage"]["outcome"], "partial");
  EXPECT_EQ(run.err, "dartdiag: " + dir.path().string() + "/half.zip: analysis incomplete: " + dir.path().string() +
                         "/half.zip: entry 'Cisco Secure Client/Umbrella/Umbrella.txt' is encrypted\n");
}

TEST(BrokenInputs, DotDotEntryNameIsAnalysedByNameAndFlagged) {
  TempDir dir;
  const std::string text =
      testing::ReadBytes(TestData("bundles/dns-ipv4-unprotected/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"));
  const auto file = dir.Write("evil.zip", MakeZip({{"../../etc/csccumbrellaplugin.txt", text}}));
  const JsonRun run = RunJson({file.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.report["verdicts"][0]["evidence"][0]["file"], "../../etc/csccumbrellaplugin.txt");
  ASSERT_FALSE(run.report["diagnostics"].empty());
  EXPECT_EQ(run.report["diagnostics"][0]["code"], "unsafe-entry-name");
  EXPECT_FALSE(std::filesystem::exists(dir.path().parent_path().parent_path() / "etc/csccumbrellaplugin.txt"));
}

}  // namespace
}  // namespace dartdiag

namespace dartdiag {
namespace {

// An entry of more than 1 MiB compressed is inflated on a second thread while the first parses
// (archive_zip.cc); every line must still arrive, in order, with the verdict at the end. Run under
// ThreadSanitizer in CI.
std::string LargeLog(size_t lines) {  // lines that compress poorly, so the entry is large
  std::string log;
  uint64_t state = 0x9e3779b97f4a7c15ULL;  // xorshift
  for (size_t i = 0; i < lines - 1; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    log += fmt::format("2024-08-27 03:{:02}:{:02} [8880] [WARN] < 7> Sync: item {:016x} done\n", (i / 60) % 60, i % 60,
                       state);
  }
  log +=
      "2024-08-27 03:59:59 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate "
      "resolvers for port 53\n";
  return log;
}

TEST(LargeEntries, InflatedOnASecondThreadAndReadWhole) {
  constexpr size_t kLines = 100000;
  const std::string log = LargeLog(kLines);
  const std::string zip_bytes = MakeZip({{"Umbrella/csccumbrellaplugin.txt", log}});
  ASSERT_GT(zip_bytes.size(), size_t{1} << 20) << "the entry must be large enough for the threaded path";
  TempDir dir;
  const auto zip = dir.Write("large.zip", zip_bytes);
  const JsonRun run = RunJson({zip.string()});
  ASSERT_EQ(run.code, 1) << run.err;
  ASSERT_EQ(run.report["files"].size(), 1U);
  EXPECT_EQ(run.report["files"][0]["lines"], kLines);
  EXPECT_EQ(Verdicts(run.report), (std::vector<std::string>{"dns-unprotected/ipv4@csccumbrellaplugin.txt:100000"}));
}

// A batch whose lanes keep every core busy inflates in each lane (Limits::inflate_beside off):
// the same bytes arrive as through the second thread, so the report is the same byte for byte,
// for a large entry at the top of the zip and inside a nested zip.
TEST(LargeEntries, InflatedInTheLaneGiveTheSameReport) {
  const std::string log = LargeLog(100000);
  const std::string inner = MakeZip({{"Umbrella/csccumbrellaplugin.txt", log}});
  TempDir dir;
  const auto top = dir.Write("top.zip", MakeZip({{"Umbrella/csccumbrellaplugin.txt", log}}));
  const auto nested = dir.Write("nested.zip", MakeZip({{"inner.zip", inner}}));
  ASSERT_GT(inner.size(), size_t{1} << 20) << "the entry must be large enough for the threaded path";
  static const RulePack pack = LoadRulePack({DefaultRuleSource()});
  for (const auto& zip : {top, nested}) {
    std::string reports[2];
    for (const bool beside : {true, false}) {
      AnalyzeOptions options;
      options.inputs = {zip.string()};
      options.limits.inflate_beside = beside;
      std::ostringstream out;
      WriteJsonReport(Analyze(options, pack), ReportOptions{}, out);
      reports[beside ? 0 : 1] = out.str();
    }
    EXPECT_EQ(reports[0], reports[1]) << zip;
    const json report = json::parse(reports[1]);
    ASSERT_EQ(report["files"].size(), 1U) << zip;
    EXPECT_EQ(report["files"][0]["lines"], 100000) << zip;
    EXPECT_EQ(report["verdicts"].size(), 1U) << zip;
  }
}

}  // namespace
}  // namespace dartdiag
