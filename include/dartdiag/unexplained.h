// Unexplained warnings: WARN and ERROR events that no rule used, grouped into templates (numbers,
// hex ids, addresses and GUIDs masked) with a count, first and last seen and one example, so a
// new failure type surfaces instead of hiding. Memory is bounded by a cap on distinct templates.
// Tested by unexplained_test.cc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "dartdiag/event.h"

namespace dartdiag {

struct WarningTemplate {
  std::string log;       // log type id
  std::string level;     // as the log writes it
  std::string source;    // component (plugin log) or source (event log)
  std::string text;      // the message with variable parts masked
  uint64_t count = 0;
  std::string first_seen, last_seen;
  std::string example_file;
  uint64_t example_line = 0;
  std::string example;   // one raw line
};

// The message with GUIDs, IP addresses, hex ids and numbers replaced by <guid>, <ip>, <hex>, <n>.
std::string MaskMessage(std::string_view message);

// True for warning and error levels: WARN, WARNING, ERROR, ERR, FATAL, CRITICAL (any case).
bool IsWarningLevel(std::string_view level);

class UnexplainedCollector {
 public:
  explicit UnexplainedCollector(size_t max_templates = 1000) : max_(max_templates) {}
  // Records `event` when its level is a warning or an error; `file` names it in the example.
  void Observe(const Event& event, const std::string& file);
  // Templates by count (most first), then by text.
  std::vector<WarningTemplate> Templates() const;
  uint64_t uncounted() const { return uncounted_; }  // events past the template cap

 private:
  size_t max_;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, WarningTemplate> templates_;
  uint64_t uncounted_ = 0;
};

}  // namespace dartdiag
