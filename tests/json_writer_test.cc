// The JSON report is written by JsonWriter (src/report/json_writer.cc) with the timelines'
// intervals streamed; it must be ToJson(result).dump(...) byte for byte, in both layouts, on every
// testdata bundle and fuzz seed and on a report made of hostile text.
#include "report/json_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <sstream>

#include "dartdiag/analysis.h"
#include "dartdiag/error.h"
#include "dartdiag/report.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string Dumped(const Result& result, int indent) {
  return ToJson(result).dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

std::string Written(const Result& result, int indent) {
  std::ostringstream out;
  WriteJson(result, out, indent);
  return out.str();
}

void ExpectSameAsDump(const Result& result) {
  for (const int indent : {2, -1, 0, 4}) {
    SCOPED_TRACE(indent);
    EXPECT_EQ(Written(result, indent), Dumped(result, indent));
  }
  std::ostringstream report;
  WriteJsonReport(result, ReportOptions{}, report);
  EXPECT_EQ(report.str(), Dumped(result, 2) + "\n");
}

const RulePack& DefaultPack() {
  static const RulePack pack = LoadRulePack({DefaultRuleSource()});
  return pack;
}

TEST(JsonWriter, TheReportIsDumpsBytesOnEveryTestdataBundle) {
  size_t intervals = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::TestData("bundles"))) {
    SCOPED_TRACE(entry.path().string());
    AnalyzeOptions options;
    options.inputs = {entry.path().string()};
    const Result result = Analyze(options, DefaultPack());
    for (const Verdict& v : result.verdicts) intervals += v.timeline ? v.timeline->intervals.size() : 0;
    ExpectSameAsDump(result);
  }
  EXPECT_GT(intervals, 10u);  // the streamed part was there to compare
}

TEST(JsonWriter, TheReportIsDumpsBytesOnEveryPipelineFuzzSeed) {
  size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::TestData("fuzz/pipeline"))) {
    SCOPED_TRACE(entry.path().string());
    Result result;
    try {
      result = AnalyzeZipBytes(testing::ReadBytes(entry.path()), entry.path().filename().string(), AnalyzeOptions{},
                               DefaultPack());
    } catch (const Error&) {
      continue;  // not a readable zip: no report
    }
    ++seeds;
    ExpectSameAsDump(result);
  }
  EXPECT_GT(seeds, 15u);
}

// Every kind of text a bundle can bring: control bytes, quotes, backslashes, DEL, invalid UTF-8
// (replaced), UTF-8 of other scripts, empty strings (null where the schema says so), and numbers
// at their limits; timelines with many intervals, with none, and verdicts without one.
TEST(JsonWriter, HostileTextAndEdgeShapesAreWrittenAsDumpWritesThem) {
  const std::vector<std::string> texts = {"",
                                          "plain",
                                          "quote \" and backslash \\",
                                          std::string("nul \0 inside", 12),
                                          "\x01\x1f\t\n\r\b\f",
                                          "del \x7f",
                                          "bad utf-8 \xff\xfe \xc3",
                                          "\xe9\x98\xb2\xe8\xad\xb7 \xf0\x9f\x98\x80",
                                          "\x1b[31mred\x1b[0m"};
  Result result;
  result.input.path = texts[2];
  result.input.sha256 = texts[6];
  for (size_t k = 0; k < texts.size(); ++k) {
    Verdict v;
    v.rule = texts[k];
    v.title = texts[(k + 1) % texts.size()];
    v.summary = texts[(k + 2) % texts.size()];
    v.fields[texts[(k + 3) % texts.size()]] = texts[(k + 4) % texts.size()];
    v.count = k == 0 ? std::numeric_limits<uint64_t>::max() : k;
    v.evidence.push_back({texts[k], k, texts[(k + 5) % texts.size()], texts[(k + 6) % texts.size()]});
    if (k % 3 != 2) {
      TimelineSummary t;
      t.id = texts[k];
      t.failing_seconds = k == 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(k);
      for (size_t i = 0; i < (k % 3 == 0 ? 0 : 50 * k); ++i) {
        t.intervals.push_back({texts[i % texts.size()], texts[(i + k) % texts.size()], "failing",
                               texts[(i + 2) % texts.size()], i % 2 == 0 ? "" : texts[(i + 3) % texts.size()]});
      }
      v.timeline = std::move(t);
    }
    result.verdicts.push_back(std::move(v));
  }
  FileReport file;
  file.path = texts[7];
  file.lines = 3;
  file.unparsed_lines = 1;  // a float share
  result.files.push_back(file);
  ExpectSameAsDump(result);
  ExpectSameAsDump(Result{});
}

TEST(JsonWriter, StreamedArraysAndPiecesOfAnyLength) {
  // A splice point at the top and nested, arrays left empty, and text far past the flush size.
  const ordered_json tree = {{"a", ordered_json::binary({}, 1)},
                             {"b", {{"c", ordered_json::binary({}, 2)}, {"d", ordered_json::array()}}},
                             {"e", std::string(200000, 'x')}};
  const ordered_json expected = {{"a", {1, "one", nullptr}},
                                 {"b", {{"c", ordered_json::array()}, {"d", ordered_json::array()}}},
                                 {"e", std::string(200000, 'x')}};
  for (const int indent : {2, -1}) {
    std::ostringstream out;
    {
      JsonWriter writer(out, indent);
      writer.Write(tree, [](JsonWriter& w, uint64_t id) {
        w.BeginArray();
        if (id == 1) {
          for (const ordered_json& element : {ordered_json(1), ordered_json("one"), ordered_json(nullptr)}) {
            w.Element();
            w.Write(element);
          }
        }
        w.EndArray();
      });
    }
    EXPECT_EQ(out.str(), expected.dump(indent));
  }
}

}  // namespace
}  // namespace dartdiag
