// One time line: --log-tz offsets, times with and without a zone, a plugin log in local time
// beside a wevtutil export in UTC, and a capture placed against the logs in time.
#include "log_time.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace dartdiag {
namespace {

using testing::TestData;

TEST(LogTime, UtcOffsets) {
  const std::vector<std::pair<std::string, std::optional<int>>> cases = {{"+08:00", 480},
                                                                         {"-05:30", -330},
                                                                         {"+0545", 345},
                                                                         {"+8", 480},
                                                                         {"UTC", 0},
                                                                         {"Z", 0},
                                                                         {"-00:00", 0},
                                                                         {"+14:00", 840},
                                                                         {"+14:01", std::nullopt},
                                                                         {"08:00", std::nullopt},
                                                                         {"+8:5", std::nullopt},
                                                                         {"+08:60", std::nullopt},
                                                                         {"Asia/Taipei", std::nullopt},
                                                                         {"", std::nullopt},
                                                                         {"+", std::nullopt}};
  for (const auto& [text, minutes] : cases) EXPECT_EQ(ParseUtcOffset(text), minutes) << text;
  EXPECT_EQ(FormatUtcOffset(480), "+08:00");
  EXPECT_EQ(FormatUtcOffset(-330), "-05:30");
}

TEST(LogTime, TimesWithAndWithoutAZone) {
  EXPECT_FALSE(StatesZone("2024-08-27T03:07:53"));
  EXPECT_TRUE(StatesZone("2024-08-27T06:41:22.5120000Z"));
  EXPECT_TRUE(StatesZone("2024-08-27T03:07:53+08:00"));
  EXPECT_TRUE(StatesZone("2024-08-27T03:07:53-05:30"));
  EXPECT_EQ(UtcSeconds("2024-08-27T03:07:53", std::nullopt), std::nullopt);  // local, no offset
  const auto utc = UtcSeconds("2024-08-26T19:07:53Z", std::nullopt);
  ASSERT_TRUE(utc);
  EXPECT_EQ(UtcSeconds("2024-08-27T03:07:53", 480), utc);
  EXPECT_EQ(UtcSeconds("2024-08-27T03:07:53+08:00", std::nullopt), utc);
  EXPECT_EQ(UtcSeconds("2024-08-27T03:07:53.250+08:00", 0), utc);  // its own zone wins
  EXPECT_EQ(UtcSeconds("27/08/2024 03:07", 0), std::nullopt);
}

TEST(LogTime, OffsetReachesEveryTimeOfTheReport) {
  const auto run =
      testing::Run({"--log-tz", "+08:00", "-f", "json", TestData("bundles/DARTBundle_0827_0307").string()});
  ASSERT_EQ(run.code, 1) << run.err;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["input"]["log_offset"], "+08:00");
  for (const auto& f : j["files"]) {
    if (f["parser"] == "csccumbrellaplugin") {
      EXPECT_EQ(f["first_time"], "2024-08-27T03:07:40+08:00");
    }
  }
  for (const auto& v : j["verdicts"]) {
    for (const char* key : {"first_seen", "last_seen"}) EXPECT_TRUE(v[key].get<std::string>().ends_with("+08:00")) << v;
    EXPECT_TRUE(v["at_end"]["since"].get<std::string>().ends_with("+08:00")) << v;
    EXPECT_TRUE(v["at_end"]["log_end"].get<std::string>().ends_with("+08:00")) << v;
    for (const auto& e : v["evidence"]) EXPECT_TRUE(e["time"].get<std::string>().ends_with("+08:00")) << e;
    for (const auto& i : v["timeline"]["intervals"]) EXPECT_TRUE(i["from"].get<std::string>().ends_with("+08:00")) << i;
  }
  const auto text = testing::Run({"--log-tz", "+08:00", TestData("bundles/DARTBundle_0827_0307").string()});
  EXPECT_NE(text.out.find("Times: ISO 8601; logs that state local time read at UTC+08:00 (--log-tz).\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Unprotected since 2024-08-27T03:07:48+08:00, still at the end of the log"),
            std::string::npos);
  const auto bad = testing::Run({"--log-tz", "Asia/Taipei", TestData("bundles/healthy").string()});
  EXPECT_EQ(bad.code, 3);
  EXPECT_NE(bad.err.find("'Asia/Taipei' is not a UTC offset such as +08:00, -05:30 or UTC"), std::string::npos)
      << bad.err;
}

TEST(LogTime, WithoutAnOffsetLocalTimeIsSaidOnce) {
  const auto run = testing::Run({TestData("bundles/DARTBundle_0827_0307").string()});
  size_t said = 0;
  for (size_t pos = 0; (pos = run.out.find("local time of the PC", pos)) != std::string::npos; ++pos) ++said;
  EXPECT_EQ(said, 1u) << run.out;
}

TEST(LogTime, LocalPluginLogBesideAUtcExport) {
  // The plugin log states local time; a wevtutil export states UTC: with --log-tz each keeps its
  // own clock, named, and nothing pretends they are one.
  testing::TempDir dir;
  dir.Write("csccumbrellaplugin.txt",
            "2024-08-27 03:07:48 [1] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate resolvers "
            "for port 53\n");
  dir.Write(
      "Umbrella.txt",
      "Event[0]:\n  Log Name: Cisco Secure Client - Umbrella\n  Source: csc_swgagent\n  Date: "
      "2024-08-26T19:41:22.000Z\n"
      "  Event ID: 1\n  Level: Warning\n  Description: \nWARN | Thread 27cc | TCP handshake to SWG Proxy URL was not "
      "successful. Since fail open policy set, try connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0].\n");
  const auto run = testing::Run({"--log-tz", "+08:00", "-f", "json", dir.path().string()});
  const auto j = nlohmann::json::parse(run.out);
  std::map<std::string, std::string> first;
  for (const auto& f : j["files"]) first[f["parser"]] = f["first_time"];
  EXPECT_EQ(first["csccumbrellaplugin"], "2024-08-27T03:07:48+08:00");
  EXPECT_EQ(first["umbrella-eventlog"], "2024-08-26T19:41:22.000Z");
}

TEST(LogTime, CaptureIsPlacedAgainstTheLogs) {
  const std::string bundle = TestData("bundles/DARTBundle_0827_0307").string();
  const std::string capture = TestData("captures/DARTBundle_0827_0307.pcapng").string();
  const auto local = nlohmann::json::parse(testing::Run({"-f", "json", bundle, capture}).out);
  EXPECT_EQ(local["capture"]["timing"]["relation"], "unknown");
  EXPECT_EQ(local["capture"]["timing"]["seconds_after_log_end"], nullptr);
  // The example capture (03:07:42.9Z .. 06:41:21.5Z) covers the logs' time when they are read as UTC.
  const auto placed = nlohmann::json::parse(testing::Run({"-f", "json", "--log-tz", "UTC", bundle, capture}).out);
  EXPECT_EQ(placed["capture"]["timing"]["relation"], "within");
  EXPECT_EQ(placed["capture"]["timing"]["seconds_after_log_end"], -12820);  // 03:07:42 - 06:41:22
  // At UTC-06:00 the logs' events happened six hours later in UTC than they read: the capture
  // (03:07Z .. 06:41Z) ends before their first event (09:07:40Z).
  const auto west = nlohmann::json::parse(testing::Run({"-f", "json", "--log-tz", "-06:00", bundle, capture}).out);
  EXPECT_EQ(west["capture"]["timing"]["relation"], "before");
  EXPECT_EQ(west["capture"]["timing"]["seconds_after_log_end"], -12820 - 6 * 3600);
  // At UTC+08:00 the logs end at 22:41:22Z the day before: the capture is taken after them.
  const auto east = nlohmann::json::parse(testing::Run({"-f", "json", "--log-tz", "+08:00", bundle, capture}).out);
  EXPECT_EQ(east["capture"]["timing"]["relation"], "after");
  EXPECT_EQ(east["capture"]["timing"]["seconds_after_log_end"], -12820 + 8 * 3600);
  EXPECT_EQ(east["capture"]["timing"]["text"], "The capture was taken 4.4 hours after the logs' last event.");
}

}  // namespace
}  // namespace dartdiag
