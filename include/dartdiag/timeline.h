// Timelines: each protection's state over time per group (e.g. DNS per address family), rebuilt
// from probe cycles and failures as the rule pack's "timelines" describe, into failing and ok
// intervals. Memory grows with state changes, not with events; matching goes through the same
// MatcherIndex as the rule engine. Tested by timeline_test.cc.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "dartdiag/event.h"
#include "dartdiag/rule_pack.h"
#include "dartdiag/verdict.h"

namespace dartdiag {

class MatcherIndex;

class TimelineBuilder {
 public:
  explicit TimelineBuilder(const RulePack& pack);
  ~TimelineBuilder();
  TimelineBuilder(const TimelineBuilder&) = delete;
  TimelineBuilder& operator=(const TimelineBuilder&) = delete;

  void Observe(const Event& event);
  // The same, with the slots `event` matches already known (see RuleEngine::Observe).
  void Observe(const Event& event, std::span<const uint64_t> matched);
  // The fail, ok and start patterns of every timeline, in slot order.
  const std::vector<const Matcher*>& matchers() const { return matchers_; }
  // The timeline of `id` for group value `group` ("" when not grouped); nullopt without observations.
  std::optional<TimelineSummary> Summary(const std::string& id, const std::string& group) const;

 private:
  struct Run {
    bool failing;
    int64_t from_t, to_t;
    std::string from, to;
  };
  struct Group {
    std::string value;
    std::vector<Run> runs;
    std::vector<std::pair<int64_t, std::string>> pending;  // probe cycles not yet known ok
    int64_t last_t = 0;
    std::string last;
  };
  struct Def {
    const TimelineDef* def;
    int fail = -1, ok = -1, start = -1;  // slots in the index
    std::vector<Group> groups;           // a handful of values: searched linearly
  };
  static void Record(Group& group, bool failing, int64_t t, std::string_view time);
  static void Settle(const TimelineDef& def, Group& group, int64_t now, bool at_end);

  std::vector<Def> defs_;
  std::vector<const Matcher*> matchers_;  // slot -> pattern
  std::unique_ptr<MatcherIndex> index_;   // built on the first Observe without `matched`
};

}  // namespace dartdiag
