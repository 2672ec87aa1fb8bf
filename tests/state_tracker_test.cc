// The state tracker's own bookkeeping over a long generated log: the slots that hold sightings'
// events stay bounded, and reports asked mid-log change nothing of what follows.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>

#include "cycle_log.h"
#include "dartdiag/rule_pack.h"
#include "log_types.h"
#include "state_tracker.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using testing::Cycles;
using testing::PluginLog;
using testing::Sorted;

// A long plugin log whose cycles take every path: answered, rejected on 443 only or on both ports,
// 443 unanswered when the 53 start comes (its fallback), a start repeated in its second, a cycle
// left open, and a transient state held long (443 answered once, then rejected 200 times with no
// cycle line).
std::string LongCycleLog() {
  std::mt19937 random(7);
  const char* const kinds[] = {"ok", "plain", "fail"};
  std::vector<std::string> steps;
  for (int m = 0; m < 1200; ++m) {
    for (const char* family : {"IPv4", "IPv6"}) {
      const auto more = Cycles(family, m, m, kinds[random() % 3]);
      steps.insert(steps.end(), more.begin(), more.end());
      if (random() % 5 == 0) steps.push_back(more.front());
      if (more.size() == 1 && random() % 2 == 0) {  // 443 gave no answer: the 53 start is its fallback
        steps.push_back(more.front().substr(0, 6) + "05" + more.front().substr(8, 6) + "c53");
      }
    }
  }
  steps.push_back("23:01:00 IPv4 c443");
  for (int i = 0; i < 200; ++i) steps.push_back(fmt::format("23:{:02}:{:02} IPv4 r443", 2 + i / 6, i % 6 * 10));
  return PluginLog(Sorted(std::move(steps)));
}

// Feeds a tracker; with `report_every`, asks for its verdicts and a trace every that many events,
// as a caller reporting mid-log would.
struct TrackerFeed final : EventSink {
  TrackerFeed(StateTracker& t, size_t every) : tracker(t), report_every(every) {}
  void OnEvent(const Event& event) override {
    sightings += tracker.Observe(event, 0) ? 1 : 0;
    if (report_every != 0 && ++events % report_every == 0) {
      (void)tracker.Verdicts({"csccumbrellaplugin.txt"}, LogEnds{});
      (void)tracker.Trace(0, {"csccumbrellaplugin.txt"}, LogEnds{});
    }
  }
  void OnUnparsed(uint64_t, std::string_view) override {}
  StateTracker& tracker;
  size_t report_every;
  size_t events = 0, sightings = 0;
};

// A sighting's event lies in a slot that is let go when the sighting settles, and reused. Over the
// long log the slots stay as few as the sightings held at once (32 in a transient state, an open
// cycle or two per family): a path that forgot to let go would grow them with the log. Every
// evidence line is the line of the log at its number.
TEST(StateModel, HeldEventsStayBoundedOverALongLog) {
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  const std::string log = LongCycleLog();
  StateTracker tracker(pack);
  TrackerFeed feed(tracker, 0);
  ParseText(*LogTypeById("csccumbrellaplugin"), log, feed);
  ASSERT_GT(feed.sightings, 5000U);
  EXPECT_LE(tracker.event_slots(), 40U) << "of " << feed.sightings << " sightings";
  std::vector<std::string> lines;
  for (size_t at = 0; at < log.size();) {
    const size_t end = log.find("\r\n", at);
    lines.push_back(log.substr(at, end - at));
    while (lines.back().ends_with(' ')) lines.back().pop_back();  // the parser drops a trailing blank
    at = end + 2;
  }
  const std::vector<Verdict> verdicts = tracker.Verdicts({"csccumbrellaplugin.txt"}, LogEnds{});
  ASSERT_FALSE(verdicts.empty());
  for (const Verdict& v : verdicts) {
    for (const EvidenceLine& e : v.evidence) {
      ASSERT_LE(e.line, lines.size());
      EXPECT_EQ(e.text, lines[e.line - 1]) << v.rule << " line " << e.line;
    }
  }
}

// Verdicts and traces settle copies of the groups, whose sightings share the original's slots:
// asking for them mid-log changes nothing of what the log goes on to show.
TEST(StateModel, VerdictsAskedMidLogLeaveTheRestOfTheLogAlone) {
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  const std::string log = LongCycleLog();
  ASSERT_TRUE(pack.rules.at(0).state) << "the feed traces rule 0: a state rule";
  StateTracker plain(pack), asked(pack);
  TrackerFeed plain_feed(plain, 0), asked_feed(asked, 29);
  ParseText(*LogTypeById("csccumbrellaplugin"), log, plain_feed);
  ParseText(*LogTypeById("csccumbrellaplugin"), log, asked_feed);
  const auto shown = [](const StateTracker& t) {
    std::vector<std::string> out;
    for (const Verdict& v : t.Verdicts({"csccumbrellaplugin.txt"}, LogEnds{})) {
      out.push_back(fmt::format("{} {} count {} of {}", v.rule, v.group, v.count, v.evidence_total));
      for (const auto& [name, value] : v.fields) out.push_back(name + "=" + value);
      for (const EvidenceLine& e : v.evidence) out.push_back(fmt::format("{} {} {}", e.line, e.time, e.text));
    }
    return out;
  };
  const std::vector<std::string> expected = shown(plain);
  ASSERT_GT(expected.size(), 10U);
  EXPECT_EQ(shown(asked), expected);
}

}  // namespace
}  // namespace dartdiag
