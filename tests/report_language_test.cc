// The human reports in the reader's language: the zh-TW text report and --brief of every bundle
// under testdata/bundles (with its capture from testdata/captures when there is one), the batch
// text rows and summary over them, and the diagnostics and cap hits of hostile bundles hold no
// English word of three letters or more, once what legitimately stays is taken out: lines quoted
// from the bundle or the capture (evidence, frames), paths of the bundle's files, rule and log-type
// ids, URLs, display filters, flags, host names, numbers, times and addresses, and protocol and
// product names. Tested words come from the catalogue (src/messages.inc) and the rule pack's
// translations.
#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "cli/cli.h"
#include "test_support.h"

namespace dartdiag {
namespace {

namespace fs = std::filesystem;

// Names that are the same in every language: protocols, products, formats, the tool itself.
const std::set<std::string> kKeptWords = {
    "DNS",      "SWG",    "TCP",  "UDP",      "ICMP",    "RST",      "SYN",       "ACK",   "IPv",
    "UTC",      "ISO",    "TXT",  "Web",      "OpenDNS", "Umbrella", "Wireshark", "macOS", "dartdiag",
    "nslookup", "DART",   "WiFi", "FailOpen", "pcap",    "pcapng",   "ethernet",  "Cisco", "Secure",
    "Access",   "Client", "json", "SHA",      "Linux",   "SLL",      "libzip",    "UTF"};

// Lines quoted from the bundle or the capture: evidence ("    path:line  text"), frames ("訊框 N"),
// display filters, links.
bool IsQuotedLine(const std::string& line) {
  static const RE2 kEvidence(R"(^ {4,}\S.*:\d+  )");
  return RE2::PartialMatch(line, kEvidence) || line.find("訊框 ") != std::string::npos ||
         line.find("Wireshark顯示過濾器：") != std::string::npos || line.find("://") != std::string::npos;
}

// The English words of `report` that should have been said in Chinese.
std::vector<std::string> EnglishWords(const std::string& report, const std::vector<std::string>& paths) {
  static const RE2 kId(R"((dns|web)-[a-z0-9-]+|csccumbrellaplugin|umbrella-eventlog|--[a-z-]+)");
  std::vector<std::string> found;
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) {
    if (IsQuotedLine(line)) continue;
    for (const std::string& path : paths) {
      for (size_t at; !path.empty() && (at = line.find(path)) != std::string::npos;) line.replace(at, path.size(), " ");
    }
    // Every non-ASCII character (Chinese, full-width punctuation) separates words.
    for (char& c : line) {
      if (static_cast<unsigned char>(c) >= 0x80 || std::string_view("(),;[]'\"").find(c) != std::string_view::npos)
        c = ' ';
    }
    std::istringstream tokens(line);
    for (std::string token; tokens >> token;) {
      while (!token.empty() && (token.back() == ':' || token.back() == '.')) token.pop_back();
      if (RE2::FullMatch(token, kId)) continue;
      // Numbers, times, addresses, host names, paths and filter fields: anything with a digit or a dot.
      if (token.find_first_of("0123456789./\\=_*") != std::string::npos) continue;
      std::string word;
      for (size_t i = 0; i <= token.size(); ++i) {
        if (i < token.size() && std::isalpha(static_cast<unsigned char>(token[i]))) {
          word.push_back(token[i]);
          continue;
        }
        if (word.size() >= 3 && !kKeptWords.count(word)) found.push_back(word + "  in: " + line);
        word.clear();
      }
    }
  }
  return found;
}

struct Case {
  std::string name, bundle, capture;
  std::vector<std::string> paths;  // the bundle's files, relative, and the inputs themselves
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (const fs::directory_entry& dir : fs::directory_iterator(testing::TestData("bundles"))) {
    if (!dir.is_directory()) continue;
    Case c;
    c.name = dir.path().filename().string();
    c.bundle = dir.path().string();
    const fs::path capture = testing::TestData("captures") / (c.name + ".pcapng");
    if (fs::exists(capture)) c.capture = capture.string();
    for (const fs::directory_entry& f : fs::recursive_directory_iterator(dir.path())) {
      if (f.is_regular_file()) c.paths.push_back(fs::relative(f.path(), dir.path()).generic_string());
    }
    c.paths.push_back(c.bundle);
    if (!c.capture.empty()) c.paths.push_back(c.capture);
    std::sort(c.paths.begin(), c.paths.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

TEST(ReportLanguage, EveryBundleHasCasesAndOneHasACapture) {
  const std::vector<Case> cases = Cases();
  EXPECT_GE(cases.size(), 9u);
  EXPECT_TRUE(std::any_of(cases.begin(), cases.end(), [](const Case& c) { return !c.capture.empty(); }));
}

TEST(ReportLanguage, ChineseTextReportsHoldNoEnglishLabel) {
  for (const Case& c : Cases()) {
    std::vector<std::vector<std::string>> runs = {{"--lang", "zh-TW", c.bundle},
                                                  {"--lang", "zh-TW", "--brief", c.bundle},
                                                  {"--lang", "zh-TW", "--explain", c.bundle}};
    if (!c.capture.empty()) {
      runs.push_back({"--lang", "zh-TW", c.bundle, c.capture});
      runs.push_back({"--lang", "zh-TW", "--log-tz", "+00:00", c.bundle, c.capture});
      runs.push_back({"--lang", "zh-TW", "--brief", c.bundle, c.capture});
      runs.push_back({"--lang", "zh-TW", c.capture});
    }
    for (const std::vector<std::string>& args : runs) {
      const testing::CliRun run = testing::Run(args);
      std::string command = "dartdiag";
      for (const std::string& arg : args) command += " " + arg;
      SCOPED_TRACE(command);
      EXPECT_FALSE(run.out.empty());
      const std::vector<std::string> english = EnglishWords(run.out, c.paths);
      EXPECT_TRUE(english.empty()) << english.size() << " English words, the first: " << english.front() << "\n"
                                   << run.out;
    }
  }
}

// `dartdiag explain RULE BUNDLE` speaks the language of --lang too (condition labels are the rule
// language and stay; the frame around them is translated).
TEST(ReportLanguage, ExplainSubcommandIsInTheReadersLanguage) {
  const std::string bundle = testing::TestData("bundles/dns-ipv4-unprotected").string();
  const testing::CliRun zh = testing::Run({"explain", "--lang", "zh-TW", "dns-unprotected", bundle});
  const testing::CliRun en = testing::Run({"explain", "--lang", "en", "dns-unprotected", bundle});
  EXPECT_NE(en.out.find("fired"), std::string::npos) << en.out;
  EXPECT_NE(zh.out.find("已觸發"), std::string::npos) << zh.out;
  for (const char* english : {"group ", "all events", "fired", "[held]", "[not held]", "nearest misses"}) {
    EXPECT_EQ(zh.out.find(english), std::string::npos) << english << "\n" << zh.out;
  }
}

// The check itself finds English: the same reports in English fail it.
TEST(ReportLanguage, TheCheckFindsEnglish) {
  for (const Case& c : Cases()) {
    const testing::CliRun run = testing::Run({"--lang", "en", c.bundle});
    EXPECT_FALSE(EnglishWords(run.out, c.paths).empty()) << c.name;
  }
}

// The client's states in the reference procedure's own words, in the headline and the brief.
TEST(ReportLanguage, StatusWordsAreTheProceduresWords) {
  const std::string dns = testing::TestData("bundles/dns-ipv4-unprotected").string();
  const std::string web = testing::TestData("bundles/web-unavailable").string();
  EXPECT_NE(testing::Run({"--lang", "zh-TW", dns}).out.find("DNS保護: 未受保護 (IPv4)"), std::string::npos);
  EXPECT_NE(testing::Run({"--lang", "zh-TW", "--brief", dns}).out.find("未受保護"), std::string::npos);
  const std::string zh = testing::Run({"--lang", "zh-TW", web}).out;
  EXPECT_NE(zh.find("Web保護: 雲服務不可用"), std::string::npos) << zh;
  EXPECT_NE(zh.find("失效開放"), std::string::npos) << zh;
  // JSON keeps the English status whatever the language.
  EXPECT_NE(testing::Run({"--lang", "zh-TW", "--format", "json", dns}).out.find("\"status\": \"Unprotected\""),
            std::string::npos);
}

// The bundle of dns-ipv4-unprotected zipped with what the input stage reports on: an entry whose
// name climbs out, an encrypted log and zips nested one level deeper than --max-depth 1 opens.
std::vector<testing::ZipEntry> HostileEntries() {
  std::vector<testing::ZipEntry> entries = {
      {"../escape.txt", "not a log"},
      {"locked/csccumbrellaplugin.txt", "locked", true},
      {"deep/a.zip", testing::MakeZip({{"b.zip", testing::MakeZip({{"c.txt", "c"}})}})}};
  for (testing::ZipEntry& e : testing::ReadTree(testing::TestData("bundles/dns-ipv4-unprotected")))
    entries.push_back(std::move(e));
  return entries;
}

std::vector<std::string> LongestFirst(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return paths;
}

// Diagnostics and cap hits: in the catalogue's words in the zh-TW text and HTML reports, in
// English in the English report and in JSON whatever the language.
TEST(ReportLanguage, DiagnosticsAndCapsAreInTheReadersLanguage) {
  testing::TempDir dir;
  const std::string zip = dir.Write("hostile.zip", testing::MakeZip(HostileEntries())).string();
  const std::vector<std::string> paths =
      LongestFirst({zip, "../escape.txt", "locked/csccumbrellaplugin.txt", "deep/a.zip!/b.zip",
                    "Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"});
  const testing::CliRun zh = testing::Run({"--lang", "zh-TW", "--max-depth", "1", zip});
  const testing::CliRun en = testing::Run({"--lang", "en", "--max-depth", "1", zip});
  const testing::CliRun html = testing::Run({"--lang", "zh-TW", "--format", "html", "--max-depth", "1", zip});
  const testing::CliRun json = testing::Run({"--lang", "zh-TW", "--format", "json", "--max-depth", "1", zip});
  const std::vector<std::string> english = EnglishWords(zh.out, paths);
  EXPECT_TRUE(english.empty()) << english.size() << " English words, the first: " << english.front() << "\n" << zh.out;
  EXPECT_FALSE(EnglishWords(en.out, paths).empty()) << en.out;
  const std::pair<const char*, const char*> said[] = {
      {"analysed by name only", "僅依名稱分析"},            // unsafe-entry-name
      {"is encrypted", "已加密"},                           // the encrypted log's error
      {"depth cap (1 levels) reached in", "巢狀深度上限"},  // the cap hit
  };
  for (const auto& [in_english, in_chinese] : said) {
    EXPECT_NE(en.out.find(in_english), std::string::npos) << in_english << "\n" << en.out;
    EXPECT_NE(zh.out.find(in_chinese), std::string::npos) << in_chinese << "\n" << zh.out;
    EXPECT_EQ(zh.out.find(in_english), std::string::npos) << in_english << "\n" << zh.out;
    EXPECT_NE(html.out.find(in_chinese), std::string::npos) << in_chinese;
    EXPECT_EQ(html.out.find(in_english), std::string::npos) << in_english;
    EXPECT_NE(json.out.find(in_english), std::string::npos) << in_english;
  }
}

// A cap that stops the bundle: the log read in part, the cap and the stop, all in Chinese.
TEST(ReportLanguage, BundleWideCapIsInTheReadersLanguage) {
  const std::string bundle = testing::TestData("bundles/dns-ipv4-unprotected").string();
  const testing::CliRun zh = testing::Run({"--lang", "zh-TW", "--max-bundle-bytes", "1000", bundle});
  const testing::CliRun en = testing::Run({"--lang", "en", "--max-bundle-bytes", "1000", bundle});
  EXPECT_NE(en.out.find("bundle-bytes cap (1000 bytes) reached in"), std::string::npos) << en.out;
  EXPECT_NE(zh.out.find("捆綁包總位元組數上限（1000 位元組）"), std::string::npos) << zh.out;
  const std::vector<std::string> english =
      EnglishWords(zh.out, LongestFirst({bundle, "Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"}));
  EXPECT_TRUE(english.empty()) << english.size() << " English words, the first: " << english.front() << "\n" << zh.out;
}

// `dartdiag batch -f text` over every test bundle, a copy zipped twice (the second a duplicate),
// the hostile bundle, a zip of nested zips past the depth cap, a file that is no bundle and a
// pattern that matches nothing.
struct BatchCase {
  testing::TempDir dir;
  std::vector<std::string> inputs, paths;
  BatchCase() {
    for (const Case& c : Cases()) {
      inputs.push_back(c.bundle);
      paths.insert(paths.end(), c.paths.begin(), c.paths.end());
    }
    const std::string copy = testing::MakeZip(testing::ReadTree(testing::TestData("bundles/web-unavailable")));
    for (const char* name : {"copy.zip", "again.zip"}) inputs.push_back(dir.Write(name, copy).string());
    inputs.push_back(dir.Write("hostile.zip", testing::MakeZip(HostileEntries())).string());
    // No log, only zips nested deeper than --max-depth 1: the row's error is the cap.
    const std::string deep =
        testing::MakeZip({{"a.zip", testing::MakeZip({{"b.zip", testing::MakeZip({{"c.txt", "c"}})}})}});
    inputs.push_back(dir.Write("deep.zip", deep).string());
    inputs.push_back(dir.Write("junk.bin", "neither a zip nor a log\n").string());
    inputs.push_back((dir.path() / "nothing-*.zip").string());
    paths.insert(paths.end(), inputs.begin(), inputs.end());
    for (const char* entry : {"../escape.txt", "locked/csccumbrellaplugin.txt", "deep/a.zip!/b.zip", "a.zip!/b.zip"})
      paths.push_back(entry);
    paths = LongestFirst(paths);
  }
  testing::CliRun Run(std::vector<std::string> flags) const {
    std::vector<std::string> args = {"batch", "--sort", "-j", "2", "--max-depth", "1"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), inputs.begin(), inputs.end());
    return testing::Run(args);
  }
};

TEST(ReportLanguage, ChineseBatchTextHoldsNoEnglishLabel) {
  const BatchCase batch;
  const testing::CliRun zh = batch.Run({"--lang", "zh-TW", "-f", "text"});
  const testing::CliRun en = batch.Run({"--lang", "en", "-f", "text"});
  EXPECT_EQ(zh.code, en.code);
  const std::vector<std::string> english = EnglishWords(zh.out, batch.paths);
  EXPECT_TRUE(english.empty()) << english.size() << " English words, the first: " << english.front() << "\n" << zh.out;
  EXPECT_FALSE(EnglishWords(en.out, batch.paths).empty()) << en.out;
  for (const char* in_chinese :
       {"重複", "不是壓縮檔、資料夾或可辨識的Umbrella日誌", "沒有符合此模式的檔案或資料夾", "巢狀深度上限", "捆綁包"}) {
    EXPECT_NE(zh.out.find(in_chinese), std::string::npos) << in_chinese << "\n" << zh.out;
  }
  for (const char* in_english : {"[duplicate of ", "not a zip archive, a folder or a recognised Umbrella log",
                                 "no file or folder matches this pattern", "outcome", "Slowest"}) {
    EXPECT_NE(en.out.find(in_english), std::string::npos) << in_english << "\n" << en.out;
  }
}

// JSON Lines and CSV are for programs: the language changes nothing but the rule pack's own texts
// (a verdict's title, summary, root cause, remediation, notes and links, and the state models'
// labels in its timeline and `at_end.now`, which --lang picks at load).
TEST(ReportLanguage, BatchCsvAndJsonLinesDoNotChangeWithTheLanguage) {
  const BatchCase batch;
  const testing::CliRun en_csv = batch.Run({"--lang", "en", "-f", "csv", "-q"});
  const testing::CliRun zh_csv = batch.Run({"--lang", "zh-TW", "-f", "csv", "-q"});
  EXPECT_FALSE(en_csv.out.empty());
  EXPECT_EQ(en_csv.out, zh_csv.out);
  const auto without_pack_texts = [](const std::string& out) {
    std::vector<nlohmann::json> rows;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json row = nlohmann::json::parse(line);
      for (nlohmann::json& v : row["verdicts"]) {
        for (const char* key : {"title", "summary", "root_cause", "remediation", "notes", "links"}) v.erase(key);
        if (v["at_end"].is_object()) v["at_end"].erase("now");
        if (v["timeline"].is_object()) {
          for (nlohmann::json& interval : v["timeline"]["intervals"]) interval.erase("label");
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  };
  const testing::CliRun en_json = batch.Run({"--lang", "en", "-q"});
  const testing::CliRun zh_json = batch.Run({"--lang", "zh-TW", "-q"});
  EXPECT_GE(without_pack_texts(en_json.out).size(), batch.inputs.size());
  EXPECT_EQ(without_pack_texts(en_json.out), without_pack_texts(zh_json.out));
}

// Single-bundle mode's one line on stderr (an input that cannot be read, a bundle without Umbrella
// logs) speaks the reader's language too, from --lang or the locale; English stays as it was.
TEST(ReportLanguage, ErrorLinesOnStandardErrorInTheReadersLanguage) {
  testing::TempDir dir;
  const std::string missing = (dir.path() / "missing.zip").string();
  const std::string junk = dir.Write("junk.bin", "not a bundle").string();
  const std::string no_logs = testing::TestData("bundles/no-umbrella-logs").string();
  for (const std::string& input : {missing, junk, no_logs}) {
    SCOPED_TRACE(input);
    const testing::CliRun zh = testing::Run({"--lang", "zh-TW", "--format", "json", input});
    const testing::CliRun en = testing::Run({"--format", "json", input});
    EXPECT_NE(zh.code, 0);
    EXPECT_EQ(zh.code, en.code);
    ASSERT_TRUE(zh.err.starts_with("dartdiag: ")) << zh.err;
    const std::string zh_line = zh.err.substr(std::string_view("dartdiag: ").size());
    const std::vector<std::string> english = EnglishWords(zh_line, {input, "csccumbrellaplugin.txt", "Umbrella.txt"});
    EXPECT_TRUE(english.empty()) << english.front();
    EXPECT_FALSE(EnglishWords(en.err, {input}).empty()) << en.err;
  }
  Terminal chinese_locale;
  chinese_locale.locale = "zh_TW.UTF-8";
  std::ostringstream out, err;
  EXPECT_EQ(RunCli({missing}, out, err, chinese_locale), 2);
  EXPECT_NE(err.str().find("沒有此檔案或資料夾"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace dartdiag
