// Output stage: a Result as a human report or as versioned JSON (docs/report.schema.json).
// Tested by report_test.cc and end_to_end_test.cc.
#pragma once

#include <optional>
#include <string>
#include <ostream>
#include <span>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "dartdiag/analysis.h"

namespace dartdiag {

inline constexpr int kSchemaVersion =
    3;  // 2: capture; 3: verdicts from state models (active, at_end.since/now, evidence_total)

struct ReportOptions {
  bool color = false;
  bool explain = false;  // list the rules that almost fired (Result::explanations)
  std::optional<Severity> fail_on = Severity::kWarning;
  bool ever_failed = false;  // cleared verdicts count for the exit code too (--ever-failed)
  bool brief = false;        // text: one line per protection and family (--brief)
  std::string lang = "en";   // the human reports' language tag (--lang): "en" or "zh-TW"
};

void WriteTextReport(const Result& result, const ReportOptions& options, std::ostream& out);
void WriteJsonReport(const Result& result, const ReportOptions& options, std::ostream& out);
void WriteHtmlReport(const Result& result, const ReportOptions& options, std::ostream& out);  // html_report.cc
nlohmann::ordered_json ToJson(const Result& result);
// The JSON report written as ToJson(result).dump(indent) would be, byte for byte, without building
// the tree of the timelines' intervals (json_report.cc); `indent` negative for one line.
void WriteJson(const Result& result, std::ostream& out, int indent);

// The output format table (name -> writer), used by the command line.
struct ReportFormat {
  std::string_view name;
  void (*write)(const Result&, const ReportOptions&, std::ostream&);
};
std::span<const ReportFormat> ReportFormats();

// `dartdiag explain`: each explanation of `result` as text.
void WriteExplanations(const Result& result, const ReportOptions& options, std::ostream& out);

std::string_view ToolVersion();

}  // namespace dartdiag
