// Nearest misses for explain: per event pattern of the rules being explained, the few events that
// matched the most of its field patterns without matching all. Fed by the analysis pipeline,
// read into RuleExplanation (dartdiag/explain.h). Tested by explain_test.cc.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "dartdiag/explain.h"
#include "rule_model.h"

namespace dartdiag {

// Watches every event for the event patterns of the rules being explained and keeps, per
// pattern, the few events that matched the most of its field patterns without matching all.
class NearMissFinder {
 public:
  NearMissFinder(const RulePack& pack, std::vector<size_t> rules);
  void Observe(const Event& event, const std::string& file);
  std::vector<NearMiss> For(size_t rule) const;

 private:
  struct Candidate {
    size_t score = 0;
    EvidenceLine event;
    std::vector<std::string> failed;
  };
  const RulePack& pack_;
  std::vector<size_t> rules_;
  std::map<std::pair<size_t, size_t>, std::vector<Candidate>> best_;  // (rule, matcher)
};

}  // namespace dartdiag
