// Unexplained warnings in the report: WARN and ERROR events that no rule used, grouped into
// templates (typed parameters masked, then mined like Drain) with a count, first and last seen and
// one example, so a new failure type surfaces instead of hiding. Collected by the engine
// (src/unexplained_collector.h). Tested by unexplained_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

}  // namespace dartdiag
