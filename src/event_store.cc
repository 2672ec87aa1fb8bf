// Bounded storage of matched events for the rule engine (see event_store.h).
// Tested by rule_engine_test.cc and bench/memory.sh.
#include "dartdiag/event_store.h"

#include <algorithm>

namespace dartdiag {

EventStore::EventStore(std::vector<FieldId> group_fields, std::vector<int> slot_group, size_t keep_per_window)
    : group_fields_(std::move(group_fields)),
      slot_group_(std::move(slot_group)),
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
  Record record;
  record.sort_time = event.sort_time;
  record.seq = seq;
  record.line = event.line;
  record.file = static_cast<uint32_t>(file);
  for (size_t g = 0; g < group_fields_.size(); ++g) record.groups.push_back(Intern(g, event.Get(group_fields_[g])));
  const auto index = static_cast<uint32_t>(records_.size());

  // Retain the text while the event is among the first or the latest few of a window.
  uint32_t refs = 0;
  std::vector<uint32_t> evicted;
  for (uint32_t slot : slots) {
    const int g = slot_group_[slot];
    Window& window = windows_[{slot, g < 0 ? 0 : record.groups[static_cast<size_t>(g)]}];
    ++refs;
    if (window.seen++ < keep_) continue;  // among the first: kept for good
    window.latest.push_back(index);
    if (window.latest.size() > keep_) {
      evicted.push_back(window.latest.front());
      window.latest.pop_front();
    }
  }
  record.slots = std::move(slots);
  uint32_t text = kNoText;
  if (!free_texts_.empty()) {
    text = free_texts_.back();
    free_texts_.pop_back();
    texts_[text] = {OwnedEvent::From(event, file, seq), refs};
  } else {
    text = static_cast<uint32_t>(texts_.size());
    texts_.push_back({OwnedEvent::From(event, file, seq), refs});
  }
  record.text = text;
  records_.push_back(std::move(record));
  for (uint32_t old : evicted) Release(old);
}

void EventStore::Release(uint32_t record_index) {
  Record& record = records_[record_index];
  if (record.text == kNoText) return;
  Retained& retained = texts_[record.text];
  if (--retained.refs > 0) return;
  retained.event = OwnedEvent();  // frees the strings
  free_texts_.push_back(record.text);
  record.text = kNoText;
}

const OwnedEvent* EventStore::Text(const Record& record) const {
  return record.text == kNoText ? nullptr : &texts_[record.text].event;
}

std::string_view EventStore::GroupValue(FieldId field, uint32_t id) const {
  const auto it = std::find(group_fields_.begin(), group_fields_.end(), field);
  if (it == group_fields_.end()) return {};
  return values_[static_cast<size_t>(it - group_fields_.begin())][id];
}

uint32_t EventStore::GroupId(const Record& record, FieldId field) const {
  const auto it = std::find(group_fields_.begin(), group_fields_.end(), field);
  return it == group_fields_.end() ? 0 : record.groups[static_cast<size_t>(it - group_fields_.begin())];
}

}  // namespace dartdiag
