// `dartdiag explain` and `--explain`: condition traces per group, the events that satisfied each
// condition, and the nearest miss of a rule that did not fire.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace dartdiag {
namespace {

using testing::TestData;
constexpr auto RunCliIn = testing::Run;

// The DNS rules written as event conditions (the default pack reads a state model instead).
std::string ConditionRules() { return TestData("rules/dns-conditions.json").string(); }

TEST(Explain, RuleThatFiredShowsTheEventsOfEachCondition) {
  const auto run = RunCliIn(
      {"explain", "--rules", ConditionRules(), "dns-unprotected", TestData("bundles/dns-ipv4-unprotected").string()});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(
      run.out.find(
          "  group ipv4: fired\n    [held] an event of csccumbrellaplugin where component matches "
          "/(?i)dns protection/ and message matches /rejected all candidate resolvers for port 53\\b/ (2 events)\n"),
      std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("csccumbrellaplugin.txt:6  2024-08-27 03:07:53"), std::string::npos);
  // The output starts with the rule, not with a blank line.
  EXPECT_TRUE(run.out.starts_with("dns-unprotected: DNS protection Unprotected")) << run.out;
}

TEST(Explain, StateRuleShowsTheStatesOfEachGroup) {
  const auto run = RunCliIn({"explain", "dns-unprotected", TestData("bundles/dns-ipv4-unprotected").string()});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("  group ipv4: fired\n    [held] 2024-08-27T03:07:48 .. 2024-08-27T03:08:13: unprotected "
                         "(Unprotected) (2 events)\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("csccumbrellaplugin.txt:11  2024-08-27 03:08:13"), std::string::npos) << run.out;
}

TEST(Explain, NearMissNamesTheFieldThatDidNotMatch) {
  testing::TempDir dir;
  const auto file = dir.Write("csccumbrellaplugin.txt",
                              "2024-08-27 03:07:43 [1] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all "
                              "candidate resolvers for port 443\n"
                              "2024-08-27 03:07:48 [1] [DEBUG] < 12> Dns Protection IPv4 State Machine: probing for "
                              "OpenDNS resolvers at addresses 208.67.222.222, port 5353\n");
  const auto run =
      RunCliIn({"explain", "--rules", ConditionRules(), "--format", "json", "dns-unencrypted", file.string()});
  EXPECT_EQ(run.code, 1);
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["rule"], "dns-unencrypted");
  EXPECT_FALSE(j["fired"]);
  ASSERT_EQ(j["groups"].size(), 1u);
  const auto& conditions = j["groups"][0]["conditions"];
  ASSERT_EQ(conditions.size(), 5u);  // all of, 443 rejected, port 53 probe, none of, 53 rejected
  EXPECT_EQ(conditions[0]["held"], false);
  EXPECT_EQ(conditions[1]["held"], true);
  EXPECT_EQ(conditions[1]["events"][0]["line"], 1);
  EXPECT_EQ(conditions[2]["held"], false);
  EXPECT_EQ(conditions[3]["held"], true);
  ASSERT_EQ(j["near_misses"].size(), 1u);
  EXPECT_EQ(j["near_misses"][0]["event"]["line"], 2);
  EXPECT_EQ(j["near_misses"][0]["failed"], nlohmann::json::array({"port \"5353\" does not match /^53$/"}));
}

TEST(Explain, UnknownRuleAndNoMatchingEvents) {
  const auto unknown = RunCliIn({"explain", "nope", TestData("bundles/healthy").string()});
  EXPECT_EQ(unknown.code, 3);
  EXPECT_EQ(unknown.err, "dartdiag: no rule with id 'nope' (see dartdiag rules list)\n");
  const auto none = RunCliIn({"explain", "web-cloud-unavailable", TestData("bundles/dns-unencrypted").string()});
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.out.find("  no event matched any pattern of this rule\n"), std::string::npos) << none.out;
}

TEST(Explain, FlagListsRulesThatAlmostFired) {
  const auto run = RunCliIn({"--explain", "--rules", ConditionRules(), TestData("bundles/dns-unencrypted").string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.out.find("Almost fired (--explain)\n  dns-443-blocked: 3 of 6 conditions held in the best group\n"),
            std::string::npos)
      << run.out;
  const auto plain = RunCliIn({TestData("bundles/dns-unencrypted").string()});
  EXPECT_EQ(plain.out.find("Almost fired"), std::string::npos);
}

}  // namespace
}  // namespace dartdiag
