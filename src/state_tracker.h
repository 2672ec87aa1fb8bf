// State models over time: each protection's state per group (e.g. DNS per address family), moved
// by the observations the rule pack's "state_models" describe, and the verdicts of the rules that
// read those states. Memory grows with state changes and a bounded sample of evidence, not with
// events. Tested by state_model_test.cc and end_to_end_test.cc.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dartdiag/event.h"
#include "dartdiag/explain.h"
#include "log_ends.h"
#include "rule_model.h"
#include "dartdiag/verdict.h"

namespace dartdiag {

class MatcherIndex;

// Not for use from several threads at once, const members included: they settle cycles through
// lists and buffers the tracker keeps for reuse.
class StateTracker {
 public:
  explicit StateTracker(const RulePack& pack);
  ~StateTracker();
  StateTracker(const StateTracker&) = delete;
  StateTracker& operator=(const StateTracker&) = delete;

  // Feed every event of every file, in file order; `file` indexes the caller's file list. Returns
  // whether the event was an observation of some model (a rule used it).
  bool Observe(const Event& event, size_t file);
  // The same, with the slots `event` matches already known (bit s for matchers()[s]).
  bool Observe(const Event& event, size_t file, std::span<const uint64_t> matched);
  // Every pattern of every model, in slot order.
  const std::vector<const Matcher*>& matchers() const { return matchers_; }
  // The events the models have room for: the most sightings they held at once (open cycles, a
  // transient state's), not the sightings seen. For tests.
  size_t event_slots() const;

  // The verdicts of the pack's state rules, one per rule and group that was ever in the rule's
  // state; `file_paths[i]` names file i in evidence. Settles cycles still open (a copy: the
  // tracker is unchanged).
  std::vector<Verdict> Verdicts(const std::vector<std::string>& file_paths, const LogEnds& ends) const;

  // For explain: state rule `rule_index`'s model per group, one node per interval (held: in the
  // rule's state), with the evidence of the rule.
  std::vector<GroupTrace> Trace(size_t rule_index, const std::vector<std::string>& file_paths,
                                const LogEnds& ends) const;

 private:
  struct Model;
  struct Group;
  std::vector<std::unique_ptr<Model>> models_;
  std::vector<std::vector<Model*>> by_log_;  // LogTypeId -> the models that read it, in pack order
  std::vector<const Matcher*> matchers_;     // slot -> pattern
  std::unique_ptr<MatcherIndex> index_;      // built on the first Observe without `matched`
  const RulePack& pack_;
  uint64_t seq_ = 0;
};

}  // namespace dartdiag
