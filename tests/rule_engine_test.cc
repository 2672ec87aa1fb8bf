// The rule language: event, all_of, any_of, not, sequence, group_by, cleared_by, notes,
// placeholders and the state at the end of the log, on small plugin logs.
#include "rule_engine.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "log_types.h"
#include "test_support.h"
#include "text_util.h"  // src/, internal helpers

namespace dartdiag {
namespace {

// A pack with one rule whose "when" (and extra keys) are given.
RulePack OneRule(const std::string& when, const std::string& extra = "") {
  return LoadRulePack({{"test.json", fmt::format(R"({{"rules": [{{"id": "r", "title": "t",
    "protection": "dns", "status": "S", "severity": "error", "summary": "sum {{family}} {{port}}",
    "root_cause": "c", "when": {}{}}}]}})",
                                                 when, extra)}});
}

std::string Line(int second, const std::string& family, const std::string& message) {
  return fmt::format("2024-08-27 03:07:{:02} [8880] [DEBUG] < 12> Dns Protection {} State Machine: {}", second, family,
                     message);
}

// Verdicts as "group:count:first-last:end_state" strings.
std::vector<std::string> Evaluate(const RulePack& pack, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  std::vector<std::string> out;
  for (const Verdict& v : EvaluateText(pack, *LogTypeById("csccumbrellaplugin"), text, "p.txt")) {
    std::string lines_seen;
    for (const EvidenceLine& e : v.evidence) lines_seen += (lines_seen.empty() ? "" : ",") + std::to_string(e.line);
    out.push_back(
        fmt::format("{}:{}:{}:{}", v.group.empty() ? "-" : v.group, v.count, lines_seen, EndStateName(v.end_state)));
  }
  return out;
}

const std::string kA = R"({"event": {"log": "csccumbrellaplugin", "message": "alpha"}})";
const std::string kB = R"({"event": {"log": "csccumbrellaplugin", "message": "beta"}})";

TEST(RuleEngine, SingleEventPatternCollectsAllMatches) {
  const auto pack = OneRule(kA);
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "alpha"), Line(2, "IPv4", "gamma"), Line(3, "IPv6", "alpha")}),
            std::vector<std::string>{"-:2:1,3:failing"});
  EXPECT_TRUE(Evaluate(pack, {Line(1, "IPv4", "gamma")}).empty());
}

TEST(RuleEngine, GroupByFamilyGivesOneVerdictPerFamily) {
  const auto pack = OneRule(kA, R"(, "group_by": "family")");
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "alpha"), Line(2, "IPv6", "alpha"), Line(3, "IPv6", "alpha")}),
            (std::vector<std::string>{"ipv4:1:1:failing", "ipv6:2:2,3:failing"}));
}

TEST(RuleEngine, AllOfNeedsEveryChildInTheSameGroup) {
  const auto pack = OneRule(R"({"all_of": [)" + kA + "," + kB + "]}", R"(, "group_by": "family")");
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "alpha"), Line(2, "IPv6", "beta")}), std::vector<std::string>{});
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "alpha"), Line(2, "IPv4", "beta")}),
            std::vector<std::string>{"ipv4:2:1,2:failing"});
}

TEST(RuleEngine, AnyOfTakesEvidenceOfHoldingChildren) {
  const auto pack = OneRule(R"({"any_of": [)" + kA + "," + kB + "]}");
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "beta"), Line(2, "IPv4", "gamma")}),
            std::vector<std::string>{"-:1:1:unknown"});
}

TEST(RuleEngine, NotHoldsWhenChildIsAbsentInTheGroup) {
  const auto pack = OneRule(R"({"all_of": [)" + kA + R"(, {"not": )" + kB + "}]}", R"(, "group_by": "family")");
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "alpha"), Line(2, "IPv4", "beta"), Line(3, "IPv6", "alpha")}),
            std::vector<std::string>{"ipv6:1:3:failing"});
}

TEST(RuleEngine, SequenceNeedsOrder) {
  const auto pack = OneRule(R"({"sequence": [)" + kA + "," + kB + "]}");
  EXPECT_TRUE(Evaluate(pack, {Line(1, "IPv4", "beta"), Line(2, "IPv4", "alpha")}).empty());
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "beta"), Line(2, "IPv4", "alpha"), Line(3, "IPv4", "beta")}),
            std::vector<std::string>{"-:2:2,3:failing"});
}

TEST(RuleEngine, SequenceOrdersByTimeNotByLine) {
  const auto pack = OneRule(R"({"sequence": [)" + kA + "," + kB + "]}");
  // Line 1 is later in time than line 2: beta (03:07:02) comes after alpha (03:07:01).
  EXPECT_EQ(Evaluate(pack, {Line(2, "IPv4", "beta"), Line(1, "IPv4", "alpha")}),
            std::vector<std::string>{"-:2:2,1:unknown"});
}

TEST(RuleEngine, ClearedByAfterLastEvidence) {
  const auto pack = OneRule(kA, R"(, "group_by": "family",
      "cleared_by": {"log": "csccumbrellaplugin", "message": "recovered"})");
  EXPECT_EQ(Evaluate(pack, {Line(1, "IPv4", "alpha"), Line(2, "IPv4", "recovered"), Line(3, "IPv6", "alpha"),
                            Line(4, "IPv6", "other")}),
            (std::vector<std::string>{"ipv4:1:1:cleared", "ipv6:1:3:unknown"}));
}

TEST(RuleEngine, EvidenceIsCappedToFirstAndLastFive) {
  const auto pack = OneRule(kA);
  std::vector<std::string> lines;
  for (int i = 0; i < 25; ++i) lines.push_back(Line(i, "IPv4", "alpha"));
  EXPECT_EQ(Evaluate(pack, lines), std::vector<std::string>{"-:25:1,2,3,4,5,21,22,23,24,25:failing"});
}

TEST(RuleEngine, SummaryPlaceholdersNotesAndFields) {
  const auto pack = OneRule(R"({"event": {"log": "csccumbrellaplugin", "message": "rejected"}})",
                            R"(, "group_by": "family", "notes": [
        {"if": {"log": "csccumbrellaplugin", "port": "^53$"}, "text": "port fifty-three"},
        {"if": {"log": "csccumbrellaplugin", "port": "^443$"}, "text": "port four-four-three"}])");
  const auto verdicts = EvaluateText(pack, *LogTypeById("csccumbrellaplugin"),
                                     Line(1, "IPv6", "rejected all candidate resolvers for port 53"), "p.txt");
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].summary, "sum IPv6 53");
  EXPECT_EQ(verdicts[0].family, "ipv6");
  EXPECT_EQ(verdicts[0].notes, std::vector<std::string>{"port fifty-three"});
  EXPECT_EQ(verdicts[0].fields, (std::map<std::string, std::string>{{"family", "ipv6"}, {"port", "53"}}));
  EXPECT_EQ(verdicts[0].evidence.at(0).file, "p.txt");
  EXPECT_EQ(verdicts[0].first_seen, "2024-08-27T03:07:01");
}

}  // namespace
}  // namespace dartdiag

namespace dartdiag {
namespace {

TEST(EventStore, KeepsTextsOfFirstAndLatestMatchesOnly) {
  const LogTypeId log = *LogTypeById("csccumbrellaplugin");
  EventStore store({FieldId::kFamily}, {0}, 4);
  std::vector<std::string> lines;
  for (int i = 0; i < 20; ++i) {
    lines.push_back(
        fmt::format("2024-08-27 03:07:{:02} [1] [DEBUG] < 1> Dns Protection IPv4 State Machine: m{}", i, i));
  }
  class Sink final : public EventSink {
   public:
    explicit Sink(EventStore& s) : store_(s) {}
    void OnEvent(const Event& e) override { store_.Add(e, 0, ++seq_, {0}); }
    void OnUnparsed(uint64_t, std::string_view) override {}

   private:
    EventStore& store_;
    uint64_t seq_ = 0;
  } sink(store);
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  ParseText(log, text, sink);
  std::string kept;
  for (uint64_t seq = 1; seq <= 20; ++seq) kept += store.Text(seq) ? "T" : ".";
  EXPECT_EQ(kept, "TTTT............TTTT");
  EXPECT_EQ(store.texts_kept(), 8u);
  EXPECT_EQ(store.Text(1)->line, 1u);
  EXPECT_EQ(store.GroupValue(0, 1), "ipv4");
}

TEST(TextUtil, FormatSortTimeInvertsCivilToSeconds) {
  EXPECT_EQ(FormatSortTime(CivilToSeconds(2024, 8, 27, 3, 7, 53)), "2024-08-27T03:07:53");
  EXPECT_EQ(FormatSortTime(CivilToSeconds(2000, 2, 29, 23, 59, 59)), "2000-02-29T23:59:59");
  EXPECT_EQ(FormatSortTime(0), "1970-01-01T00:00:00");
}

}  // namespace
}  // namespace dartdiag
