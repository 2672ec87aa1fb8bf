// Input stage: entry-name classification, hashing, and archive walking through a fake archive.
#include "collect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "archive.h"
#include "dartdiag/error.h"
#include "log_types.h"
#include "test_support.h"

namespace dartdiag {
namespace {

TEST(EntryNames, Decoys) {
  EXPECT_TRUE(IsDecoyName("__MACOSX/Umbrella/csccumbrellaplugin.txt"));
  EXPECT_TRUE(IsDecoyName("bundle\\__MACOSX\\Umbrella.txt"));
  EXPECT_TRUE(IsDecoyName("Umbrella/._Umbrella.txt"));
  EXPECT_FALSE(IsDecoyName("Umbrella/Umbrella.txt"));
  EXPECT_FALSE(IsDecoyName("__MACOSX_not/Umbrella.txt"));
}

TEST(EntryNames, Escaping) {
  EXPECT_TRUE(IsEscapingName("../Umbrella.txt"));
  EXPECT_TRUE(IsEscapingName("a/../../b"));
  EXPECT_TRUE(IsEscapingName("a\\..\\b"));
  EXPECT_TRUE(IsEscapingName("/etc/passwd"));
  EXPECT_TRUE(IsEscapingName("C:\\Windows\\x"));
  EXPECT_FALSE(IsEscapingName("a/..b/c"));
  EXPECT_FALSE(IsEscapingName("Cisco Secure Client/Umbrella/Umbrella.txt"));
}

// The order of logs and members against the reading it replaced (two passes of
// lexicographical_compare through std::tolower), on short names from an alphabet that makes case
// variants, separators, prefixes and the bytes between 'Z' and 'a' ('[', '\\', '`') common.
TEST(EntryNames, OrderIsTheReferenceOrder) {
  const auto reference = [](const std::string& a, const std::string& b) {
    const auto key = [](char c) { return c == '/' || c == '\\' ? 0 : std::tolower(static_cast<unsigned char>(c)) + 1; };
    const auto less = [&](char x, char y) { return key(x) < key(y); };
    if (std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), less)) return true;
    return !std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end(), less) && a < b;
  };
  const std::string alphabet = std::string("aAbBzZ/\\._0 [`~") + '\xc3' + '\xa9' + '\x7f';
  std::mt19937 random(12);
  const auto name = [&] {
    std::string s(random() % 7, ' ');
    for (char& c : s) c = alphabet[random() % alphabet.size()];
    return s;
  };
  std::vector<std::string> names;
  for (int i = 0; i < 100000; ++i) {
    const std::string a = name(), b = random() % 4 == 0 ? a : name();
    ASSERT_EQ(PathBefore(a, b), reference(a, b)) << "'" << a << "' against '" << b << "'";
    ASSERT_EQ(PathBefore(b, a), reference(b, a)) << "'" << b << "' against '" << a << "'";
    if (i % 50 == 0) names.push_back(a);
  }
  std::vector<std::string> sorted = names, expected = names;
  std::sort(sorted.begin(), sorted.end(), PathBefore);
  std::sort(expected.begin(), expected.end(), reference);
  EXPECT_EQ(sorted, expected);
  EXPECT_TRUE(PathBefore("Umbrella/a.txt", "Umbrella.txt"));  // a folder's entries stay together
  EXPECT_TRUE(PathBefore("B.txt", "b.txt"));                  // equal but for case: by bytes
}

TEST(Sha256, KnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // A million 'a' (FIPS 180-2 test vector), read from a file in several chunks.
  dartdiag::testing::TempDir dir;
  const std::string million(1000000, 'a');
  const std::string digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  EXPECT_EQ(Sha256Hex(million), digest);
  EXPECT_EQ(Sha256File(dir.Write("a.bin", million).string(), "a.bin"), digest);
}

TEST(ZipMagic, Signatures) {
  EXPECT_TRUE(HasZipMagic(std::string("PK\x03\x04rest", 8)));
  EXPECT_TRUE(HasZipMagic(std::string("PK\x05\x06", 4)));
  EXPECT_FALSE(HasZipMagic("PK"));
  EXPECT_FALSE(HasZipMagic("Date : 08/27/2024"));
}

// An archive in memory: entries with contents, or a read failure.
class FakeArchive final : public Archive {
 public:
  struct Item {
    ArchiveEntry entry;
    std::string bytes;
    bool fail = false;
  };
  explicit FakeArchive(std::vector<Item> items) : items_(std::move(items)) {
    for (size_t i = 0; i < items_.size(); ++i) {
      items_[i].entry.index = i;
      entries_.push_back(items_[i].entry);
    }
  }
  const std::vector<ArchiveEntry>& Entries() const override { return entries_; }
  void Stream(const ArchiveEntry& entry, const ChunkFn& chunk) override {
    reads.push_back(entry.name);
    const Item& item = items_.at(entry.index);
    if (item.fail) throw Error(ExitCode::kUnreadable, "fake: entry '" + entry.name + "' is corrupt");
    for (size_t pos = 0; pos < item.bytes.size(); pos += 4) chunk(std::string_view(item.bytes).substr(pos, 4));
  }
  uint64_t archive_size() const override { return 1000; }
  std::vector<std::string> reads;

 private:
  std::vector<Item> items_;
  std::vector<ArchiveEntry> entries_;
};

class RecordingSink final : public CollectSink {
 public:
  void BeginLog(const std::string& path, LogTypeId log) override {
    path_ = path;
    log_ = GetLogType(log).id;
    bytes_ = 0;
  }
  void LogBytes(std::string_view chunk) override { bytes_ += chunk.size(); }
  void EndLog(const std::string& error, const Phrase&) override {
    events.push_back(error.empty() ? fmt::format("log {} {} {}b", path_, log_, bytes_)
                                   : fmt::format("unreadable {} after {}b: {}", path_, bytes_, error));
  }
  void OnCapHit(CapHit hit) override { events.push_back(fmt::format("cap {} {} {}", hit.cap, hit.limit, hit.file)); }
  void OnMember(Member m) override { events.push_back(fmt::format("member {} {}", m.path, MemberKindName(m.kind))); }
  void OnDiagnostic(Diagnostic d) override { events.push_back(fmt::format("diagnostic {} {}", d.code, d.file)); }
  std::vector<std::string> events;

 private:
  std::string path_, log_;
  size_t bytes_ = 0;
};

ArchiveEntry Entry(std::string name, uint64_t declared = 10) {
  ArchiveEntry e;
  e.name = std::move(name);
  e.size = declared;
  return e;
}

TEST(CollectArchive, LogsReadOthersListedDecoysSkippedFailuresReported) {
  ArchiveEntry dir = Entry("Umbrella/");
  dir.directory = true;
  ArchiveEntry link = Entry("x/Umbrella.txt");
  link.symlink = true;
  FakeArchive archive({
      {dir, ""},
      {Entry("Umbrella/CSCCUMBRELLAPLUGIN.TXT", uint64_t{1} << 40), "abc"},  // declared 1 TiB
      {Entry("Umbrella\\Umbrella.txt"), "", true},
      {Entry("__MACOSX/Umbrella/._Umbrella.txt"), "junk"},
      {link, ""},
      {Entry("VPN/vpnagent.txt"), "not read"},
      {Entry("../Umbrella.txt"), "xy"},
  });
  RecordingSink sink;
  CollectArchive(archive, "", Limits{}, sink);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{
                "log Umbrella/CSCCUMBRELLAPLUGIN.TXT csccumbrellaplugin 3b",
                "unreadable Umbrella\\Umbrella.txt after 0b: fake: entry 'Umbrella\\Umbrella.txt' is corrupt",
                "member __MACOSX/Umbrella/._Umbrella.txt decoy",
                "unreadable x/Umbrella.txt after 0b: entry is a symbolic link, not a log",
                "member VPN/vpnagent.txt other",
                "diagnostic unsafe-entry-name ../Umbrella.txt",
                "log ../Umbrella.txt umbrella-eventlog 2b",
            }));
  // Only logs are read; other entries, decoys and links never are.
  EXPECT_EQ(archive.reads,
            (std::vector<std::string>{"Umbrella/CSCCUMBRELLAPLUGIN.TXT", "Umbrella\\Umbrella.txt", "../Umbrella.txt"}));
}

TEST(CollectArchive, EntryCapCountsBytesThatComeOutNotDeclaredSizes) {
  // Declares 1 byte, produces 100: the cap counts what comes out and stops after 12 bytes.
  FakeArchive archive({{Entry("Umbrella.txt", 1), std::string(100, 'x')}, {Entry("csccumbrellaplugin.txt", 1), "ok"}});
  RecordingSink sink;
  Limits limits;
  limits.max_entry_bytes = 10;
  CollectArchive(archive, "outer.zip!/", limits, sink);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{
                "unreadable outer.zip!/Umbrella.txt after 8b: the entry-bytes cap (10 bytes) was reached; raise it "
                "with --max-entry-bytes N",
                "cap entry-bytes 10 outer.zip!/Umbrella.txt",
                "log outer.zip!/csccumbrellaplugin.txt csccumbrellaplugin 2b"}));
}

TEST(CollectArchive, BundleCapStopsTheRest) {
  FakeArchive archive({{Entry("a/Umbrella.txt"), std::string(8, 'x')},
                       {Entry("b/Umbrella.txt"), std::string(8, 'x')},
                       {Entry("c/Umbrella.txt"), "y"}});
  RecordingSink sink;
  Limits limits;
  limits.max_bundle_bytes = 12;
  CollectArchive(archive, "", limits, sink);
  ASSERT_EQ(sink.events.size(), 4u);
  EXPECT_EQ(sink.events[0], "log a/Umbrella.txt umbrella-eventlog 8b");
  EXPECT_EQ(sink.events[2], "cap bundle-bytes 12 b/Umbrella.txt");
  EXPECT_EQ(sink.events[3], "diagnostic bundle-stopped archive");
}

TEST(CollectArchive, WallTimeCapStopsTheBundle) {
  FakeArchive archive({{Entry("a/Umbrella.txt"), "12345678"}, {Entry("b/Umbrella.txt"), "y"}});
  RecordingSink sink;
  Limits limits;
  limits.max_seconds = 1e-9;  // already past when the first bytes come out
  CollectArchive(archive, "", limits, sink);
  EXPECT_EQ(sink.events, (std::vector<std::string>{
                             "unreadable a/Umbrella.txt after 0b: the seconds cap (0 s) was reached; raise it with "
                             "--max-seconds N",
                             "cap seconds 0 a/Umbrella.txt", "diagnostic bundle-stopped archive"}));
}

TEST(CollectArchive, EntryCountCap) {
  FakeArchive archive({{Entry("x1.txt"), ""}, {Entry("x2.txt"), ""}, {Entry("x3.txt"), ""}});
  RecordingSink sink;
  Limits limits;
  limits.max_entries = 2;
  CollectArchive(archive, "", limits, sink);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"cap entries 2 archive", "member x1.txt other", "member x2.txt other"}));
}

TEST(CollectArchive, BundleRatioCapsInflationOfTheWholeArchive) {
  // Each entry inflates 150:1 (under the ratio cap), but together they come to far more than 200
  // times the archive's 1000 bytes: what overlapping entries do when they go unnoticed.
  std::vector<FakeArchive::Item> items;
  for (int i = 0; i < 10; ++i) {
    ArchiveEntry e = Entry(fmt::format("n{}/Umbrella.txt", i));
    e.compressed_size = 1000;
    items.push_back({e, std::string(150000, 'x')});
  }
  FakeArchive archive(std::move(items));
  RecordingSink sink;
  CollectArchive(archive, "", Limits{}, sink);
  ASSERT_GE(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[sink.events.size() - 2], "cap ratio 200 n6/Umbrella.txt");
  EXPECT_EQ(sink.events.back(), "diagnostic bundle-stopped archive");
  EXPECT_EQ(archive.reads.size(), 7u);  // the rest was not read
}

TEST(CollectArchive, CorruptNestedZipIsADiagnostic) {
  FakeArchive archive({{Entry("inner.ZIP"), "PK\x03\x04 not really"}});
  RecordingSink sink;
  CollectArchive(archive, "", Limits{}, sink);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"member inner.ZIP archive", "diagnostic unreadable-archive inner.ZIP"}));
}

}  // namespace
}  // namespace dartdiag
