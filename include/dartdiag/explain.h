// Explain: why a rule fired or did not. Each condition node of the rule, per group, with whether
// it held and the events that satisfied it (file:line), and for each event pattern the nearest
// misses: events of its log that matched the most of its field patterns but not all.
// Tested by explain_test.cc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dartdiag/event.h"
#include "dartdiag/verdict.h"

namespace dartdiag {

struct NodeTrace {
  int depth = 0;
  std::string label;  // the node in words (ConditionLabel)
  bool held = false;
  bool negated = false;              // under a "none of": holding is what the rule does not want
  uint64_t count = 0;                // events that satisfied it
  std::vector<EvidenceLine> events;  // the first few of them
};

struct GroupTrace {
  std::string group;  // the group_by value, "" when not grouped
  bool fired = false;
  std::vector<NodeTrace> nodes;  // pre-order
};

struct NearMiss {
  std::string pattern;  // the event pattern in words
  EvidenceLine event;
  std::vector<std::string> failed;  // "port \"443\" does not match /^53$/"
};

struct RuleExplanation {
  std::string rule;
  std::string title;
  std::vector<GroupTrace> groups;  // empty when no event matched any of its patterns
  std::vector<NearMiss> near_misses;
  bool fired() const;
  // "2 of 3 conditions held" for the best group; the labels of the first failing event nodes.
  size_t best_held() const;
  size_t total_nodes() const;
};

}  // namespace dartdiag
