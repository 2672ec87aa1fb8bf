// Fuzz target: bytes as a rule pack (LoadRulePack). A pack that loads is then run on its own
// examples through the parser of each rule's log and the rule engine, as the rule check does.
// Seeds: testdata/fuzz/rule_pack; replayed by the ctest test fuzz_replay_rule_pack.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dartdiag/error.h"
#include "log_types.h"
#include "rule_engine.h"
#include "rule_model.h"
#include "fuzz_support.h"

namespace dartdiag::fuzz {
namespace {

void RunExamples(const RulePack& pack) {
  for (const Rule& rule : pack.rules) {
    DARTDIAG_FUZZ_CHECK(!rule.id.empty());
    if (rule.matchers.empty()) continue;
    for (const Example& example : rule.examples) {
      std::string text;
      for (const std::string& line : example.lines) text += line + "\n";
      const LogTypeId log = rule.matchers.front().log;
      uint64_t hash = 0;
      for (const Verdict& verdict : EvaluateText(pack, log, text, "example.txt")) {
        DARTDIAG_FUZZ_CHECK(verdict.evidence.size() <= kMaxEvidence);
        DARTDIAG_FUZZ_CHECK(verdict.evidence.size() <= verdict.count);
        hash = Touch(verdict.summary, Touch(verdict.root_cause, hash));
        for (const EvidenceLine& line : verdict.evidence) hash = Touch(line.text, hash);
      }
      Consume(hash);
    }
  }
}

}  // namespace
}  // namespace dartdiag::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dartdiag;
  RulePack pack;
  try {
    pack = LoadRulePack({RuleSource{"fuzz.json", std::string(fuzz::AsText(data, size))}});
  } catch (const Error& e) {
    DARTDIAG_FUZZ_CHECK(e.code() == ExitCode::kUsage);
    DARTDIAG_FUZZ_CHECK(e.what()[0] != '\0');
    return 0;
  }
  fuzz::RunExamples(pack);
  return 0;
}
