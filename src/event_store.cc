// Bounded storage of matched events for the rule engine (see event_store.h).
// Tested by rule_engine_test.cc and bench/memory.sh.
#include "event_store.h"

#include <algorithm>
#include <functional>

namespace dartdiag {

static_assert(sizeof(EventStore::Record) == 40, "a kept event costs 40 bytes");

EventStore::EventStore(std::vector<FieldId> group_fields, std::vector<int> slot_group, size_t keep_per_window)
    : group_fields_(std::move(group_fields)),
      slot_group_(std::move(slot_group)),
      words_(std::max<size_t>(1, (slot_group_.size() + 63) / 64)),
      keep_(keep_per_window),
      interned_(group_fields_.size()),
      values_(group_fields_.size(), std::vector<std::string>{""}) {}

uint32_t EventStore::Intern(size_t group_index, std::string_view value) {
  if (value.empty()) return 0;
  auto& ids = interned_[group_index];
  if (const auto it = ids.find(value); it != ids.end()) return it->second;
  const auto id = static_cast<uint32_t>(values_[group_index].size());
  values_[group_index].emplace_back(value);
  ids.emplace(std::string(value), id);
  return id;
}

void EventStore::Add(const Event& event, size_t file, uint64_t seq, std::vector<uint32_t> slots) {
  std::vector<uint64_t> words(std::max(words_, slots.empty() ? size_t{1} : slots.back() / 64 + 1), 0);
  for (uint32_t slot : slots) words[slot / 64] |= uint64_t{1} << (slot % 64);
  words.resize(words_);
  AddMatched(event, file, seq, words);
}

void EventStore::AddMatched(const Event& event, size_t file, uint64_t seq, std::span<const uint64_t> slot_words) {
  Record record;
  record.sort_time = event.sort_time;
  record.seq = seq;
  record.line = event.line;
  record.file = static_cast<uint32_t>(file);
  record.slots = slot_words.empty() ? 0 : slot_words[0];
  scratch_groups_.clear();
  for (size_t g = 0; g < group_fields_.size(); ++g) scratch_groups_.push_back(Intern(g, event.Get(group_fields_[g])));
  if (!scratch_groups_.empty()) record.group = scratch_groups_[0];
  const auto index = static_cast<uint32_t>(records_.size());

  // Retain the text while the event is among the first or the latest few of a window.
  uint32_t refs = 0;
  scratch_evicted_.clear();
  for (size_t w = 0; w < slot_words.size(); ++w) {
    for (uint64_t bits = slot_words[w]; bits != 0; bits &= bits - 1) {
      const auto slot = static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
      const int g = slot_group_[slot];
      Window& window = windows_[{slot, g < 0 ? 0 : scratch_groups_[static_cast<size_t>(g)]}];
      ++refs;
      if (window.seen++ < keep_) continue;  // among the first: kept for good
      window.latest.push_back(index);
      if (window.latest.size() > keep_) {
        scratch_evicted_.push_back(window.latest.front());
        window.latest.pop_front();
      }
    }
  }
  uint32_t text = 0;
  if (!free_texts_.empty()) {
    text = free_texts_.back();
    free_texts_.pop_back();
    texts_[text] = {OwnedEvent::From(event, file, seq), refs};
  } else {
    text = static_cast<uint32_t>(texts_.size());
    texts_.push_back({OwnedEvent::From(event, file, seq), refs});
  }
  text_of_[index] = text;
  records_.push_back(record);
  for (size_t w = 1; w < words_; ++w) extra_slots_.push_back(w < slot_words.size() ? slot_words[w] : 0);
  for (size_t g = 1; g < scratch_groups_.size(); ++g) extra_groups_.push_back(scratch_groups_[g]);
  for (uint32_t old : scratch_evicted_) Release(old);
}

void EventStore::Release(uint32_t record_index) {
  const auto it = text_of_.find(record_index);
  if (it == text_of_.end()) return;
  Retained& retained = texts_[it->second];
  if (--retained.refs > 0) return;
  retained.event = OwnedEvent();  // frees the strings
  free_texts_.push_back(it->second);
  text_of_.erase(it);
}

const OwnedEvent* EventStore::Text(const Record& record) const {
  const std::less<const Record*> before;
  if (before(&record, records_.data()) || !before(&record, records_.data() + records_.size())) return nullptr;
  const auto it = text_of_.find(static_cast<uint32_t>(IndexOf(record)));
  return it == text_of_.end() ? nullptr : &texts_[it->second].event;
}

// Word 0 and group 0 live in the record itself; the others in the side arrays, found by the
// record's position in records_.
uint64_t EventStore::SlotWord(const Record& record, size_t word) const {
  if (word == 0) return record.slots;
  if (word >= words_) return 0;
  return extra_slots_.at(IndexOf(record) * (words_ - 1) + word - 1);
}

bool EventStore::Matched(const Record& record, uint32_t slot) const {
  return (SlotWord(record, slot / 64) >> (slot % 64)) & 1;
}

bool EventStore::MatchedAny(const Record& record, uint32_t begin, uint32_t end) const {
  for (uint32_t slot = begin; slot < end;) {
    const uint32_t word = slot / 64, bit = slot % 64;
    const uint32_t span = std::min<uint32_t>(64 - bit, end - slot);
    const uint64_t mask = (span == 64 ? ~uint64_t{0} : ((uint64_t{1} << span) - 1)) << bit;
    if (SlotWord(record, word) & mask) return true;
    slot += span;
  }
  return false;
}

uint32_t EventStore::GroupIdAt(const Record& record, size_t group_index) const {
  if (group_index == 0) return record.group;
  return extra_groups_.at(IndexOf(record) * (group_fields_.size() - 1) + group_index - 1);
}

std::string_view EventStore::GroupValue(FieldId field, uint32_t id) const {
  const auto it = std::find(group_fields_.begin(), group_fields_.end(), field);
  if (it == group_fields_.end()) return {};
  return values_[static_cast<size_t>(it - group_fields_.begin())][id];
}

uint32_t EventStore::GroupId(const Record& record, FieldId field) const {
  const auto it = std::find(group_fields_.begin(), group_fields_.end(), field);
  return it == group_fields_.end() ? 0 : GroupIdAt(record, static_cast<size_t>(it - group_fields_.begin()));
}

}  // namespace dartdiag
