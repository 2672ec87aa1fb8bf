// Evidence texts the event store did not keep: a `not_followed_by ... within` rule whose one
// unfollowed event sits between the first and the latest 16 matches of its pattern. The engine
// notes the text as missing, the input is read again (text, folder, zip in memory) and every
// evidence line, the verdict's fields and explain's trace carry the line; standard input, read
// once, keeps the stated placeholder.
#include <gtest/gtest.h>

#include <sstream>

#include <fmt/format.h>

#include "dartdiag/analysis.h"
#include "dartdiag/rule_pack.h"
#include "log_types.h"
#include "rule_engine.h"
#include "test_support.h"

namespace dartdiag {
namespace {

constexpr int kAlphas = 40;
constexpr int kUnfollowed = 20;  // neither among the first 16 nor the latest 16 alphas

// One alpha line every 100 s, each followed by a beta 5 s later except alpha kUnfollowed. Lines
// are numbered from 1: alpha i is on line 2i+1 (before the missing beta).
std::string PluginLog() {
  std::string text;
  const auto line = [&](int second, const char* message) {
    text += fmt::format("2024-08-27 {:02}:{:02}:{:02} [1] [DEBUG] < 1> Dns Protection IPv4 State Machine: {} {}\n",
                        3 + second / 3600, second / 60 % 60, second % 60, message, second);
  };
  for (int i = 0; i < kAlphas; ++i) {
    line(i * 100, "alpha");
    if (i != kUnfollowed) line(i * 100 + 5, "beta");
  }
  return text;
}

uint64_t UnfollowedLine() { return 2 * kUnfollowed + 1; }
std::string UnfollowedText() {
  return fmt::format("2024-08-27 03:33:20 [1] [DEBUG] < 1> Dns Protection IPv4 State Machine: alpha {}",
                     kUnfollowed * 100);
}

std::string PackText() {
  return R"({"rules": [{"id": "r", "title": "t", "protection": "dns", "status": "S",
    "severity": "error", "summary": "unfollowed on {family}: {message}", "root_cause": "c", "group_by": "family",
    "when": {"not_followed_by": {
      "first": {"event": {"log": "csccumbrellaplugin", "message": "^alpha"}},
      "then": {"event": {"log": "csccumbrellaplugin", "message": "^beta"}}, "within": "30s"}}}]})";
}

RulePack Pack() { return LoadRulePack({{"t.json", PackText()}}); }

void ExpectRecalled(const std::vector<Verdict>& verdicts) {
  ASSERT_EQ(verdicts.size(), 1u);
  const Verdict& v = verdicts.front();
  EXPECT_EQ(v.summary, fmt::format("unfollowed on IPv4: alpha {}", kUnfollowed * 100));
  EXPECT_EQ(v.fields.count("family"), 1u);  // typed fields of the last evidence event
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0].line, UnfollowedLine());
  EXPECT_EQ(v.evidence[0].text, UnfollowedText());
  EXPECT_EQ(v.evidence[0].time, "2024-08-27T03:33:20");
}

class Observer final : public EventSink {
 public:
  explicit Observer(RuleEngine& engine) : engine_(engine) {}
  void OnEvent(const Event& event) override {
    ends.Note(event, 0);
    engine_.Observe(event, 0);
  }
  void OnUnparsed(uint64_t, std::string_view) override {}
  LogEnds ends;

 private:
  RuleEngine& engine_;
};

TEST(EvidenceRecall, TheStoreDropsTheTextSoTheCaseIsReal) {
  const RulePack pack = Pack();
  RuleEngine engine(pack);
  Observer observer(engine);
  ParseText(*LogTypeById("csccumbrellaplugin"), PluginLog(), observer);
  const std::vector<Verdict> verdicts = engine.Finish({"log"}, observer.ends);
  ASSERT_EQ(verdicts.size(), 1u);
  ASSERT_EQ(verdicts[0].evidence.size(), 1u);
  EXPECT_EQ(verdicts[0].evidence[0].text, kTextNotRecalled);
  EXPECT_EQ(verdicts[0].summary, "unfollowed on IPv4: ");  // the family from the group, the message lost
  EXPECT_TRUE(verdicts[0].fields.empty());
  // Noted by arrival order: the unfollowed alpha is the (2 * kUnfollowed + 1)-th event.
  EXPECT_EQ(engine.missing_texts(), (std::set<uint64_t>{UnfollowedLine()}));
}

TEST(EvidenceRecall, TextIsParsedAgain) {
  ExpectRecalled(EvaluateText(Pack(), *LogTypeById("csccumbrellaplugin"), PluginLog()));
}

TEST(EvidenceRecall, FolderAndZipAreReadAgainAndExplainShowsTheLine) {
  const RulePack pack = Pack();
  testing::TempDir dir;
  const std::string log = PluginLog();
  dir.Write("bundle/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt", log);
  const std::string zip = testing::MakeZip({{"Cisco Secure Client/Umbrella/csccumbrellaplugin.txt", log}});
  const auto zip_path = dir.Write("bundle.zip", zip);
  for (const std::string& input : {(dir.path() / "bundle").string(), zip_path.string()}) {
    SCOPED_TRACE(input);
    AnalyzeOptions options;
    options.inputs = {input};
    options.explain = {"r"};
    const Result result = Analyze(options, pack);
    ExpectRecalled(result.verdicts);
    ASSERT_EQ(result.explanations.size(), 1u);
    ASSERT_FALSE(result.explanations[0].groups.empty());
    const NodeTrace& top = result.explanations[0].groups[0].nodes.front();
    ASSERT_EQ(top.events.size(), 1u);
    EXPECT_EQ(top.events[0].text, UnfollowedText());
    // The second read adds nothing else: one file, its lines counted once.
    ASSERT_EQ(result.files.size(), 1u);
    EXPECT_EQ(result.files[0].bytes, log.size());
    EXPECT_EQ(result.files[0].lines, static_cast<uint64_t>(2 * kAlphas - 1));
  }
  AnalyzeOptions options;
  ExpectRecalled(AnalyzeZipBytes(zip, "attachment.zip", options, pack).verdicts);
}

TEST(EvidenceRecall, StandardInputIsReadOnceAndSaysSo) {
  std::istringstream in(PluginLog());
  AnalyzeOptions options;
  const Result result = AnalyzeStream(in, "-", options, Pack());
  ASSERT_EQ(result.verdicts.size(), 1u);
  ASSERT_EQ(result.verdicts[0].evidence.size(), 1u);
  EXPECT_EQ(result.verdicts[0].evidence[0].line, UnfollowedLine());
  EXPECT_EQ(result.verdicts[0].evidence[0].text, kTextNotRecalled);
}

// The store's cap: past --max-kept-events matched events nothing more is kept, the result names
// the cap (in the log where it was reached) and is incomplete, and what was kept is evaluated.
TEST(KeptEvents, CapStopsKeepingAndMakesTheResultIncomplete) {
  testing::TempDir dir;
  const auto log = dir.Write("csccumbrellaplugin.txt", PluginLog());
  AnalyzeOptions options;
  options.inputs = {log.string()};
  options.limits.max_kept_events = 10;  // alphas 0-4 and their betas: every alpha followed
  const Result capped = Analyze(options, Pack());
  ASSERT_EQ(capped.integrity.size(), 1u);
  EXPECT_EQ(capped.integrity[0].cap, "kept-events");
  EXPECT_EQ(capped.integrity[0].limit, 10u);
  EXPECT_EQ(capped.integrity[0].file, log.string());
  EXPECT_NE(capped.integrity[0].message.find("raise it with --max-kept-events N"), std::string::npos)
      << capped.integrity[0].message;
  EXPECT_FALSE(capped.complete());
  EXPECT_TRUE(capped.verdicts.empty());
  EXPECT_EQ(ExitCodeFor(capped, Severity::kWarning), ExitCode::kIncomplete);

  options.limits.max_kept_events = 2 * kAlphas - 1;  // exactly every matched event: no finding
  const Result whole = Analyze(options, Pack());
  EXPECT_TRUE(whole.integrity.empty());
  EXPECT_TRUE(whole.complete());
  ExpectRecalled(whole.verdicts);

  const testing::CliRun run = testing::Run({"--max-kept-events", "10", "--no-default-rules", "--rules",
                                            dir.Write("p.json", PackText()).string(), log.string()});
  EXPECT_EQ(run.code, 4) << run.err;
  EXPECT_NE(run.err.find("kept-events cap (10 events) reached in"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace dartdiag
