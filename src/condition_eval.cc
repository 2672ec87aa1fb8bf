// The rule language's semantics over one group's events as bitsets (see condition_eval.h).
// Tested by condition_eval_test.cc, rule_engine_test.cc and time_operators_test.cc.
#include "condition_eval.h"

#include <algorithm>

namespace dartdiag {
namespace {

// The first position of `set` after `pos`, for queries that never go backwards: a query between
// the previous one and its answer has the same answer, so a sweep costs one pass over the words.
class NextAfter {
 public:
  explicit NextAfter(const Bitset& set) : set_(set) {}
  size_t operator()(size_t pos) {
    if (!asked_ || pos < query_ || (answer_ != Bitset::npos && pos >= answer_)) answer_ = set_.Next(pos + 1);
    asked_ = true;
    query_ = pos;
    return answer_;
  }

 private:
  const Bitset& set_;
  bool asked_ = false;
  size_t query_ = 0, answer_ = Bitset::npos;
};

// Sequence with a time bound: from each first-step event, the earliest chain whose every step
// comes after the previous one and within `within` of it. Evidence: the events of every chain.
// As the start moves forward, so does every step's chosen event: one cursor per step.
ConditionOutcome TimedSequence(const std::vector<ConditionOutcome>& steps, const ConditionInput& in, int64_t within) {
  ConditionOutcome out{false, Bitset(in.view.size)};
  std::vector<NextAfter> next;
  std::vector<TimeColumn::Cursor> time;
  for (const ConditionOutcome& step : steps) {
    next.emplace_back(step.evidence);
    time.emplace_back(in.view.times);
  }
  std::vector<size_t> chain(steps.size());
  for (size_t start = steps[0].evidence.First(); start != Bitset::npos; start = steps[0].evidence.Next(start + 1)) {
    chain[0] = start;
    int64_t previous = time[0].At(start);
    size_t k = 1;
    for (; k < steps.size(); ++k) {
      const size_t pos = next[k](chain[k - 1]);
      if (pos == Bitset::npos) break;
      const int64_t t = time[k].At(pos);
      if (t - previous > within) break;
      chain[k] = pos;
      previous = t;
    }
    if (k != steps.size()) continue;
    out.held = true;
    for (size_t pos : chain) out.evidence.Set(pos);
  }
  return out;
}

// Untimed sequence: the earliest chain; evidence is every event of each step from its chosen one.
ConditionOutcome Sequence(const std::vector<ConditionOutcome>& steps, size_t size) {
  ConditionOutcome out{true, Bitset(size)};
  size_t after = 0;
  bool first = true;
  for (const ConditionOutcome& step : steps) {
    const size_t pos = first ? step.evidence.First() : step.evidence.Next(after + 1);
    if (pos == Bitset::npos) return {false, Bitset(size)};
    after = pos;
    first = false;
    Bitset from = step.evidence;
    from.ClearBefore(pos);
    out.evidence |= from;
  }
  return out;
}

// Events of `first` with no event of `then` after them (within the bound). With a bound, an
// event whose window is still open when the group's log ends does not count: the log cannot say.
ConditionOutcome NotFollowedBy(const ConditionOutcome& first, const ConditionOutcome& then, const ConditionInput& in,
                               const std::optional<int64_t>& within) {
  ConditionOutcome out{false, Bitset(in.view.size)};
  NextAfter next(then.evidence);
  TimeColumn::Cursor time_x(in.view.times), time_next(in.view.times);
  for (size_t x = first.evidence.First(); x != Bitset::npos; x = first.evidence.Next(x + 1)) {
    const size_t y = next(x);
    if (!within) {
      if (y == Bitset::npos) out.evidence.Set(x);
      continue;
    }
    const int64_t tx = time_x.At(x);
    if (y != Bitset::npos && time_next.At(y) - tx <= *within) continue;  // followed in time
    if (tx + *within > in.log_end) continue;                             // window still open at the end
    out.evidence.Set(x);
  }
  out.held = out.evidence.Any();
  return out;
}

// At least `count` events of `of`, all within one window of `within` (or anywhere, unbounded).
ConditionOutcome AtLeast(const ConditionOutcome& of, const ConditionInput& in, uint64_t count,
                         const std::optional<int64_t>& within) {
  if (!within) {
    if (of.evidence.Count() >= count) return {true, of.evidence};
    return {false, Bitset(in.view.size)};
  }
  ConditionOutcome out{false, Bitset(in.view.size)};
  TimeColumn::Cursor time_begin(in.view.times), time_end(in.view.times);
  const Bitset& ev = of.evidence;
  size_t begin = ev.First(), in_window = 0, marked_to = 0;
  for (size_t end = begin; end != Bitset::npos; end = ev.Next(end + 1)) {
    ++in_window;
    const int64_t t = time_end.At(end);
    while (t - time_begin.At(begin) > *within) {
      begin = ev.Next(begin + 1);
      --in_window;
    }
    if (in_window < count) continue;
    // Every event of the window counts: mark the ones not marked yet.
    for (size_t pos = ev.Next(std::max(begin, marked_to)); pos != Bitset::npos && pos <= end; pos = ev.Next(pos + 1)) {
      out.evidence.Set(pos);
    }
    marked_to = end + 1;
  }
  out.held = out.evidence.Any();
  return out;
}

}  // namespace

ConditionOutcome EvaluateCondition(const Condition& condition, const ConditionInput& in) {
  const size_t size = in.view.size;
  std::vector<ConditionOutcome> children;
  for (const Condition& child : condition.children) children.push_back(EvaluateCondition(child, in));
  ConditionOutcome out{false, Bitset(size)};
  switch (condition.kind) {
    case Condition::Kind::kEvent:
      if (condition.matcher < in.view.matched.size()) out.evidence = in.view.matched[condition.matcher];
      out.held = out.evidence.Any();
      break;
    case Condition::Kind::kNot: out.held = !children[0].held; break;
    case Condition::Kind::kAllOf:
      out.held = std::all_of(children.begin(), children.end(), [](const ConditionOutcome& c) { return c.held; });
      if (out.held) {
        for (const ConditionOutcome& c : children) out.evidence |= c.evidence;
      }
      break;
    case Condition::Kind::kAnyOf:
      for (const ConditionOutcome& c : children) {
        if (!c.held) continue;
        out.held = true;
        out.evidence |= c.evidence;
      }
      break;
    case Condition::Kind::kSequence:
      out = condition.within ? TimedSequence(children, in, *condition.within) : Sequence(children, size);
      break;
    case Condition::Kind::kNotFollowedBy: out = NotFollowedBy(children[0], children[1], in, condition.within); break;
    case Condition::Kind::kAtLeast: out = AtLeast(children[0], in, condition.count, condition.within); break;
  }
  return out;
}

}  // namespace dartdiag
