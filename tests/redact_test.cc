// Redaction (--redact, --redact-map): the detectors on a table of texts (what is replaced, what
// is kept), the map (consistency, learned values, file round trip, a bad file), and end to end a
// bundle and a capture full of personal data in every place a report shows: no original value
// survives in text, JSON, batch JSON Lines, CSV or text rows; verdicts, counts and exit codes are
// those of the run without --redact; the map translates the report back.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pcap/dlt.h>

#include "capture_builder.h"
#include "dartdiag/error.h"
#include "report/redact.h"
#include "test_support.h"

namespace dartdiag {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::DnsAnswer;
using testing::DnsQuery;
using testing::DnsResponse;
using testing::Ethernet;
using testing::Frame;
using testing::TempDir;
using testing::Udp;

struct RewriteCase {
  std::string text, expected;
};

TEST(Redact, DetectorsReplaceWhatIsPersonalAndKeepTheService) {
  const RewriteCase cases[] = {
      {R"(C:\Users\alice\AppData\Local\Temp\x.log)", R"(C:\Users\user-1\AppData\Local\Temp\x.log)"},
      {"/home/bob/dart/bundle.zip", "/home/user-1/dart/bundle.zip"},
      {"/Users/carol", "/Users/user-1"},
      {R"(C:\Users\John Smith\Desktop\DARTBundle_0827.zip)", R"(C:\Users\user-1\Desktop\DARTBundle_0827.zip)"},
      {R"(C:\Users\Public\Documents and C:\Users\Default\x)", R"(C:\Users\Public\Documents and C:\Users\Default\x)"},
      {"client 192.168.1.23 to 208.67.222.222 and 208.67.220.220", "client ip-1 to 208.67.222.222 and 208.67.220.220"},
      {"egress 203.0.113.9, proxy 10.0.0.5:8080", "egress public-ip-1, proxy ip-1:8080"},
      {"from fe80::1c2d:3e4f:5a6b:7c8d%12 via 2001:db8::5", "from ip6-1%12 via public-ip6-1"},
      {"resolvers 2620:119:35::35 and 2620:119:53::53", "resolvers 2620:119:35::35 and 2620:119:53::53"},
      {"mac 00:1A:2b:3c:4d:5e = 00-1a-2b-3c-4d-5e = 001a.2b3c.4d5e", "mac mac-1 = mac-1 = mac-1"},
      {"plugin started, version 5.1.4.74; v5.1.3.62", "plugin started, version 5.1.4.74; v5.1.3.62"},
      {"TXT debug.opendns.com via swg-url-proxy-https-sse.sigproxy.qq.opendns.com",
       "TXT debug.opendns.com via swg-url-proxy-https-sse.sigproxy.qq.opendns.com"},
      {"see docs.sse.cisco.com/sse-dns-guide and proxy.sig.umbrella.com:80",
       "see docs.sse.cisco.com/sse-dns-guide and proxy.sig.umbrella.com:80"},
      {"fileserver.corp.acme.com and acme.com", "host-1.domain-1.example and domain-2.example"},
      {"http://intranet.acme.local/wiki?x=1", "http://host-1.domain-1.example/wiki?x=1"},
      {"mail alice.smith@corp.acme.com or ALICE.SMITH@corp.acme.com",
       "mail email-1@domain-1.example or email-1@domain-1.example"},
      {"csccumbrellaplugin.txt Umbrella.txt System.Net.Sockets README.md vpnagent.exe",
       "csccumbrellaplugin.txt Umbrella.txt System.Net.Sockets README.md vpnagent.exe"},
      {"at 03:07:43.250 in CDnsProxy::Cache::Get, std::string",
       "at 03:07:43.250 in CDnsProxy::Cache::Get, std::string"},
      {"loopback 127.0.0.1 ::1 0.0.0.0 255.255.255.255 224.0.0.251",
       "loopback 127.0.0.1 ::1 0.0.0.0 255.255.255.255 224.0.0.251"},
      {"not addresses: 1.2.3.4.5 999.1.1.1 10.0.0", "not addresses: 1.2.3.4.5 999.1.1.1 10.0.0"},
      {"SWG egress 146.112.5.5 and 155.190.1.1", "SWG egress 146.112.5.5 and 155.190.1.1"},
      {"", ""},
  };
  for (const RewriteCase& c : cases) {
    Redactor redactor;
    EXPECT_EQ(redactor.Rewrite(c.text), c.expected) << c.text;
  }
}

TEST(Redact, SameValueSamePseudonymAndLearnedValuesEverywhere) {
  Redactor r;
  r.LearnFrom(R"(profile C:\Users\jsmith\AppData\Local\Cisco)");
  r.LearnHost("WKSTN-0042");
  EXPECT_EQ(r.Rewrite("jsmith logged on to wkstn-0042 (JSMITH); xjsmith and jsmithy stay"),
            "user-1 logged on to host-1 (user-1); xjsmith and jsmithy stay");
  // The host's FQDN shares the host's pseudonym.
  EXPECT_EQ(r.Rewrite("WKSTN-0042.corp.example-co.com"), "host-1.domain-1.example");
  EXPECT_EQ(r.Rewrite("10.1.1.1 10.1.1.2 10.1.1.1"), "ip-1 ip-2 ip-1");
  // A service name containing a learned word stays whole.
  r.LearnUser("debug");
  EXPECT_EQ(r.Rewrite("probe debug.opendns.com for debug"), "probe debug.opendns.com for user-2");
  // A short value is replaced where it was found, not as a word elsewhere.
  r.LearnFrom("/home/al/x");
  EXPECT_EQ(r.Rewrite("/home/al/x and al"), "/home/user-3/x and al");
}

TEST(Redact, DnsNamesInTheirPositionAreRedactedWhateverTheirTopLabel) {
  Redactor r;
  r.LearnDnsName("fileserver.acmecorp.intra");
  EXPECT_EQ(r.RewriteDnsName("fileserver.acmecorp.intra"), "host-1.domain-1.example");
  EXPECT_EQ(r.RewriteDnsName("wpad"), "host-2");
  EXPECT_EQ(r.RewriteDnsName("debug.opendns.com"), "debug.opendns.com");
  // Learned, it is found in free text too (".intra" is no top-level domain the detector knows).
  EXPECT_EQ(r.Rewrite("query A fileserver.acmecorp.intra."), "query A host-1.domain-1.example.");
  r.KeepName("swg-nlb-eu-west-2.elb.amazonaws.com");
  EXPECT_EQ(r.Rewrite("CNAME swg-nlb-eu-west-2.elb.amazonaws.com"), "CNAME swg-nlb-eu-west-2.elb.amazonaws.com");
}

TEST(Redact, MapRoundTripsThroughItsFileAndTranslatesBack) {
  TempDir dir;
  const std::string path = (dir.path() / "map.json").string();
  const std::string text =
      R"(C:\Users\alice\x: alice@acme.com from 10.2.3.4 and 2001:db8::7 on pc-7.acme.com mac 00:11:22:33:44:55)";
  std::string first;
  {
    Redactor r;
    r.Load(path);  // absent: an empty map
    r.LearnFrom(text);
    first = r.Rewrite(text);
    EXPECT_EQ(r.Restore(first), text);
    r.Save(path);
  }
  EXPECT_EQ(fs::status(path).permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  const json map = json::parse(testing::ReadBytes(path));
  EXPECT_EQ(map["format"], "dartdiag-redaction-map");
  EXPECT_GE(map["entries"].size(), 6u);
  Redactor again;
  again.Load(path);
  EXPECT_EQ(again.Rewrite(text), first);
  EXPECT_EQ(again.Rewrite("alice wrote"), "user-1 wrote");  // learned from a path, kept as learned
  EXPECT_EQ(again.Rewrite("10.9.9.9"), "ip-2");             // numbering goes on
  EXPECT_EQ(again.Restore(first), text);
}

TEST(Redact, BadMapFilesAreUsageErrors) {
  TempDir dir;
  for (const std::string& content :
       {std::string("not json"), std::string("[]"), std::string(R"({"entries": []})"),
        std::string(R"({"format": "dartdiag-redaction-map", "entries": [{"kind": "host"}]})"),
        std::string(R"({"format": "dartdiag-redaction-map", "entries": )"
                    R"([{"kind": "host", "original": "a", "pseudonym": "user-1"}]})")}) {
    const fs::path path = dir.Write("map.json", content);
    Redactor r;
    try {
      r.Load(path.string());
      ADD_FAILURE() << "accepted: " << content;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kUsage) << content;
    }
  }
}

// --- End to end -------------------------------------------------------------------------------

// Values that must not survive in any redacted output (compared without case).
const std::vector<std::string> kPersonal = {"jsmith-acme",  "alice.cooper",  "acme-widgets",      "wkstn-acme-0042",
                                            "10.20.30.40",  "198.51.100.77", "3c:22:fb:11:22:33", "fe80::3e22",
                                            "192.168.77.1", "fileserver",    "acmecorp",          "jdoe-personal",
                                            "bob.marley",   "intranet.acme"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void ExpectNoPersonalData(const std::string& output, const std::string& what) {
  const std::string lower = Lower(output);
  for (const std::string& value : kPersonal) {
    EXPECT_EQ(lower.find(value), std::string::npos) << what << " still holds " << value << ":\n" << output;
  }
}

std::string PluginLog() {
  std::string log = testing::ReadBytes(
      testing::TestData("bundles/dns-ipv4-unprotected/Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"));
  log +=
      "2024-08-27 03:08:00 [8880] [WARN] < 12> Umbrella Plugin: profile C:\\Users\\jsmith-acme\\AppData\\Local\\Cisco\\"
      "orginfo.json owned by jsmith-acme is not readable \n"
      "2024-08-27 03:08:01 [8880] [ERROR] < 12> Umbrella Plugin: sync for alice.cooper@acme-widgets.com on "
      "WKSTN-ACME-0042.corp.acme-widgets.com failed via proxy 10.20.30.40 from 198.51.100.77 adapter "
      "3c:22:fb:11:22:33 fe80::3e22:fbff:fe11:2233 \n"
      "garbage line from bob.marley@acme-widgets.com on WKSTN-ACME-0042\n";
  return log;
}

std::string EventLog() {
  return "Event[0]:\n"
         "  Log Name: Cisco Secure Client - Umbrella\n"
         "  Source: csc_swgagent\n"
         "  Date: 2024-08-27T03:07:50.0000000Z\n"
         "  Event ID: 0\n"
         "  Level: Warning\n"
         "  User: ACMECORP\\jsmith-acme\n"
         "  Computer: WKSTN-ACME-0042\n"
         "  Description: \n"
         "WARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful. Since fail open policy set, try "
         "connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0]. Client WKSTN-ACME-0042 at 10.20.30.40.\n"
         "\n"
         "Event[1]:\n"
         "  Log Name: Cisco Secure Client - Umbrella\n"
         "  Source: csc_umbrellaagent\n"
         "  Date: 2024-08-27T03:07:55.0000000Z\n"
         "  Event ID: 0\n"
         "  Level: Error\n"
         "  User: ACMECORP\\jsmith-acme\n"
         "  Computer: WKSTN-ACME-0042\n"
         "  Description: \n"
         "ERROR | Thread 27cc | Registration of WKSTN-ACME-0042 for ACMECORP failed: see "
         "C:\\Users\\jsmith-acme\\Desktop\\log.txt\n";
}

std::string Bundle(const std::string& note = "") {
  std::vector<testing::ZipEntry> entries = {
      {"Cisco Secure Client/Umbrella/csccumbrellaplugin.txt", PluginLog()},
      {"Cisco Secure Client/Umbrella/Umbrella.txt", EventLog()},
      {"Users/jsmith-acme/Desktop/notes-WKSTN-ACME-0042.txt", "personal notes\n"},
  };
  if (!note.empty()) entries.push_back({"note.txt", note});
  return testing::MakeZip(entries);
}

// Probes that go unanswered from the client, a query for a customer name to the resolver, the
// local resolver resolving the SWG proxy name, and SYNs to the proxy that nobody answers.
std::string Capture() {
  constexpr const char* kClient = "10.20.30.40";
  constexpr const char* kLocal = "192.168.77.1";
  constexpr const char* kSwg = "18.135.112.200";
  std::vector<Frame> frames;
  double t = 0;
  uint16_t id = 0x2000;
  for (uint16_t port : {uint16_t{443}, uint16_t{53}}) {
    for (const char* resolver : {"208.67.222.222", "208.67.220.220"}) {
      for (int i = 0; i < 3; ++i) {
        frames.push_back({t + i, Ethernet(Udp(kClient, resolver, 50000, port, DnsQuery(id, "debug.opendns.com", 16)))});
      }
      frames.push_back(
          {t + 0.5, Ethernet(Udp(kClient, resolver, 50001, port, DnsQuery(id + 100, "fileserver.acmecorp.lan", 1)))});
      t += 3;
      ++id;
    }
  }
  const std::string proxy = "swg-url-proxy-https-sse.sigproxy.qq.opendns.com";
  frames.push_back({t, Ethernet(Udp(kClient, kLocal, 53000, 53, DnsQuery(0x4242, proxy, 1)))});
  frames.push_back({t + 0.01, Ethernet(Udp(kLocal, kClient, 53, 53000,
                                           DnsResponse(0x4242, proxy, 1, {DnsAnswer{proxy, "A", kSwg}})))});
  for (int i = 0; i < 3; ++i) {
    frames.push_back({t + 1 + i, Ethernet(testing::Tcp(kClient, kSwg, 51000, 443, 0x02, 7777))});
  }
  return testing::WritePcap(DLT_EN10MB, frames);
}

// The parts of a JSON report that are verdicts and counts, not texts.
json Verdicts(const json& report) {
  json out = json::array();
  for (const json& v : report["verdicts"]) {
    out.push_back({v["rule"], v["severity"], v["count"], v["at_end"], v["evidence_total"], v["family"],
                   v["evidence"].size(), v.value("first_seen", json()), v.value("last_seen", json())});
  }
  if (report.contains("capture") && report["capture"].is_object()) {
    for (const json& f : report["capture"].value("findings", json::array())) {
      out.push_back({f["check"], f["verdict"], f.value("severity", json()), f["evidence"].size()});
    }
  }
  out.push_back({report["files"].size(), report["other_entries"].size(), report["diagnostics"].size(),
                 report["unexplained_warnings"]["templates"].size()});
  return out;
}

class RedactEndToEnd : public ::testing::Test {
 protected:
  RedactEndToEnd() {
    folder_ = dir_.path() / "home" / "jdoe-personal" / "tickets";
    fs::create_directories(folder_);
    bundle_ = (folder_ / "case-WKSTN-ACME-0042.zip").string();
    capture_ = (folder_ / "WKSTN-ACME-0042.pcap").string();
    std::ofstream(bundle_, std::ios::binary) << Bundle();
    std::ofstream(capture_, std::ios::binary) << Capture();
    map_ = (dir_.path() / "map.json").string();
  }
  TempDir dir_;
  fs::path folder_;
  std::string bundle_, capture_, map_;
};

TEST_F(RedactEndToEnd, NoPersonalValueSurvivesAndVerdictsStay) {
  const testing::CliRun plain = testing::Run({"-f", "json", bundle_, capture_});
  ASSERT_FALSE(plain.out.empty()) << plain.err;
  // The fixture does hold the data (else the test proves nothing).
  for (const char* value : {"jsmith-acme", "acme-widgets", "10.20.30.40", "fileserver", "jdoe-personal"}) {
    EXPECT_NE(Lower(plain.out).find(value), std::string::npos) << value;
  }
  const testing::CliRun redacted = testing::Run({"-f", "json", "--redact", "--redact-map", map_, bundle_, capture_});
  EXPECT_EQ(redacted.code, plain.code);
  ExpectNoPersonalData(redacted.out, "json");
  const json a = json::parse(plain.out), b = json::parse(redacted.out);
  EXPECT_FALSE(a["verdicts"].empty());
  EXPECT_EQ(Verdicts(a), Verdicts(b));
  EXPECT_EQ(a["input"]["sha256"], b["input"]["sha256"]);  // not personal: kept
  // The service stays for the firewall team.
  for (const char* kept : {"208.67.222.222", "18.135.112.200", "debug.opendns.com"}) {
    EXPECT_NE(redacted.out.find(kept), std::string::npos) << kept;
  }
  // The map is not in the report, and it translates the report back.
  const std::string map_text = testing::ReadBytes(map_);
  EXPECT_EQ(redacted.out.find("dartdiag-redaction-map"), std::string::npos);
  // (Except a warning template's text: numbers were masked in it before it was redacted, so
  // "WKSTN-ACME-<n>" became the host's pseudonym and comes back as the whole name.)
  Redactor map;
  map.Load(map_);
  json restored = json::parse(map.Restore(redacted.out)), original = a;
  for (json* j : {&restored, &original}) {
    for (json& t : (*j)["unexplained_warnings"]["templates"]) t.erase("template");
  }
  EXPECT_EQ(restored, original);

  for (const std::vector<std::string>& flags : {std::vector<std::string>{"-f", "text"},
                                                {"-f", "text", "--explain"},
                                                {"-f", "text", "--brief"},
                                                {"-f", "json", "--explain"}}) {
    std::vector<std::string> args = flags;
    args.insert(args.end(), {"--redact-map", map_, bundle_, capture_});
    const testing::CliRun run = testing::Run(args);
    std::vector<std::string> plain_args = flags;
    plain_args.insert(plain_args.end(), {bundle_, capture_});
    EXPECT_EQ(run.code, testing::Run(plain_args).code) << fmt::format("{}", fmt::join(flags, " "));
    ExpectNoPersonalData(run.out, fmt::format("{}", fmt::join(flags, " ")));
  }
  // Same map, same pseudonyms: the second run reads and extends the first's map.
  EXPECT_EQ(testing::Run({"-f", "json", "--redact-map", map_, bundle_, capture_}).out, redacted.out);
}

TEST_F(RedactEndToEnd, PseudonymsAreConsistentAcrossTheReport) {
  const testing::CliRun run = testing::Run({"-f", "json", "--redact-map", map_, bundle_, capture_});
  Redactor map;
  map.Load(map_);
  std::string host;
  for (const Redactor::Entry& e : map.entries()) {
    if (e.kind == PseudonymKind::kHost && Lower(e.original) == "wkstn-acme-0042") host = e.pseudonym;
  }
  ASSERT_FALSE(host.empty());
  // The host appears in the input path, a member name, evidence and an unexplained example: all
  // under the one pseudonym.
  const json report = json::parse(run.out);
  EXPECT_NE(report["input"]["path"].get<std::string>().find(host), std::string::npos);
  bool in_member = false;
  for (const json& m : report["other_entries"])
    in_member |= m["path"].get<std::string>().find(host) != std::string::npos;
  EXPECT_TRUE(in_member);
  EXPECT_NE(run.out.find(host + ".domain-"), std::string::npos);  // its FQDN, under the same host pseudonym
}

TEST_F(RedactEndToEnd, BatchRowsAndCsvAreRedactedWithOneMap) {
  std::ofstream(folder_ / "second-WKSTN-ACME-0042.zip", std::ios::binary) << Bundle("second laptop");
  std::ofstream(folder_ / "copy.zip", std::ios::binary) << Bundle();  // a duplicate of the first
  const std::string folder = folder_.string();
  for (const std::string format : {"jsonl", "csv", "text"}) {
    const testing::CliRun plain = testing::Run({"batch", "--sort", "-j", "2", "-f", format, "-v", folder});
    const testing::CliRun redacted =
        testing::Run({"batch", "--sort", "-j", "2", "-f", format, "-v", "--redact-map", map_, folder});
    EXPECT_EQ(redacted.code, plain.code) << format;
    ExpectNoPersonalData(redacted.out, "batch " + format);
    ExpectNoPersonalData(redacted.err, "batch summary " + format);
    EXPECT_EQ(std::count(redacted.out.begin(), redacted.out.end(), '\n'),
              std::count(plain.out.begin(), plain.out.end(), '\n'))
        << format;
    if (format == "jsonl") {
      std::istringstream a(plain.out), b(redacted.out);
      std::string la, lb;
      size_t duplicates = 0;
      while (std::getline(a, la) && std::getline(b, lb)) {
        const json ja = json::parse(la), jb = json::parse(lb);
        EXPECT_EQ(ja["outcome"], jb["outcome"]);
        EXPECT_EQ(ja["exit_code"], jb["exit_code"]);
        EXPECT_EQ(Verdicts(ja), Verdicts(jb));
        if (!jb["duplicate_of"].is_null()) {
          ++duplicates;
          EXPECT_NE(jb["duplicate_of"].get<std::string>().find("user-"), std::string::npos);
        }
      }
      EXPECT_EQ(duplicates, 1u);
    }
  }
  // One map for the whole batch: the host of both bundles has one pseudonym.
  Redactor map;
  map.Load(map_);
  size_t hosts = 0;
  for (const Redactor::Entry& e : map.entries()) hosts += Lower(e.original) == "wkstn-acme-0042" ? 1 : 0;
  EXPECT_EQ(hosts, 1u);
}

// A duplicate whose file name holds a host name that only its original's analysis teaches the map:
// the worker that finds the duplicate finishes long before the original's analysis, so its names
// are redacted only when it is delivered. Several runs, since it is about timing.
TEST_F(RedactEndToEnd, ADuplicateIsRedactedWithWhatItsOriginalTaught) {
  const fs::path dups = dir_.path() / "dups";
  fs::create_directories(dups);
  std::ofstream(dups / "a-first.zip", std::ios::binary) << Bundle();
  std::ofstream(dups / "zz-WKSTN-ACME-0042.zip", std::ios::binary) << Bundle();
  for (int run = 0; run < 8; ++run) {
    const testing::CliRun redacted =
        testing::Run({"batch", "--sort", "-j", "2", "-f", "jsonl", "--redact", dups.string()});
    ASSERT_EQ(std::count(redacted.out.begin(), redacted.out.end(), '\n'), 2) << redacted.out << redacted.err;
    EXPECT_EQ(Lower(redacted.out).find("wkstn-acme-0042"), std::string::npos) << "run " << run << ":\n" << redacted.out;
    EXPECT_NE(redacted.out.find("\"duplicate_of\""), std::string::npos);
  }
}

TEST_F(RedactEndToEnd, ABadMapStopsBeforeAnyReport) {
  std::ofstream(map_) << "{not a map";
  const testing::CliRun run = testing::Run({"--redact-map", map_, bundle_});
  EXPECT_EQ(run.code, 3);
  EXPECT_TRUE(run.out.empty());
  EXPECT_EQ(testing::ReadBytes(map_), "{not a map");
  EXPECT_EQ(testing::Run({"batch", "--redact-map", map_, folder_.string()}).code, 3);
}

}  // namespace
}  // namespace dartdiag
