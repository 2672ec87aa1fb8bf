// Hostile input, generated at test time: zip bombs (by ratio, by declared size, by nesting),
// too many entries, a 50 MB line, odd UTF-16, and archive oddities. Each asserts the exit code,
// the message and, where one applies, the cap that fired. Time is bounded by the CTest TIMEOUT
// of this binary's tests, not by assertions.
#include <sys/stat.h>
#include <zip.h>

#include <gtest/gtest.h>

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
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                                  ZIP_SOURCE_STAT, ZIP_SOURCE_FREE, ZIP_SOURCE_ERROR, -1);
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
            "Cisco Secure Client/Umbrella/Umbrella.txt: stopped at the ratio cap: compression ratio above 200:1");
  EXPECT_EQ(out.err, "dartdiag: " + (dir.path() / "bomb.zip").string() +
                         ": analysis incomplete: Cisco Secure Client/Umbrella/Umbrella.txt: stopped at the "
                         "ratio cap: compression ratio above 200:1\n");
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
  EXPECT_EQ(out.report["integrity"][0]["message"], "a.zip!/a.zip!/a.zip!/a.zip: zip nested deeper than 3 levels, not opened");
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
            (dir.path() / "many.zip").string() +
                ": 100001 entries, more than the cap of 50000; only the first 50000 were examined");
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
  std::string text = testing::ReadBytes(
      TestData("bundles/DARTBundle_0827_0307/Cisco Secure Client/Umbrella/Umbrella.txt"));
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
  const Outcome out = Analyse(dir, "twice.zip", MakeRawZip({{"Umbrella/csccumbrellaplugin.txt", "junk\n"},
                                                           {"Umbrella/csccumbrellaplugin.txt", kRejected53}}));
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
  const Outcome out = Analyse(dir, "names.zip", MakeRawZip({{"/etc/csccumbrellaplugin.txt", kRejected53},
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

}  // namespace
}  // namespace dartdiag
