// The time operators of the rule language, table-driven: sequence within T, not_followed_by
// (with and without a bound), at_least N within T; edges at exactly T, equal and out-of-order
// timestamps, and a log that ends mid-cycle.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "log_types.h"
#include "rule_engine.h"
#include "test_support.h"

namespace dartdiag {
namespace {

struct Line {
  int second;  // seconds after 03:00:00
  const char* family;
  const char* message;
};

// A plugin log of one line per step, at 03:00:00 plus the step's seconds.
std::string PluginLog(const std::vector<Line>& lines) {
  std::string text;
  for (const Line& l : lines) {
    text += fmt::format("2024-08-27 03:{:02}:{:02} [1] [DEBUG] < 1> Dns Protection {} State Machine: {}\n",
                        l.second / 60, l.second % 60, l.family, l.message);
  }
  return text;
}

// Verdicts as "group:evidence lines", one per verdict.
std::vector<std::string> Evaluate(const std::string& when, const std::vector<Line>& lines) {
  const RulePack pack = LoadRulePack({{"t.json", fmt::format(R"({{"rules": [{{"id": "r", "title": "t",
    "protection": "dns", "status": "S", "severity": "error", "summary": "s", "root_cause": "c",
    "group_by": "family", "when": {}}}]}})",
                                                             when)}});
  std::vector<std::string> out;
  for (const Verdict& v : EvaluateText(pack, *LogTypeById("csccumbrellaplugin"), PluginLog(lines))) {
    std::string evidence;
    for (const EvidenceLine& e : v.evidence) evidence += (evidence.empty() ? "" : ",") + std::to_string(e.line);
    out.push_back(v.group + ":" + evidence);
  }
  return out;
}

std::string Event(const char* message) {
  return fmt::format(R"({{"event": {{"log": "csccumbrellaplugin", "message": "{}"}}}})", message);
}

struct Case {
  const char* name;
  std::string when;
  std::vector<Line> lines;
  std::vector<std::string> expected;
};

std::vector<Case> Cases() {
  const std::string a = Event("^alpha"), b = Event("^beta");
  const std::string seq30 = R"({"sequence": {"steps": [)" + a + "," + b + R"(], "within": "30s"}})";
  const std::string nfb30 = R"({"not_followed_by": {"first": )" + a + R"(, "then": )" + b + R"(, "within": 30}})";
  const std::string nfb = R"({"not_followed_by": {"first": )" + a + R"(, "then": )" + b + "}}";
  const std::string least3 = R"({"at_least": {"count": 3, "of": )" + a + R"(, "within": "1m"}})";
  return {
      {"sequence_within_exactly_at_T", seq30, {{0, "IPv4", "alpha"}, {30, "IPv4", "beta"}}, {"ipv4:1,2"}},
      {"sequence_within_past_T", seq30, {{0, "IPv4", "alpha"}, {31, "IPv4", "beta"}}, {}},
      {"sequence_within_later_start_fits",
       seq30,
       {{0, "IPv4", "alpha"}, {40, "IPv4", "alpha"}, {60, "IPv4", "beta"}},
       {"ipv4:2,3"}},
      {"sequence_within_equal_timestamps_in_line_order",
       seq30,
       {{5, "IPv4", "alpha"}, {5, "IPv4", "beta"}},
       {"ipv4:1,2"}},
      {"sequence_within_equal_timestamps_wrong_order", seq30, {{5, "IPv4", "beta"}, {5, "IPv4", "alpha"}}, {}},
      {"sequence_out_of_order_timestamps_follow_time",
       seq30,
       {{20, "IPv4", "beta"}, {10, "IPv4", "alpha"}},
       {"ipv4:2,1"}},
      {"sequence_within_per_family", seq30, {{0, "IPv4", "alpha"}, {10, "IPv6", "beta"}}, {}},
      {"not_followed_by_within_followed_at_T",
       nfb30,
       {{0, "IPv4", "alpha"}, {30, "IPv4", "beta"}, {100, "IPv4", "gamma"}},
       {}},
      {"not_followed_by_within_follows_too_late", nfb30, {{0, "IPv4", "alpha"}, {31, "IPv4", "beta"}}, {"ipv4:1"}},
      {"not_followed_by_window_open_at_log_end", nfb30, {{0, "IPv4", "alpha"}, {10, "IPv4", "gamma"}}, {}},
      {"not_followed_by_until_end_of_log",
       nfb,
       {{0, "IPv4", "alpha"}, {5, "IPv4", "beta"}, {9, "IPv4", "alpha"}},
       {"ipv4:3"}},
      {"not_followed_by_cleared", nfb, {{0, "IPv4", "alpha"}, {500, "IPv4", "beta"}}, {}},
      {"not_followed_by_equal_timestamps_later_line_follows", nfb, {{7, "IPv4", "alpha"}, {7, "IPv4", "beta"}}, {}},
      {"at_least_three_within_a_minute",
       least3,
       {{0, "IPv4", "alpha"}, {30, "IPv4", "alpha"}, {60, "IPv4", "alpha"}},
       {"ipv4:1,2,3"}},
      {"at_least_three_spread_too_far",
       least3,
       {{0, "IPv4", "alpha"}, {30, "IPv4", "alpha"}, {61, "IPv4", "alpha"}},
       {}},
      {"at_least_groups_by_family",
       least3,
       {{0, "IPv4", "alpha"}, {1, "IPv6", "alpha"}, {2, "IPv4", "alpha"}, {3, "IPv6", "alpha"}, {4, "IPv6", "alpha"}},
       {"ipv6:2,4,5"}},
      {"at_least_keeps_only_windows_that_count",
       least3,
       {{0, "IPv4", "alpha"}, {100, "IPv4", "alpha"}, {110, "IPv4", "alpha"}, {120, "IPv4", "alpha"}},
       {"ipv4:2,3,4"}},
  };
}

class TimeOperators : public ::testing::TestWithParam<Case> {};

TEST_P(TimeOperators, Verdicts) {
  const Case& c = GetParam();
  EXPECT_EQ(Evaluate(c.when, c.lines), c.expected);
}

INSTANTIATE_TEST_SUITE_P(RuleLanguage, TimeOperators, ::testing::ValuesIn(Cases()),
                         [](const auto& test) { return std::string(test.param.name); });

// The rule written only in a pack file: port 53 rejected, not followed by a successful cycle.
class StillUnprotected : public ::testing::Test {
 protected:
  std::vector<std::string> Fire(const std::vector<Line>& lines) {
    const std::string pack_text = testing::ReadBytes(testing::TestData("rules/still-unprotected.json"));
    const RulePack pack = LoadRulePack({{"still-unprotected.json", pack_text}});
    std::vector<std::string> groups;
    for (const Verdict& v : EvaluateText(pack, *LogTypeById("csccumbrellaplugin"), PluginLog(lines))) {
      groups.push_back(v.group);
    }
    return groups;
  }
};

TEST_F(StillUnprotected, PersistentUntilTheEnd) {
  EXPECT_EQ(Fire({{0, "IPv4", "checking reachability using port 53"},
                  {5, "IPv4", "rejected all candidate resolvers for port 53"},
                  {15, "IPv4", "checking reachability using port 443"},
                  {20, "IPv4", "rejected all candidate resolvers for port 443"},
                  {60, "IPv4", "state unchanged"}}),
            std::vector<std::string>{"ipv4"});
}

TEST_F(StillUnprotected, ClearedByALaterSuccessfulCycle) {
  EXPECT_TRUE(Fire({{0, "IPv4", "rejected all candidate resolvers for port 53"},
                    {15, "IPv4", "checking reachability using port 443"},
                    {60, "IPv4", "state PROTECTED"}})
                  .empty());
}

TEST_F(StillUnprotected, LogEndingMidCycleIsNotASuccess) {
  EXPECT_EQ(Fire({{0, "IPv6", "rejected all candidate resolvers for port 53"},
                  {15, "IPv6", "checking reachability using port 443"}}),
            std::vector<std::string>{"ipv6"});
}

TEST_F(StillUnprotected, NeverProbedNeverFires) { EXPECT_TRUE(Fire({{0, "IPv4", "state unchanged"}}).empty()); }

}  // namespace
}  // namespace dartdiag
