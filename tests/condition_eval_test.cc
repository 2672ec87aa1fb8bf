// The engine's condition evaluator (bitsets, compact times, forward sweeps) against the reference
// semantics (tests/condition_reference.cc, whole vectors, the obvious loops): random condition
// trees of every kind, with and without time bounds, over random groups whose events are dense or
// sparse per pattern, bunched in one second or spread out, and whose log ends early or late.
#include "condition_eval.h"
#include "condition_reference.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace dartdiag {
namespace {

constexpr size_t kPatterns = 4;

Condition RandomCondition(std::mt19937_64& rng, int depth) {
  Condition c;
  const int kinds = depth >= 3 ? 1 : 7;
  switch (rng() % kinds) {
    case 0: c.kind = Condition::Kind::kEvent; break;
    case 1: c.kind = Condition::Kind::kAllOf; break;
    case 2: c.kind = Condition::Kind::kAnyOf; break;
    case 3: c.kind = Condition::Kind::kSequence; break;
    case 4: c.kind = Condition::Kind::kNot; break;
    case 5: c.kind = Condition::Kind::kNotFollowedBy; break;
    default: c.kind = Condition::Kind::kAtLeast; break;
  }
  size_t children = 0;
  switch (c.kind) {
    case Condition::Kind::kEvent: c.matcher = rng() % kPatterns; break;
    case Condition::Kind::kAllOf:
    case Condition::Kind::kAnyOf:
    case Condition::Kind::kSequence: children = 1 + rng() % 3; break;
    case Condition::Kind::kNot:
    case Condition::Kind::kAtLeast: children = 1; break;
    case Condition::Kind::kNotFollowedBy: children = 2; break;
  }
  for (size_t i = 0; i < children; ++i) c.children.push_back(RandomCondition(rng, depth + 1));
  const bool timed = c.kind == Condition::Kind::kSequence || c.kind == Condition::Kind::kNotFollowedBy ||
                     c.kind == Condition::Kind::kAtLeast;
  if (timed && rng() % 3 != 0) c.within = static_cast<int64_t>(rng() % 40);
  c.count = rng() % 6;  // 0 too: the loader refuses it, the semantics still define it
  return c;
}

std::string Describe(const Condition& c) {
  std::string out = std::to_string(static_cast<int>(c.kind));
  if (c.kind == Condition::Kind::kEvent) out += "m" + std::to_string(c.matcher);
  if (c.within) out += "w" + std::to_string(*c.within);
  if (c.kind == Condition::Kind::kAtLeast) out += "n" + std::to_string(c.count);
  if (!c.children.empty()) {
    out += "(";
    for (const Condition& child : c.children) out += Describe(child) + " ";
    out += ")";
  }
  return out;
}

struct Group {
  std::vector<int64_t> times;
  std::vector<std::vector<bool>> matched;  // [pattern][event]
  int64_t log_end = 0;
};

Group RandomGroup(std::mt19937_64& rng, size_t size) {
  Group g;
  int64_t t = 1'700'000'000;
  const uint64_t spread = std::vector<uint64_t>{1, 3, 12, 60}[rng() % 4];  // seconds between events
  for (size_t i = 0; i < size; ++i) {
    t += static_cast<int64_t>(rng() % spread);
    g.times.push_back(t);
  }
  g.matched.assign(kPatterns, std::vector<bool>(size));
  for (size_t m = 0; m < kPatterns; ++m) {
    const uint64_t density = 1 + rng() % 8;  // every event to one in eight
    for (size_t i = 0; i < size; ++i) g.matched[m][i] = rng() % density == 0;
  }
  g.log_end = (size == 0 ? t : g.times.back()) + static_cast<int64_t>(rng() % 50);
  return g;
}

TEST(ConditionEval, AgreesWithTheReferenceOnGeneratedGroups) {
  std::mt19937_64 rng(20261206);
  size_t held = 0, compared = 0;
  for (int round = 0; round < 6000; ++round) {
    const size_t size = round % 100 == 0 ? 3000 + rng() % 3000 : rng() % 120;
    const Group g = RandomGroup(rng, size);
    const Condition condition = RandomCondition(rng, 0);

    ReferenceInput reference{g.times, [&](size_t e, size_t m) { return static_cast<bool>(g.matched[m][e]); },
                             g.log_end};
    const ReferenceOutcome want = ReferenceCondition(condition, reference);

    GroupView view;
    view.size = size;
    view.matched.assign(kPatterns, Bitset(size));
    for (size_t i = 0; i < size; ++i) {
      view.times.Append(g.times[i]);
      for (size_t m = 0; m < kPatterns; ++m) {
        if (g.matched[m][i]) view.matched[m].Set(i);
      }
    }
    const ConditionOutcome got = EvaluateCondition(condition, {view, g.log_end});
    std::vector<size_t> got_evidence;
    for (size_t p = got.evidence.First(); p != Bitset::npos; p = got.evidence.Next(p + 1)) got_evidence.push_back(p);
    ASSERT_EQ(got.held, want.held) << "round " << round << " " << Describe(condition);
    ASSERT_EQ(got_evidence, want.evidence) << "round " << round << " " << Describe(condition);
    held += want.held;
    ++compared;
  }
  // The generator reaches both outcomes often: a comparison of only "false" would prove nothing.
  EXPECT_GT(held, compared / 5);
  EXPECT_LT(held, compared - compared / 5);
}

}  // namespace
}  // namespace dartdiag
