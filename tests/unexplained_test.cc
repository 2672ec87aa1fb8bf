// Unexplained warnings: masking and template grouping, and their place in the report.
#include "unexplained_collector.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "log_types.h"
#include "test_support.h"

namespace dartdiag {
namespace {

struct MaskCase {
  const char* in;
  const char* out;
};

TEST(MaskMessage, Table) {
  const MaskCase cases[] = {
      {"failed with 0x80072ee7 after 3 tries", "failed with <hex> after <n> tries"},
      {"profile {0A1B2C3D-1111-2222-3333-444455556666} unreadable", "profile <guid> unreadable"},
      {"from 10.0.0.5 to 208.67.222.222:443", "from <ip> to <ip>:<n>"},
      {"resolver 2620:119:35::35 and fe80::1 down", "resolver <ip> and <ip> down"},
      {"thread 27cc id deadbeef01 added", "thread <hex> id <hex> added"},
      {"took 12 ms at 03:07:43", "took <n> ms at <n>:<n>:<n>"},
      {"no variable parts", "no variable parts"},
      {"loopback ::1 and id abc_123 and deadbeef", "loopback <ip> and id abc_<n> and deadbeef"},
      {"GUID 0a1b2c3d-1111-2222-3333-444455556666, done", "GUID <guid>, done"},
      {"port 08:00 then retry2", "port <n>:<n> then retry<n>"},
      {"PAC fetch for https://pac.acme.com/v2/proxy.pac?id=7. done", "PAC fetch for <url>. done"},
      {"mailbox jane.doe+x@mail.acme-corp.com.", "mailbox <email>."},
      {"open C:\\Users\\jsmith\\AppData\\Local\\x.log failed", "open <path> failed"},
      {"open 'C:\\Program Files\\Cisco\\a b.exe' failed", "open '<path>' failed"},
      {"share \\\\fs01\\home$\\jsmith: denied", "share <path>: denied"},
      {"host DESKTOP-7Q2W9E and ws12.corp.example.com, LAPTOP-AB12CD3.acme.local", "host <host> and <host>, <host>"},
      {"exit code -1073741819 (was 3), range 5-6, x=-2", "exit code <n> (was <n>), range <n>-<n>, x=<n>"},
      {"System.Net.WebException in chrome.exe", "System.Net.WebException in chrome.exe"},
      {"user@localhost not an address", "user@localhost not an address"},
  };
  for (const MaskCase& c : cases) EXPECT_EQ(MaskMessage(c.in), c.out) << c.in;
}

class Collect final : public EventSink {
 public:
  void OnEvent(const Event& event) override { collector.Observe(event, "p.txt"); }
  void OnUnparsed(uint64_t, std::string_view) override {}
  UnexplainedCollector collector{2};
};

TEST(UnexplainedCollector, WarningLevelsInAnyCaseAndNothingElse) {
  for (const char* level : {"WARN", "warn", "Warning", "WARNING", "ERROR", "Error", "err", "ERR", "FATAL", "fatal",
                            "CRITICAL", "Critical"}) {
    EXPECT_TRUE(IsWarningLevel(level)) << level;
  }
  for (const char* level : {"", "E", "W", "INFO", "DEBUG", "TRACE", "Information", "WARNINGS", "WARN ", " WARN", "ERRO",
                            "ERRORS", "FATA", "CRITICA", "CRITICALS", "EARN", "WRROR", "CATAL", "FRROR"}) {
    EXPECT_FALSE(IsWarningLevel(level)) << level;
  }
  EXPECT_FALSE(IsWarningLevel(std::string_view("ERR\0", 4)));
}

// One message shape logged at WARN and ERROR (and a spelling of its own) is one template counting
// its events per level; the levels are kept as written.
TEST(UnexplainedCollector, GroupsBySourceAndTemplateCountsLevelsSkipsOtherLevelsAndCaps) {
  Collect sink;
  ParseText(*LogTypeById("csccumbrellaplugin"),
            "2024-08-27 03:07:40 [1] [WARN] < 1> Sync: failed after 3 tries\n"
            "2024-08-27 03:07:41 [1] [INFO] < 1> Sync: failed after 3 tries\n"
            "2024-08-27 03:07:42 [1] [ERROR] < 1> Sync: failed after 4 tries\n"
            "2024-08-27 03:07:43 [1] [WARN] < 1> Sync: failed after 5 tries\n"
            "2024-08-27 03:07:44 [1] [warn] < 1> Sync: failed after 6 tries\n"
            "2024-08-27 03:07:45 [1] [ERROR] < 1> Other: boom\n"
            "2024-08-27 03:07:46 [1] [ERROR] < 1> Third: over the cap\n",
            sink);
  const auto templates = sink.collector.Templates();
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[0].text, "failed after <n> tries");
  EXPECT_EQ(templates[0].count, 4u);  // INFO is not a warning
  EXPECT_EQ(templates[0].level, "WARN");
  EXPECT_EQ(templates[0].levels,
            (std::vector<std::pair<std::string, uint64_t>>{{"WARN", 2}, {"ERROR", 1}, {"warn", 1}}));
  EXPECT_EQ(templates[0].LevelsText(), "WARN/ERROR/warn");
  EXPECT_EQ(templates[0].first_seen, "2024-08-27T03:07:40");
  EXPECT_EQ(templates[0].last_seen, "2024-08-27T03:07:44");
  EXPECT_EQ(templates[0].example_line, 1u);
  EXPECT_EQ(templates[0].source, "Sync");
  EXPECT_EQ(templates[1].source, "Other");
  EXPECT_EQ(templates[1].LevelsText(), "ERROR");
  EXPECT_EQ(sink.collector.uncounted(), 1u);  // "Third" came after the cap of 2
}

TEST(UnexplainedWarnings, ReportedOnlyWhenNoRuleUsedTheEvent) {
  testing::TempDir dir;
  const auto file = dir.Write("csccumbrellaplugin.txt",
                              "2024-08-27 03:07:53 [1] [ERROR] < 12> Dns Protection IPv4 State Machine: rejected all "
                              "candidate resolvers for port 53\n"
                              "2024-08-27 03:08:00 [1] [ERROR] < 1> OrgInfo: profile 42 unreadable\n");
  const auto run = testing::Run({"--format", "json", file.string()});
  const auto json = nlohmann::json::parse(run.out);
  ASSERT_EQ(json["unexplained_warnings"]["templates"].size(), 1u);
  EXPECT_EQ(json["unexplained_warnings"]["templates"][0]["template"], "profile <n> unreadable");
  EXPECT_EQ(json["unexplained_warnings"]["templates"][0]["example"]["line"], 2);
  EXPECT_EQ(json["coverage"]["parsed_share"], 1.0);
  const auto text = testing::Run({file.string()});
  EXPECT_NE(
      text.out.find(
          "Unexplained warnings (1 template, no rule used them)\n      1x ERROR OrgInfo: profile <n> unreadable\n"),
      std::string::npos)
      << text.out;
}

TEST(UnexplainedWarnings, EventsOnlyANotePatternMatchedStillCount) {
  // web-cloud-unavailable's notes match every event-log record ("fail_open": "^$"); notes do not
  // explain an event, so this warning must still surface.
  testing::TempDir dir;
  const auto file =
      dir.Write("Umbrella.txt",
                "Date : 08/27/2024\nTime : 06:41:22\nType : Warning\nSource : csc_swgagent\n"
                "Description : WARN | Thread 27cc | Proxy certificate validation failed for 18.135.112.200\n");
  const auto json = nlohmann::json::parse(testing::Run({"--format", "json", file.string()}).out);
  ASSERT_EQ(json["unexplained_warnings"]["templates"].size(), 1u);
  EXPECT_EQ(json["unexplained_warnings"]["templates"][0]["template"], "Proxy certificate validation failed for <ip>");
  EXPECT_EQ(json["unexplained_warnings"]["templates"][0]["source"], "csc_swgagent");
}

}  // namespace
}  // namespace dartdiag
