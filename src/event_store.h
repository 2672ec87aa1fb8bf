// The evidence texts the rule engine keeps, in bounded memory: the full text of only the first and
// the latest few matches of each pattern in each group, which is what verdicts show as evidence;
// and the interned values of the grouping fields. The events themselves go to each rule's
// EventColumn (event_column.h), a few bytes each. Tested by rule_engine_test.cc and
// bench/memory.sh.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dartdiag/event.h"

namespace dartdiag {

class EventStore {
 public:
  // `slot_group[s]` is the index into `group_fields` of slot s's rule grouping, or -1.
  EventStore(std::vector<FieldId> group_fields, std::vector<int> slot_group, size_t keep_per_window);

  // An event that matched the patterns in `slot_words` (bit s of word s / 64 for pattern s):
  // interns its group values and keeps its text while it is among the first or the latest few
  // matches of a (pattern, group value) window. Returns the interned value of each group field
  // (0 = empty), valid until the next call.
  std::span<const uint32_t> Add(const Event& event, size_t file, uint64_t seq, std::span<const uint64_t> slot_words);
  // The same with the matched patterns listed (tests).
  void Add(const Event& event, size_t file, uint64_t seq, const std::vector<uint32_t>& slots);

  const OwnedEvent* Text(uint64_t seq) const;  // nullptr when not kept
  // The interned value `id` of group field `group_index`; "" for 0.
  std::string_view GroupValue(size_t group_index, uint32_t id) const { return values_[group_index][id]; }
  size_t texts_kept() const { return text_of_.size(); }

 private:
  struct Window {  // per (slot, group value): how many matches so far, and the latest few
    size_t seen = 0;
    std::deque<uint64_t> latest;  // seqs
  };
  struct Retained {
    OwnedEvent event;
    uint32_t refs = 0;
  };

  uint32_t Intern(size_t group_index, std::string_view value);
  void Release(uint64_t seq);

  std::vector<FieldId> group_fields_;
  std::vector<int> slot_group_;
  size_t keep_;
  std::unordered_map<uint64_t, uint32_t> text_of_;  // seq -> index into texts_
  std::vector<Retained> texts_;
  std::vector<uint32_t> free_texts_;
  std::unordered_map<uint64_t, Window> windows_;  // by slot << 32 | group value
  std::vector<std::map<std::string, uint32_t, std::less<>>> interned_;
  std::vector<std::vector<std::string>> values_;
  std::vector<uint32_t> scratch_groups_;
  std::vector<uint64_t> scratch_evicted_;
};

}  // namespace dartdiag
