// The reference semantics of the rule language, for tests (see condition_reference.h).
#include "condition_reference.h"

#include <algorithm>
#include <iterator>

namespace dartdiag {
namespace {

void Union(std::vector<size_t>& into, const std::vector<size_t>& from) {
  std::vector<size_t> merged;
  merged.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(merged));
  into = std::move(merged);
}

bool Within(const ReferenceInput& in, size_t from, size_t to, const std::optional<int64_t>& within) {
  return !within || in.times[to] - in.times[from] <= *within;
}

// Sequence with a time bound: from each first-step event, the earliest chain whose every step
// comes after the previous one and within `within` of it. Evidence: the events of every chain.
ReferenceOutcome TimedSequence(const std::vector<ReferenceOutcome>& steps, const ReferenceInput& in, int64_t within) {
  ReferenceOutcome out;
  for (size_t start : steps[0].evidence) {
    std::vector<size_t> chain = {start};
    for (size_t k = 1; k < steps.size(); ++k) {
      const auto& ev = steps[k].evidence;
      const auto next = std::upper_bound(ev.begin(), ev.end(), chain.back());
      if (next == ev.end() || in.times[*next] - in.times[chain.back()] > within) break;
      chain.push_back(*next);
    }
    if (chain.size() != steps.size()) continue;
    out.held = true;
    std::sort(chain.begin(), chain.end());
    Union(out.evidence, chain);
  }
  return out;
}

// Untimed sequence: the earliest chain; evidence is every event of each step from its chosen one.
ReferenceOutcome Sequence(const std::vector<ReferenceOutcome>& steps) {
  ReferenceOutcome out{true, {}};
  size_t after = 0;
  bool first = true;
  for (const ReferenceOutcome& step : steps) {
    auto it = std::find_if(step.evidence.begin(), step.evidence.end(), [&](size_t i) { return first || i > after; });
    if (it == step.evidence.end()) return {};
    after = *it;
    first = false;
    Union(out.evidence, std::vector<size_t>(it, step.evidence.end()));
  }
  return out;
}

// Events of `first` with no event of `then` after them (within the bound). With a bound, an
// event whose window is still open when the group's log ends does not count: the log cannot say.
ReferenceOutcome NotFollowedBy(const ReferenceOutcome& first, const ReferenceOutcome& then, const ReferenceInput& in,
                               const std::optional<int64_t>& within) {
  ReferenceOutcome out;
  for (size_t x : first.evidence) {
    const auto next = std::upper_bound(then.evidence.begin(), then.evidence.end(), x);
    const bool followed = next != then.evidence.end() && Within(in, x, *next, within);
    if (followed) continue;
    if (within && in.times[x] + *within > in.log_end) continue;  // window still open at the end
    out.evidence.push_back(x);
  }
  out.held = !out.evidence.empty();
  return out;
}

// At least `count` events of `of`, all within one window of `within` (or anywhere, unbounded).
ReferenceOutcome AtLeast(const ReferenceOutcome& of, const ReferenceInput& in, uint64_t count,
                         const std::optional<int64_t>& within) {
  ReferenceOutcome out;
  const auto& ev = of.evidence;
  if (!within) {
    if (ev.size() >= count) out = {true, ev};
    return out;
  }
  size_t begin = 0;
  std::vector<bool> used(ev.size(), false);
  for (size_t end = 0; end < ev.size(); ++end) {
    while (in.times[ev[end]] - in.times[ev[begin]] > *within) ++begin;
    if (end - begin + 1 >= count)
      std::fill(used.begin() + static_cast<std::ptrdiff_t>(begin), used.begin() + static_cast<std::ptrdiff_t>(end) + 1,
                true);
  }
  for (size_t i = 0; i < ev.size(); ++i) {
    if (used[i]) out.evidence.push_back(ev[i]);
  }
  out.held = !out.evidence.empty();
  return out;
}

}  // namespace

ReferenceOutcome ReferenceCondition(const Condition& condition, const ReferenceInput& in) {
  ReferenceOutcome out;
  std::vector<ReferenceOutcome> children;
  for (const Condition& child : condition.children) children.push_back(ReferenceCondition(child, in));
  switch (condition.kind) {
    case Condition::Kind::kEvent:
      for (size_t i = 0; i < in.times.size(); ++i) {
        if (in.matched(i, condition.matcher)) out.evidence.push_back(i);
      }
      out.held = !out.evidence.empty();
      break;
    case Condition::Kind::kNot: out.held = !children[0].held; break;
    case Condition::Kind::kAllOf:
      out.held = std::all_of(children.begin(), children.end(), [](const ReferenceOutcome& c) { return c.held; });
      if (out.held) {
        for (const ReferenceOutcome& c : children) Union(out.evidence, c.evidence);
      }
      break;
    case Condition::Kind::kAnyOf:
      for (const ReferenceOutcome& c : children) {
        if (!c.held) continue;
        out.held = true;
        Union(out.evidence, c.evidence);
      }
      break;
    case Condition::Kind::kSequence:
      out = condition.within ? TimedSequence(children, in, *condition.within) : Sequence(children);
      break;
    case Condition::Kind::kNotFollowedBy: out = NotFollowedBy(children[0], children[1], in, condition.within); break;
    case Condition::Kind::kAtLeast: out = AtLeast(children[0], in, condition.count, condition.within); break;
  }
  return out;
}

}  // namespace dartdiag
