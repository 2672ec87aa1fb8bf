// Bounded storage of evidence texts for the rule engine (see event_store.h).
// Tested by rule_engine_test.cc and bench/memory.sh.
#include "event_store.h"

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

void EventStore::Add(const Event& event, size_t file, uint64_t seq, const std::vector<uint32_t>& slots) {
  std::vector<uint64_t> words((slot_group_.size() + 63) / 64, 0);
  for (uint32_t slot : slots) words.at(slot / 64) |= uint64_t{1} << (slot % 64);
  Add(event, file, seq, words);
}

std::span<const uint32_t> EventStore::Add(const Event& event, size_t file, uint64_t seq,
                                          std::span<const uint64_t> slot_words) {
  scratch_groups_.clear();
  for (size_t g = 0; g < group_fields_.size(); ++g) scratch_groups_.push_back(Intern(g, event.Get(group_fields_[g])));

  // Retain the text while the event is among the first or the latest few of a window.
  uint32_t refs = 0;
  scratch_evicted_.clear();
  for (size_t w = 0; w < slot_words.size(); ++w) {
    for (uint64_t bits = slot_words[w]; bits != 0; bits &= bits - 1) {
      const auto slot = static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
      if (slot >= slot_group_.size()) continue;
      const int g = slot_group_[slot];
      const uint32_t group = g < 0 ? 0 : scratch_groups_[static_cast<size_t>(g)];
      Window& window = windows_[uint64_t{slot} << 32 | group];
      ++refs;
      if (window.seen++ < keep_) continue;  // among the first: kept for good
      window.latest.push_back(seq);
      if (window.latest.size() > keep_) {
        scratch_evicted_.push_back(window.latest.front());
        window.latest.pop_front();
      }
    }
  }
  for (uint64_t old : scratch_evicted_) Release(old);  // first: the new text can take a freed slot
  if (refs > 0) {
    uint32_t text = 0;
    if (!free_texts_.empty()) {  // its strings' storage is reused: no allocation per event
      text = free_texts_.back();
      free_texts_.pop_back();
    } else {
      text = static_cast<uint32_t>(texts_.size());
      texts_.emplace_back();
    }
    texts_[text].event.Assign(event, file, seq);
    texts_[text].refs = refs;
    text_of_[seq] = text;
  }
  return scratch_groups_;
}

void EventStore::Release(uint64_t seq) {
  const auto it = text_of_.find(seq);
  if (it == text_of_.end()) return;
  Retained& retained = texts_[it->second];
  if (--retained.refs > 0) return;
  free_texts_.push_back(it->second);  // keeps the strings' storage for the next text
  text_of_.erase(it);
}

const OwnedEvent* EventStore::Text(uint64_t seq) const {
  const auto it = text_of_.find(seq);
  return it == text_of_.end() ? nullptr : &texts_[it->second].event;
}

}  // namespace dartdiag
