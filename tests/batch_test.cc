// Batch triage end to end: a queue of attachments zipped at test time from testdata/bundles
// (healthy, each verdict, no logs, corrupt, not a zip, a duplicate, an attachment holding two
// bundles, an unzipped bundle folder) through `dartdiag batch`, and the library's RunBatch.
// Asserts every input once, per-bundle results, summary counts, CSV columns, exit codes and
// that --jobs 1 and --jobs 4 agree in --sort mode. No timing assertions.
#include <gtest/gtest.h>

#include <sched.h>

#include <csignal>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "batch/batch.h"
#include "batch/batch_summary.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "collect.h"
#include "dartdiag/report.h"
#include "capture_builder.h"
#include "test_support.h"

namespace dartdiag {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::MakeZip;
using testing::ReadTree;
using testing::TempDir;
using testing::TestData;
constexpr auto RunCliIn = testing::Run;

// A testdata bundle zipped; `note` makes its bytes differ from the same bundle zipped plainly.
std::string BundleZip(const std::string& name, const std::string& note = "") {
  std::vector<testing::ZipEntry> entries = ReadTree(TestData("bundles/" + name));
  if (!note.empty()) entries.push_back({"note.txt", note});
  return MakeZip(entries);
}

// The queue a ticket system would leave: one file per attachment, a ticket folder, a note.
class Queue {
 public:
  Queue() {
    const std::string dns = BundleZip("dns-ipv4-unprotected");
    Add("01-healthy.zip", BundleZip("healthy"));
    Add("02-dns-ipv4.zip", dns);
    Add("03-dns-ipv6.zip", BundleZip("dns-ipv6-unprotected"));
    Add("04-unencrypted.zip", BundleZip("dns-unencrypted"));
    Add("05-web.zip", BundleZip("web-unavailable"));
    Add("06-no-logs.zip", BundleZip("no-umbrella-logs"));
    const std::string whole = BundleZip("DARTBundle_0827_0307");
    Add("07-corrupt.zip", whole.substr(0, whole.size() / 2));
    Add("08-not-a-zip.zip", "this is a text file, not a bundle\n");
    Add("09-copy-of-dns-ipv4.zip", dns);
    Add("10-two-bundles.zip", MakeZip({{"first/DART_a.zip", BundleZip("dns-unencrypted", "laptop a")},
                                       {"second/DART_b.zip", BundleZip("web-unavailable", "laptop b")},
                                       {"ticket-notes.txt", "two laptops, same office"}}));
    for (const testing::ZipEntry& e : ReadTree(TestData("bundles/dns-ipv6-unprotected"))) {
      dir_.Write("11-ticket/" + e.name, e.bytes);
    }
    dir_.Write("notes.txt", "not an attachment");
  }
  std::string path() const { return dir_.path().string(); }
  std::string operator[](const std::string& name) const { return (dir_.path() / name).string(); }

 private:
  void Add(const std::string& name, const std::string& bytes) { dir_.Write(name, bytes); }
  TempDir dir_;
};

std::vector<json> JsonLines(const std::string& out) {
  std::vector<json> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) rows.push_back(json::parse(line));
  return rows;
}

std::string VerdictIds(const json& row) {
  std::string ids;
  for (const json& v : row["verdicts"]) {
    ids += (ids.empty() ? "" : " ") + v["rule"].get<std::string>();
    if (!v["family"].is_null()) ids += "/" + v["family"].get<std::string>();
  }
  return ids;
}

// "outcome code verdicts [dup=NAME] [error]" per bundle, bundle paths relative to the queue.
std::map<std::string, std::string> Digest(const std::vector<json>& rows, const std::string& root) {
  std::map<std::string, std::string> out;
  const auto rel = [&](const json& s) { return s.get<std::string>().substr(root.size() + 1); };
  for (const json& row : rows) {
    std::string d = row["outcome"].get<std::string>() + " " + std::to_string(row["exit_code"].get<int>());
    if (!row["verdicts"].empty()) d += " " + VerdictIds(row);
    if (!row["duplicate_of"].is_null()) d += " dup=" + rel(row["duplicate_of"]);
    if (!row["error"].is_null()) d += " error";
    EXPECT_EQ(out.count(rel(row["bundle"])), 0u) << "twice: " << row["bundle"];
    out[rel(row["bundle"])] = d;
  }
  return out;
}

const std::map<std::string, std::string> kExpected = {
    {"01-healthy.zip", "ok 0"},
    {"02-dns-ipv4.zip", "findings 1 dns-unprotected/ipv4"},
    {"03-dns-ipv6.zip", "findings 1 dns-unprotected/ipv6"},
    {"04-unencrypted.zip", "findings 1 dns-unencrypted/ipv4"},
    {"05-web.zip", "findings 1 web-cloud-unavailable"},
    {"06-no-logs.zip", "incomplete 4"},
    {"07-corrupt.zip", "error 2 error"},
    {"08-not-a-zip.zip", "error 2 error"},
    {"09-copy-of-dns-ipv4.zip", "findings 1 dns-unprotected/ipv4 dup=02-dns-ipv4.zip"},
    {"10-two-bundles.zip!/first/DART_a.zip", "findings 1 dns-unencrypted/ipv4"},
    {"10-two-bundles.zip!/second/DART_b.zip", "findings 1 web-cloud-unavailable"},
    {"11-ticket", "findings 1 dns-unprotected/ipv6"},
};

TEST(Batch, EveryInputOnceWithItsOwnResult) {
  const Queue queue;
  const auto run = RunCliIn({"batch", "--sort", "--jobs", "2", "--quiet", queue.path()});
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(Digest(JsonLines(run.out), queue.path()), kExpected);
}

TEST(Batch, JobsOneAndFourGiveTheSameOutputSorted) {
  const Queue queue;
  for (const char* format : {"jsonl", "csv", "text"}) {
    const auto one = RunCliIn({"batch", "--sort", "-q", "-j", "1", "-f", format, queue.path()});
    const auto four = RunCliIn({"batch", "--sort", "-q", "-j", "4", "-f", format, queue.path()});
    EXPECT_EQ(one.code, four.code);
    if (std::string(format) == "text") {  // the closing summary states times
      EXPECT_EQ(one.out.substr(0, one.out.find("\n\n")), four.out.substr(0, four.out.find("\n\n")));
    } else {
      EXPECT_EQ(one.out, four.out) << format;
    }
  }
}

TEST(Batch, SortedOutputFollowsInputOrder) {
  const Queue queue;
  const auto run = RunCliIn({"batch", "--sort", "-q", "-j", "4", queue.path()});
  std::vector<std::string> bundles;
  for (const json& row : JsonLines(run.out)) bundles.push_back(row["bundle"]);
  std::vector<std::string> expected;
  for (const auto& [name, digest] : kExpected) expected.push_back(queue[name]);  // names sort as input order
  EXPECT_EQ(bundles, expected);
}

TEST(Batch, RowIsTheSingleBundleReportPlusBatchFields) {
  const Queue queue;
  const auto batch = RunCliIn({"batch", "-q", queue["02-dns-ipv4.zip"]});
  const auto single = RunCliIn({"--format", "json", queue["02-dns-ipv4.zip"]});
  json row = JsonLines(batch.out).at(0);
  EXPECT_EQ(row["bundle"], queue["02-dns-ipv4.zip"]);
  EXPECT_EQ(row["attachment"], queue["02-dns-ipv4.zip"]);
  for (const char* key : {"bundle", "attachment", "outcome", "exit_code", "duplicate_of", "error"}) row.erase(key);
  EXPECT_EQ(row, json::parse(single.out));
  EXPECT_EQ(batch.code, single.code);
}

TEST(Batch, UnreadableBundlesAreRowsWithTheirError) {
  const Queue queue;
  const auto run = RunCliIn({"batch", "-q", "--sort", queue["07-corrupt.zip"], queue["08-not-a-zip.zip"],
                             "/nonexistent/bundle.zip", queue.path() + "/nothing-*.zip"});
  EXPECT_EQ(run.code, 2);
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(
      rows[0]["error"].get<std::string>().starts_with(queue["07-corrupt.zip"] + ": not a readable zip archive ("));
  EXPECT_EQ(rows[1]["error"], queue["08-not-a-zip.zip"] + ": not a zip archive, a folder or a recognised Umbrella log");
  EXPECT_EQ(rows[2]["error"], "/nonexistent/bundle.zip: no such file or folder");
  EXPECT_EQ(rows[3]["error"], queue.path() + "/nothing-*.zip: no file or folder matches this pattern");
  std::vector<std::string> keys;  // an error row has every key a report row has
  const json healthy = JsonLines(RunCliIn({"batch", "-q", queue["01-healthy.zip"]}).out).at(0);
  for (const auto& [key, value] : healthy.items()) keys.push_back(key);
  for (const json& row : rows) {
    EXPECT_EQ(row["outcome"], "error");
    EXPECT_EQ(row["schema_version"], kSchemaVersion);
    EXPECT_TRUE(row["verdicts"].empty());
    std::vector<std::string> row_keys;
    for (const auto& [key, value] : row.items()) row_keys.push_back(key);
    EXPECT_EQ(row_keys, keys);
  }
}

TEST(Batch, AttachmentWithSeveralBundlesGivesOneRowEach) {
  const Queue queue;
  const auto run = RunCliIn({"batch", "-q", "--sort", queue["10-two-bundles.zip"]});
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["bundle"], queue["10-two-bundles.zip"] + "!/first/DART_a.zip");
  EXPECT_EQ(rows[0]["attachment"], queue["10-two-bundles.zip"]);
  EXPECT_EQ(rows[0]["input"]["path"], rows[0]["bundle"]);
  EXPECT_EQ(VerdictIds(rows[1]), "web-cloud-unavailable");
  EXPECT_EQ(rows[1]["verdicts"][0]["evidence"][0]["file"], "Logs/Umbrella.txt");
}

TEST(Batch, ZipWithLogsBesideAZipIsOneBundle) {
  TempDir dir;
  std::vector<testing::ZipEntry> entries = ReadTree(TestData("bundles/dns-unencrypted"));
  entries.push_back({"a.zip", BundleZip("healthy")});
  entries.push_back({"b.zip", BundleZip("web-unavailable")});
  const auto run = RunCliIn({"batch", "-q", dir.Write("bundle.zip", MakeZip(entries)).string()});
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(VerdictIds(rows[0]), "web-cloud-unavailable dns-unencrypted/ipv4");
}

TEST(Batch, DuplicatesAreAnalysedOnceAndNameTheFirst) {
  const Queue queue;
  TempDir dir;  // the same bundle as a file of its own and inside a two-bundle attachment
  const std::string dns = testing::ReadBytes(queue["02-dns-ipv4.zip"]);
  const auto pair = dir.Write("pair.zip", MakeZip({{"x.zip", dns}, {"y.zip", BundleZip("healthy")}}));
  const auto run =
      RunCliIn({"batch", "-q", "--sort", queue["02-dns-ipv4.zip"], queue["09-copy-of-dns-ipv4.zip"], pair.string()});
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(rows[0]["duplicate_of"].is_null());
  EXPECT_EQ(rows[1]["duplicate_of"], queue["02-dns-ipv4.zip"]);
  EXPECT_EQ(rows[2]["bundle"], pair.string() + "!/x.zip");
  EXPECT_EQ(rows[2]["duplicate_of"], queue["02-dns-ipv4.zip"]);
  EXPECT_TRUE(rows[3]["duplicate_of"].is_null());
  for (size_t i : {1u, 2u}) {  // each carries the findings, under its own path
    EXPECT_EQ(rows[i]["input"]["path"], rows[i]["bundle"]);
    EXPECT_EQ(rows[i]["verdicts"], rows[0]["verdicts"]);
    EXPECT_EQ(rows[i]["input"]["sha256"], rows[0]["input"]["sha256"]);
  }
}

// Batch hashes each bundle to find duplicates and hands that digest to the analysis, which does
// not hash the bundle again: every row states the SHA-256 of its own bytes, for a file of its own
// and for a bundle inside an attachment.
TEST(Batch, EachRowStatesTheDigestOfItsOwnBytes) {
  const Queue queue;
  TempDir dir;
  // Each zip made once: a zip made again a second later has other timestamps, so other bytes.
  const std::string web = BundleZip("web-unavailable"), healthy = BundleZip("healthy", "y");
  const auto pair = dir.Write("pair.zip", MakeZip({{"x.zip", web}, {"y.zip", healthy}}));
  const auto run = RunCliIn({"batch", "-q", "--sort", queue["02-dns-ipv4.zip"], pair.string()});
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["input"]["sha256"], Sha256Hex(testing::ReadBytes(queue["02-dns-ipv4.zip"])));
  EXPECT_EQ(rows[1]["bundle"], pair.string() + "!/x.zip");
  EXPECT_EQ(rows[1]["input"]["sha256"], Sha256Hex(web));
  EXPECT_EQ(rows[2]["input"]["sha256"], Sha256Hex(healthy));
}

// The default --jobs and the batch's "lanes fill the cores" switch follow the cores the process
// may use: a CPU affinity of one core gives 1, and a cgroup quota rounds up to whole cores.
TEST(Batch, UsableCoresFollowAffinityAndQuota) {
  cpu_set_t all;
  ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
  EXPECT_GE(UsableCores(), 1u);
  EXPECT_LE(UsableCores(), static_cast<unsigned>(CPU_COUNT(&all)));
  int first = 0;
  while (!CPU_ISSET(first, &all)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);  // this thread only
  const unsigned pinned = UsableCores();
  ASSERT_EQ(sched_setaffinity(0, sizeof all, &all), 0);
  EXPECT_EQ(pinned, 1u);

  EXPECT_EQ(CoresOfQuota("max 100000\n"), std::nullopt);
  EXPECT_EQ(CoresOfQuota("100000 100000\n"), 1u);
  EXPECT_EQ(CoresOfQuota("150000 100000"), 2u);
  EXPECT_EQ(CoresOfQuota("50000 100000\n"), 1u);
  EXPECT_EQ(CoresOfQuota("400000 100000\n"), 4u);
  for (const char* text : {"", "max", "100000", "abc 100000", "100000 0", "0 100000", "-5 100000", "1 2 3"}) {
    EXPECT_EQ(CoresOfQuota(text), std::nullopt) << text;
  }
}

// Collects rows through the library, with a summary.
struct Collected final : BatchSink {
  void OnRow(const BatchRow& row) override {
    rows.push_back(row);
    summary.Add(row);
  }
  std::vector<BatchRow> rows;
  BatchSummary summary;
};

TEST(Batch, SummaryCounts) {
  const Queue queue;
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  Collected got;
  BatchOptions options;
  options.jobs = 3;
  const BatchInputs inputs = ExpandBatchInputs({queue.path()});
  EXPECT_EQ(inputs.inputs.size(), 11u);  // 10 zips and the ticket folder
  EXPECT_EQ(inputs.skipped_files, std::vector<std::string>{queue["notes.txt"]});
  const BatchStats stats = RunBatch(inputs, pack, options, got);
  EXPECT_EQ(stats.rows, 12u);
  EXPECT_FALSE(stats.interrupted);
  const BatchSummary& s = got.summary;
  EXPECT_EQ(s.rows(), 12u);
  EXPECT_EQ(s.count(BatchOutcome::kFindings), 8u);
  EXPECT_EQ(s.count(BatchOutcome::kOk), 1u);
  EXPECT_EQ(s.count(BatchOutcome::kIncomplete), 1u);
  EXPECT_EQ(s.count(BatchOutcome::kError), 2u);
  EXPECT_EQ(s.duplicates(), 1u);
  EXPECT_EQ(
      s.bundles_per_verdict(),
      (std::map<std::string, size_t>{{"dns-unencrypted", 2}, {"dns-unprotected", 4}, {"web-cloud-unavailable", 2}}));
  EXPECT_EQ(s.Code(), ExitCode::kFindings);

  std::ostringstream table;
  s.Write(stats, inputs.skipped_files, false, table);
  EXPECT_NE(table.str().find("dartdiag batch: 12 bundles from 11 inputs"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("  duplicates        1"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("  dns-unprotected              4  error\n"), std::string::npos) << table.str();
  // Unsorted, with 3 workers: whichever copy is written first is the original.
  const std::string copy = queue["09-copy-of-dns-ipv4.zip"], first = queue["02-dns-ipv4.zip"];
  EXPECT_TRUE(table.str().find(copy + " = " + first) != std::string::npos ||
              table.str().find(first + " = " + copy) != std::string::npos)
      << table.str();
  EXPECT_NE(table.str().find("Failures\n  "), std::string::npos);
  EXPECT_NE(table.str().find("\n  " + queue["07-corrupt.zip"] + ": not a readable zip"), std::string::npos);
  EXPECT_NE(table.str().find("Skipped 1 file in folders"), std::string::npos);
}

TEST(Batch, SummaryGoesToStderrWithJsonLinesAndStdoutWithText) {
  const Queue queue;
  const auto jsonl = RunCliIn({"batch", queue["01-healthy.zip"]});
  EXPECT_EQ(JsonLines(jsonl.out).size(), 1u);
  EXPECT_NE(jsonl.err.find("dartdiag batch: 1 bundle from 1 input"), std::string::npos) << jsonl.err;
  const auto text = RunCliIn({"batch", "-f", "text", queue["01-healthy.zip"]});
  EXPECT_TRUE(text.out.starts_with("ok          " + queue["01-healthy.zip"] + "\n\ndartdiag batch: 1 bundle"))
      << text.out;
  EXPECT_EQ(text.err, "");
  // --quiet drops the summary wherever it would go: the rows alone.
  const auto quiet = RunCliIn({"batch", "-f", "text", "-q", queue["01-healthy.zip"]});
  EXPECT_EQ(quiet.out, "ok          " + queue["01-healthy.zip"] + "\n");
  EXPECT_EQ(quiet.err, "");
  const auto quiet_jsonl = RunCliIn({"batch", "-q", queue["01-healthy.zip"]});
  EXPECT_EQ(JsonLines(quiet_jsonl.out).size(), 1u);
  EXPECT_EQ(quiet_jsonl.err, "");
}

// -v names the files a folder walk skipped (a capture among them), after their count.
TEST(Batch, VerboseListsSkippedFiles) {
  const Queue queue;
  const auto plain = RunCliIn({"batch", "-f", "text", queue.path()});
  EXPECT_NE(plain.out.find("\nSkipped 1 file in folders: neither a zip nor part of a bundle (-v lists them).\n"),
            std::string::npos)
      << plain.out;
  EXPECT_EQ(plain.out.find("  " + queue["notes.txt"] + "\n"), std::string::npos);
  const auto verbose = RunCliIn({"batch", "-f", "text", "-v", queue.path()});
  EXPECT_NE(verbose.out.find("\nSkipped 1 file in folders: neither a zip nor part of a bundle:\n  " +
                             queue["notes.txt"] + "\n"),
            std::string::npos)
      << verbose.out;
  EXPECT_NE(RunCliIn({"batch", "--help"}).out.find("-v,--verbose"), std::string::npos);
}

// A capture named to batch was analysed alone: outcome "findings" with no verdict. It is an error
// row that says what it is.
TEST(Batch, CaptureNamedToBatchIsAnErrorRowThatSaysSo) {
  TempDir dir;
  const auto capture = dir.Write("cap.pcap", testing::WritePcap(1 /* DLT_EN10MB */, {})).string();
  const auto run = RunCliIn({"batch", "-q", capture});
  EXPECT_EQ(run.code, 2);
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["outcome"], "error");
  EXPECT_EQ(rows[0]["error"], capture +
                                  ": a packet capture, not a DART bundle; batch triages bundles (analyse a "
                                  "capture with its bundle: dartdiag BUNDLE CAPTURE)");
}

TEST(Batch, DuplicateWhoseReportWasDroppedIsAnalysedAgainWithTheSameRow) {
  const Queue queue;
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  const BatchInputs inputs = ExpandBatchInputs({queue.path()});
  BatchOptions options;
  options.sort = true;
  options.jobs = 2;
  Collected cached, uncached;
  RunBatch(inputs, pack, options, cached);
  options.report_cache_bytes = 0;
  RunBatch(inputs, pack, options, uncached);
  ASSERT_EQ(cached.rows.size(), uncached.rows.size());
  for (size_t i = 0; i < cached.rows.size(); ++i) {
    EXPECT_EQ(cached.rows[i].bundle, uncached.rows[i].bundle);
    EXPECT_EQ(cached.rows[i].report, uncached.rows[i].report) << cached.rows[i].bundle;
    EXPECT_EQ(cached.rows[i].duplicate_of, uncached.rows[i].duplicate_of);
  }
}

// Splits a CSV line (RFC 4180 quoting).
std::vector<std::string> CsvCells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

TEST(Batch, CsvHasOneRowPerBundleWithFixedColumns) {
  const Queue queue;
  const auto run = RunCliIn({"batch", "-f", "csv", "--sort", "-q", queue.path()});
  std::istringstream in(run.out);
  std::vector<std::vector<std::string>> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(CsvCells(line));
  ASSERT_EQ(lines.size(), 1 + kExpected.size());
  EXPECT_EQ(lines[0],
            (std::vector<std::string>{"bundle", "attachment", "outcome", "exit_code", "verdicts", "severity",
                                      "first_seen", "last_seen", "logs_read", "duplicate_of", "sha256", "error"}));
  for (const auto& cells : lines) EXPECT_EQ(cells.size(), 12u);
  EXPECT_EQ(lines[2], (std::vector<std::string>{queue["02-dns-ipv4.zip"], queue["02-dns-ipv4.zip"], "findings", "1",
                                                "dns-unprotected/ipv4", "error", "2024-08-27T03:07:48",
                                                "2024-08-27T03:08:13", "1", "", lines[2][10], ""}));
  EXPECT_EQ(lines[2][10].size(), 64u);
  EXPECT_EQ(lines[9][9], queue["02-dns-ipv4.zip"]);  // 09-copy-of-dns-ipv4.zip
  EXPECT_EQ(lines[12][4], "dns-unprotected/ipv6");
  EXPECT_TRUE(lines[7][11].starts_with(queue["07-corrupt.zip"] + ": not a readable zip archive"));
}

struct ExitCase {
  std::vector<std::string> names;
  std::vector<std::string> flags;
  int code;
};

TEST(Batch, ExitCodesLiftTheSingleBundleCodes) {
  const Queue queue;
  const ExitCase cases[] = {
      {{"01-healthy.zip"}, {}, 0},
      {{"01-healthy.zip", "04-unencrypted.zip"}, {}, 1},
      {{"01-healthy.zip", "04-unencrypted.zip"}, {"--fail-on", "error"}, 0},
      {{"07-corrupt.zip", "02-dns-ipv4.zip"}, {}, 1},
      {{"01-healthy.zip", "07-corrupt.zip"}, {}, 2},
      {{"06-no-logs.zip", "08-not-a-zip.zip"}, {}, 2},
      {{"01-healthy.zip", "06-no-logs.zip"}, {}, 4},
  };
  for (const ExitCase& c : cases) {
    std::vector<std::string> args = {"batch", "-q"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    for (const std::string& name : c.names) args.push_back(queue[name]);
    EXPECT_EQ(RunCliIn(args).code, c.code) << ::testing::PrintToString(c.names);
  }
}

TEST(Batch, UsageErrorsExitThree) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"batch"},
                                               {"batch", "--jobs", "0", "x.zip"},
                                               {"batch", "-f", "xml", "x.zip"},
                                               {"batch", "--rules", "/nonexistent/rules.json", "x.zip"}}) {
    const auto run = RunCliIn(args);
    EXPECT_EQ(run.code, 3) << run.err;
    EXPECT_TRUE(run.err.starts_with("dartdiag batch: ")) << run.err;
    EXPECT_TRUE(run.out.empty());
  }
}

TEST(Batch, HelpDocumentsExitCodesAndInterrupt) {
  const auto run = RunCliIn({"batch", "--help"});
  EXPECT_EQ(run.code, 0);
  for (const char* text : {"Exit codes", "4    no bundle has such a verdict", "130  stopped by Ctrl-C", "--jobs",
                           "--sort", "--quiet", "--format"}) {
    EXPECT_NE(run.out.find(text), std::string::npos) << text;
  }
  EXPECT_NE(RunCliIn({"--help"}).out.find("batch"), std::string::npos);
}

TEST(Batch, FoldersAndGlobs) {
  TempDir dir;  // unzipped bundles in a folder, one per subfolder, plus a folder without logs
  for (const char* name : {"healthy", "dns-unencrypted", "no-umbrella-logs"}) {
    for (const testing::ZipEntry& e : ReadTree(TestData(std::string("bundles/") + name))) {
      dir.Write(std::string("unzipped/") + name + "/" + e.name, e.bytes);
    }
  }
  dir.Write("zips/a.zip", BundleZip("healthy"));
  dir.Write("zips/b.zip", BundleZip("web-unavailable"));
  dir.Write("zips/readme.txt", "x");
  fs::create_directories(dir.path() / "empty");
  const BatchInputs unzipped = ExpandBatchInputs({(dir.path() / "unzipped").string()});
  ASSERT_EQ(unzipped.inputs.size(), 2u);
  EXPECT_EQ(unzipped.inputs[0].path, (dir.path() / "unzipped/dns-unencrypted").string());
  EXPECT_EQ(unzipped.inputs[0].kind, BatchInput::Kind::kFolder);
  EXPECT_EQ(unzipped.skipped_files.size(), 2u);  // no-umbrella-logs/...

  const BatchInputs globbed =
      ExpandBatchInputs({(dir.path() / "zips/*.zip").string(), (dir.path() / "empty").string()});
  ASSERT_EQ(globbed.inputs.size(), 3u);  // an empty folder still shows, as a bundle without logs
  EXPECT_EQ(globbed.inputs[1].path, (dir.path() / "zips/b.zip").string());
  EXPECT_EQ(globbed.inputs[2].kind, BatchInput::Kind::kFolder);
}

TEST(Batch, ManyInputsStayInOrderBeyondTheSortWindow) {
  TempDir dir;
  std::vector<testing::ZipEntry> base = ReadTree(TestData("bundles/healthy"));
  for (int i = 0; i < 150; ++i) {
    std::vector<testing::ZipEntry> entries = base;
    entries.push_back({"ticket.txt", std::to_string(i)});  // distinct bytes: no duplicates
    dir.Write(fmt::format("t{:03}.zip", i), MakeZip(entries));
  }
  const auto run = RunCliIn({"batch", "--sort", "-q", "-j", "4", dir.path().string()});
  const auto rows = JsonLines(run.out);
  ASSERT_EQ(rows.size(), 150u);
  for (int i = 0; i < 150; ++i) EXPECT_EQ(rows[i]["bundle"], (dir.path() / fmt::format("t{:03}.zip", i)).string());
  EXPECT_EQ(run.code, 0);
}

TEST(Batch, StopRequestStartsNothingNewAndReportsWhatFinished) {
  const Queue queue;
  const RulePack pack = LoadRulePack({DefaultRuleSource()});
  const std::atomic<bool> stop{true};
  BatchOptions options;
  options.stop = &stop;
  Collected got;
  const BatchStats stats = RunBatch(ExpandBatchInputs({queue.path()}), pack, options, got);
  EXPECT_TRUE(stats.interrupted);
  EXPECT_EQ(stats.rows, 0u);
  EXPECT_EQ(stats.not_started, 11u);
}

// Raises SIGINT when the first row is written, as a Ctrl-C during the run would.
class InterruptAfterFirstRow final : public std::stringbuf {
  int sync() override {
    if (!raised_ && str().find('\n') != std::string::npos) {
      raised_ = true;
      std::raise(SIGINT);
    }
    return 0;
  }
  bool raised_ = false;
};

TEST(Batch, CtrlCStopsCleanlyWithSummaryAndExit130) {
  const Queue queue;
  InterruptAfterFirstRow buffer;
  std::ostream out(&buffer);
  std::ostringstream err;
  const int code = RunCli({"batch", "-j", "1", queue.path()}, out, err, Terminal{});
  EXPECT_EQ(code, 130);
  const size_t rows = JsonLines(buffer.str()).size();
  EXPECT_GE(rows, 1u);
  EXPECT_LT(rows, 12u);
  EXPECT_NE(err.str().find("Interrupted: "), std::string::npos) << err.str();
  EXPECT_NE(err.str().find(fmt::format("dartdiag batch: {} bundle", rows)), std::string::npos) << err.str();
}

TEST(Batch, ProgressOnlyOnATerminalAndNotWhenQuiet) {
  const Queue queue;
  std::ostringstream out, err;
  Terminal tty;
  tty.stderr_is_tty = true;
  RunCli({"batch", queue["01-healthy.zip"]}, out, err, tty);
  EXPECT_NE(err.str().find("/1 bundles  "), std::string::npos) << err.str();
  EXPECT_NE(err.str().find('\r'), std::string::npos);
  std::ostringstream quiet_out, quiet_err;
  RunCli({"batch", "-q", queue["01-healthy.zip"]}, quiet_out, quiet_err, tty);
  EXPECT_EQ(quiet_err.str(), "");
  EXPECT_EQ(RunCliIn({"batch", queue["01-healthy.zip"]}).err.find('\r'), std::string::npos);  // a pipe
}

TEST(Batch, ProgressLineShowsCountsRateEtaAndCurrentBundle) {
  BatchProgress p;
  p.done = 37;
  p.total = 120;
  p.bytes_done = 37'000'000;
  p.bytes_total = 120'000'000;
  p.elapsed = 10;
  p.current = "tickets/4711/DARTBundle_0827_0307.zip";
  EXPECT_EQ(FormatProgress(p, 200),
            "[######..............] 37/120 bundles  3.7 MB/s  ETA 0:22  tickets/4711/DARTBundle_0827_0307.zip");
  EXPECT_EQ(FormatProgress(p, 70), "[######..............] 37/120 bundles  3.7 MB/s  ETA 0:22  ...307.zip");
  EXPECT_EQ(FormatProgress(BatchProgress{}, 80), "[....................] 0/0 bundles  0.0 MB/s  ETA --:--");
}

}  // namespace
}  // namespace dartdiag
