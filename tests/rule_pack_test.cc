// Rule packs: the default pack's examples, and bad packs with exact, located messages.
#include "dartdiag/rule_pack.h"

#include <gtest/gtest.h>

#include "dartdiag/analysis.h"
#include "dartdiag/error.h"
#include "dartdiag/log_types.h"
#include "dartdiag/rule_engine.h"
#include "test_support.h"
#include "dartdiag/cli.h"
#include <sstream>

namespace dartdiag {
namespace {

std::vector<Verdict> VerdictsFor(const RulePack& pack, LogTypeId log, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return EvaluateText(pack, log, text, "example.txt");
}

TEST(DefaultRules, LoadAndEveryExampleBehaves) {
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  ASSERT_EQ(pack.rules.size(), 4u);
  for (const Rule& rule : pack.rules) {
    ASSERT_FALSE(rule.examples.empty()) << rule.id;
    ASSERT_FALSE(rule.remediation.empty()) << rule.id;
    ASSERT_FALSE(rule.links.empty()) << rule.id;
    bool has_match = false, has_no_match = false;
    for (const Example& example : rule.examples) {
      const auto verdicts = VerdictsFor(pack, PatternsRead(pack, rule).at(0).log, example.lines);
      const bool fired = std::any_of(verdicts.begin(), verdicts.end(),
                                     [&](const Verdict& v) { return v.rule == rule.id; });
      EXPECT_EQ(fired, example.should_match) << rule.id << " " << example.json_path;
      (example.should_match ? has_match : has_no_match) = true;
    }
    EXPECT_TRUE(has_match && has_no_match) << rule.id << " needs examples and counter-examples";
  }
}

std::string LoadError(const std::string& text) {
  try {
    LoadRulePack({{"pack.json", text}});
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    return e.what();
  }
  return "(loaded)";
}

const char kGoodRule[] = R"({"id": "r1", "title": "t", "protection": "dns", "status": "s",
  "severity": "error", "summary": "s", "root_cause": "c", "remediation": ["x"],
  "when": {"event": {"log": "csccumbrellaplugin", "message": "x"}}})";

TEST(RulePackErrors, GoodPackLoads) {
  EXPECT_EQ(LoadError(std::string(R"({"rules": [)") + kGoodRule + "]}"), "(loaded)");
}

TEST(RulePackErrors, BadRegexNamesFileAndPath) {
  std::string rule = kGoodRule;
  rule.replace(rule.find("\"message\": \"x\""), 14, "\"message\": \"(unclosed\"");
  EXPECT_EQ(LoadError(R"({"rules": [)" + rule + "]}"),
            "pack.json: /rules/0/when/event/message: invalid regular expression: missing ): (unclosed");
}

TEST(RulePackErrors, UnknownFieldAndUnknownKey) {
  std::string rule = kGoodRule;
  rule.replace(rule.find("\"message\""), 9, "\"mesage\"");
  rule.insert(1, "\"colour\": \"red\", ");
  EXPECT_EQ(LoadError(R"({"rules": [)" + rule + "]}"),
            "pack.json: /rules/0/colour: unknown key 'colour'\n"
            "pack.json: /rules/0/when/event/mesage: unknown field 'mesage'");
}

TEST(RulePackErrors, MissingIdAndDuplicateId) {
  std::string no_id = kGoodRule;
  no_id.erase(no_id.find("\"id\": \"r1\", "), 12);
  EXPECT_EQ(LoadError(std::string(R"({"rules": [)") + kGoodRule + "," + kGoodRule + "," + no_id + "]}"),
            "pack.json: /rules/1/id: duplicate rule id 'r1'\n"
            "pack.json: /rules/2/id: missing");
}

TEST(RulePackErrors, BadValuesEachNamed) {
  EXPECT_EQ(LoadError(R"({"rules": [{"id": "Bad Id", "title": "t", "protection": "vpn", "status": "s",
    "severity": "fatal", "summary": "s", "root_cause": "c", "group_by": "colour",
    "when": {"sequence": [{"event": {"log": "nope"}}]}}]})"),
            "pack.json: /rules/0/id: must be lowercase letters, digits, '.', '_' or '-'\n"
            "pack.json: /rules/0/protection: must be \"dns\" or \"web\"\n"
            "pack.json: /rules/0/severity: must be \"error\", \"warning\" or \"info\"\n"
            "pack.json: /rules/0/group_by: unknown field 'colour'\n"
            "pack.json: /rules/0/when/sequence: must be an array of at least 2 conditions");
  EXPECT_EQ(LoadError(R"({"rules": [{"id": "a", "title": "t", "protection": "web", "status": "s",
    "severity": "info", "summary": "s", "root_cause": "c",
    "when": {"any_of": [{"event": {"log": "nope"}}, {"maybe": {}}]}}]})"),
            "pack.json: /rules/0/when/any_of/0/event/log: unknown log 'nope' (known: csccumbrellaplugin, "
            "umbrella-eventlog)\n"
            "pack.json: /rules/0/when/any_of/1/maybe: unknown condition 'maybe' (expected event, all_of, "
            "any_of, sequence, not, not_followed_by or at_least)");
}

// A rule whose "when" wraps one event in `levels - 1` all_of conditions: `levels` deep in all.
std::string NestedRule(int levels) {
  std::string when = R"({"event": {"log": "csccumbrellaplugin", "message": "x"}})";
  for (int i = 1; i < levels; ++i) when = R"({"all_of": [)" + when + "]}";
  std::string rule = kGoodRule;
  const size_t start = rule.find(R"({"event")");
  rule.replace(start, rule.rfind('}') - start, when);
  return R"({"rules": [)" + rule + "]}";
}

TEST(RulePackErrors, ConditionsNestAtMost32Deep) {
  EXPECT_EQ(LoadError(NestedRule(32)), "(loaded)");
  std::string path = "/rules/0/when";
  for (int i = 1; i < 33; ++i) path += "/all_of/0";
  EXPECT_EQ(LoadError(NestedRule(33)), "pack.json: " + path + ": conditions nest deeper than 32 levels");
  // The fuzz regression's shape: thousands of levels are refused, not a stack overflow.
  std::string deep = R"({"rules": [{"id": "d", "when": )";
  for (int i = 0; i < 5000; ++i) deep += R"({"not": )";
  deep += "{}" + std::string(5000, '}') + "}]}";
  EXPECT_NE(LoadError(deep).find("conditions nest deeper than 32 levels"), std::string::npos);
}

TEST(RulePackErrors, StateModelProblemsEachLocated) {
  const std::string pack = R"({"state_models": [{"id": "m", "protection": "dns", "group_by": "family",
      "states": [{"id": "a", "label": "A", "health": "sick"}, {"id": "a", "label": "B", "health": "ok"}],
      "events": [{"id": "e", "match": {"log": "umbrella-eventlog"}, "failure": "yes"}],
      "transitions": [{"on": "c:ok", "to": "b"}]}],
    "rules": [{"id": "r", "title": "t", "protection": "web", "status": "s", "severity": "error",
               "state": {"model": "m", "is": "z", "count": ["e", "q"]}, "summary": "s", "root_cause": "c"}]})";
  EXPECT_EQ(LoadError(pack),
            "pack.json: /state_models/0/states/0/health: must be \"ok\", \"degraded\", \"failing\" or \"unknown\"\n"
            "pack.json: /state_models/0/states/1/id: duplicate state 'a'\n"
            "pack.json: /state_models/0/events/0/failure: must be true or false\n"
            "pack.json: /state_models/0/transitions/0/on: unknown observation 'c:ok' (a cycle's \"ID:ok\" or "
            "\"ID:failed\", or an event id)\n"
            "pack.json: /state_models/0/transitions/0/to: unknown state 'b'\n"
            "pack.json: /rules/0/state/is: unknown state 'z' of model 'm'\n"
            "pack.json: /rules/0/state/count/1: unknown observation 'q' of model 'm'\n"
            "pack.json: /rules/0/group_by: must be the group_by of state model 'm' (family)\n"
            "pack.json: /rules/0/protection: must be the protection of state model 'm' (dns)");
}

TEST(RulePackErrors, NotJsonAndNotAnObject) {
  EXPECT_EQ(LoadError("[1, 2]"), "pack.json: /: a rule pack must be a JSON object with a \"rules\" array");
  EXPECT_TRUE(LoadError("{oops").starts_with("pack.json: /: not valid JSON (")) << LoadError("{oops");
}

TEST(RulePackOverride, LaterRuleWithSameIdReplacesDefault) {
  std::string rule = kGoodRule;
  rule.replace(rule.find("\"r1\""), 4, "\"dns-unprotected\"");
  const RulePack pack = LoadRulePack({DefaultRuleSource(), {"mine.json", R"({"rules": [)" + rule + "]}"}});
  ASSERT_EQ(pack.rules.size(), 4u);
  EXPECT_EQ(pack.rules[0].id, "dns-unprotected");
  EXPECT_EQ(pack.rules[0].source, "mine.json");
  EXPECT_EQ(pack.rules[0].title, "t");
}

}  // namespace
}  // namespace dartdiag

namespace dartdiag {
namespace {

TEST(Languages, ChooseLanguageFromFlagThenLocale) {
  EXPECT_EQ(ChooseLanguage("", "zh_TW.UTF-8"), "zh-TW");
  EXPECT_EQ(ChooseLanguage("", "zh_TW"), "zh-TW");
  EXPECT_EQ(ChooseLanguage("", "en_US.UTF-8"), "en");
  EXPECT_EQ(ChooseLanguage("", ""), "en");
  EXPECT_EQ(ChooseLanguage("en", "zh_TW.UTF-8"), "en");
}

TEST(Languages, DefaultPackShipsTraditionalChineseAndFallsBackToEnglish) {
  const RulePack zh = LoadRulePack({DefaultRuleSource()}, "zh-TW");
  const RulePack fr = LoadRulePack({DefaultRuleSource()}, "fr");
  const RulePack en = LoadRulePack({DefaultRuleSource()});
  ASSERT_EQ(zh.rules.size(), en.rules.size());
  for (size_t i = 0; i < zh.rules.size(); ++i) {
    EXPECT_EQ(zh.rules[i].id, en.rules[i].id);          // ids are stable
    EXPECT_EQ(zh.rules[i].status, en.rules[i].status);  // so is the status as the client shows it
    EXPECT_NE(zh.rules[i].summary, en.rules[i].summary) << zh.rules[i].id;
    EXPECT_EQ(fr.rules[i].summary, en.rules[i].summary);
    EXPECT_EQ(zh.rules[i].remediation.size(), en.rules[i].remediation.size());
  }
  EXPECT_NE(zh.rules[0].summary.find("未受保護"), std::string::npos);
}

TEST(Languages, CommandLineLangAndLocale) {
  const std::string bundle = testing::TestData("bundles/web-unavailable").string();
  const auto zh = testing::Run({"--lang", "zh-TW", bundle});
  EXPECT_NE(zh.out.find("雲服務不可用"), std::string::npos) << zh.out;
  std::ostringstream out, err;
  Terminal terminal;
  terminal.locale = "zh_TW.UTF-8";
  RunCli({bundle}, out, err, terminal);
  EXPECT_NE(out.str().find("失效關閉"), std::string::npos);
  const auto en = testing::Run({bundle});
  EXPECT_EQ(en.out.find("雲服務不可用"), std::string::npos);
}

TEST(Languages, TranslationsNeedEnglish) {
  try {
    LoadRulePack({{"t.json", R"({"rules": [{"id": "a", "title": {"zh-TW": "x"}, "protection": "dns", "status": "s",
      "severity": "info", "summary": "s", "root_cause": "c", "remediation": [{"en": "ok", "fr": 3}],
      "when": {"event": {"log": "csccumbrellaplugin"}}}]})"}});
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "t.json: /rules/0/title: must be a string or an object of translations with an \"en\" string\n"
              "t.json: /rules/0/title: must not be empty\n"
              "t.json: /rules/0/remediation/0/fr: must be a string");
  }
}

}  // namespace
}  // namespace dartdiag
