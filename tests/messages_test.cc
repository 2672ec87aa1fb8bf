// The message catalogue (src/messages.h): every message renders in every language with the same
// named arguments, no translation is missing, and --lang reads every form of a language name.
#include <algorithm>
#include <set>
#include <vector>
#include <string>

#include <fmt/args.h>
#include <gtest/gtest.h>

#include "messages.h"
#include "test_support.h"

namespace dartdiag {
namespace {

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> names;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    const size_t end = text.find_first_of(":}", i);
    if (end == std::string_view::npos) break;
    names.insert(std::string(text.substr(i + 1, end - i - 1)));
    i = end;
  }
  return names;
}

TEST(Messages, EveryMessageRendersInEveryLanguage) {
  // Every argument name the catalogue uses, with a value of a type each format spec accepts.
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  for (const char* name : {"n", "s", "m", "h", "frame", "line", "ip", "other", "undecodable", "sent", "port", "first",
                           "last", "syns", "rsts", "held", "total"}) {
    args.push_back(fmt::arg(name, 7));
  }
  args.push_back(fmt::arg("share", 99.5));
  for (const char* name :
       {"error",    "name",       "decoys",      "offset",       "time",      "now",     "end",
        "duration", "pattern",    "status",      "since",        "cleared",   "names",   "capture",
        "text",     "rules",      "file",        "rule",         "problems",  "format",  "links",
        "span",     "protocol",   "ports",       "destinations", "purpose",   "what",    "family",
        "address",  "how",        "input",       "version",      "kind",      "entries", "cap",
        "group",    "state",      "items",       "transports",   "answered",  "queries", "median",
        "ms",       "encrypted",  "plain",       "seen",         "tool",      "source",  "retransmissions",
        "syn_acks", "handshakes", "origin",      "second",       "addresses", "span",    "nuls",
        "boms",     "encoding",   "unreachable", "count",        "limit",     "where",   "why",
        "flag",     "ratio",      "bytes",       "archive",      "path",      "entry",   "link",
        "servers",  "seconds",    "bundle",      "verdict",      "severity",  "bar",     "done",
        "rate",     "eta",        "bundles",     "inputs",       "jobs",      "tail",    "not_started"}) {
    args.push_back(fmt::arg(name, std::string("x")));
  }
  size_t checked = 0;
  for (const MessageRow& row : Messages()) {
    SCOPED_TRACE(std::string(row.id));
    EXPECT_EQ(&row - Messages().data(), static_cast<ptrdiff_t>(row.msg));
    ASSERT_FALSE(row.en.empty());
    // Only a separator of spaces may translate to nothing (Chinese sentences follow one another).
    const bool spaces_only = row.en.find_first_not_of(' ') == std::string_view::npos;
    if (!spaces_only) {
      ASSERT_FALSE(row.zh_tw.empty()) << "no zh-TW translation";
    }
    EXPECT_EQ(Placeholders(row.en), Placeholders(row.zh_tw));
    if (!row.en_one.empty()) {
      EXPECT_EQ(Placeholders(row.en), Placeholders(row.en_one));
    }
    for (const LanguageInfo& lang : Languages()) {
      for (uint64_t n : {1, 2}) {
        EXPECT_NO_THROW(fmt::vformat(fmt::runtime(MessageText(row.msg, lang.lang, n)).str, args)) << lang.tag;
      }
    }
    // A zh-TW text holds no English word (ids, flags, protocol names and product names aside).
    std::string zh(row.zh_tw);
    for (const std::string& p : Placeholders(row.zh_tw)) {
      for (size_t at; (at = zh.find("{" + p)) != std::string::npos;) zh.replace(at, zh.find('}', at) - at + 1, " ");
    }
    std::vector<std::string> allowed = {"--log-tz",
                                        "--format",
                                        "--explain",
                                        "--swg-ip",
                                        "json",
                                        "ISO",
                                        "UTC",
                                        "HH:MM",
                                        "DNS",
                                        "Web",
                                        "OpenDNS",
                                        "Umbrella",
                                        "macOS",
                                        "Wireshark",
                                        "SWG",
                                        "SYN-ACK",
                                        "SYN",
                                        "RST",
                                        "ICMP",
                                        "TCP",
                                        "UDP",
                                        "IP",
                                        "IPv4",
                                        "IPv6",
                                        "PC",
                                        "docs.sse.cisco.com",
                                        "dartdiag",
                                        "Z",
                                        "--max-warning-templates",
                                        "U+FFFD",
                                        "NUL",
                                        "--max-seconds",
                                        "--fail-on",
                                        "libzip",
                                        "UTF-8",
                                        "Linux",
                                        "SLL",
                                        "MB/s",
                                        "DART",
                                        "SHA-256"};
    std::sort(allowed.begin(), allowed.end(), [](const auto& x, const auto& y) { return x.size() > y.size(); });
    for (const std::string& word : allowed) {
      for (size_t at; (at = zh.find(word)) != std::string::npos;) zh.replace(at, word.size(), " ");
    }
    for (size_t i = 0; i + 1 < zh.size(); ++i) {
      const bool letters =
          std::isalpha(static_cast<unsigned char>(zh[i])) && std::isalpha(static_cast<unsigned char>(zh[i + 1]));
      EXPECT_FALSE(letters) << "English in zh-TW: " << row.zh_tw;
      if (letters) break;
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<size_t>(Msg::kCount));
}

// A phrase (dartdiag/phrase.h) renders its message with its arguments, nested phrases joined by
// the language's separator, and English's singular chosen by the argument "n".
TEST(Messages, PhrasesRenderInEveryLanguage) {
  const Phrase one = PhraseOf(Msg::kCapQueries, Arg("n", 1));
  const Phrase many = PhraseOf(Msg::kCapRetransmissions, Arg("n", 4));
  const Phrase list = PhraseOf(Msg::kPhraseList, Arg("items", std::vector<Phrase>{one, many}, Msg::kListSeparator));
  EXPECT_EQ(RenderPhrase(list, Lang::kEn), "1 query, 4 retransmissions");
  EXPECT_EQ(RenderPhrase(list, Lang::kZhTw), "1 個查詢，4 次重傳");
  const Phrase seen = PhraseOf(Msg::kCapSeen, Arg("encrypted", list),
                               Arg("plain", PhraseOf(Msg::kCapPortNothingSent, Arg("port", 53))));
  EXPECT_EQ(RenderPhrase(seen, Lang::kEn), "1 query, 4 retransmissions; Port 53: nothing sent.");
  EXPECT_EQ(RenderPhrase(seen, Lang::kZhTw), "1 個查詢，4 次重傳；連接埠 53：未傳送任何封包。");
  // A model text without a phrase stays as it is; English never re-renders.
  EXPECT_EQ(InLanguage("as built", Phrase{}, Lang::kZhTw), "as built");
  EXPECT_EQ(InLanguage("as built", seen, Lang::kEn), "as built");
  EXPECT_EQ(InLanguage("as built", seen, Lang::kZhTw), RenderPhrase(seen, Lang::kZhTw));
  EXPECT_EQ(MessageById("kLogs"), Msg::kLogs);
  EXPECT_EQ(MessageById("kNoSuchMessage"), std::nullopt);
  EXPECT_THROW(RenderPhrase(Phrase{"kNoSuchMessage", {}}, Lang::kEn), fmt::format_error);
  EXPECT_THROW(RenderPhrase(PhraseOf(Msg::kCapQueries), Lang::kEn), fmt::format_error);  // missing argument
}

TEST(Messages, OneTermPerConceptInChinese) {
  for (const MessageRow& row : Messages()) {
    for (const char* other : {"邊界防火牆", "周邊防火牆", "周界防火牆", "閘道", "网关"}) {
      EXPECT_EQ(std::string(row.zh_tw).find(other), std::string::npos) << row.id << " uses " << other;
    }
  }
}

TEST(Messages, LanguageNamesInEveryForm) {
  for (const char* name : {"zh-TW", "zh_TW", "zh-tw", "ZH_tw", "zh_TW.UTF-8", "zh_TW.Big5@x", "zh-Hant", "zh-HK"}) {
    EXPECT_EQ(ParseLanguage(name), Lang::kZhTw) << name;
  }
  for (const char* name : {"en", "EN", "en-US", "en_GB.UTF-8", "C", "POSIX"})
    EXPECT_EQ(ParseLanguage(name), Lang::kEn) << name;
  for (const char* name : {"", "fr", "zh", "zh-CN", "zh_CN.UTF-8", "english", "de_DE"}) {
    EXPECT_EQ(ParseLanguage(name), std::nullopt) << name;
  }
}

TEST(Messages, UnknownLanguageIsAUsageErrorListingTheLanguages) {
  const std::string bundle = std::string(DARTDIAG_TESTDATA) + "/bundles/healthy";
  const testing::CliRun run = testing::Run({"--lang", "fr", bundle});
  EXPECT_EQ(run.code, 3);
  EXPECT_NE(run.err.find("en, zh-TW"), std::string::npos) << run.err;
  EXPECT_EQ(testing::Run({"--lang", "zh_TW.UTF-8", bundle}).code, 0);
  EXPECT_EQ(testing::Run({"--lang", "zh-tw", "--format", "html", bundle}).code, 0);
}

TEST(Messages, HtmlReportIsInTheReadersLanguage) {
  const std::string bundle = std::string(DARTDIAG_TESTDATA) + "/bundles/dns-ipv4-unprotected";
  const testing::CliRun zh = testing::Run({"--lang", "zh_TW", "--format", "html", bundle});
  EXPECT_NE(zh.out.find("lang=\"zh-Hant-TW\""), std::string::npos);
  EXPECT_NE(zh.out.find("未受保護"), std::string::npos);
  EXPECT_NE(zh.out.find("外圍防火牆"), std::string::npos);
  for (const char* english : {"Root cause", "Remediation", "Evidence", "Protections", "Firewall request", "Coverage"}) {
    EXPECT_EQ(zh.out.find(english), std::string::npos) << english;
  }
}

}  // namespace
}  // namespace dartdiag
