// The condition table; see condition_grammar.h.
#include "condition_grammar.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace dartdiag {
namespace {

using Kind = Condition::Kind;
using Shape = ConditionForm::Shape;

constexpr std::array<std::string_view, 2> kFirstThen = {"first", "then"};
constexpr std::array<std::string_view, 1> kOf = {"of"};

const std::array<ConditionForm, 7> kForms = {{
    {Kind::kEvent, "event", Shape::kPattern, 0, {}, false, SIZE_MAX, "", ""},
    {Kind::kAllOf, "all_of", Shape::kList, 1, {}, false, SIZE_MAX, "all of", ""},
    {Kind::kAnyOf, "any_of", Shape::kList, 1, {}, false, SIZE_MAX, "any of", ""},
    {Kind::kSequence, "sequence", Shape::kSteps, 2, {}, false, SIZE_MAX, "in this order{window}", ""},
    {Kind::kNot, "not", Shape::kOne, 1, {}, false, 0, "none of", ""},
    {Kind::kNotFollowedBy, "not_followed_by", Shape::kOperands, 2, kFirstThen, false, 1,
     "the first not followed {window} by the second", "until the end of the log"},
    {Kind::kAtLeast, "at_least", Shape::kOperands, 1, kOf, true, SIZE_MAX, "at least {n} {window} of", "in all"},
}};

}  // namespace

std::span<const ConditionForm> ConditionForms() { return kForms; }

const ConditionForm& FormOf(Condition::Kind kind) {
  return *std::find_if(kForms.begin(), kForms.end(), [&](const ConditionForm& f) { return f.kind == kind; });
}

const ConditionForm* FindForm(std::string_view key) {
  const auto it = std::find_if(kForms.begin(), kForms.end(), [&](const ConditionForm& f) { return f.key == key; });
  return it == kForms.end() ? nullptr : &*it;
}

std::string ConditionKeyList() {
  std::string out;
  for (size_t i = 0; i < kForms.size(); ++i) {
    if (i > 0) out += i + 1 == kForms.size() ? " or " : ", ";
    out += kForms[i].key;
  }
  return out;
}

bool YieldsEvidence(const Condition& condition, size_t i) { return i < FormOf(condition.kind).evidence_children; }

std::string WindowWords(const Condition& condition, std::string_view unbounded) {
  return condition.within ? fmt::format("within {} s", *condition.within) : std::string(unbounded);
}

std::string FormLabel(const Condition& condition) {
  const ConditionForm& form = FormOf(condition.kind);
  std::string window = WindowWords(condition, form.unbounded);
  // A sequence names its bound per step, after a comma, and nothing when unbounded.
  if (form.shape == Shape::kSteps) window = condition.within ? ", each step " + window : "";
  return fmt::format(fmt::runtime(form.label), fmt::arg("n", condition.count), fmt::arg("window", window));
}

}  // namespace dartdiag
