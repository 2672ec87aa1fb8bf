// The events the rule engine keeps, in bounded memory: every matched event as a small numeric
// record (time, order, file, line, matched patterns, group values), and the full text of only
// the first and the latest few matches of each pattern in each group, which is what verdicts show
// as evidence. Tested by rule_engine_test.cc and bench/memory.sh.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/event.h"

namespace dartdiag {

class EventStore {
 public:
  static constexpr uint32_t kNoText = UINT32_MAX;

  struct Record {
    int64_t sort_time = 0;
    uint64_t seq = 0;
    uint64_t line = 0;
    uint32_t file = 0;
    uint32_t text = kNoText;        // index of the retained text, or kNoText
    std::vector<uint32_t> slots;    // sorted indices of the patterns it matched
    std::vector<uint32_t> groups;   // interned value of each group field (0 = empty)
  };

  // `slot_group[s]` is the index into `group_fields` of slot s's rule grouping, or -1.
  EventStore(std::vector<FieldId> group_fields, std::vector<int> slot_group, size_t keep_per_window);

  void Add(const Event& event, size_t file, uint64_t seq, std::vector<uint32_t> slots);

  const std::vector<Record>& records() const { return records_; }
  const OwnedEvent* Text(const Record& record) const;  // nullptr when not retained
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

  uint32_t Intern(size_t group_index, std::string_view value);
  void Release(uint32_t record_index);

  std::vector<FieldId> group_fields_;
  std::vector<int> slot_group_;
  size_t keep_;
  std::vector<Record> records_;
  std::vector<Retained> texts_;
  std::vector<uint32_t> free_texts_;
  std::map<std::pair<uint32_t, uint32_t>, Window> windows_;
  std::vector<std::map<std::string, uint32_t, std::less<>>> interned_;
  std::vector<std::vector<std::string>> values_;
};

}  // namespace dartdiag
