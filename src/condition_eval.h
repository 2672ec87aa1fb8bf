// Evaluation of one rule condition over one group's events, in the order the rule language is
// defined on (time, then arrival): the semantics of docs/rules.md, including the time operators,
// over a bitset per pattern and a compact time column (event_column.h). Every operator is a
// forward sweep with a few cursors, so evaluation needs a bit per event and node, never a list.
// Internal header; tested by condition_eval_test.cc against the reference in
// tests/condition_reference.cc, and by rule_engine_test.cc and time_operators_test.cc.
#pragma once

#include <cstdint>

#include "event_column.h"
#include "rule_model.h"

namespace dartdiag {

struct ConditionInput {
  const GroupView& view;
  int64_t log_end = 0;  // sort_time of the group's last event in the log
};

struct ConditionOutcome {
  bool held = false;
  Bitset evidence;  // the positions of the events that make it hold
};

ConditionOutcome EvaluateCondition(const Condition& condition, const ConditionInput& input);

}  // namespace dartdiag
