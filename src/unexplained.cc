// Unexplained warnings: the front of the template miner (see unexplained.h); masking is in
// message_masks.cc. Tested by unexplained_test.cc and template_miner_test.cc.
#include "dartdiag/unexplained.h"

#include <algorithm>
#include <tuple>

#include "log_types.h"
#include "template_miner.h"
#include "text_util.h"

namespace dartdiag {

bool IsWarningLevel(std::string_view level) {
  // Most events are DEBUG or INFO: rule them out on the first letter.
  const char first = level.empty() ? '\0' : static_cast<char>(level[0] | 0x20);
  if (first != 'w' && first != 'e' && first != 'f' && first != 'c') return false;
  for (std::string_view name : {"WARN", "WARNING", "ERROR", "ERR", "FATAL", "CRITICAL"}) {
    if (EqualsIgnoreCase(level, name)) return true;
  }
  return false;
}

UnexplainedCollector::UnexplainedCollector(size_t max_templates)
    : miner_(std::make_unique<TemplateMiner>(MinerOptions{.max_templates = max_templates})) {}
UnexplainedCollector::~UnexplainedCollector() = default;

void UnexplainedCollector::Observe(const Event& event, const std::string& file) {
  const std::string_view level = event.Get(FieldId::kLevel);
  if (!IsWarningLevel(level)) return;
  const std::string_view source = !event.Get(FieldId::kComponent).empty() ? event.Get(FieldId::kComponent)
                                                                           : event.Get(FieldId::kSource);
  // The group: log type, level as written, source; the length keeps level and source apart.
  const uint32_t level_size = static_cast<uint32_t>(level.size());
  key_.assign(1, static_cast<char>(event.log));
  key_.append(reinterpret_cast<const char*>(&level_size), sizeof level_size);
  key_.append(level).append(source);
  auto group = group_ids_.find(key_);
  if (group == group_ids_.end()) {
    if (miner_->templates() >= miner_->options().max_templates) {  // no new group past the cap
      miner_->CountUncounted();
      return;
    }
    group = group_ids_.emplace(key_, static_cast<uint32_t>(groups_.size())).first;
    groups_.push_back({std::string(GetLogType(event.log).id), std::string(level), std::string(source)});
  }
  if (files_.empty() || files_.back() != file) files_.push_back(file);
  MaskMessage(event.Get(FieldId::kMessage), masked_);
  miner_->Add(group->second, masked_, {event.time, files_.size() - 1, event.line, event.raw});
}

uint64_t UnexplainedCollector::uncounted() const { return miner_->uncounted(); }
size_t UnexplainedCollector::max_templates() const { return miner_->options().max_templates; }

std::vector<WarningTemplate> UnexplainedCollector::Templates() const {
  std::vector<WarningTemplate> out;
  for (MinedTemplate& m : miner_->Templates()) {
    const Group& g = groups_[m.group];
    out.push_back({g.log, g.level, g.source, std::move(m.text), m.count, std::move(m.first_seen), std::move(m.last_seen),
                   files_[m.example_file], m.example_line, std::move(m.example)});
  }
  std::stable_sort(out.begin(), out.end(), [](const WarningTemplate& a, const WarningTemplate& b) {
    return std::tie(b.count, a.log, a.level, a.source, a.text) < std::tie(a.count, b.log, b.level, b.source, b.text);
  });
  return out;
}

}  // namespace dartdiag
