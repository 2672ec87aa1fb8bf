// State models over generated logs: each row is a log written as probe cycles per address family
// (cleared over 443, intermittent, downgrade to unencrypted, families with different fates, a
// cycle open at the end, the clock going back an hour) or Umbrella.txt records, with the verdicts
// it must give (state at the end, episodes, failures counted) and the exit code. Then: no report
// contradicts itself, over every testdata bundle, every pipeline fuzz seed and every row here.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <set>
#include <random>
#include <sstream>

#include "dartdiag/analysis.h"
#include "dartdiag/report.h"
#include "cycle_log.h"
#include "report_consistency.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using testing::Cycles;
using testing::Join;
using testing::PluginLog;
using testing::Sorted;

// `n` port 443 rejections of `family`, one every 10 s from 03:00:00, with no probe cycle lines.
std::vector<std::string> RejectedEvery10s(const std::string& family, int n) {
  std::vector<std::string> steps;
  for (int i = 0; i < n; ++i) steps.push_back(fmt::format("03:{:02}:{:02} {} r443", i / 6, i % 6 * 10, family));
  return steps;
}

// Umbrella.txt records: "HH:MM:SS SOURCE fail|other".
std::string EventLog(const std::vector<std::string>& records) {
  std::string log;
  for (const std::string& record : records) {
    std::istringstream in(record);
    std::string time, source, what;
    in >> time >> source >> what;
    const std::string description =
        what == "fail"
            ? "WARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful. Since fail open policy set, "
              "try connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0]. "
            : "INFO | Thread 27cc | Sync completed. ";
    log +=
        fmt::format("Date : 08/27/2024 \r\nTime : {} \r\nType : {} \r\nSource : {} \r\n \r\nDescription : {}\r\n \r\n",
                    time, what == "fail" ? "Warning" : "Information", source, description);
  }
  return log;
}

// A verdict's compact form: "rule/group at_end episodes=N failures=N since=HH:MM:SS [cleared=..] [now=..]".
std::string Dump(const Verdict& v) {
  const auto clock = [](const std::string& t) { return t.size() >= 19 ? t.substr(11, 8) : t; };
  std::string out =
      fmt::format("{}{} {} episodes={} failures={} since={}", v.rule, v.group.empty() ? "" : "/" + v.group,
                  EndStateName(v.end_state), v.timeline ? v.timeline->episodes : 0, v.count, clock(v.since));
  if (v.end_state != EndState::kFailing) out += " until=" + clock(v.cleared_at);
  if (v.end_state == EndState::kCleared) out += " now=" + v.now;
  return out;
}

struct Case {
  const char* name;
  std::string plugin;    // csccumbrellaplugin.txt, "" for none
  std::string eventlog;  // Umbrella.txt, "" for none
  std::vector<std::string> verdicts;
  int exit_code;
  int exit_code_ever_failed;
};

std::vector<Case> Cases() {
  return {
      {"cleared over 443",
       PluginLog(Join({Cycles("IPv4", 7, 7, "fail"), Cycles("IPv4", 20, 60, "ok")})),
       "",
       {"dns-unprotected/ipv4 cleared episodes=1 failures=1 since=03:07:01 until=03:20:00 now=Protected (encrypted "
        "DNS)"},
       0,
       1},
      {"intermittent, over at the end",
       PluginLog(Join({Cycles("IPv4", 0, 2, "fail"), Cycles("IPv4", 3, 5, "ok"), Cycles("IPv4", 6, 7, "fail"),
                       Cycles("IPv4", 8, 9, "ok")})),
       "",
       {"dns-unprotected/ipv4 cleared episodes=2 failures=5 since=03:06:01 until=03:08:00 now=Protected (encrypted "
        "DNS)"},
       0,
       1},
      {"intermittent, failing at the end",
       PluginLog(Join({Cycles("IPv4", 0, 1, "fail"), Cycles("IPv4", 2, 3, "ok"), Cycles("IPv4", 4, 6, "fail")})),
       "",
       {"dns-unprotected/ipv4 failing episodes=2 failures=5 since=03:04:01"},
       1,
       1},
      {"downgrade to unencrypted",
       PluginLog(Join({Cycles("IPv4", 0, 2, "fail"), Cycles("IPv4", 3, 8, "plain"), {"03:09:00 IPv4 x"}})),
       "",
       {"dns-unencrypted/ipv4 failing episodes=1 failures=5 since=03:03:05",
        "dns-unprotected/ipv4 cleared episodes=1 failures=3 since=03:00:01 until=03:03:05 now=Protected, unencrypted "
        "(port 53)"},
       1,
       1},
      {"families with different fates",
       PluginLog(
           Sorted(Join({Cycles("IPv4", 0, 1, "fail"), Cycles("IPv6", 0, 9, "fail"), Cycles("IPv4", 2, 9, "ok")}))),
       "",
       {"dns-unprotected/ipv6 failing episodes=1 failures=10 since=03:00:01",
        "dns-unprotected/ipv4 cleared episodes=1 failures=2 since=03:00:01 until=03:02:00 now=Protected (encrypted "
        "DNS)"},
       1,
       1},
      {"a cycle open at the end proves nothing",
       PluginLog(Join({Cycles("IPv4", 0, 3, "fail"), {"03:04:00 IPv4 c443", "03:04:03 IPv4 x"}})),
       "",
       {"dns-unprotected/ipv4 failing episodes=1 failures=4 since=03:00:01"},
       1,
       1},
      {"443 rejected, port 53 still open at the end",
       PluginLog({"03:00:00 IPv6 c443", "03:00:01 IPv6 r443", "03:00:05 IPv6 c53", "03:00:08 IPv6 x"}),
       "",
       {"dns-443-blocked/ipv6 failing episodes=1 failures=1 since=03:00:01"},
       1,
       1},
      {"the clock goes back an hour, then 443 answers",
       PluginLog(Join({Cycles("IPv4", 50, 58, "fail"), Cycles("IPv4", -55, -40, "ok")})),
       "",
       {"dns-unprotected/ipv4 cleared episodes=1 failures=9 since=03:50:01 until=02:05:00 now=Protected (encrypted "
        "DNS)"},
       0,
       1},
      {"a duplicated line starts no second cycle",
       PluginLog(Join({Cycles("IPv4", 0, 4, "fail"), {"03:05:00 IPv4 c443"}, Cycles("IPv4", 5, 9, "fail")})),
       "",
       {"dns-unprotected/ipv4 failing episodes=1 failures=10 since=03:00:01"},
       1,
       1},
      {"the clock goes back, then a cycle open at the end proves nothing",
       PluginLog(Join({Cycles("IPv4", 50, 58, "fail"), Cycles("IPv4", -55, -55, "fail"), {"02:10:00 IPv4 c443"}})),
       "",
       {"dns-unprotected/ipv4 failing episodes=1 failures=10 since=03:50:01"},
       1,
       1},
      {"443 rejected forty times, then 53 rejected",
       PluginLog(Join({RejectedEvery10s("IPv6", 40), {"03:07:00 IPv6 c53", "03:07:05 IPv6 r53", "03:08:00 IPv6 x"}})),
       "",
       {"dns-unprotected/ipv6 failing episodes=1 failures=1 since=03:00:00"},
       1,
       1},
      {"443 rejected forty times, then 53 answers",
       PluginLog(Join({RejectedEvery10s("IPv6", 40), {"03:07:00 IPv6 c53", "03:08:00 IPv6 x"}})),
       "",
       {"dns-unencrypted/ipv6 failing episodes=1 failures=40 since=03:00:00"},
       1,
       1},
      {"healthy all along", PluginLog(Cycles("IPv4", 0, 30, "ok")), "", {}, 0, 0},
      {"SWG failing, later records of another source",
       "",
       EventLog({"06:40:01 csc_swgagent other", "06:41:22 csc_swgagent fail", "06:45:00 csc_umbrellaagent other",
                 "07:00:00 csc_umbrellaagent other"}),
       {"web-cloud-unavailable failing episodes=1 failures=1 since=06:41:22"},
       1,
       1},
      {"SWG failing, then the SWG agent writes something else",
       "",
       EventLog({"06:41:22 csc_swgagent fail", "06:41:52 csc_swgagent fail", "06:50:00 csc_swgagent other"}),
       {"web-cloud-unavailable unknown episodes=1 failures=2 since=06:41:22 until=06:50:00"},
       1,
       1},
      {"SWG failing twice",
       "",
       EventLog({"06:41:22 csc_swgagent fail", "06:50:00 csc_swgagent other", "07:10:00 csc_swgagent fail"}),
       {"web-cloud-unavailable failing episodes=2 failures=2 since=07:10:00"},
       1,
       1},
  };
}

struct Analysed {
  Result result;
  std::string text;
  ExitCode code, code_ever_failed;
};

Analysed AnalyseFolder(const std::filesystem::path& folder, const RulePack* with = nullptr) {
  static const RulePack default_pack = LoadRulePack({DefaultRuleSource()});
  const RulePack& pack = with != nullptr ? *with : default_pack;
  AnalyzeOptions options;
  options.inputs = {folder.string()};
  Analysed a{Analyze(options, pack), "", ExitCode::kOk, ExitCode::kOk};
  std::ostringstream text;
  WriteTextReport(a.result, ReportOptions{}, text);
  a.text = text.str();
  a.code = ExitCodeFor(a.result, Severity::kWarning);
  a.code_ever_failed = ExitCodeFor(a.result, Severity::kWarning, true);
  return a;
}

Analysed AnalyseCase(const Case& c) {
  testing::TempDir dir;
  if (!c.plugin.empty()) dir.Write("Umbrella/csccumbrellaplugin.txt", c.plugin);
  if (!c.eventlog.empty()) dir.Write("Umbrella/Umbrella.txt", c.eventlog);
  return AnalyseFolder(dir.path());
}

TEST(StateModel, GeneratedTimelines) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const Analysed a = AnalyseCase(c);
    std::vector<std::string> dumps;
    for (const Verdict& v : a.result.verdicts) dumps.push_back(Dump(v));
    EXPECT_EQ(dumps, c.verdicts) << a.text;
    EXPECT_EQ(static_cast<int>(a.code), c.exit_code);
    EXPECT_EQ(static_cast<int>(a.code_ever_failed), c.exit_code_ever_failed);
    EXPECT_EQ(testing::Contradictions(a.result, a.text, a.code), std::vector<std::string>()) << a.text;
  }
}

TEST(StateModel, ClearedVerdictSaysSoInItsFirstLineAndStaysInTheReport) {
  const Analysed a = AnalyseCase(Cases()[0]);
  EXPECT_NE(a.text.find("CLEARED DNS protection: Unprotected (IPv4): cleared at 2024-08-27T03:20:00, now Protected "
                        "(encrypted DNS)  [dns-unprotected]"),
            std::string::npos)
      << a.text;
  EXPECT_NE(
      a.text.find("Timeline: cleared: over at the end: Unprotected from 2024-08-27T03:07:01 to 2024-08-27T03:20:00"),
      std::string::npos)
      << a.text;
  EXPECT_NE(a.text.find("No known problem at the end of the log (1 problem cleared before the end of the log)."),
            std::string::npos)
      << a.text;
}

TEST(StateModel, UnencryptedCountsRejectionsNotProbeLines) {
  const Analysed a = AnalyseCase(Cases()[3]);
  EXPECT_NE(a.text.find("Seen: 5 failures, "), std::string::npos) << a.text;
}

TEST(StateModel, BriefIsOneLinePerProtectionWithTheSameExitCode) {
  const std::string bundle = testing::TestData("bundles/DARTBundle_0827_0307").string();
  const auto brief = testing::Run({"--brief", bundle});
  EXPECT_EQ(brief.code, testing::Run({bundle}).code);
  EXPECT_EQ(brief.out,
            "ERROR   DNS IPv4  Unprotected since 2024-08-27T03:07:48  [dns-unprotected]\n"
            "ERROR   Web       Cloud Services Unavailable since 2024-08-27T06:41:22  [web-cloud-unavailable]\n"
            "WARNING DNS IPv6  Encrypted DNS blocked since 2024-08-27T03:07:43  [dns-443-blocked]\n");
  const auto recovered = testing::Run({"--brief", testing::TestData("bundles/dns-recovered").string()});
  EXPECT_EQ(recovered.code, 0);
  EXPECT_EQ(recovered.out,
            "CLEARED DNS IPv4  Protected (encrypted DNS) since 2024-08-27T04:17:00 (Unprotected cleared)  "
            "[dns-unprotected]\n");
  EXPECT_EQ(testing::Run({"--brief", testing::TestData("bundles/healthy").string()}).out, "OK      no known problem\n");
  EXPECT_EQ(testing::Run({"--brief", "-f", "json", bundle}).code, 3);
}

TEST(StateModel, EverFailedFlagMakesClearedVerdictsCount) {
  testing::TempDir dir;
  dir.Write("csccumbrellaplugin.txt", Cases()[0].plugin);
  const std::string log = (dir.path() / "csccumbrellaplugin.txt").string();
  EXPECT_EQ(testing::Run({log}).code, 0);
  EXPECT_EQ(testing::Run({"--ever-failed", log}).code, 1);
  EXPECT_EQ(testing::Run({"--ever-failed", "--fail-on", "never", log}).code, 0);
}

// Two rules reading the same state keep the same evidence over a failure longer than the evidence
// shown: each keeps every sighting among its first and latest ones, and neither loses or repeats one.
TEST(StateModel, RulesReadingTheSameStateShowTheSameEvidence) {
  const RuleSource twin{"twin.json", R"({"rules": [{"id": "dns-unprotected-twin", "title": "t", "protection": "dns",
      "status": "Unprotected", "severity": "error", "group_by": "family",
      "state": {"model": "dns", "is": "unprotected", "count": ["port-53:failed"]},
      "summary": "s", "root_cause": "c"}]})"};
  const RulePack pack = LoadRulePack({DefaultRuleSource(), twin});
  testing::TempDir dir;
  dir.Write("Umbrella/csccumbrellaplugin.txt", PluginLog(Cycles("IPv4", 0, 40, "fail")));
  const Analysed a = AnalyseFolder(dir.path(), &pack);
  const Verdict* rule = nullptr;
  const Verdict* twin_rule = nullptr;
  for (const Verdict& v : a.result.verdicts) {
    if (v.rule == "dns-unprotected") rule = &v;
    if (v.rule == "dns-unprotected-twin") twin_rule = &v;
  }
  ASSERT_NE(rule, nullptr) << a.text;
  ASSERT_NE(twin_rule, nullptr) << a.text;
  EXPECT_EQ(rule->count, 41u);
  ASSERT_EQ(rule->evidence.size(), kMaxEvidence);
  ASSERT_EQ(twin_rule->evidence.size(), kMaxEvidence);
  std::vector<std::string> times;
  for (size_t i = 0; i < kMaxEvidence; ++i) {
    EXPECT_EQ(rule->evidence[i].text, twin_rule->evidence[i].text) << i;
    EXPECT_EQ(rule->evidence[i].line, twin_rule->evidence[i].line) << i;
    times.push_back(rule->evidence[i].time.substr(11, 8));
  }
  // The port 443 rejection that began the episode, the first four port 53 rejections (every
  // minute, at second 10) and the last five.
  EXPECT_EQ(times, (std::vector<std::string>{"03:00:01", "03:00:10", "03:01:10", "03:02:10", "03:03:10", "03:36:10",
                                             "03:37:10", "03:38:10", "03:39:10", "03:40:10"}));
}

// The packs every report is checked under: the default pack, and the condition rules of
// testdata/rules beside it or instead of it.
const std::vector<std::pair<std::string, const RulePack*>>& PacksToCheck() {
  static const RuleSource still = ReadRuleSource(testing::TestData("rules/still-unprotected.json").string());
  static const RulePack defaults = LoadRulePack({DefaultRuleSource()});
  static const RulePack with_conditions = LoadRulePack({DefaultRuleSource(), still});
  static const RulePack conditions_only =
      LoadRulePack({ReadRuleSource(testing::TestData("rules/dns-conditions.json").string()), still});
  static const std::vector<std::pair<std::string, const RulePack*>> packs = {
      {"default pack", &defaults}, {"default + conditions", &with_conditions}, {"conditions", &conditions_only}};
  return packs;
}

TEST(StateModel, NoReportContradictsItselfOnAnyTestdataBundle) {
  for (const auto& entry : std::filesystem::directory_iterator(testing::TestData("bundles"))) {
    for (const auto& [name, pack] : PacksToCheck()) {
      SCOPED_TRACE(entry.path().string() + ", " + name);
      const Analysed a = AnalyseFolder(entry.path(), pack);
      EXPECT_EQ(testing::Contradictions(a.result, a.text, a.code), std::vector<std::string>()) << a.text;
    }
  }
}

// One record of Umbrella.txt; an empty `date` leaves the event without a time.
std::string EventlogRecord(int n, const std::string& date, const std::string& message) {
  return "Event[" + std::to_string(n) + "]:\n  Log Name: Cisco Secure Client - Umbrella\n  Source: csc_swgagent\n" +
         "  Date: " + date + "\n  Event ID: 0\n  Level: Warning\n  Description: \n" + message + "\n\n";
}

// The Logs section, the condition rules and the state models read where a log ends from one
// record (log_ends.h): a last record without a time leaves the end at the last one with a time,
// for all three.
TEST(StateModel, EveryLogEndIsTheLastLineWithATimeWhenTheLastRecordHasNone) {
  static const RulePack pack = LoadRulePack({DefaultRuleSource(), RuleSource{"handshake.json", R"({"rules": [
      {"id": "handshake-seen", "title": "t", "protection": "web", "status": "s", "severity": "error",
       "when": {"event": {"log": "umbrella-eventlog", "message": "(?i)TCP handshake to SWG Proxy URL"}},
       "summary": "s", "root_cause": "c"}]})"}});
  const std::string failed = "WARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful.";
  testing::TempDir dir;
  dir.Write("Umbrella/Umbrella.txt", EventlogRecord(0, "2024-08-27T06:41:22.5120000Z", failed) +
                                         EventlogRecord(1, "2024-08-27T06:45:00.0000000Z", failed) +
                                         EventlogRecord(2, "not a date", failed));
  const Analysed a = AnalyseFolder(dir.path(), &pack);
  ASSERT_EQ(a.result.files.size(), 1u);
  EXPECT_EQ(a.result.files[0].events, 3u);
  EXPECT_EQ(a.result.files[0].last_time, "2024-08-27T06:45:00.0000000Z");
  std::set<std::string> rules;
  for (const Verdict& v : a.result.verdicts) {
    rules.insert(v.rule);
    EXPECT_EQ(v.log_end, "2024-08-27T06:45:00.0000000Z") << v.rule;
  }
  EXPECT_EQ(rules, (std::set<std::string>{"handshake-seen", "web-cloud-unavailable"}));
  EXPECT_EQ(testing::Contradictions(a.result, a.text, a.code), std::vector<std::string>()) << a.text;
}

// Condition rules keep their events in columns cut into runs where the clock goes back and merged
// as they come (event_column.cc); state models stream. Over logs of random probe cycles whose
// clock is in order, jitters at every line, jumps back once or wraps at midnight, the report of a
// pack with condition rules must still agree with itself, and the condition rule must fire on
// some logs and not on others.
TEST(StateModel, NoReportContradictsItselfWithConditionRulesOnShuffledClocks) {
  const RuleSource still = ReadRuleSource(testing::TestData("rules/still-unprotected.json").string());
  const RulePack packs[] = {
      LoadRulePack({DefaultRuleSource(), still}),
      LoadRulePack({ReadRuleSource(testing::TestData("rules/dns-conditions.json").string()), still}),
  };
  std::mt19937 rng(5);
  std::map<std::string, int> fired;
  for (int round = 0; round < 24; ++round) {
    const int clock = round % 4;  // 0 in order, 1 jitter, 2 one jump back, 3 midnight wrap
    std::vector<std::string> steps;
    for (const char* family : {"IPv4", "IPv6"}) {
      const char* kinds[] = {"ok", "plain", "fail"};
      for (int m = 0; m < 40; m += 4) {
        const auto part = Cycles(family, m, m + 3, kinds[rng() % 3]);
        steps.insert(steps.end(), part.begin(), part.end());
      }
    }
    steps = Sorted(steps);
    for (size_t i = 0; i < steps.size(); ++i) {  // "HH:MM:SS FAMILY WHAT": move the time
      int h = std::stoi(steps[i].substr(0, 2)), m = std::stoi(steps[i].substr(3, 2)),
          sec = std::stoi(steps[i].substr(6, 2));
      int t = h * 3600 + m * 60 + sec;
      if (clock == 1) t -= static_cast<int>(rng() % 31);
      if (clock == 2 && i > steps.size() / 2) t -= 600;
      if (clock == 3) t = (t + 20 * 3600 + 2400) % 86400;  // 03:00 becomes 23:40, then 00:xx on the same date
      steps[i] = fmt::format("{:02}:{:02}:{:02}{}", t / 3600, t / 60 % 60, t % 60, steps[i].substr(8));
    }
    testing::TempDir dir;
    dir.Write("Umbrella/csccumbrellaplugin.txt", PluginLog(steps));
    for (const RulePack& pack : packs) {
      SCOPED_TRACE(fmt::format("round {} clock {} pack {}", round, clock, &pack - packs));
      const Analysed a = AnalyseFolder(dir.path(), &pack);
      EXPECT_EQ(testing::Contradictions(a.result, a.text, a.code), std::vector<std::string>()) << a.text;
      bool still_fired = false;
      for (const Verdict& v : a.result.verdicts) still_fired = still_fired || v.rule == "dns-still-unprotected-at-end";
      ++fired[still_fired ? "fired" : "not fired"];
    }
  }
  EXPECT_GT(fired["fired"], 4) << "the condition rule should fire on some logs";
  EXPECT_GT(fired["not fired"], 4) << "and not on others";
}

TEST(StateModel, ClosingLineCountsWhatTheCaptureShows) {
  // A healthy bundle next to a capture where DNS and the SWG are blocked: exit 1, and the closing
  // line says why.
  static const RulePack pack = LoadRulePack({DefaultRuleSource()});
  AnalyzeOptions options;
  options.inputs = {testing::TestData("bundles/healthy").string(),
                    testing::TestData("captures/DARTBundle_0827_0307.pcapng").string()};
  const Result result = Analyze(options, pack);
  std::ostringstream text;
  WriteTextReport(result, ReportOptions{}, text);
  const ExitCode code = ExitCodeFor(result, Severity::kWarning);
  EXPECT_EQ(code, ExitCode::kFindings);
  EXPECT_NE(text.str().find("No known problem in the logs, but the capture shows 2 problems (see Capture)."),
            std::string::npos)
      << text.str();
  EXPECT_EQ(testing::Contradictions(result, text.str(), code), std::vector<std::string>());
}

TEST(StateModel, NoReportContradictsItselfOnAnyPipelineFuzzSeed) {
  size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::TestData("fuzz/pipeline"))) {
    for (const auto& [name, pack] : PacksToCheck()) {
      SCOPED_TRACE(entry.path().string() + ", " + name);
      Result result;
      try {
        result = AnalyzeZipBytes(testing::ReadBytes(entry.path()), entry.path().filename().string(), AnalyzeOptions{},
                                 *pack);
      } catch (const Error&) {
        continue;  // not a readable zip: no report
      }
      ++seeds;
      std::ostringstream text;
      WriteTextReport(result, ReportOptions{}, text);
      const ExitCode code = ExitCodeFor(result, Severity::kWarning);
      EXPECT_EQ(testing::Contradictions(result, text.str(), code), std::vector<std::string>()) << text.str();
    }
  }
  EXPECT_GT(seeds, 15u);
}

TEST(StateModel, NoReportContradictsItselfOnAnyParserFuzzSeed) {
  // Each parser seed as the log of a bundle of its own.
  size_t seeds = 0;
  for (const auto& [corpus, name] :
       {std::pair{"fuzz/plugin_parser", "csccumbrellaplugin.txt"}, std::pair{"fuzz/eventlog_parser", "Umbrella.txt"}}) {
    for (const auto& entry : std::filesystem::directory_iterator(testing::TestData(corpus))) {
      SCOPED_TRACE(entry.path().string());
      testing::TempDir dir;
      dir.Write(name, testing::ReadBytes(entry.path()));
      for (const auto& [pack_name, pack] : PacksToCheck()) {
        SCOPED_TRACE(pack_name);
        const Analysed a = AnalyseFolder(dir.path(), pack);
        ++seeds;
        EXPECT_EQ(testing::Contradictions(a.result, a.text, a.code), std::vector<std::string>()) << a.text;
      }
    }
  }
  EXPECT_GT(seeds, 30u);
}

}  // namespace
}  // namespace dartdiag
