// Hostile input, generated at test time: zip bombs (by ratio, by declared size, by nesting),
// too many entries, a 50 MB line, odd UTF-16, and archive oddities. Each asserts the exit code,
// the message and, where one applies, the cap that fired. Time is bounded by the CTest TIMEOUT
// of this binary's tests, not by assertions.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <functional>

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "raw_zip.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using nlohmann::json;
using testing::MakeRawZip;
using testing::MakeZip;
using testing::RawEntry;
using testing::TempDir;
using testing::TestData;

const char kRejected53[] =
    "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all "
    "candidate resolvers for port 53\n";

struct Outcome {
  int code;
  json report;
  std::string err;
};

Outcome Analyse(const TempDir& dir, const std::string& name, const std::string& bytes,
                std::vector<std::string> extra = {}) {
  const auto file = dir.Write(name, bytes);
  extra.insert(extra.begin(), {"--format", "json"});
  extra.push_back(file.string());
  const auto run = testing::Run(extra);
  Outcome out{run.code, json(), run.err};
  if (!run.out.empty()) out.report = json::parse(run.out);
  return out;
}

std::vector<std::string> Rules(const json& report) {
  std::vector<std::string> ids;
  for (const json& v : report["verdicts"]) ids.push_back(v["rule"]);
  return ids;
}

std::vector<std::string> DiagnosticCodes(const json& report) {
  std::vector<std::string> codes;
  for (const json& d : report["diagnostics"]) codes.push_back(d["code"]);
  return codes;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A zip whose one entry is `size` zero bytes, deflated, produced without holding it in memory.
std::string ZerosZip(const std::string& name, uint64_t size) {
  struct Zeros {
    uint64_t size, pos = 0;
  };
  TempDir dir;
  const std::string path = (dir.path() / "zeros.zip").string();
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  auto* state = new Zeros{size};
  zip_source_t* source = zip_source_function(
      zip,
      [](void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) -> zip_int64_t {
        auto* z = static_cast<Zeros*>(user);
        switch (cmd) {
          case ZIP_SOURCE_OPEN: z->pos = 0; return 0;
          case ZIP_SOURCE_READ: {
            const zip_uint64_t n = std::min<zip_uint64_t>(len, z->size - z->pos);
            std::memset(data, 0, n);
            z->pos += n;
            return static_cast<zip_int64_t>(n);
          }
          case ZIP_SOURCE_CLOSE: return 0;
          case ZIP_SOURCE_STAT: {
            auto* st = static_cast<zip_stat_t*>(data);
            zip_stat_init(st);
            st->size = z->size;
            st->valid |= ZIP_STAT_SIZE;
            return sizeof(zip_stat_t);
          }
          case ZIP_SOURCE_FREE: delete z; return 0;
          case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                                  ZIP_SOURCE_FREE, ZIP_SOURCE_ERROR, -1);
          default: return 0;
        }
      },
      state);
  const zip_int64_t index = zip_file_add(zip, name.c_str(), source, 0);
  zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  EXPECT_EQ(zip_close(zip), 0);
  return testing::ReadBytes(path);
}

TEST(HostileInput, ZipBombByRatioStopsAtTheRatioCap) {
  TempDir dir;
  const std::string bomb = ZerosZip("Cisco Secure Client/Umbrella/Umbrella.txt", uint64_t{1} << 30);  // 1 GiB
  ASSERT_LT(bomb.size(), 2u << 20);  // ratio about 1000:1
  const Outcome out = Analyse(dir, "bomb.zip", bomb);
  EXPECT_EQ(out.code, 4) << out.err;  // the part before the cap was analysed
  ASSERT_EQ(out.report["integrity"].size(), 1u);
  EXPECT_EQ(out.report["integrity"][0]["cap"], "ratio");
  EXPECT_EQ(out.report["integrity"][0]["file"], "Cisco Secure Client/Umbrella/Umbrella.txt");
  EXPECT_EQ(out.report["integrity"][0]["message"],
            "ratio cap (200:1) reached in Cisco Secure Client/Umbrella/Umbrella.txt; raise it with --max-ratio N");
  EXPECT_EQ(out.err,
            "dartdiag: " + (dir.path() / "bomb.zip").string() +
                ": analysis incomplete: ratio cap (200:1) reached in Cisco Secure Client/Umbrella/Umbrella.txt; "
                "raise it with --max-ratio N\n");
}

TEST(HostileInput, EntryByteCapWhenRatioIsAllowed) {
  TempDir dir;
  const Outcome out = Analyse(dir, "big.zip", ZerosZip("Umbrella.txt", 64u << 20),
                              {"--max-ratio", "100000", "--max-entry-bytes", "8MiB"});
  EXPECT_EQ(out.code, 4);
  ASSERT_EQ(out.report["integrity"].size(), 1u);
  EXPECT_EQ(out.report["integrity"][0]["cap"], "entry-bytes");
  EXPECT_EQ(out.report["integrity"][0]["limit"], 8u << 20);
}

TEST(HostileInput, BombByDeclaredSizeIsNotTrusted) {
  TempDir dir;
  RawEntry entry{"Umbrella/csccumbrellaplugin.txt", kRejected53};
  entry.declared_size = 0xFFFFFFF0;  // claims 4 GiB
  const Outcome out = Analyse(dir, "declared.zip", MakeRawZip({entry}));
  // What actually came out (one line) is analysed; the size mismatch marks the log unreadable.
  EXPECT_EQ(out.code, 1) << out.err;
  EXPECT_EQ(Rules(out.report), std::vector<std::string>{"dns-unprotected"});
  EXPECT_EQ(out.report["files"][0]["error"],
            (dir.path() / "declared.zip").string() +
                ": entry 'Umbrella/csccumbrellaplugin.txt' is corrupt (zip archive inconsistent)");
  EXPECT_EQ(out.report["coverage"]["outcome"], "partial");
}

TEST(HostileInput, SelfSimilarNestedZipsStopAtTheDepthCap) {
  TempDir dir;
  std::string zip = MakeZip({{"csccumbrellaplugin.txt", kRejected53}});
  for (int level = 0; level < 12; ++level) zip = MakeZip({{"a.zip", zip}, {"b.zip", zip}});  // 4096 leaves
  const Outcome out = Analyse(dir, "quine.zip", zip);
  EXPECT_EQ(out.code, 2);
  EXPECT_EQ(out.report["integrity"].size(), 16u);  // 2+4+8 archives opened, their 16 children refused
  EXPECT_EQ(out.report["integrity"][0]["cap"], "depth");
  EXPECT_EQ(out.report["integrity"][0]["message"],
            "depth cap (3 levels) reached in a.zip!/a.zip!/a.zip!/a.zip (a zip this deep is not opened); raise it with "
            "--max-depth N");
}

TEST(HostileInput, HundredThousandEntriesStopAtTheEntryCap) {
  TempDir dir;
  std::vector<testing::ZipEntry> entries = {{"Umbrella/csccumbrellaplugin.txt", kRejected53}};
  for (int i = 0; i < 100000; ++i) entries.push_back({"junk/" + std::to_string(i), ""});
  const Outcome out = Analyse(dir, "many.zip", MakeZip(entries));
  EXPECT_EQ(out.code, 1);  // the verdict found in the examined entries still counts
  EXPECT_EQ(Rules(out.report), std::vector<std::string>{"dns-unprotected"});
  ASSERT_EQ(out.report["integrity"].size(), 1u);
  EXPECT_EQ(out.report["integrity"][0]["cap"], "entries");
  EXPECT_EQ(out.report["integrity"][0]["message"],
            "entries cap (50000 entries) reached in " + (dir.path() / "many.zip").string() +
                " (100001 entries; only the first 50000 were examined); raise it with --max-entries N");
  EXPECT_EQ(out.report["coverage"]["outcome"], "partial");
}

TEST(HostileInput, FiftyMegabyteLineIsCutAndCounted) {
  TempDir dir;
  const std::string text = std::string(50u << 20, 'A') + "\n" + kRejected53;
  const Outcome out = Analyse(dir, "csccumbrellaplugin.txt", text);
  EXPECT_EQ(out.code, 1);
  EXPECT_EQ(out.report["verdicts"][0]["evidence"][0]["line"], 2);
  EXPECT_TRUE(Contains(DiagnosticCodes(out.report), "line-cut"));
  EXPECT_NE(out.report["diagnostics"].dump().find("1 line(s) longer than the 1048576 byte cap were cut"),
            std::string::npos);
}

TEST(HostileInput, Utf16WithOddByteCount) {
  TempDir dir;
  std::string text =
      testing::ReadBytes(TestData("bundles/DARTBundle_0827_0307/Cisco Secure Client/Umbrella/Umbrella.txt"));
  const Outcome out = Analyse(dir, "Umbrella.txt", testing::ToUtf16(text, true) + "X");
  EXPECT_EQ(out.code, 1);
  EXPECT_EQ(out.report["files"][0]["encoding"], "utf-16le");
  EXPECT_TRUE(Contains(DiagnosticCodes(out.report), "invalid-encoding"));
}

// Archive oddities handled on purpose.
TEST(ArchiveOddities, Zip64AndDataDescriptors) {
  TempDir dir;
  RawEntry zip64{"Umbrella/csccumbrellaplugin.txt", kRejected53};
  zip64.zip64 = true;
  RawEntry descriptor{"Umbrella/Umbrella.txt", "Date : 08/27/2024\nTime : 06:41:22\n"};
  descriptor.data_descriptor = true;
  const Outcome out = Analyse(dir, "z64.zip", MakeRawZip({zip64, descriptor}, {.zip64_end = true}));
  EXPECT_EQ(out.code, 1) << out.err;
  EXPECT_EQ(Rules(out.report), std::vector<std::string>{"dns-unprotected"});
  EXPECT_EQ(out.report["files"].size(), 2u);
  EXPECT_EQ(out.report["files"][1]["events"], 1);
}

TEST(ArchiveOddities, SameNameTwiceBothRead) {
  TempDir dir;
  const Outcome out = Analyse(
      dir, "twice.zip",
      MakeRawZip({{"Umbrella/csccumbrellaplugin.txt", "junk\n"}, {"Umbrella/csccumbrellaplugin.txt", kRejected53}}));
  EXPECT_EQ(out.code, 1) << out.err;
  ASSERT_EQ(out.report["files"].size(), 2u);
  EXPECT_EQ(out.report["files"][0]["unparsed_lines"], 1);
  EXPECT_EQ(out.report["files"][1]["events"], 1);
}

TEST(ArchiveOddities, SymlinkDirectoryAndEmptyEntries) {
  TempDir dir;
  RawEntry link{"Umbrella/csccumbrellaplugin.txt", "/etc/passwd"};
  link.external_attributes = static_cast<uint32_t>(S_IFLNK | 0777) << 16;
  RawEntry folder{"Umbrella/", ""};
  folder.external_attributes = static_cast<uint32_t>(S_IFDIR | 0755) << 16;
  const Outcome out = Analyse(dir, "odd.zip", MakeRawZip({folder, link, {"Umbrella/Umbrella.txt", ""}}));
  EXPECT_EQ(out.code, 4) << out.err;
  ASSERT_EQ(out.report["files"].size(), 2u);
  EXPECT_EQ(out.report["files"][0]["error"], "entry is a symbolic link, not a log");
  EXPECT_EQ(out.report["files"][1]["lines"], 0);
  EXPECT_TRUE(Contains(DiagnosticCodes(out.report), "empty-log"));
}

TEST(ArchiveOddities, CentralDirectoryDisagreesWithLocalHeader) {
  TempDir dir;
  RawEntry entry{"Umbrella/csccumbrellaplugin.txt", kRejected53};
  entry.local_name = "Umbrella/innocent.txt";
  const Outcome out = Analyse(dir, "mismatch.zip", MakeRawZip({entry}));
  // The central directory names the entry; libzip reads its data from the local header's offset.
  EXPECT_EQ(out.code, 1) << out.err;
  EXPECT_EQ(out.report["files"][0]["path"], "Umbrella/csccumbrellaplugin.txt");
}

TEST(ArchiveOddities, MultiDiskArchiveIsRefused) {
  TempDir dir;
  const Outcome out = Analyse(dir, "disk2.zip", MakeRawZip({{"Umbrella.txt", "x"}}, {.disk_number = 1}));
  EXPECT_EQ(out.code, 2);
  EXPECT_EQ(out.err, "dartdiag: " + (dir.path() / "disk2.zip").string() +
                         ": not a readable zip archive (multi-disk zip archives not supported)\n");
}

TEST(ArchiveOddities, AbsoluteAndParentNamesAnalysedByNameOnly) {
  TempDir dir;
  const Outcome out = Analyse(dir, "names.zip",
                              MakeRawZip({{"/etc/csccumbrellaplugin.txt", kRejected53},
                                          {"C:\\Temp\\..\\Umbrella.txt", "Date : 08/27/2024\n"}}));
  EXPECT_EQ(out.code, 1);
  EXPECT_EQ(out.report["files"][0]["path"], "/etc/csccumbrellaplugin.txt");
  const std::vector<std::string> codes = DiagnosticCodes(out.report);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "unsafe-entry-name"), 2);
}

TEST(ArchiveOddities, TruncatedAndEncryptedAreNamed) {
  TempDir dir;
  const std::string zip = MakeRawZip({{"Umbrella/csccumbrellaplugin.txt", kRejected53}});
  Outcome cut = Analyse(dir, "cut.zip", zip.substr(0, zip.size() - 10));
  EXPECT_EQ(cut.code, 2);
  EXPECT_TRUE(cut.err.find("not a readable zip archive") != std::string::npos) << cut.err;
  const Outcome enc = Analyse(dir, "enc.zip", MakeZip({{"Umbrella/Umbrella.txt", "x", true}}));
  EXPECT_EQ(enc.code, 2);
  EXPECT_NE(enc.err.find("entry 'Umbrella/Umbrella.txt' is encrypted"), std::string::npos) << enc.err;
}

// ---- Round two: shapes found by trying the tool as an attacker and as a careless customer. ----

void Put(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// One stored local file and `records` central directory records all pointing at it (the
// "better zip bomb" shape without deflate), named by `name(i)`.
std::string OverlappingZip(const std::string& data, size_t records, const std::function<std::string(size_t)>& name) {
  const uint32_t crc =
      static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  const std::string local_name = name(0);
  std::string out;
  Put(out, 0x04034b50, 4), Put(out, 20, 2), Put(out, 0, 2), Put(out, 0, 2), Put(out, 0, 2), Put(out, 0x21, 2);
  Put(out, crc, 4), Put(out, data.size(), 4), Put(out, data.size(), 4), Put(out, local_name.size(), 2), Put(out, 0, 2);
  out += local_name + data;
  const size_t cd_start = out.size();
  for (size_t i = 0; i < records; ++i) {
    const std::string n = name(i);
    Put(out, 0x02014b50, 4), Put(out, 20, 2), Put(out, 20, 2), Put(out, 0, 2), Put(out, 0, 2), Put(out, 0, 2);
    Put(out, 0x21, 2), Put(out, crc, 4), Put(out, data.size(), 4), Put(out, data.size(), 4), Put(out, n.size(), 2);
    Put(out, 0, 2), Put(out, 0, 2), Put(out, 0, 2), Put(out, 0, 2), Put(out, 0, 4), Put(out, 0, 4);
    out += n;
  }
  const size_t cd_size = out.size() - cd_start;
  Put(out, 0x06054b50, 4), Put(out, 0, 2), Put(out, 0, 2), Put(out, records, 2), Put(out, records, 2);
  Put(out, cd_size, 4), Put(out, cd_start, 4), Put(out, 0, 2);
  return out;
}

TEST(HostileInput, OverlappingEntriesAreReadOnceAndReported) {
  TempDir dir;
  std::string log;
  while (log.size() < 100000) log += kRejected53;
  const std::string zip = OverlappingZip(log, 2000, [](size_t i) {
    return i == 0 ? std::string("Umbrella/csccumbrellaplugin.txt") : fmt::format("copy{}/csccumbrellaplugin.txt", i);
  });
  const Outcome out = Analyse(dir, "overlap.zip", zip);
  EXPECT_EQ(out.code, 1) << out.err;
  EXPECT_EQ(out.report["files"].size(), 1u);  // not 2000 logs of 100 kB each
  ASSERT_EQ(out.report["integrity"].size(), 1u);
  EXPECT_EQ(out.report["integrity"][0]["cap"], "overlap");
  EXPECT_EQ(out.report["integrity"][0]["limit"], 1999);
  EXPECT_EQ(out.report["integrity"][0]["message"],
            (dir.path() / "overlap.zip").string() +
                ": 1999 entries share or overlap the bytes of an earlier entry (local header offsets used twice: a "
                "zip bomb shape); they were not read");
  // Nested, the same holds (the archive read from memory).
  const Outcome nested = Analyse(dir, "outer.zip", MakeZip({{"inner.zip", zip}}));
  EXPECT_EQ(nested.report["files"].size(), 1u);
  EXPECT_EQ(nested.report["integrity"][0]["cap"], "overlap");
}

TEST(HostileInput, EndlessEventLogDescriptionIsCutLikeALine) {
  TempDir dir;
  std::string text = "Date : 08/27/2024\nTime : 06:41:20\nType : Warning\nSource : csc_swgagent\nDescription : WARN | ";
  const std::string filler(100, 'x');
  while (text.size() < (20u << 20)) text += filler + "\n";  // 20 MB of one record, never closed
  text +=
      "Date : 08/27/2024\nTime : 06:41:22\nType : Warning\nSource : csc_swgagent\nDescription : WARN | Thread 27cc | "
      "TCP handshake to SWG Proxy URL was not successful. Since fail open policy set, try connection in bypass mode "
      "[FailOpen : 1, CMode : 1 TMode : 0].\n";
  const Outcome out = Analyse(dir, "Umbrella.txt", text, {"--max-line-bytes", "64KiB"});
  EXPECT_EQ(out.code, 1) << out.err;
  EXPECT_EQ(Rules(out.report), std::vector<std::string>{"web-cloud-unavailable"});
  EXPECT_EQ(out.report["files"][0]["events"], 2);
  EXPECT_NE(out.report["diagnostics"].dump().find("1 record(s) longer than the 65536 byte cap were cut"),
            std::string::npos)
      << out.report["diagnostics"].dump();
  EXPECT_LT(out.report.dump().size(), 200000u);  // the report holds no 20 MB record
}

TEST(HostileInput, FailureLinesBehindNulRunsAndStrayBomsAreFound) {
  TempDir dir;
  const std::string before = "2024-08-27 03:07:40 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: started\r\n";
  // A crash leaves NULs after a whole line, or after part of one; an appended log starts with a BOM.
  for (const std::string& text : {before + std::string(4096, '\0') + kRejected53,
                                  before + "2024-08-27 03:07:41 [8880] [DEB" + std::string(700, '\0') + kRejected53,
                                  before + "\xEF\xBB\xBF" + kRejected53}) {
    const Outcome out = Analyse(dir, "csccumbrellaplugin.txt", text);
    EXPECT_EQ(out.code, 1) << out.err;
    EXPECT_EQ(Rules(out.report), std::vector<std::string>{"dns-unprotected"});
    EXPECT_TRUE(Contains(DiagnosticCodes(out.report), "nul-or-bom-skipped"));
  }
}

TEST(HostileInput, LogsWithNoEventAreIncompleteNotHealthy) {
  TempDir dir;
  const Outcome nuls = Analyse(dir, "csccumbrellaplugin.txt", std::string(100000, '\0'));
  EXPECT_EQ(nuls.code, 4) << nuls.err;
  EXPECT_EQ(nuls.report["coverage"]["outcome"], "partial");
  const auto a = dir.Write("b/csccumbrellaplugin.txt", "");
  dir.Write("b/Umbrella.txt", "\r\n\r\n");
  const auto run = testing::Run({(dir.path() / "b").string()});
  EXPECT_EQ(run.code, 4) << run.out;
  EXPECT_EQ(run.out.find("No known problem"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Analysis incomplete: "), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("analysis incomplete: "), std::string::npos) << run.err;
}

TEST(HostileInput, CapMessagesNameTheCapTheEntryAndTheFlag) {
  TempDir dir;
  const std::string bomb = ZerosZip("Cisco Secure Client/Umbrella/Umbrella.txt", uint64_t{64} << 20);
  const Outcome out = Analyse(dir, "bomb.zip", bomb);
  EXPECT_EQ(out.code, 4);
  const std::string message =
      "ratio cap (200:1) reached in Cisco Secure Client/Umbrella/Umbrella.txt; raise it with --max-ratio N";
  EXPECT_EQ(out.report["integrity"][0]["message"], message);
  EXPECT_EQ(out.err, "dartdiag: " + (dir.path() / "bomb.zip").string() + ": analysis incomplete: " + message + "\n");
  // The log's own error does not repeat its path.
  EXPECT_EQ(out.report["files"][0]["error"], "the ratio cap (200:1) was reached; raise it with --max-ratio N");
  const auto text = testing::Run({(dir.path() / "bomb.zip").string()});
  EXPECT_EQ(text.code, 4);
  EXPECT_EQ(text.out.find("No known problem"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Analysis incomplete: " + message), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("Umbrella.txt: Cisco Secure Client/Umbrella/Umbrella.txt"), std::string::npos) << text.out;
  // Depth and entries name their flags too.
  std::string zip = MakeZip({{"csccumbrellaplugin.txt", kRejected53}});
  for (int level = 0; level < 5; ++level) zip = MakeZip({{"a.zip", zip}});
  const Outcome deep = Analyse(dir, "deep.zip", zip);
  EXPECT_EQ(deep.report["integrity"][0]["message"],
            "depth cap (3 levels) reached in a.zip!/a.zip!/a.zip!/a.zip (a zip this deep is not opened); raise it with "
            "--max-depth N");
  const Outcome many = Analyse(dir, "many.zip", MakeZip({{"a", ""}, {"b", ""}, {"c", ""}}), {"--max-entries", "2"});
  EXPECT_EQ(many.report["integrity"][0]["message"],
            "entries cap (2 entries) reached in " + (dir.path() / "many.zip").string() +
                " (3 entries; only the first 2 were examined); raise it with --max-entries N");
}

TEST(ArchiveOddities, OneOddEntryNameDoesNotSinkTheZip) {
  TempDir dir;
  // Flagged UTF-8 (as every entry of MakeRawZip), with a backspace that libzip calls inconsistent.
  const std::string zip = MakeRawZip({{"Umbrella/csccumbrellaplugin.txt", kRejected53},
                                      {"notes/read\xe2\x80\xae"
                                       "me\b.txt",
                                       "unrelated"}});
  const Outcome out = Analyse(dir, "odd.zip", zip);
  EXPECT_EQ(out.code, 1) << out.err;
  EXPECT_EQ(Rules(out.report), std::vector<std::string>{"dns-unprotected"});
  EXPECT_TRUE(Contains(DiagnosticCodes(out.report), "zip-opened-leniently")) << out.report["diagnostics"].dump();
  EXPECT_EQ(out.report["other_entries"][0]["path"],
            "notes/read\xe2\x80\xae"
            "me\b.txt");  // as stored
  const Outcome nested = Analyse(dir, "outer.zip", MakeZip({{"inner.zip", zip}}));
  EXPECT_EQ(nested.code, 1) << nested.err;
  EXPECT_TRUE(Contains(DiagnosticCodes(nested.report), "zip-opened-leniently"));
}

TEST(ArchiveOddities, SizeLieIsReadInPartNotUnreadable) {
  TempDir dir;
  RawEntry entry{"Umbrella/csccumbrellaplugin.txt", kRejected53};
  entry.declared_size = 0xFFFFFFF0;
  const auto file = dir.Write("size-lie.zip", MakeRawZip({entry}));
  const auto run = testing::Run({file.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out.find("unreadable"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("csccumbrellaplugin  utf-8  1 line, 1 event  2024-08-27T03:07:53 .. 2024-08-27T03:07:53  "
                         "read in part: "),
            std::string::npos)
      << run.out;
  const Outcome out = Analyse(dir, "size-lie.zip", MakeRawZip({entry}));
  EXPECT_TRUE(Contains(DiagnosticCodes(out.report), "log-read-in-part"));
  EXPECT_FALSE(Contains(DiagnosticCodes(out.report), "unreadable-log"));
}

// Runs the command line as an unprivileged user when the tests run as root (root reads anything).
testing::CliRun RunUnprivileged(const std::vector<std::string>& args) {
  if (geteuid() != 0) return testing::Run(args);
  int pipes[2][2];
  EXPECT_EQ(pipe(pipes[0]), 0);
  EXPECT_EQ(pipe(pipes[1]), 0);
  const pid_t child = fork();
  if (child == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(99);
    const testing::CliRun run = testing::Run(args);
    const auto write_all = [](int fd, const std::string& s) {
      for (size_t done = 0; done < s.size();) {
        const ssize_t n = write(fd, s.data() + done, s.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      close(fd);
    };
    write_all(pipes[0][1], run.out);
    write_all(pipes[1][1], run.err);
    _exit(run.code);
  }
  close(pipes[0][1]);
  close(pipes[1][1]);
  testing::CliRun run;
  for (int k = 0; k < 2; ++k) {
    char buffer[4096];
    for (ssize_t n; (n = read(pipes[k][0], buffer, sizeof buffer)) > 0;) (k == 0 ? run.out : run.err).append(buffer, n);
    close(pipes[k][0]);
  }
  int status = 0;
  waitpid(child, &status, 0);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(BrokenInputs, PermissionDeniedIsSaidNotEmptyOrNotFound) {
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);  // the unprivileged user walks it
  const auto zip = dir.Write("locked.zip", MakeZip({{"csccumbrellaplugin.txt", kRejected53}}));
  std::filesystem::permissions(zip, std::filesystem::perms::none);
  const testing::CliRun locked = RunUnprivileged({zip.string()});
  EXPECT_EQ(locked.code, 2);
  EXPECT_EQ(locked.err, "dartdiag: " + zip.string() + ": permission denied\n");

  dir.Write("bundle/Umbrella/Umbrella.txt", "Date : 08/27/2024\nTime : 06:41:22\nDescription : INFO | Thread 1 | ok\n");
  dir.Write("bundle/Plugin/csccumbrellaplugin.txt", kRejected53);
  for (const char* sub : {"", "bundle", "bundle/Umbrella", "bundle/Plugin"}) {
    std::filesystem::permissions(dir.path() / sub, std::filesystem::perms::all);
    std::filesystem::permissions(dir.path() / sub / "", std::filesystem::perms::all);
  }
  std::filesystem::permissions(dir.path() / "bundle/Umbrella/Umbrella.txt", std::filesystem::perms::all);
  std::filesystem::permissions(dir.path() / "bundle/Plugin/csccumbrellaplugin.txt", std::filesystem::perms::all);
  std::filesystem::permissions(dir.path() / "bundle/Plugin", std::filesystem::perms::none);
  const testing::CliRun folder = RunUnprivileged({"--format", "json", (dir.path() / "bundle").string()});
  std::filesystem::permissions(dir.path() / "bundle/Plugin", std::filesystem::perms::all);
  EXPECT_EQ(folder.code, 4) << folder.err;
  const json report = json::parse(folder.out);
  bool said = false;
  for (const json& d : report["diagnostics"]) {
    said =
        said || (d["code"] == "unreadable-folder" && d["message"] == "permission denied: nothing in it was examined" &&
                 d["file"] == (dir.path() / "bundle").string() + "/Plugin");
  }
  EXPECT_TRUE(said) << report["diagnostics"].dump();
  EXPECT_NE(folder.err.find("Plugin: permission denied"), std::string::npos) << folder.err;
}

TEST(BrokenInputs, FifoIsRefusedNotWaitedOn) {
  TempDir dir;
  const std::string fifo = (dir.path() / "bundle.zip").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const auto run = testing::Run({fifo});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "dartdiag: " + fifo + ": not a regular file or a folder (a FIFO): refused\n");
  const auto batch = testing::Run({"batch", "-q", "-f", "csv", fifo, (dir.path() / "*.zip").string()});
  EXPECT_EQ(batch.code, 2);
  EXPECT_NE(batch.out.find("not a regular file or a folder (a FIFO): refused"), std::string::npos) << batch.out;
}

}  // namespace
}  // namespace dartdiag
