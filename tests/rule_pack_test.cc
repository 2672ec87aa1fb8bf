// Rule packs: the default pack's examples, and bad packs with exact, located messages.
#include "rule_model.h"

#include "condition_grammar.h"
#include "json_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "dartdiag/analysis.h"
#include "dartdiag/error.h"
#include "log_types.h"
#include "rule_engine.h"
#include "test_support.h"
#include "cli/cli.h"
#include <map>
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
      const bool fired =
          std::any_of(verdicts.begin(), verdicts.end(), [&](const Verdict& v) { return v.rule == rule.id; });
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

// The grammar table drives the loader: every form it lists loads from its key and shape into its
// kind, is named in the "expected ..." list, and round-trips key -> form -> kind.
TEST(ConditionGrammar, EveryFormInTheTableLoadsFromItsKey) {
  const std::string event = R"({"event": {"log": "csccumbrellaplugin", "message": "x"}})";
  for (const ConditionForm& form : ConditionForms()) {
    SCOPED_TRACE(std::string(form.key));
    std::string body;
    switch (form.shape) {
      case ConditionForm::Shape::kPattern: body = R"({"log": "csccumbrellaplugin", "message": "x"})"; break;
      case ConditionForm::Shape::kOne: body = event; break;
      case ConditionForm::Shape::kList:
      case ConditionForm::Shape::kSteps: body = "[" + event + ", " + event + "]"; break;
      case ConditionForm::Shape::kOperands:
        body = form.counted ? R"({"count": 2, "within": "1m")" : R"({"within": "1m")";
        for (const std::string_view operand : form.operands) body += fmt::format(R"(, "{}": {})", operand, event);
        body += "}";
        break;
    }
    const std::string rule = fmt::format(R"({{"id": "r", "title": "t", "protection": "dns", "status": "s",
      "severity": "error", "summary": "s", "root_cause": "c", "remediation": ["x"], "when": {{"{}": {}}}}})",
                                         form.key, body);
    const RulePack pack = LoadRulePack({{"pack.json", R"({"rules": [)" + rule + "]}"}});
    ASSERT_EQ(pack.rules.size(), 1U);
    EXPECT_EQ(pack.rules[0].when.kind, form.kind);
    EXPECT_EQ(FindForm(form.key), &FormOf(form.kind));
    EXPECT_NE(ConditionKeyList().find(form.key), std::string::npos);
    if (form.shape != ConditionForm::Shape::kPattern) {
      EXPECT_FALSE(FormLabel(pack.rules[0].when).empty());
      EXPECT_EQ(FormLabel(pack.rules[0].when).find('{'), std::string::npos);  // every placeholder filled
    }
  }
  EXPECT_EQ(FindForm("maybe"), nullptr);
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
  // The fuzz regression's shape: thousands of levels are refused on the text, before any JSON
  // value is built, not a stack overflow.
  std::string deep = R"({"rules": [{"id": "d", "when": )";
  for (int i = 0; i < 5000; ++i) deep += R"({"not": )";
  deep += "{}" + std::string(5000, '}') + "}]}";
  EXPECT_EQ(LoadError(deep), "pack.json: line 1, column 1032: arrays and objects nest deeper than 128 levels");
}

// The embedded pack skips the first pass over its text (it is part of the program): this is the
// check that makes skipping it lose nothing. Only the flag skips it: a pack file named like the
// embedded one is checked as any other.
TEST(RulePackErrors, TheEmbeddedPackPassesTheTextCheckAndOnlyItSkipsIt) {
  const RuleSource embedded = DefaultRuleSource();
  ASSERT_TRUE(embedded.embedded);
  EXPECT_EQ(CheckJsonText(embedded.text, 128), std::nullopt);
  const std::string deep = R"({"rules": )" + std::string(5000, '[') + std::string(5000, ']') + "}";
  try {
    LoadRulePack({{embedded.name, deep}});
    ADD_FAILURE() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              embedded.name + ": line 1, column 138: arrays and objects nest deeper than 128 levels");
  }
}

// 200,000 nested '[' where a duration or the steps of a sequence go: refused at the text, so no
// recursive copy, destruction or description ever meets them.
TEST(RulePackErrors, DeepArraysAnywhereAreRefusedBeforeBuilding) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const std::string timeline =
      R"({"rules": [], "state_models": [{"id": "t", "protection": "dns", "states": [{"id": "u", "label": "U", "health": "unknown"}], "transitions": [], "cycles": [{"id": "c",
    "fail": {"log": "csccumbrellaplugin"}, "start": {"log": "csccumbrellaplugin"}, "ok_after": )" +
      deep + "}]}]}";
  EXPECT_EQ(LoadError(timeline), "pack.json: line 2, column 219: arrays and objects nest deeper than 128 levels");
  std::string steps = kGoodRule;
  steps.replace(steps.find(R"({"event")"), std::string::npos, R"({"sequence": {"steps": )" + deep + "}}}");
  EXPECT_EQ(LoadError(R"({"rules": [)" + steps + "]}"),
            "pack.json: line 3, column 157: arrays and objects nest deeper than 128 levels");
}

// A within of 2^64 - 1 was read as -1 and overran a window in condition_eval.cc; counts wrapped the
// same way. Both are located usage errors now, as are durations past 100 years.
TEST(RulePackErrors, DurationsAndCountsOutOfRangeAreLocated) {
  const auto with_when = [](const std::string& when) {
    std::string rule = kGoodRule;
    rule.replace(rule.find(R"({"event")"), std::string::npos, when + "}");
    return R"({"rules": [)" + rule + "]}";
  };
  const std::string e = R"({"event": {"log": "csccumbrellaplugin", "message": "x"}})";
  const std::string duration_problem =
      R"(must be a duration such as "30s", "5m", "2h", "1d" or a number of seconds, at most 100 years)";
  EXPECT_EQ(
      LoadError(with_when(R"({"sequence": {"steps": [)" + e + "," + e + R"(], "within": 18446744073709551615}})")),
      "pack.json: /rules/0/when/sequence/within: " + duration_problem);
  EXPECT_EQ(LoadError(with_when(R"({"not_followed_by": {"first": )" + e + ", \"then\": " + e +
                                R"(, "within": 9223372036854775808}})")),
            "pack.json: /rules/0/when/not_followed_by/within: " + duration_problem);
  EXPECT_EQ(LoadError(with_when(R"({"at_least": {"count": 2, "of": )" + e + R"(, "within": "36501d"}})")),
            "pack.json: /rules/0/when/at_least/within: " + duration_problem);
  EXPECT_EQ(LoadError(with_when(R"({"at_least": {"count": 18446744073709551615, "of": )" + e + "}}")),
            "pack.json: /rules/0/when/at_least/count: must be a whole number from 1 to 1000000");
  EXPECT_EQ(LoadError(with_when(R"({"at_least": {"count": 0, "of": )" + e + "}}")),
            "pack.json: /rules/0/when/at_least/count: must be a whole number from 1 to 1000000");
  EXPECT_EQ(LoadError(with_when(R"({"at_least": {"count": 1000000, "of": )" + e + R"(, "within": "36500d"}})")),
            "(loaded)");
  EXPECT_EQ(
      LoadError(
          R"({"rules": [], "state_models": [{"id": "t", "protection": "dns", "states": [{"id": "u", "label": "U", "health": "unknown"}], "transitions": [], "cycles": [{"id": "c",
    "fail": {"log": "csccumbrellaplugin"}, "start": {"log": "csccumbrellaplugin"}, "ok_after": 18446744073709551615}]}]})"),
      "pack.json: /state_models/0/cycles/0/ok_after: " + duration_problem);
  EXPECT_EQ(ParseDuration("36500d"), int64_t{3153600000});
  EXPECT_EQ(ParseDuration("3153600001"), std::nullopt);
}

TEST(RulePackErrors, CaptureReferenceIsCheckedAndLocated) {
  const auto with_capture = [](const std::string& capture) {
    std::string rule = kGoodRule;
    rule.insert(1, "\"capture\": " + capture + ", ");
    return R"({"rules": [)" + rule + "]}";
  };
  EXPECT_EQ(
      LoadError(with_capture(R"({"check": "swg-blocked", "firewall": {"ports": [443, 80], "protocols": ["tcp"]}})")),
      "(loaded)");
  EXPECT_EQ(LoadError(with_capture(R"({"check": "dns-blocked"})")), "(loaded)");
  EXPECT_EQ(LoadError(with_capture(R"({"check": "dns-unprotected", "colour": 1})")),
            "pack.json: /rules/0/capture/colour: unknown key 'colour'\n"
            "pack.json: /rules/0/capture/check: unknown capture check 'dns-unprotected' (expected dns-blocked, "
            "dns-unencrypted-only, dns-443-blocked, swg-blocked)");
  EXPECT_EQ(
      LoadError(with_capture(
          R"({"check": "swg-blocked", "firewall": {"ports": [0, 443, 65536, "x"], "protocols": ["icmp", "udp"]}})")),
      "pack.json: /rules/0/capture/firewall/ports/0: must be a port number from 1 to 65535\n"
      "pack.json: /rules/0/capture/firewall/ports/2: must be a port number from 1 to 65535\n"
      "pack.json: /rules/0/capture/firewall/ports/3: must be a port number from 1 to 65535\n"
      "pack.json: /rules/0/capture/firewall/protocols/0: must be \"tcp\" or \"udp\"");
  EXPECT_EQ(LoadError(with_capture(R"({"firewall": {}})")),
            "pack.json: /rules/0/capture/check: missing\n"
            "pack.json: /rules/0/capture/firewall/ports: missing\n"
            "pack.json: /rules/0/capture/firewall/protocols: missing");
  EXPECT_EQ(LoadError(with_capture(R"("dns-blocked")")), "pack.json: /rules/0/capture: must be an object");
}

// Every default rule a capture can speak for names its check in the pack, not in the code.
TEST(DefaultRules, CaptureChecksAreDeclaredInThePack) {
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  std::map<std::string, std::string> checks;
  for (const Rule& rule : pack.rules) checks[rule.id] = rule.capture.check;
  EXPECT_EQ(checks["dns-unprotected"], "dns-blocked");
  EXPECT_EQ(checks["dns-unencrypted"], "dns-unencrypted-only");
  EXPECT_EQ(checks["dns-443-blocked"], "dns-443-blocked");
  EXPECT_EQ(checks["web-cloud-unavailable"], "swg-blocked");
  for (const Rule& rule : pack.rules) {
    EXPECT_EQ(rule.capture.check.empty(), rule.capture.ports.empty()) << rule.id;
  }
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

TEST(RulePackErrors, StateModelListsOfTheWrongShapeEachLocated) {
  // Each list item that is not an object, or has a key the language does not know, is named by
  // its own path; an empty list of states and a model with nothing to observe are refused.
  const std::string pack = R"({"state_models": [
      {"id": "m", "protection": "dns", "states": [], "cycles": [3, {"id": "c", "ok_after": "5s", "colour": 1}],
       "events": "e", "transitions": [["on"], {"on": "x", "to": "y", "when": 1}]},
      {"id": "n", "protection": "dns", "states": [{"id": "a", "label": "A", "health": "ok", "tint": 2}, "b"],
       "events": [null], "transitions": {}}],
    "rules": []})";
  EXPECT_EQ(LoadError(pack),
            "pack.json: /state_models/0/states: must list at least one state\n"
            "pack.json: /state_models/0/cycles/0: a probe cycle is an object {id, start, fail, fallback?, ok_after}\n"
            "pack.json: /state_models/0/cycles/1/colour: unknown key 'colour'\n"
            "pack.json: /state_models/0/cycles/1/start: missing\n"
            "pack.json: /state_models/0/cycles/1/fail: missing\n"
            "pack.json: /state_models/0/events: must be an array\n"
            "pack.json: /state_models/0/transitions/0: a transition is an object {on, from?, to}\n"
            "pack.json: /state_models/0/transitions/1/when: unknown key 'when'\n"
            "pack.json: /state_models/0/transitions/1/on: unknown observation 'x' (a cycle's \"ID:ok\" or "
            "\"ID:failed\", or an event id)\n"
            "pack.json: /state_models/0/transitions/1/to: unknown state 'y'\n"
            "pack.json: /state_models/1/states/0/tint: unknown key 'tint'\n"
            "pack.json: /state_models/1/states/1: a state is an object {id, label, health, transient?}\n"
            "pack.json: /state_models/1/events/0: an event observation is an object {id, match, failure?}\n"
            "pack.json: /state_models/1: a state model needs \"cycles\" or \"events\" to observe\n"
            "pack.json: /state_models/1/transitions: must be an array");
}

TEST(RulePackErrors, NotJsonAndNotAnObject) {
  EXPECT_EQ(LoadError("[1, 2]"), "pack.json: /: a rule pack must be a JSON object with a \"rules\" array");
  EXPECT_EQ(LoadError("{oops"), "pack.json: line 1, column 2: not valid JSON: expected a quoted key or '}', found 'o'");
}

// What is wrong and where, in dartdiag's words: never the JSON library's "[json.exception...]",
// and never a raw byte that is not UTF-8 (the message goes to terminals and JSON output).
TEST(RulePackErrors, BadJsonSaysWhatAndWhereInOwnWords) {
  EXPECT_EQ(LoadError("{\"rules\": [\n  {\"id\": \"a\",},\n]}"),
            "pack.json: line 2, column 14: not valid JSON: expected a quoted key after ',', found '}'");
  EXPECT_EQ(LoadError("{\"rules\": [],\n \"description\": \"caf\xE9\"}"),
            "pack.json: line 2, column 21: not valid JSON: invalid UTF-8 in a string (byte 0xE9)");
  EXPECT_EQ(LoadError("{\"rules\": [1e400]}"),
            "pack.json: line 1, column 12: not valid JSON: the number '1e400' is out of range");
  EXPECT_EQ(LoadError(""), "pack.json: line 1, column 1: not valid JSON: no JSON value (the text is empty)");
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
