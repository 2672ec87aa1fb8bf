// The condition language in one table: each kind's JSON key, the shape of its operands, how it is
// described in words, and which operands yield evidence. The pack loader parses by it, `rules
// show` and explain describe by it, and the evaluator (condition_eval.cc) gives each kind its
// meaning. Adding a condition kind starts here. Tested by rule_pack_test.cc and rule_tools_test.cc.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "rule_model.h"

namespace dartdiag {

struct ConditionForm {
  enum class Shape {
    kPattern,   // {"event": pattern}
    kOne,       // {"not": condition}
    kList,      // {"all_of": [condition, ...]}
    kSteps,     // {"sequence": [...]} or {"sequence": {"steps": [...], "within": T}}
    kOperands,  // {"at_least": {"count": n, "of": c, "within": T}}: named operands in an object
  };
  Condition::Kind kind;
  std::string_view key;  // the JSON key
  Shape shape;
  size_t min_children = 0;                     // kList and kSteps
  std::span<const std::string_view> operands;  // kOperands, in the order of `children`
  bool counted = false;                        // kOperands: has a "count"
  // How many leading children yield evidence (SIZE_MAX: all). "not" yields none; the "then" of
  // not_followed_by yields none either: its events are what did not happen.
  size_t evidence_children = SIZE_MAX;
  // The node in words: {n} is the count, {window} the time bound in words ("within 30 s", or
  // `unbounded` when there is none). Empty for an event, described by its pattern.
  std::string_view label;
  std::string_view unbounded;
};

// Every kind, in the order the language lists them.
std::span<const ConditionForm> ConditionForms();
const ConditionForm& FormOf(Condition::Kind kind);
// The form written as `key`; nullptr when there is none.
const ConditionForm* FindForm(std::string_view key);
// "event, all_of, ... or at_least", for messages.
std::string ConditionKeyList();
// Whether children[i] of `condition` yields evidence events.
bool YieldsEvidence(const Condition& condition, size_t i);
// "within 30 s", or `unbounded` when the condition has no time bound.
std::string WindowWords(const Condition& condition, std::string_view unbounded);
// The node's label with its count and window filled in ("at least 3 within 60 s of").
std::string FormLabel(const Condition& condition);

}  // namespace dartdiag
