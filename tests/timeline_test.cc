// Timelines on crafted logs: persistent, intermittent with three episodes, cleared, never
// probed, and a log that ends mid-cycle; through the default pack's dns-port-53 timeline.
#include "dartdiag/timeline.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "dartdiag/log_types.h"
#include "test_support.h"

namespace dartdiag {
namespace {

struct Step {
  int second;
  const char* what;  // "check" (a port 53 cycle starts) or "reject" (port 53 rejected)
};

class Feed final : public EventSink {
 public:
  explicit Feed(TimelineBuilder& b) : builder_(b) {}
  void OnEvent(const Event& e) override { builder_.Observe(e); }
  void OnUnparsed(uint64_t, std::string_view) override {}

 private:
  TimelineBuilder& builder_;
};

std::optional<TimelineSummary> Build(const std::vector<Step>& steps, const char* family = "IPv4") {
  static const RulePack pack = LoadRulePack({DefaultRuleSource()});
  TimelineBuilder builder(pack);
  Feed feed(builder);
  std::string text;
  for (const Step& s : steps) {
    const std::string message =
        std::string(s.what) == "check"
            ? "checking reachability of primary OpenDNS resolver candidates using port 53 (candidates are x)"
            : std::string(s.what) == "reject" ? "rejected all candidate resolvers for port 53" : "state unchanged";
    text += fmt::format("2024-08-27 03:{:02}:{:02} [1] [DEBUG] < 1> Dns Protection {} State Machine: {}\n",
                        s.second / 60, s.second % 60, family, message);
  }
  ParseText(*LogTypeById("csccumbrellaplugin"), text, feed);
  return builder.Summary("dns-port-53", family == std::string("IPv4") ? "ipv4" : "ipv6");
}

std::string Strip(const TimelineSummary& t) {
  std::string out;
  for (const auto& i : t.intervals) out += fmt::format("[{} {}..{}]", i.state, i.from.substr(14), i.to.substr(14));
  return out;
}

TEST(Timeline, Persistent) {
  const auto t = Build({{0, "check"}, {5, "reject"}, {15, "check"}, {20, "reject"}, {30, "check"}, {35, "reject"}});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->pattern, "persistent");
  EXPECT_TRUE(t->failing_at_end);
  EXPECT_EQ(t->episodes, 1u);
  EXPECT_EQ(t->failing_seconds, 30);
  EXPECT_EQ(Strip(*t), "[failing 00:05..00:35]");
}

TEST(Timeline, IntermittentWithThreeEpisodes) {
  const auto t = Build({{0, "check"}, {5, "reject"},    // episode 1
                        {60, "check"},                  // ok
                        {120, "check"}, {125, "reject"},  // episode 2
                        {180, "check"},                 // ok
                        {240, "check"}, {245, "reject"},  // episode 3
                        {300, "check"}, {330, "other"}});  // ok, window closed before the end
  ASSERT_TRUE(t);
  EXPECT_EQ(t->pattern, "intermittent");
  EXPECT_EQ(t->episodes, 3u);
  EXPECT_EQ(t->failing_seconds, 55 + 55 + 55);
  EXPECT_FALSE(t->failing_at_end);
  EXPECT_EQ(t->cleared_at, "2024-08-27T03:05:00");
  EXPECT_EQ(Strip(*t), "[failing 00:05..01:00][ok 01:00..02:05][failing 02:05..03:00][ok 03:00..04:05]"
                       "[failing 04:05..05:00][ok 05:00..05:30]");
}

TEST(Timeline, Cleared) {
  const auto t = Build({{0, "check"}, {5, "reject"}, {60, "check"}, {120, "check"}, {200, "other"}});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->pattern, "cleared");
  EXPECT_EQ(t->cleared_at, "2024-08-27T03:01:00");
  EXPECT_EQ(t->failing_seconds, 55);
}

TEST(Timeline, NeverProbedHasNoTimeline) {
  EXPECT_FALSE(Build({{0, "other"}, {10, "other"}}));
}

TEST(Timeline, LogEndingMidCycleLeavesTheLastStateStanding) {
  // The cycle at 03:00:15 is still open when the log ends at 03:00:20: it proves nothing.
  const auto t = Build({{0, "check"}, {5, "reject"}, {15, "check"}, {20, "other"}}, "IPv6");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->pattern, "persistent");
  EXPECT_TRUE(t->failing_at_end);
  EXPECT_EQ(Strip(*t), "[failing 00:05..00:20]");
}

TEST(Timeline, InVerdictsAndReports) {
  const auto run = testing::Run({testing::TestData("bundles/dns-ipv4-unprotected").string()});
  EXPECT_NE(run.out.find("  Timeline: persistent; still failing at the last event of the log\n"
                         "    2024-08-27T03:07:53 FAILING -> 2024-08-27T03:08:13 (last event)\n"),
            std::string::npos)
      << run.out;
}

}  // namespace
}  // namespace dartdiag
