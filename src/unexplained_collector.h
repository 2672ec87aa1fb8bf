// Collecting unexplained warnings (dartdiag/unexplained.h): masking typed parameters, the level
// check, and the collector that mines templates per log and source (template_miner.h). Memory is
// bounded by a cap on templates. Tested by unexplained_test.cc, mask_test.cc and
// template_miner_test.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/event.h"
#include "dartdiag/unexplained.h"

namespace dartdiag {

// The message with GUIDs, IP addresses, hex ids and numbers replaced by <guid>, <ip>, <hex>, <n>,
// and URLs, e-mail addresses, Windows paths and host names by <url>, <email>, <path>, <host>.
std::string MaskMessage(std::string_view message);
void MaskMessage(std::string_view message, std::string& out);  // into `out` (cleared first)

// True for warning and error levels: WARN, WARNING, ERROR, ERR, FATAL, CRITICAL (any case).
bool IsWarningLevel(std::string_view level);

class TemplateMiner;

// Templates held at most by default (--max-warning-templates).
inline constexpr size_t kDefaultMaxWarningTemplates = 1000;

// Masks each warning's message (MaskMessage) and mines templates per log and source (template_miner.h:
// a Drain-style prefix tree and similarity, plus per-position value sets). A message shape logged at
// several levels (WARN and ERROR) is one template that counts its events per level.
class UnexplainedCollector {
 public:
  explicit UnexplainedCollector(size_t max_templates = kDefaultMaxWarningTemplates);
  ~UnexplainedCollector();
  UnexplainedCollector(const UnexplainedCollector&) = delete;
  UnexplainedCollector& operator=(const UnexplainedCollector&) = delete;
  // Records `event` when its level is a warning or an error; `file` names it in the example.
  void Observe(const Event& event, const std::string& file);
  // Templates by count (most first), then by log, source, text and level.
  std::vector<WarningTemplate> Templates() const;
  uint64_t uncounted() const;  // events of new templates past the template cap
  size_t max_templates() const;

 private:
  struct Group {
    std::string log, source;
    LogTypeId log_type = 0;
  };
  uint32_t FindGroup(LogTypeId log_type, std::string_view source) const;  // or kNoGroup
  uint8_t LevelTag(std::string_view level);                               // the index of its spelling in levels_
  void IndexGroup(uint32_t id);
  static constexpr uint32_t kNoGroup = ~0u;
  std::unique_ptr<TemplateMiner> miner_;
  std::vector<Group> groups_;
  std::vector<uint32_t> group_slots_;  // open addressing by GroupHash: group index + 1, 0 for none
  std::vector<std::string> files_;
  std::vector<std::string> levels_;  // spellings seen, at most 256 (hostile logs: the rest share the last)
  std::string masked_;
};

}  // namespace dartdiag
