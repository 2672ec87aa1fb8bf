// Fuzz target: the whole pipeline on an in-memory zip (AnalyzeZipBytes with the default rule
// pack), then both reports. Caps are lowered so that one input stays fast and small; the caps
// themselves are part of what is fuzzed. Seeds: testdata/fuzz/pipeline; replayed by the ctest
// test fuzz_replay_pipeline.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "dartdiag/analysis.h"
#include "dartdiag/error.h"
#include "dartdiag/report.h"
#include "dartdiag/rule_pack.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dartdiag;
  static const RulePack pack = LoadRulePack({DefaultRuleSource()});
  AnalyzeOptions options;
  options.limits.max_bundle_bytes = uint64_t{16} << 20;
  options.limits.max_entry_bytes = uint64_t{4} << 20;
  options.limits.max_line_bytes = 1024;
  options.limits.max_seconds = 5;
  Result result;
  try {
    result = AnalyzeZipBytes(std::string(fuzz::AsText(data, size)), "fuzz.zip", options, pack);
  } catch (const Error& e) {
    DARTDIAG_FUZZ_CHECK(e.code() == ExitCode::kUnreadable);
    DARTDIAG_FUZZ_CHECK(e.what()[0] != '\0');
    return 0;
  }
  DARTDIAG_FUZZ_CHECK(result.input.kind == "zip");
  ExitCodeFor(result, Severity::kWarning);
  const std::string json = ToJson(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  DARTDIAG_FUZZ_CHECK(!json.empty());
  std::ostringstream streamed;  // the report as the command writes it: dump's bytes
  WriteJsonReport(result, ReportOptions{}, streamed);
  DARTDIAG_FUZZ_CHECK(streamed.str() == json + "\n");
  std::ostringstream text;
  WriteTextReport(result, ReportOptions{}, text);
  return 0;
}
