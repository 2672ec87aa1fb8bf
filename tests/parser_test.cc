// Parser tables: each row is a log text and the Dump() of every event (and unparsed line) it
// must yield. Lines are the verbatim ones from the reference procedure and their variants.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <random>
#include <span>

#include "text_decode.h"
#include "text_util.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using testing::ParseToDumps;

struct ParserCase {
  const char* name;
  const char* log;
  std::string text;
  std::vector<std::string> dumps;
};

const char kRejected53[] =
    "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all "
    "candidate resolvers for port 53";
const char kRejected53Dump[] =
    "L1 2024-08-27T03:07:53 level=DEBUG thread=12 pid=8880 component=\"Dns Protection IPv4 State "
    "Machine\" message=\"rejected all candidate resolvers for port 53\" family=ipv4 port=53";
const char kSwgDescription[] =
    "Description : WARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful. Since "
    "fail open policy set, try connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0]. ";
const char kSwgMessage[] =
    "message=\"TCP handshake to SWG Proxy URL was not successful. Since fail open policy set, try "
    "connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0].\" fail_open=1 cmode=1 tmode=0";

std::vector<ParserCase> Cases() {
  return {
      {"plugin_checking_443",
       "csccumbrellaplugin",
       "2024-08-27 03:07:43 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: checking "
       "reachability of primary OpenDNS resolver candidates using port 443 (candidates are "
       "208.67.222.222, 208.67.220.220) \n",
       {"L1 2024-08-27T03:07:43 level=DEBUG thread=12 pid=8880 component=\"Dns Protection IPv4 "
        "State Machine\" message=\"checking reachability of primary OpenDNS resolver candidates "
        "using port 443 (candidates are 208.67.222.222, 208.67.220.220)\" family=ipv4 port=443 "
        "candidates=\"208.67.222.222, 208.67.220.220\""}},
      {"plugin_probing_53",
       "csccumbrellaplugin",
       "2024-08-27 03:07:48 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: probing for "
       "OpenDNS resolvers at addresses 208.67.222.222, 208.67.220.220, port 53 ",
       {"L1 2024-08-27T03:07:48 level=DEBUG thread=12 pid=8880 component=\"Dns Protection IPv4 "
        "State Machine\" message=\"probing for OpenDNS resolvers at addresses 208.67.222.222, "
        "208.67.220.220, port 53\" family=ipv4 port=53 candidates=\"208.67.222.222, 208.67.220.220\""}},
      {"plugin_ipv6_rejected_443",
       "csccumbrellaplugin",
       "2024-08-27 03:07:43 [8880] [DEBUG] < 13> Dns Protection IPv6 State Machine: rejected all "
       "candidate resolvers for port 443 ",
       {"L1 2024-08-27T03:07:43 level=DEBUG thread=13 pid=8880 component=\"Dns Protection IPv6 "
        "State Machine\" message=\"rejected all candidate resolvers for port 443\" family=ipv6 "
        "port=443"}},
      {"plugin_no_trailing_newline", "csccumbrellaplugin", kRejected53, {kRejected53Dump}},
      // Lines of one minute share its parsed start; the seconds are still read and checked on
      // each line (60 is a leap second, 61 and "5x" are not times), and a new minute is parsed.
      {"plugin_seconds_within_a_minute",
       "csccumbrellaplugin",
       "2024-08-27 03:07:58 [1] [INFO] <1> C: a\n2024-08-27 03:07:59 [1] [INFO] <1> C: b\n"
       "2024-08-27 03:07:60 [1] [INFO] <1> C: c\n2024-08-27 03:07:61 [1] [INFO] <1> C: d\n"
       "2024-08-27 03:07:5x [1] [INFO] <1> C: e\n2024-08-27 03:08:00 [1] [INFO] <1> C: f\n"
       "2024-08-27 03:07:01 [1] [INFO] <1> C: g\n",
       {"L1 2024-08-27T03:07:58 level=INFO thread=1 pid=1 component=C message=\"a\"",
        "L2 2024-08-27T03:07:59 level=INFO thread=1 pid=1 component=C message=\"b\"",
        "L3 2024-08-27T03:07:60 level=INFO thread=1 pid=1 component=C message=\"c\"", "unparsed L4", "unparsed L5",
        "L6 2024-08-27T03:08:00 level=INFO thread=1 pid=1 component=C message=\"f\"",
        "L7 2024-08-27T03:07:01 level=INFO thread=1 pid=1 component=C message=\"g\""}},
      // A component and no message: no family is read from it (only a "Component: message" has
      // one); a component without the address family has none either.
      {"plugin_component_only_and_no_family",
       "csccumbrellaplugin",
       "2024-08-27 03:07:43 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine:\n"
       "2024-08-27 03:07:44 [8880] [INFO] < 12> Proxy Ipv Helper: port 443 open\n",
       {"L1 2024-08-27T03:07:43 level=DEBUG thread=12 pid=8880 component=\"Dns Protection IPv4 State Machine\"",
        "L2 2024-08-27T03:07:44 level=INFO thread=12 pid=8880 component=\"Proxy Ipv Helper\" message=\"port 443 "
        "open\" port=443"}},
      {"plugin_crlf_and_mixed",
       "csccumbrellaplugin",
       std::string(kRejected53) + "\r\n" + kRejected53 + "\n" + kRejected53 + "\r",
       {kRejected53Dump, std::string(kRejected53Dump).replace(0, 2, "L2"),
        std::string(kRejected53Dump).replace(0, 2, "L3")}},
      {"plugin_other_levels_and_millis",
       "csccumbrellaplugin",
       "2024-08-27 03:07:53.123 [8880] [ERROR] <1> Umbrella Plugin: registration failed\n"
       "2024-08-27 03:07:54 [8880] [WARN] Umbrella Plugin: no thread field\n",
       {"L1 2024-08-27T03:07:53.123 level=ERROR thread=1 pid=8880 component=\"Umbrella Plugin\" "
        "message=\"registration failed\"",
        "L2 2024-08-27T03:07:54 level=WARN pid=8880 component=\"Umbrella Plugin\" message=\"no "
        "thread field\""}},
      {"plugin_junk_lines_are_counted",
       "csccumbrellaplugin",
       std::string("garbage line\n\n   \n") + kRejected53 + "\n2024-13-45 99:99:99 [1] [X] bad date\n",
       {"unparsed L1", std::string(kRejected53Dump).replace(0, 2, "L4"), "unparsed L5"}},
      {"plugin_nul_and_invalid_bytes",
       "csccumbrellaplugin",
       // Trailing NUL padding is trimmed like spaces; a line of binary junk is one diagnostic.
       std::string("\0\xff\xfe junk\n", 9) + kRejected53 + std::string("\0\0", 2),
       {"unparsed L1", std::string(kRejected53Dump).replace(0, 2, "L2")}},
      {"eventlog_classic_verbatim",
       "umbrella-eventlog",
       std::string("Date : 08/27/2024 \nTime : 06:41:22 \nType : Warning \nSource : csc_swgagent \n \n") +
           kSwgDescription + "\n",
       {std::string("L6 2024-08-27T06:41:22 level=WARN thread=27cc source=csc_swgagent ") + kSwgMessage}},
      {"eventlog_tabs_crlf_and_separators",
       "umbrella-eventlog",
       std::string("**********\r\nDate\t:\t08/27/2024\r\nTime\t\t: 06:41:22\r\nType:Warning\r\n"
                   "Source     :    csc_swgagent\r\n") +
           kSwgDescription +
           "\r\n**********\r\nDate : 08/27/2024\r\nTime : 06:42:00\r\nType : Information\r\n"
           "Source : csc_dnsagent\r\nDescription : INFO | Thread 1a | DNS agent started\r\n"
           "==========\r\n",
       {std::string("L6 2024-08-27T06:41:22 level=WARN thread=27cc source=csc_swgagent ") + kSwgMessage,
        "L12 2024-08-27T06:42:00 level=INFO thread=1a source=csc_dnsagent message=\"DNS agent started\""}},
      {"eventlog_multiline_description_and_no_separator",
       "umbrella-eventlog",
       "Date : 27/08/2024\nTime : 6:41:22 PM\nType : Error\nSource : csc_swgagent\n"
       "Description : ERROR | Thread 27cc | first part\n  second part\n\nthird part\n"
       "Date : 08/28/2024\nTime : 00:00:01\nType : Information\nSource : csc_swgagent\n"
       "Description : plain description without level\n",
       {"L5 2024-08-27T18:41:22 level=ERROR thread=27cc source=csc_swgagent message=\"first part "
        "second part third part\"",
        "L13 2024-08-28T00:00:01 level=Information source=csc_swgagent message=\"plain description "
        "without level\""}},
      {"eventlog_wevtutil",
       "umbrella-eventlog",
       "Event[0]:\n  Log Name: Cisco Secure Client - Umbrella\n  Source: csc_swgagent\n"
       "  Date: 2024-08-27T06:41:22.5120000Z\n  Event ID: 0\n  Task: N/A\n  Level: Warning\n"
       "  Opcode: Info\n  Keyword: Classic\n  User: N/A\n  User Name: N/A\n  Computer: PC\n"
       "  Description: \nWARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful. "
       "Since fail open policy set, try connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0]. \n"
       "\nEvent[1]:\n  Log Name: Cisco Secure Client - Umbrella\n  Source: csc_dnsagent\n"
       "  Date: 2024-08-27T06:42:00.0000000Z\n  Event ID: 7\n  Level: Information\n"
       "  Description: \nDNS agent started\nsecond line\n",
       {std::string("L14 2024-08-27T06:41:22.5120000Z level=WARN thread=27cc source=csc_swgagent event_id=0 ") +
            kSwgMessage,
        "L23 2024-08-27T06:42:00.0000000Z level=Information source=csc_dnsagent event_id=7 "
        "message=\"DNS agent started second line\""}},
      {"eventlog_truncated_last_record",
       "umbrella-eventlog",
       std::string("Date : 08/27/2024\nTime : 06:41:22\nType : Warning\nSource : csc_swgagent\n") + kSwgDescription +
           "\nDate : 08/27/2024\nTime : 06:42:",
       {std::string("L5 2024-08-27T06:41:22 level=WARN thread=27cc source=csc_swgagent ") + kSwgMessage,
        "L6 2024-08-27"}},
      {"eventlog_date_values_with_time_become_iso",
       "umbrella-eventlog",
       "Date : 08/27/2024 06:41:22\nDescription : a\nDate : 2024-08-27 06:42:22.5\nDescription : b\n"
       "Date : 8/27/2024 6:43:01 PM\nDescription : c\nDate : 2024-08-27T06:44:00+02:00\nDescription : d\n",
       {"L2 2024-08-27T06:41:22 message=\"a\"", "L4 2024-08-27T06:42:22.5 message=\"b\"",
        "L6 2024-08-27T18:43:01 message=\"c\"", "L8 2024-08-27T06:44:00+02:00 message=\"d\""}},
      {"eventlog_single_digit_values_are_padded",
       "umbrella-eventlog",
       "Date : 1/2/2003\nTime : 4:05:06 AM\nDescription : a\nDate : 3/4/2005\nDescription : b\n"
       "Date : 2009-10-11 0:0:0\nDescription : c\n",
       {"L3 2003-01-02T04:05:06 message=\"a\"", "L5 2005-03-04 message=\"b\"", "L7 2009-10-11T00:00:00 message=\"c\""}},
      {"eventlog_junk_before_records",
       "umbrella-eventlog",
       std::string("Exported by some tool\nDate : 08/27/2024\nTime : 06:41:22\nType : Warning\n") +
           "Source : csc_swgagent\n" + kSwgDescription,
       {"unparsed L1",
        std::string("L6 2024-08-27T06:41:22 level=WARN thread=27cc source=csc_swgagent ") + kSwgMessage}},
  };
}

class ParserTable : public ::testing::TestWithParam<ParserCase> {};

TEST_P(ParserTable, DumpsMatch) {
  const ParserCase& c = GetParam();
  EXPECT_EQ(ParseToDumps(c.log, c.text), c.dumps);
}

// A kept event (OwnedEvent: one buffer, the fields as places in it) says what the parsed event
// said, field by field, whether made afresh, copied, or assigned over a kept event of another line.
class KeepingSink final : public EventSink {
 public:
  // Kept events made before the event filled any field (the port and candidates of a plugin line
  // are filled when asked), after it filled one, by Assign over another kept event, and copies of
  // them made before and after they filled their own: each must say what the event says.
  void OnEvent(const Event& event) override {
    const OwnedEvent fresh = OwnedEvent::From(event, 3, ++seq_);
    reused_.Assign(event, 3, seq_);
    const OwnedEvent copied_unfilled = fresh;
    (void)event.Get(FieldId::kPort);
    const OwnedEvent partly = OwnedEvent::From(event, 3, seq_);
    for (const OwnedEvent* kept : {&fresh, static_cast<const OwnedEvent*>(&reused_), &copied_unfilled, &partly}) {
      Check(*kept, event);
      const OwnedEvent copy = *kept;  // places, not pointers: a copy reads its own buffer
      Check(copy, event);
      assigned_ = *kept;  // over the previous line's kept events, with and without filled fields
      Check(assigned_, event);
    }
    OwnedEvent emptied = partly;
    const OwnedEvent empty;
    emptied = empty;
    for (size_t f = 0; f < kFieldCount; ++f) EXPECT_EQ(emptied.Get(static_cast<FieldId>(f)), "");
    EXPECT_EQ(emptied.raw(), "");
  }
  void OnUnparsed(uint64_t, std::string_view) override {}
  uint64_t seq_ = 0;

 private:
  void Check(const OwnedEvent& e, const Event& event) const {
    EXPECT_EQ(e.raw(), event.raw);
    EXPECT_EQ(e.time(), event.time);
    EXPECT_EQ(e.line, event.line);
    EXPECT_EQ(e.sort_time, event.sort_time);
    EXPECT_EQ(e.seq, seq_);
    EXPECT_EQ(e.file, 3u);
    for (size_t f = kFieldCount; f-- > 0;) {  // the typed fields first, before what they are made from
      EXPECT_EQ(e.Get(static_cast<FieldId>(f)), event.Get(static_cast<FieldId>(f)))
          << FieldName(static_cast<FieldId>(f));
    }
  }
  OwnedEvent reused_;
  OwnedEvent assigned_;
};

TEST_P(ParserTable, KeptEventsSayWhatTheEventSaid) {
  const ParserCase& c = GetParam();
  KeepingSink sink;
  ParseText(*LogTypeById(c.log), c.text, sink);
  EXPECT_EQ(sink.seq_, static_cast<uint64_t>(std::count_if(c.dumps.begin(), c.dumps.end(), [](const std::string& d) {
              return !d.starts_with("unparsed");
            })));
}

// The sort time of plugin lines (not in Dump): the seconds of a shared minute added to it, a leap
// second as the next minute's first, a minute going back parsed afresh.
TEST(PluginParser, SortTimesWithinAndAcrossMinutes) {
  class Times final : public EventSink {
   public:
    void OnEvent(const Event& event) override { times.push_back(event.sort_time); }
    void OnUnparsed(uint64_t, std::string_view) override { times.push_back(-1); }
    std::vector<int64_t> times;
  } sink;
  ParseText(*LogTypeById("csccumbrellaplugin"),
            "2024-08-27 03:07:58 [1] [INFO] <1> C: a\n2024-08-27 03:07:59.5 [1] [INFO] <1> C: b\n"
            "2024-08-27 03:07:60 [1] [INFO] <1> C: c\n2024-08-27 03:07:61 [1] [INFO] <1> C: d\n"
            "2024-08-27 03:08:00 [1] [INFO] <1> C: e\n2024-08-27 03:07:01 [1] [INFO] <1> C: f\n"
            "2024-08-28 03:07:01 [1] [INFO] <1> C: g\n",
            sink);
  const int64_t minute = CivilToSeconds(2024, 8, 27, 3, 7, 0);
  EXPECT_EQ(sink.times,
            (std::vector<int64_t>{minute + 58, minute + 59, minute + 60, -1, minute + 60, minute + 1, minute + 86401}));
}

INSTANTIATE_TEST_SUITE_P(Parsers, ParserTable, ::testing::ValuesIn(Cases()),
                         [](const auto& test) { return std::string(test.param.name); });

// The plugin header is read in one pass when it has the client's shape and by the general
// bracket reader otherwise; both must give the same fields. Every header below is parsed as written
// and with a tab put before it, which the one-pass reader refuses and the general one skips.
TEST(PluginParser, UsualAndGeneralHeaderReadingsAgree) {
  const std::vector<std::string> pids = {"[8880]", "[]", "[ 88 ]", "[8a]", "[88", "8880]"};
  const std::vector<std::string> levels = {"[DEBUG]", "[INFO]", "[warn]", "[De]", "[]", "[ERROR ]", "[W-1]", "[INFO"};
  const std::vector<std::string> threads = {"< 12>", "<12>", "<   5>", "<>", "< 1 >", "<1a>", "< 12", "", "<\t7>"};
  const std::vector<std::string> gaps = {" ", "", "  ", "\t"};
  const std::vector<std::string> tails = {" Dns Protection IPv4 State Machine: probing port 53", " A: b", "", ":", " "};
  size_t compared = 0, parsed = 0;
  for (const auto& pid : pids) {
    for (const auto& level : levels) {
      for (const auto& thread : threads) {
        for (const auto& gap : gaps) {
          for (const auto& tail : tails) {
            const std::string header = " " + pid + gap + level + gap + thread + tail;
            const std::string time = "2024-08-27 03:07:53";
            const auto usual = ParseToDumps("csccumbrellaplugin", time + header + "\n");
            const auto general = ParseToDumps("csccumbrellaplugin", time + "\t" + header + "\n");
            ASSERT_EQ(usual.size(), 1u);
            ASSERT_EQ(general.size(), 1u);
            EXPECT_EQ(usual[0], general[0]) << header;  // fields, or "unparsed L1" for both
            parsed += usual[0].rfind("unparsed", 0) != 0;
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, pids.size() * levels.size() * threads.size() * gaps.size() * tails.size());
  EXPECT_GT(parsed, compared / 4);
}

// The parser reads a line without its trailing spaces (the fields end where the text does):
// spaces, tabs and NULs after any shape of record change nothing but the raw text.
TEST(PluginParser, TrailingSpacesChangeNoField) {
  const std::vector<std::string> bodies = {
      "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: probing port 53",
      "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Comp:",
      "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Comp: ",
      "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Comp:  a  b",
      "2024-08-27 03:07:53 [8880] [DEBUG] < 12> no component here",
      "2024-08-27 03:07:53 [8880] [DEBUG] < 12>",
      "2024-08-27 03:07:53 [8880] [DEBUG] <",
      "2024-08-27 03:07:53 [8880] [DEBUG]",
      "2024-08-27 03:07:53 [8880] [DEBUG] <\t7> A: b:",
      "2024-08-27 03:07:53.123 [ 8 ]\t[INFO ] A: \tb",
      "2024-08-27 03:07:53,5",
      "2024-08-27 03:07:53",
      "2024-08-27 03:07:5",
      "",
  };
  const std::vector<std::string> tails = {" ", "\t", " \t\v\f ", std::string("\0\0 ", 3), "  \t"};
  for (const auto& body : bodies) {
    const auto plain = ParseToDumps("csccumbrellaplugin", body + "\n");
    for (const auto& tail : tails) {
      EXPECT_EQ(ParseToDumps("csccumbrellaplugin", body + tail + "\n"), plain) << body;
    }
  }
  const auto dumps = ParseToDumps("csccumbrellaplugin", bodies[3] + " \t\n");
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_NE(dumps[0].find("component=Comp message=\"a  b\""), std::string::npos) << dumps[0];
}

// The plugin parser hands every line the same Event: no field of one line (set, or filled when a
// sink asked for it) reaches the next, whatever the shapes of the two lines.
TEST(PluginParser, NoFieldOfOneLineReachesTheNext) {
  const std::vector<std::string> lines = {
      kRejected53,
      "2024-08-27 03:07:54 [8880] [INFO] < 12> Dns Protection IPv6 State Machine: checking reachability of primary "
      "OpenDNS resolver candidates using port 443 (candidates are 2620:119:35::35, 2620:119:53::53)",
      "2024-08-27 03:07:55 [8880] [WARN] < 3> Dns Protection IPv4: probing for OpenDNS resolvers at addresses "
      "208.67.222.222, 208.67.220.220, port 53",
      "2024-08-27 03:07:56\t[1]\t[ERROR]   no thread and no component, port 53",
      "2024-08-27 03:07:57 [1] [DEBUG] <7> Trailing colon:",
      "2024-08-27 03:07:58 [1] [DEBUG] < 8> : empty component",
      "2024-08-27 03:07:59 [8880] broken header after a valid time",
      "2024-08-27 03:08:00.123 [2] [INFO] <9> Swg Proxy: TCP handshake to SWG Proxy URL was not successful",
      "not a record at all",
      "",
  };
  for (const std::string& a : lines) {
    for (const std::string& b : lines) {
      const std::vector<std::string> alone = ParseToDumps("csccumbrellaplugin", b + "\n");
      const std::vector<std::string> after = ParseToDumps("csccumbrellaplugin", a + "\n" + b + "\n");
      ASSERT_LE(alone.size(), 1u);
      std::string expected = alone.empty() ? "" : alone[0];
      if (expected.starts_with("L1 ")) expected.replace(0, 3, "L2 ");
      if (expected == "unparsed L1") expected = "unparsed L2";
      const bool a_counts = !ParseToDumps("csccumbrellaplugin", a + "\n").empty();
      ASSERT_EQ(after.size(), alone.size() + (a_counts ? 1u : 0u)) << a << " | " << b;
      if (!alone.empty()) {
        EXPECT_EQ(after.back(), expected) << "after: " << a;
      }
    }
  }
}

// The family is the first "ipv4" or "ipv6" of the component in any case, and the port the digits
// after the first "port " not preceded by a letter.
// Compared with the byte-by-byte reading over random components and messages made of the bytes
// that matter ('i' and 'p' anywhere, runs of them, near misses such as "ipv5", "IPV 4", "sport 53"
// or "port x", bytes that become 'i' only when 0x20 is added to a wrong base such as 0xC9) at
// every length and offset.
TEST(PluginParser, FamilyAndPortAreReadAsTheByteByByteReadingReadsThem) {
  const auto family_of = [](std::string_view c) -> std::string_view {
    for (size_t i = 0; i + 4 <= c.size(); ++i) {
      if ((c[i] | 0x20) != 'i' || (c[i + 1] | 0x20) != 'p' || (c[i + 2] | 0x20) != 'v') continue;
      if (c[i + 3] == '4') return "ipv4";
      if (c[i + 3] == '6') return "ipv6";
    }
    return {};
  };
  const auto port_of = [](std::string_view m) -> std::string_view {
    for (size_t at = 0; at + 5 <= m.size(); ++at) {
      if (m.substr(at, 5) != "port ") continue;
      size_t end = at + 5;
      while (end < m.size() && m[end] >= '0' && m[end] <= '9') ++end;
      const bool letter_before = at > 0 && std::isalpha(static_cast<unsigned char>(m[at - 1]));
      if (end > at + 5 && !letter_before) return m.substr(at + 5, end - at - 5);
    }
    return {};
  };
  static constexpr std::string_view kComponentPieces[] = {"i",   "I",   "p",   "P",    "v",    "V",    "4",
                                                          "6",   "5",   "x",   " ",    "\xC9", "\xE9", "\x89",
                                                          "ipv", "IPv", "iPV", "ipv4", "IPV6", "ipv5", "Dns"};
  static constexpr std::string_view kMessagePieces[] = {"p",      "P",    "port", "port ", "Port ",  "sport ",
                                                        "(port ", "53",   "443",  "x",     " ",      "\xF0",
                                                        "\xE9",   "\xD0", "o",    "rt ",   "using ", "probing "};
  std::mt19937 random(20261207);
  const auto compose = [&](std::span<const std::string_view> pieces) {
    std::string text;
    const size_t n = 1 + random() % 24;
    for (size_t k = 0; k < n; ++k) text += pieces[random() % pieces.size()];
    if (text.front() == ' ') text.insert(0, "Z");  // so that trimming leaves it whole
    if (text.back() == ' ') text += "Z";
    return text;
  };
  size_t families = 0, ports = 0;
  for (int round = 0; round < 6000; ++round) {
    const std::string component = compose(kComponentPieces);
    const std::string message = compose(kMessagePieces);
    if (message.find(": ") != std::string::npos) continue;
    const std::string line = "2024-08-27 03:07:53 [8880] [DEBUG] < 12> " + component + ": " + message;
    struct Sink final : EventSink {
      void OnEvent(const Event& event) override {
        for (FieldId id : {FieldId::kComponent, FieldId::kFamily, FieldId::kMessage, FieldId::kPort}) {
          fields.emplace_back(event.Get(id));
        }
      }
      void OnUnparsed(uint64_t, std::string_view) override {}
      std::vector<std::string> fields;
    } sink;
    ParseText(*LogTypeById("csccumbrellaplugin"), line + "\n", sink);
    ASSERT_EQ(sink.fields.size(), 4u) << line;
    ASSERT_EQ(sink.fields[0], component);
    ASSERT_EQ(sink.fields[2], message);
    EXPECT_EQ(sink.fields[1], family_of(component)) << component;
    EXPECT_EQ(sink.fields[3], port_of(message)) << message;
    families += !sink.fields[1].empty();
    ports += !sink.fields[3].empty();
  }
  // Many components and messages have one, and many have none.
  EXPECT_GT(families, 500u);
  EXPECT_LT(families, 5000u);
  EXPECT_GT(ports, 500u);
  EXPECT_LT(ports, 5000u);
}

// A kept plugin event holds its text only and reads its fields from that text again
// (Event::reparse). Text that is not a record, which no parser hands over, gives every field
// empty rather than a crash; another record's text gives that record's fields.
TEST(PluginParser, KeptEventsReadTheirFieldsFromTheirText) {
  struct Sink final : EventSink {
    void OnEvent(const Event& event) override {
      ASSERT_NE(event.reparse, nullptr);
      Event other = event;
      other.raw = "not a record: for port 53";
      const OwnedEvent garbage = OwnedEvent::From(other, 0, 1);
      EXPECT_EQ(garbage.raw(), other.raw);
      EXPECT_EQ(garbage.time(), event.time);
      for (size_t i = 0; i < kFieldCount; ++i) {
        EXPECT_EQ(garbage.Get(static_cast<FieldId>(i)), "") << FieldName(static_cast<FieldId>(i));
      }
      other.raw =
          "2024-08-27 03:07:59 [1] [INFO] <2> Dns Protection IPv6 State Machine: rejected all candidate resolvers "
          "for port 443";
      const OwnedEvent kept = OwnedEvent::From(other, 0, 2);
      EXPECT_EQ(kept.Get(FieldId::kFamily), "ipv6");
      EXPECT_EQ(kept.Get(FieldId::kPort), "443");
      EXPECT_EQ(kept.Get(FieldId::kLevel), "INFO");
      EXPECT_EQ(kept.Get(FieldId::kMessage), "rejected all candidate resolvers for port 443");
      EXPECT_EQ(kept.time(), event.time);  // the time is the event's, kept as it was
      ++events;
    }
    void OnUnparsed(uint64_t, std::string_view) override {}
    int events = 0;
  } sink;
  ParseText(*LogTypeById("csccumbrellaplugin"),
            "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: probing port 53\n", sink);
  EXPECT_EQ(sink.events, 1);
}

// A kept event's buffer is assigned again (the event store and the state models reuse them): an
// event that read its fields from its text leaves nothing of the one assigned before, whose
// fields were literals outside its text.
TEST(PluginParser, KeptEventAssignedAgainReadsOnlyItsOwnText) {
  struct Sink final : EventSink {
    void OnEvent(const Event& event) override {
      ASSERT_NE(event.reparse, nullptr);
      Event before;  // every field deferred, filled with a literal (as a parser's made-up value is)
      before.log = event.log;
      before.raw = "text of another event";
      before.time = "2024-08-27T03:07:00";
      before.Defer(static_cast<uint16_t>((1u << kFieldCount) - 1), [](const Event& e, FieldId) -> uint16_t {
        for (auto& field : e.fields) field = "LITERAL-OUTSIDE-THE-TEXT";
        return static_cast<uint16_t>((1u << kFieldCount) - 1);
      });
      OwnedEvent owned = OwnedEvent::From(before, 0, 1);
      for (size_t i = 0; i < kFieldCount; ++i) {
        EXPECT_EQ(owned.Get(static_cast<FieldId>(i)), "LITERAL-OUTSIDE-THE-TEXT");
      }
      owned.Assign(event, 0, 2);
      EXPECT_EQ(owned.Get(FieldId::kPid), "8880");
      EXPECT_EQ(owned.Get(FieldId::kLevel), "INFO");
      EXPECT_EQ(owned.Get(FieldId::kThread), "12");
      EXPECT_EQ(owned.Get(FieldId::kComponent), "Dns Protection IPv4 State Machine");
      EXPECT_EQ(owned.Get(FieldId::kMessage), "rejected all candidate resolvers for port 53");
      EXPECT_EQ(owned.Get(FieldId::kPort), "53");
      EXPECT_EQ(owned.Get(FieldId::kFamily), "ipv4");
      EXPECT_EQ(owned.time(), "2024-08-27T03:07:53");
      ++events;
    }
    void OnUnparsed(uint64_t, std::string_view) override {}
    int events = 0;
  } sink;
  ParseText(*LogTypeById("csccumbrellaplugin"),
            "2024-08-27 03:07:53 [8880] [INFO] < 12> Dns Protection IPv4 State Machine: rejected all candidate "
            "resolvers for port 53\n",
            sink);
  EXPECT_EQ(sink.events, 1);
}

TEST(TextUtil, SpacesAreTheFiveTheParsersTrim) {
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool expected = ch == ' ' || ch == '\t' || ch == '\0' || ch == '\v' || ch == '\f';
    EXPECT_EQ(IsSpace(ch), expected) << "byte " << c;
  }
  EXPECT_EQ(Trim(std::string_view(" \t\v\f\0x y\0\f\v\t ", 13)), "x y");
  EXPECT_EQ(Trim("\r x \n"), "\r x \n");  // line ends are the splitter's
  EXPECT_EQ(Trim(std::string_view("\xa0x\x85", 3)), "\xa0x\x85");
  EXPECT_EQ(Trim(" \t "), "");
}

TEST(LogTypes, ChosenByFileNameCaseInsensitively) {
  EXPECT_EQ(LogTypeByFileName("CSCCUMBRELLAPLUGIN.TXT"), LogTypeById("csccumbrellaplugin"));
  EXPECT_EQ(LogTypeByFileName("umbrella.txt"), LogTypeById("umbrella-eventlog"));
  EXPECT_FALSE(LogTypeByFileName("Umbrella.txt.bak"));
  EXPECT_FALSE(LogTypeByFileName("vpnagent.txt"));
}

TEST(LogTypes, ChosenByContentForOtherNames) {
  EXPECT_EQ(LogTypeByContent(std::string("junk\n") + kRejected53), LogTypeById("csccumbrellaplugin"));
  EXPECT_EQ(LogTypeByContent("Date : 08/27/2024\nTime : 06:41:22\n"), LogTypeById("umbrella-eventlog"));
  EXPECT_EQ(LogTypeByContent("Event[0]:\n  Log Name: x\n"), LogTypeById("umbrella-eventlog"));
  EXPECT_FALSE(LogTypeByContent("hello world\nnothing here\n"));
}

// Each log type's field list (rules lint checks {placeholders} against it) holds every field its
// parser fills, over every row of the parser table and every log of the testdata bundles.
TEST(LogTypes, FieldListsCoverWhatTheParsersFill) {
  class FieldSink final : public EventSink {
   public:
    explicit FieldSink(LogTypeId log) : log_(log) {}
    void OnEvent(const Event& event) override {
      const auto listed = GetLogType(log_).fields;
      for (size_t f = 0; f < kFieldCount; ++f) {
        const auto field = static_cast<FieldId>(f);
        if (event.Get(field).empty()) continue;
        ++filled;
        EXPECT_NE(std::find(listed.begin(), listed.end(), field), listed.end())
            << GetLogType(log_).id << " fills " << FieldName(field) << " in: " << Dump(event);
      }
    }
    void OnUnparsed(uint64_t, std::string_view) override {}
    size_t filled = 0;

   private:
    LogTypeId log_;
  };
  size_t filled = 0;
  for (const ParserCase& c : Cases()) {
    FieldSink sink(*LogTypeById(c.log));
    ParseText(*LogTypeById(c.log), c.text, sink);
    filled += sink.filled;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::TestData("bundles"))) {
    const auto log = LogTypeByFileName(entry.path().filename().string());
    if (!entry.is_regular_file() || !log) continue;
    FieldSink sink(*log);
    ParseText(*log, Decode(testing::ReadBytes(entry.path())).text, sink);
    filled += sink.filled;
  }
  EXPECT_GT(filled, 100u);
}

}  // namespace
}  // namespace dartdiag
