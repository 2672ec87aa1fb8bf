// Rules stage: match every parsed event against the rule pack's event patterns, keep the events
// some pattern matched in each rule's per-group EventColumn (a few bytes each), then evaluate
// each rule's condition per group over bitsets and build verdicts.
// Tested by rule_engine_test.cc and end_to_end_test.cc.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "dartdiag/event.h"
#include "rule_model.h"
#include "event_column.h"
#include "event_store.h"
#include "log_ends.h"
#include "dartdiag/explain.h"
#include "dartdiag/verdict.h"

namespace dartdiag {

class MatcherIndex;

extern const char* const kTextNotRecalled;  // the evidence text of a line that could not be recalled

class RuleEngine {
 public:
  explicit RuleEngine(const RulePack& pack);
  ~RuleEngine();
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;

  // Feed every event of every file, in file order. `file` indexes the caller's file list.
  // Returns whether a rule's condition used the event (a pattern of a `when` or `cleared_by`);
  // events that only a note's pattern matched are kept too, but do not count as used.
  bool Observe(const Event& event, size_t file);
  // The same, with the slots `event` matches already known: bit s of `matched` for matchers()[s],
  // from a MatcherIndex the caller shares with other observers (one matching pass per event).
  bool Observe(const Event& event, size_t file, std::span<const uint64_t> matched);
  // At most `max` matched events are kept (counted once per rule that keeps them); later matches
  // are not (the caller reports the cap).
  void SetMaxKept(uint64_t max) { max_kept_ = max; }
  bool kept_capped() const { return kept_capped_; }  // a matched event was not kept
  // Every event pattern of every rule, in slot order.
  const std::vector<const Matcher*>& matchers() const { return matchers_; }

  // Evaluates every rule; `file_paths[i]` names file i in evidence, `ends` says where each file
  // ends (a verdict's log_end).
  std::vector<Verdict> Finish(const std::vector<std::string>& file_paths, const LogEnds& ends) const;

  // For explain: rule `rule_index`'s condition tree evaluated per group (explain.cc).
  std::vector<GroupTrace> Trace(size_t rule_index, const std::vector<std::string>& file_paths) const;

  // Texts a report needs but the store did not keep. The store keeps the text of the first and the
  // latest few events of each pattern and group; a condition can pick an event in between (a
  // `not_followed_by` whose unfollowed event has many followed ones after it). Finish and Trace
  // note every event (by arrival order, Event::seq) whose text they needed and did not find;
  // the caller reads the input again, gives those events to Recall, and evaluates again.
  const std::set<uint64_t>& missing_texts() const { return missing_; }
  void Recall(const OwnedEvent& event);  // event.seq must be the arrival order Observe counted
  void ForgetMissing() { missing_.clear(); }

 private:
  struct Slot {  // one event pattern of one rule
    size_t rule;
    const Matcher* matcher;
  };
  struct GroupEnd {  // the last event of one group value in one file
    uint64_t seq = 0;
    int64_t sort_time = 0;
  };
  // Per (file, group field): value -> last event. FieldId::kCount stands for "no grouping".
  using GroupEnds = std::map<std::pair<size_t, FieldId>, std::map<std::string, GroupEnd, std::less<>>>;
  struct RuleColumns {                       // one condition rule's kept events
    int group_index = -1;                    // into group_fields_; -1: not grouped
    size_t words = 1;                        // mask words per event: one bit per pattern of the rule
    std::map<uint32_t, EventColumn> groups;  // by interned group value (0 when not grouped)
  };

  // The rule's groups in name order.
  std::vector<std::pair<std::string, const EventColumn*>> Groups(size_t rule_index) const;
  int64_t LogEndOf(size_t rule_index, const std::string& group) const;
  Verdict MakeVerdict(const Rule& rule, const std::string& group, const EventColumn& column, const GroupView& view,
                      const Bitset& evidence, const std::vector<std::string>& file_paths) const;
  // The GroupEnd entries of the current file met so far, per grouping field: (value, entry).
  using EndCache = std::vector<std::pair<const std::string*, GroupEnd*>>;
  static constexpr size_t kEndCacheSize = 8;
  void Keep(const Event& event, size_t file, std::span<const uint64_t> matched);
  void NoteGroupEnd(const Event& event, size_t file, FieldId field, EndCache& cache);
  const GroupEnd* FindGroupEnd(size_t file, FieldId field, std::string_view value) const;
  int64_t GroupEndTime(FieldId field, std::string_view value) const;  // latest over all files
  std::string TimeOf(const ColumnEvent& event) const;                 // its stated time, or one rebuilt from sort_time
  // The event's text: kept by the store, or recalled; nullptr (and noted as missing) otherwise.
  const OwnedEvent* TextOf(const ColumnEvent& event) const;
  EvidenceLine LineOf(const ColumnEvent& event, const std::vector<std::string>& file_paths) const;

  const RulePack& pack_;
  std::vector<Slot> slots_;
  std::vector<size_t> first_slot_;  // first slot index of each rule
  std::vector<FieldId> group_fields_;
  std::unique_ptr<EventStore> store_;
  std::vector<RuleColumns> columns_;  // per rule (empty for state rules)
  std::vector<size_t> slot_rule_;     // slot -> rule
  std::vector<uint64_t> rule_mask_;   // scratch: one rule's pattern mask
  uint64_t kept_ = 0;
  std::vector<uint64_t> condition_mask_;  // bit per slot: a `when` or `cleared_by` pattern
  std::vector<const Matcher*> matchers_;  // slot -> pattern
  std::unique_ptr<MatcherIndex> index_;   // built on the first Observe without `matched`
  GroupEnds group_ends_;
  std::vector<EndCache> end_cache_;  // [0]: no grouping, [1 + g]: group_fields_[g]
  size_t end_cache_file_ = SIZE_MAX;
  uint64_t seq_ = 0;
  uint64_t max_kept_ = UINT64_MAX;
  bool kept_capped_ = false;
  std::map<uint64_t, OwnedEvent> recalled_;  // by seq: texts read again for a report
  mutable std::set<uint64_t> missing_;       // seqs of texts needed and not found
};

// Runs `pack` over one log given as text (rule examples, tests): parses it with the log type's
// parser, observes every event and evaluates; evidence names the file `name`.
std::vector<Verdict> EvaluateText(const RulePack& pack, LogTypeId log, std::string_view text,
                                  const std::string& name = "example");

}  // namespace dartdiag
