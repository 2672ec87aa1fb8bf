// Unexplained warnings: WARN and ERROR events that no rule used, grouped into templates (typed
// parameters masked, then mined like Drain) with a count, first and last seen and one example, so
// a new failure type surfaces instead of hiding. Memory is bounded by a cap on templates.
// Tested by unexplained_test.cc.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dartdiag/event.h"

namespace dartdiag {

struct WarningTemplate {
  std::string log;    // log type id
  std::string level;  // as the log writes it; the most frequent when the template has several
  std::vector<std::pair<std::string, uint64_t>> levels;  // each level and its events, most first
  std::string source;                                    // component (plugin log) or source (event log)
  std::string text;                                      // the message with variable parts masked
  uint64_t count = 0;
  std::string first_seen, last_seen;
  std::string example_file;
  uint64_t example_line = 0;
  std::string example;  // one raw line
  // "WARN", or "WARN/ERROR" for a template logged at several levels (most first).
  std::string LevelsText() const;
};

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
