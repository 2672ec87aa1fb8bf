// Unexplained warnings: the front of the template miner (see unexplained.h); masking is in
// message_masks.cc. Tested by unexplained_test.cc and template_miner_test.cc.
#include "unexplained_collector.h"

#include <algorithm>
#include <tuple>

#include "log_types.h"
#include "template_miner.h"
#include "text_util.h"

namespace dartdiag {

bool IsWarningLevel(std::string_view level) {
  // Called for every event: the length and the first letter leave at most one name to compare.
  const char first = level.empty() ? '\0' : static_cast<char>(level[0] | 0x20);
  switch (level.size()) {
    case 3: return first == 'e' && EqualsIgnoreCase(level, "ERR");
    case 4: return first == 'w' && EqualsIgnoreCase(level, "WARN");
    case 5: return first == 'e' ? EqualsIgnoreCase(level, "ERROR") : first == 'f' && EqualsIgnoreCase(level, "FATAL");
    case 7: return first == 'w' && EqualsIgnoreCase(level, "WARNING");
    case 8: return first == 'c' && EqualsIgnoreCase(level, "CRITICAL");
    default: return false;
  }
}

UnexplainedCollector::UnexplainedCollector(size_t max_templates)
    : miner_(std::make_unique<TemplateMiner>(MinerOptions{.max_templates = max_templates})) {}
UnexplainedCollector::~UnexplainedCollector() = default;

namespace {

// A cheap hash of a group (log type, source): the sizes and a few bytes; a hit is then compared in
// full. Far cheaper per warning than building a key string and hashing all of it.
uint64_t GroupHash(LogTypeId log_type, std::string_view source) {
  const auto byte = [](std::string_view s, size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  uint64_t h = (uint64_t{log_type} << 56) ^ (uint64_t{source.size()} << 24) ^ (byte(source, 0) << 8) ^
               byte(source, source.size() / 2) ^ (uint64_t{byte(source, source.size() - 1)} << 32);
  h *= 0x9E3779B97F4A7C15u;
  return h ^ (h >> 31);
}

}  // namespace

uint32_t UnexplainedCollector::FindGroup(LogTypeId log_type, std::string_view source) const {
  if (group_slots_.empty()) return kNoGroup;
  const size_t mask = group_slots_.size() - 1;
  for (size_t i = GroupHash(log_type, source) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = group_slots_[i];
    if (slot == 0) return kNoGroup;
    const Group& g = groups_[slot - 1];
    if (g.log_type == log_type && g.source == source) return slot - 1;
  }
}

void UnexplainedCollector::IndexGroup(uint32_t id) {
  if (2 * (groups_.size() + 1) > group_slots_.size()) {  // at most half full: rebuild twice as large
    group_slots_.assign(std::max<size_t>(64, 2 * group_slots_.size()), 0);
    for (uint32_t g = 0; g < groups_.size(); ++g) {
      if (g != id) IndexGroup(g);
    }
  }
  const Group& g = groups_[id];
  const size_t mask = group_slots_.size() - 1;
  size_t i = GroupHash(g.log_type, g.source) & mask;
  while (group_slots_[i] != 0) i = (i + 1) & mask;
  group_slots_[i] = id + 1;
}

void UnexplainedCollector::Observe(const Event& event, const std::string& file) {
  const std::string_view level = event.Get(FieldId::kLevel);
  if (!IsWarningLevel(level)) return;
  const std::string_view source =
      !event.Get(FieldId::kComponent).empty() ? event.Get(FieldId::kComponent) : event.Get(FieldId::kSource);
  // The group: log type and source; the level is counted per template.
  const LogTypeId log_type = event.log;
  uint32_t group = FindGroup(log_type, source);
  if (group == kNoGroup) {
    if (miner_->templates() >= miner_->options().max_templates) {  // no new group past the cap
      miner_->CountUncounted();
      return;
    }
    group = static_cast<uint32_t>(groups_.size());
    groups_.push_back({std::string(GetLogType(event.log).id), std::string(source), log_type});
    IndexGroup(group);
  }
  if (files_.empty() || files_.back() != file) files_.push_back(file);
  MaskMessage(event.Get(FieldId::kMessage), masked_);
  miner_->Add(group, masked_, {event.time, files_.size() - 1, event.line, event.raw, LevelTag(level)});
}

uint8_t UnexplainedCollector::LevelTag(std::string_view level) {
  for (size_t i = 0; i < levels_.size(); ++i) {
    if (levels_[i] == level) return static_cast<uint8_t>(i);
  }
  if (levels_.size() == 256) return 255;  // more spellings than a real log has: the last slot takes them
  levels_.emplace_back(level);
  return static_cast<uint8_t>(levels_.size() - 1);
}

std::string WarningTemplate::LevelsText() const {
  if (levels.size() <= 1) return level;
  std::string out;
  for (const auto& entry : levels) out += (out.empty() ? "" : "/") + entry.first;
  return out;
}

uint64_t UnexplainedCollector::uncounted() const { return miner_->uncounted(); }
size_t UnexplainedCollector::max_templates() const { return miner_->options().max_templates; }

std::vector<WarningTemplate> UnexplainedCollector::Templates() const {
  std::vector<WarningTemplate> out;
  for (MinedTemplate& m : miner_->Templates()) {
    const Group& g = groups_[m.group];
    std::vector<std::pair<std::string, uint64_t>> levels;
    for (size_t t = 0; t < m.tag_counts.size(); ++t) {
      if (m.tag_counts[t] > 0) levels.emplace_back(levels_[t], m.tag_counts[t]);
    }
    std::stable_sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) {
      return std::tie(b.second, a.first) < std::tie(a.second, b.first);
    });
    const std::string level = levels.empty() ? std::string() : levels.front().first;
    out.push_back({g.log, level, std::move(levels), g.source, std::move(m.text), m.count, std::move(m.first_seen),
                   std::move(m.last_seen), files_[m.example_file], m.example_line, std::move(m.example)});
  }
  std::stable_sort(out.begin(), out.end(), [](const WarningTemplate& a, const WarningTemplate& b) {
    return std::tie(b.count, a.log, a.source, a.text, a.level) < std::tie(a.count, b.log, b.source, b.text, b.level);
  });
  return out;
}

}  // namespace dartdiag
