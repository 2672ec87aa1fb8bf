// Evaluation of one rule condition over the ordered events of one group: the semantics of the
// rule language (docs/rules.md), including the time operators. Internal header; tested by
// rule_engine_test.cc and time_operators_test.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "rule_model.h"

namespace dartdiag {

struct ConditionInput {
  std::vector<int64_t> times;                                 // sort_time of each event, in order
  std::function<bool(size_t event, size_t matcher)> matched;  // did event match Rule::matchers[m]
  int64_t log_end = 0;                                        // sort_time of the group's last event
};

struct ConditionOutcome {
  bool held = false;
  std::vector<size_t> evidence;  // sorted positions of the events that make it hold
};

ConditionOutcome EvaluateCondition(const Condition& condition, const ConditionInput& input);

}  // namespace dartdiag
