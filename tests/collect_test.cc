// Input stage: entry-name classification, hashing, and archive walking through a fake archive.
#include "dartdiag/collect.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "dartdiag/archive.h"
#include "dartdiag/error.h"
#include "dartdiag/log_types.h"

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

TEST(Sha256, KnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
  std::string Read(const ArchiveEntry& entry, uint64_t max_bytes) override {
    reads.push_back(entry.name);
    const Item& item = items_.at(entry.index);
    if (item.fail) throw Error(ExitCode::kUnreadable, "fake: entry '" + entry.name + "' is corrupt");
    if (item.bytes.size() > max_bytes) throw Error(ExitCode::kUnreadable, "fake: too big");
    return item.bytes;
  }
  std::vector<std::string> reads;

 private:
  std::vector<Item> items_;
  std::vector<ArchiveEntry> entries_;
};

class RecordingSink final : public CollectSink {
 public:
  void OnLog(const std::string& path, LogTypeId log, std::string_view bytes) override {
    events.push_back(fmt::format("log {} {} {}b", path, GetLogType(log).id, bytes.size()));
  }
  void OnUnreadableLog(const std::string& path, LogTypeId, const std::string& why) override {
    events.push_back(fmt::format("unreadable {}: {}", path, why));
  }
  void OnMember(Member m) override { events.push_back(fmt::format("member {} {}", m.path, MemberKindName(m.kind))); }
  void OnDiagnostic(Diagnostic d) override { events.push_back(fmt::format("diagnostic {} {}", d.code, d.file)); }
  std::vector<std::string> events;
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
  EXPECT_EQ(sink.events, (std::vector<std::string>{
                             "log Umbrella/CSCCUMBRELLAPLUGIN.TXT csccumbrellaplugin 3b",
                             "unreadable Umbrella\\Umbrella.txt: fake: entry 'Umbrella\\Umbrella.txt' is corrupt",
                             "member __MACOSX/Umbrella/._Umbrella.txt decoy",
                             "unreadable x/Umbrella.txt: entry is a symbolic link, not a log",
                             "member VPN/vpnagent.txt other",
                             "diagnostic unsafe-entry-name ../Umbrella.txt",
                             "log ../Umbrella.txt umbrella-eventlog 2b",
                         }));
  // Only logs are read; other entries, decoys and links never are.
  EXPECT_EQ(archive.reads, (std::vector<std::string>{"Umbrella/CSCCUMBRELLAPLUGIN.TXT", "Umbrella\\Umbrella.txt",
                                                     "../Umbrella.txt"}));
}

TEST(CollectArchive, LogOverTheSizeCapIsUnreadableNotFatal) {
  FakeArchive archive({{Entry("Umbrella.txt"), std::string(100, 'x')}});
  RecordingSink sink;
  Limits limits;
  limits.max_log_bytes = 10;
  CollectArchive(archive, "outer.zip!/", limits, sink);
  EXPECT_EQ(sink.events, std::vector<std::string>{"unreadable outer.zip!/Umbrella.txt: fake: too big"});
}

TEST(CollectArchive, CorruptNestedZipIsADiagnostic) {
  FakeArchive archive({{Entry("inner.ZIP"), "PK\x03\x04 not really"}});
  RecordingSink sink;
  CollectArchive(archive, "", Limits{}, sink);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"member inner.ZIP archive", "diagnostic unreadable-archive inner.ZIP"}));
}

}  // namespace
}  // namespace dartdiag
