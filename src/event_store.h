// The events the rule engine keeps, in bounded memory: every matched event as a fixed 40-byte
// record (time, order, file, line, a bitmask of the matched patterns, the interned group value),
// and the full text of only the first and the latest few matches of each pattern in each group,
// which is what verdicts show as evidence. Packs with more than 64 patterns or more than one
// grouping field keep the extra mask words and group values in flat side arrays, still without
// an allocation per record. Tested by rule_engine_test.cc and bench/memory.sh.
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
  struct Record {
    int64_t sort_time = 0;
    uint64_t seq = 0;
    uint64_t line = 0;
    uint64_t slots = 0;  // bit s set: the event matched pattern s (s < 64; the rest in the store)
    uint32_t file = 0;
    uint32_t group = 0;  // interned value of the first grouping field (0 = empty or none)
  };

  // `slot_group[s]` is the index into `group_fields` of slot s's rule grouping, or -1.
  EventStore(std::vector<FieldId> group_fields, std::vector<int> slot_group, size_t keep_per_window);

  // `slots`: indices of the patterns the event matched.
  void Add(const Event& event, size_t file, uint64_t seq, std::vector<uint32_t> slots);
  // The same with the matched patterns as a bitmask of words_per_mask() words (bit s of word
  // s / 64 for pattern s); the rule engine's path, with no allocation per event.
  void AddMatched(const Event& event, size_t file, uint64_t seq, std::span<const uint64_t> slot_words);

  size_t words_per_mask() const { return words_; }
  const std::vector<Record>& records() const { return records_; }
  // nullptr when not retained. Records are identified by address: pass those of records().
  const OwnedEvent* Text(const Record& record) const;
  bool Matched(const Record& record, uint32_t slot) const;
  bool MatchedAny(const Record& record, uint32_t begin, uint32_t end) const;  // a slot in [begin, end)
  // The interned value `id` of group field `field`; "" for 0.
  std::string_view GroupValue(FieldId field, uint32_t id) const;
  uint32_t GroupId(const Record& record, FieldId field) const;  // 0 when the field is not grouped

 private:
  struct Window {  // per (slot, group value): how many matches so far, and the latest few
    size_t seen = 0;
    std::deque<uint32_t> latest;  // record indices
  };
  struct Retained {
    OwnedEvent event;
    uint32_t refs = 0;
  };

  size_t IndexOf(const Record& record) const { return static_cast<size_t>(&record - records_.data()); }
  uint64_t SlotWord(const Record& record, size_t word) const;
  uint32_t GroupIdAt(const Record& record, size_t group_index) const;
  uint32_t Intern(size_t group_index, std::string_view value);
  void Release(uint32_t record_index);

  std::vector<FieldId> group_fields_;
  std::vector<int> slot_group_;
  size_t words_;  // mask words per record
  size_t keep_;
  std::vector<Record> records_;
  std::vector<uint64_t> extra_slots_;               // words 1.. of each record's mask (words_ - 1 per record)
  std::vector<uint32_t> extra_groups_;              // group values 1.. of each record (groups - 1 per record)
  std::unordered_map<uint32_t, uint32_t> text_of_;  // record index -> index into texts_
  std::vector<Retained> texts_;
  std::vector<uint32_t> free_texts_;
  std::map<std::pair<uint32_t, uint32_t>, Window> windows_;
  std::vector<std::map<std::string, uint32_t, std::less<>>> interned_;
  std::vector<std::vector<std::string>> values_;
  std::vector<uint32_t> scratch_groups_;
  std::vector<uint32_t> scratch_evicted_;
};

}  // namespace dartdiag
