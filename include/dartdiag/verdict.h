// Verdict: what a rule concluded about one group (e.g. one address family), with evidence.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dartdiag/capture.h"
#include "dartdiag/rule_pack.h"
#include "dartdiag/severity.h"

namespace dartdiag {

struct EvidenceLine {
  std::string file;  // path inside the archive (or folder, or the loose file)
  uint64_t line = 0;
  std::string time;
  std::string text;
};

// Whether the verdict's problem still held when the log ended.
enum class EndState {
  kFailing,  // still in the problem state (a condition rule: its last evidence ends its group)
  kCleared,  // over: the state moved on (recovered, or changed to another known state)
  kUnknown,  // the log cannot tell (later records say nothing either way)
};
std::string_view EndStateName(EndState state);

// One interval of a protection's state in one group.
struct TimelineInterval {
  std::string state;   // the state model's state id ("unprotected", "encrypted", ...)
  std::string label;   // as the client shows it
  std::string health;  // "ok", "degraded", "failing" or "unknown"
  std::string from, to;
};

// The state over time of the group a verdict is about, and the episodes of the verdict's state.
struct TimelineSummary {
  std::string id;                  // the state model
  std::string pattern;             // "persistent", "intermittent", "cleared" or "unknown" (see docs/rules.md)
  bool failing_at_end = false;     // in the verdict's state at the end of the log
  uint64_t episodes = 0;           // intervals in the verdict's state
  int64_t failing_seconds = 0;     // total time in them
  std::string cleared_at;          // end of the last episode, when it ended before the log did
  bool open_cycle_at_end = false;  // a probe cycle was still open when the log ended
  std::vector<TimelineInterval> intervals;
};

struct Verdict {
  std::string rule;
  std::string title;
  std::string protection;
  std::string status;        // the rule's status word, in English: what JSON shows
  std::string status_label;  // the same in the report's language (the rule pack's translation)
  std::string family;        // "ipv4", "ipv6" or "" when it does not apply
  std::string group;         // the group_by value (equals family when grouping by family)
  Severity severity = Severity::kWarning;
  std::string summary, root_cause;
  std::vector<std::string> remediation;
  std::vector<Link> links;
  std::vector<std::string> notes;
  std::map<std::string, std::string> fields;  // typed fields of the last evidence event
  std::string first_seen, last_seen;
  uint64_t count = 0;                  // events that make up the evidence
  std::vector<EvidenceLine> evidence;  // at most kMaxEvidence: the first and the last ones
  uint64_t evidence_total = 0;         // evidence lines found, shown or not
  EndState end_state = EndState::kUnknown;
  std::string since;                    // start of the last episode (state rules) or first evidence
  std::string cleared_at;               // when the problem ended (kCleared), or when it stopped being known (kUnknown)
  std::string now;                      // the state at the end of the log, as the client shows it ("" when not known)
  std::string log_end;                  // time of the last event of the group in its log
  CaptureRef capture_ref;               // the rule's capture check and needed flow
  std::optional<CaptureCheck> capture;  // set when a packet capture was analysed with the bundle
  std::optional<TimelineSummary> timeline;  // state rules: the group's states over time
};

// A verdict drives the exit code unless its problem is known to have cleared (or, with
// ever_failed, always).
inline bool DrivesExitCode(const Verdict& v, bool ever_failed = false) {
  return ever_failed || v.end_state != EndState::kCleared;
}

inline constexpr size_t kMaxEvidence = 10;

}  // namespace dartdiag
