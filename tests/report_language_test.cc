// The human reports in the reader's language: the zh-TW text report and --brief of every bundle
// under testdata/bundles (with its capture from testdata/captures when there is one) hold no
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
#include <re2/re2.h>

#include "test_support.h"

namespace dartdiag {
namespace {

namespace fs = std::filesystem;

// Names that are the same in every language: protocols, products, formats, the tool itself.
const std::set<std::string> kKeptWords = {
    "DNS", "SWG", "TCP", "UDP", "ICMP", "RST", "SYN", "ACK", "IPv", "UTC", "ISO", "TXT", "Web", "OpenDNS", "Umbrella",
    "Wireshark", "macOS", "dartdiag", "nslookup", "DART", "WiFi", "FailOpen", "pcap", "pcapng", "ethernet", "Cisco",
    "Secure", "Access", "Client", "json"};

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
      if (static_cast<unsigned char>(c) >= 0x80 || std::string_view("(),;[]'\"").find(c) != std::string_view::npos) c = ' ';
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
    std::vector<std::vector<std::string>> runs = {{"--lang", "zh-TW", c.bundle}, {"--lang", "zh-TW", "--brief", c.bundle},
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
      EXPECT_TRUE(english.empty()) << english.size() << " English words, the first: " << english.front() << "\n" << run.out;
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
  EXPECT_NE(testing::Run({"--lang", "zh-TW", "--format", "json", dns}).out.find("\"status\": \"Unprotected\""), std::string::npos);
}

}  // namespace
}  // namespace dartdiag
