// Hostile input through `dartdiag batch`: an attachment carrying many bundles (opened once,
// --max-entries applied), nested bundles metered as in single-bundle mode, and CSV rows that
// say how many logs were read and why a bundle could not be.
#include <gtest/gtest.h>

#include <sstream>

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

const char kRejected53[] =
    "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all "
    "candidate resolvers for port 53\n";

std::vector<json> JsonLines(const std::string& out) {
  std::vector<json> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) rows.push_back(json::parse(line));
  return rows;
}

std::vector<std::vector<std::string>> CsvRows(const std::string& out) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.emplace_back();
      } else {
        cells.back().push_back(c);
      }
    }
    rows.push_back(cells);
  }
  return rows;
}

TEST(HostileBatch, ManyBundlesInOneAttachmentWithinTheEntryCap) {
  TempDir dir;
  std::vector<testing::ZipEntry> bundles;
  for (int i = 0; i < 30; ++i) {
    bundles.push_back({fmt::format("DART_{:02}.zip", i),
                       MakeZip({{"csccumbrellaplugin.txt", kRejected53}, {"note.txt", std::to_string(i)}})});
  }
  const auto attachment = dir.Write("ticket.zip", MakeZip(bundles));
  const auto run = testing::Run({"batch", "-q", "--sort", "-j", "3", "--max-entries", "10", attachment.string()});
  EXPECT_EQ(run.code, 1) << run.err;
  const std::vector<json> rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 11u) << run.out;
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(rows[i]["bundle"], attachment.string() + fmt::format("!/DART_{:02}.zip", i));
    EXPECT_EQ(rows[i]["outcome"], "findings");
  }
  EXPECT_EQ(rows[10]["bundle"], attachment.string());
  EXPECT_EQ(rows[10]["outcome"], "incomplete");
  EXPECT_EQ(rows[10]["error"], "entries cap (10 entries) reached in " + attachment.string() +
                                   " (30 entries; only the first 10 were examined); raise it with --max-entries N");
  // Without the cap: one row per bundle, every one read from the one opening of the attachment.
  const auto all = testing::Run({"batch", "-q", "-j", "3", attachment.string()});
  EXPECT_EQ(JsonLines(all.out).size(), 30u);
}

TEST(HostileBatch, NestedBundleIsMeteredLikeASingleBundle) {
  TempDir dir;
  // A bundle with a zero-filled trace file stored: its own bytes deflate about 500:1 in the
  // attachment, within the first MiB that the ratio cap allows in a single-bundle analysis.
  const auto bundle = [](const std::string& note) {
    return MakeRawZip({{"Umbrella/csccumbrellaplugin.txt", kRejected53},
                       {"trace.etl", std::string(500000, '\0')},
                       {"note.txt", note}});
  };
  const auto attachment = dir.Write("ticket.zip", MakeZip({{"a/DART.zip", bundle("a")}, {"b/DART.zip", bundle("b")}}));
  const auto run = testing::Run({"batch", "-q", "--sort", attachment.string()});
  const std::vector<json> rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 2u) << run.out;
  for (const json& row : rows) {
    EXPECT_EQ(row["outcome"], "findings") << row["error"];
    EXPECT_EQ(row["verdicts"].size(), 1u);
  }
  // The same attachment analysed as one bundle agrees.
  const auto single = testing::Run({attachment.string()});
  EXPECT_EQ(single.code, 1) << single.err;
}

TEST(HostileBatch, CsvCountsLogsReadInPartAndNamesWhyABundleIsUnreadable) {
  TempDir dir;
  RawEntry lie{"Umbrella/csccumbrellaplugin.txt", kRejected53};
  lie.declared_size = 0xFFFFFFF0;
  const auto size_lie = dir.Write("1-size-lie.zip", MakeRawZip({lie}));
  const auto encrypted = dir.Write("2-encrypted.zip", MakeZip({{"Umbrella/Umbrella.txt", "x", true}}));
  const auto run = testing::Run({"batch", "-q", "--sort", "-f", "csv", size_lie.string(), encrypted.string()});
  const auto rows = CsvRows(run.out);
  ASSERT_EQ(rows.size(), 3u) << run.out;
  const std::vector<std::string>& header = rows[0];
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  EXPECT_EQ(rows[1][column("outcome")], "findings");
  EXPECT_EQ(rows[1][column("logs_read")], "1");  // read in part, and verdicts drawn from it
  EXPECT_EQ(rows[2][column("outcome")], "unreadable");
  EXPECT_EQ(rows[2][column("error")], encrypted.string() + ": entry 'Umbrella/Umbrella.txt' is encrypted");
}

}  // namespace
}  // namespace dartdiag
