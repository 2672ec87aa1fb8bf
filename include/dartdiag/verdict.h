// Verdict: what a rule concluded about one group (e.g. one address family), with evidence.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dartdiag/capture.h"
#include "dartdiag/rule_pack.h"

namespace dartdiag {

struct EvidenceLine {
  std::string file;  // path inside the archive (or folder, or the loose file)
  uint64_t line = 0;
  std::string time;
  std::string text;
};

// Whether the condition still held when the log ended.
enum class EndState {
  kFailing,  // the last evidence is the last event of its group in its log
  kCleared,  // a `cleared_by` event came after the last evidence
  kUnknown,  // later events exist, none of them known to clear it
};
std::string_view EndStateName(EndState state);

// A protection's state over time in one group, rebuilt from its probes (see TimelineDef).
struct TimelineInterval {
  std::string state;  // "failing" or "ok"
  std::string from, to;
};

struct TimelineSummary {
  std::string id;
  std::string pattern;  // "persistent", "intermittent", "cleared" or "not failing"
  bool failing_at_end = false;
  uint64_t episodes = 0;        // failing intervals
  int64_t failing_seconds = 0;  // total time in them
  std::string cleared_at;       // start of the final "ok" interval after a failure
  std::vector<TimelineInterval> intervals;
};

struct Verdict {
  std::string rule;
  std::string title;
  std::string protection;
  std::string status;
  std::string family;  // "ipv4", "ipv6" or "" when it does not apply
  std::string group;   // the group_by value (equals family when grouping by family)
  Severity severity = Severity::kWarning;
  std::string summary, root_cause;
  std::vector<std::string> remediation;
  std::vector<Link> links;
  std::vector<std::string> notes;
  std::map<std::string, std::string> fields;  // typed fields of the last evidence event
  std::string first_seen, last_seen;
  uint64_t count = 0;                 // events that make up the evidence
  std::vector<EvidenceLine> evidence;  // at most kMaxEvidence: the first and the last ones
  EndState end_state = EndState::kUnknown;
  std::string cleared_at;  // time of the clearing event (kCleared)
  std::string log_end;     // time of the last event of the group in its log
  std::optional<CaptureCheck> capture;  // set when a packet capture was analysed with the bundle
  std::optional<TimelineSummary> timeline;  // when the rule names a timeline with observations
};

inline constexpr size_t kMaxEvidence = 10;

}  // namespace dartdiag
