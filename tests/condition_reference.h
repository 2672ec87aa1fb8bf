// The reference semantics of the rule language (docs/rules.md), kept for tests: one condition
// evaluated over one group's ordered events held whole in memory, every operator written the
// obvious way. The engine's evaluator (src/condition_eval.cc) works on bitsets and a compact time
// column instead; condition_eval_test.cc runs both over generated groups and compares.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "rule_model.h"

namespace dartdiag {

struct ReferenceInput {
  std::vector<int64_t> times;                                 // sort_time of each event, in order
  std::function<bool(size_t event, size_t matcher)> matched;  // did event match Rule::matchers[m]
  int64_t log_end = 0;                                        // sort_time of the group's last event
};

struct ReferenceOutcome {
  bool held = false;
  std::vector<size_t> evidence;  // sorted positions of the events that make it hold
};

ReferenceOutcome ReferenceCondition(const Condition& condition, const ReferenceInput& input);

}  // namespace dartdiag
