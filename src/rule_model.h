// The compiled contents of a rule pack: event patterns (RE2), the condition tree, state models and
// the rule texts, as the engine reads them. Built by LoadRulePack (rule_pack.cc); the public
// header (dartdiag/rule_pack.h) only names them. docs/rules.md describes the language.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "dartdiag/event.h"
#include "dartdiag/rule_pack.h"
#include "dartdiag/severity.h"

namespace dartdiag {

// A pattern on one event: the log it comes from and RE2 patterns (searched, not anchored)
// on named fields. An event matches when every pattern finds a match in its field.
struct Matcher {
  LogTypeId log = 0;
  std::vector<std::pair<FieldId, std::unique_ptr<const re2::RE2>>> patterns;
  std::string json_path;  // where it was written, for messages
  bool Matches(const Event& event) const;
};

// A condition over the events of one group. Conditions that hold yield evidence events, so they
// nest: the steps of a sequence or the operands of not_followed_by are conditions themselves.
struct Condition {
  enum class Kind {
    kEvent,          // one event pattern
    kAllOf,          // every child holds
    kAnyOf,          // at least one child holds
    kSequence,       // children's events in this order (each step within `within` of the last)
    kNot,            // the child does not hold
    kNotFollowedBy,  // events of children[0] with no event of children[1] after them (within)
    kAtLeast,        // at least `count` events of children[0] (within a window of `within`)
  };
  Kind kind = Kind::kEvent;
  size_t matcher = 0;  // kEvent: index into Rule::matchers
  std::vector<Condition> children;
  std::optional<int64_t> within;  // seconds; none = no time bound (until the end of the log)
  uint64_t count = 0;             // kAtLeast
  std::string json_path;          // where it was written, for explain and messages
};

// "30s", "5m", "2h", "1d" or a number of seconds; nullopt when malformed.
std::optional<int64_t> ParseDuration(std::string_view text);

struct Note {
  size_t matcher = 0;  // the note applies when an evidence event matches it
  std::string text;
};

struct Example {
  std::vector<std::string> lines;  // lines of one log of the rule's first log type
  bool should_match = true;
  std::string json_path;
};

// A protection's state machine, the way the client keeps it (pack section "state_models"):
// observations read from the log move each group (e.g. each address family) among named states.
// An observation is the outcome of a probe cycle ("<cycle>:ok" when its start is followed by no
// failure within ok_after, "<cycle>:failed" on a failure or a fallback start) or an event that
// matches a pattern. Transitions are tried in order; an observation that none takes leaves the
// state as it is. docs/rules.md describes the language. Tested by state_model_test.cc.
enum class Health { kOk, kDegraded, kFailing, kUnknown };
std::string_view HealthName(Health health);

struct StateDef {
  std::string id;
  std::string label;  // as the client shows it, localized ("Unprotected")
  Health health = Health::kUnknown;
  // A pending state (e.g. port 443 rejected, the port 53 fallback not answered yet): when it leads
  // to a state that is not healthy, its interval and observations belong to that state.
  bool transient = false;
};

struct ProbeCycleDef {
  std::string id;
  size_t start = 0, fail = 0;      // matchers
  std::optional<size_t> fallback;  // matcher: a start that implies this open cycle failed
  int64_t ok_after = 0;            // seconds without failure after which the cycle succeeded
};

struct EventObservationDef {
  std::string id;
  size_t matcher = 0;
  bool failure = false;  // the event reports a failure (counted like a failed cycle)
};

struct Transition {
  std::vector<size_t> from;  // state indices; empty: from any state
  size_t on = 0;             // observation index (see StateModel::ObservationName)
  size_t to = 0;             // state index
};

struct StateModel {
  std::string id, protection, description;
  std::optional<FieldId> group_by;
  std::vector<StateDef> states;  // states[0] is the state before any observation
  std::vector<Matcher> matchers;
  std::vector<ProbeCycleDef> cycles;        // observations 2i ("id:ok") and 2i+1 ("id:failed")
  std::vector<EventObservationDef> events;  // observations 2 * cycles.size() + j
  std::vector<Transition> transitions;
  std::string source, json_path;

  size_t ObservationCount() const { return 2 * cycles.size() + events.size(); }
  std::string ObservationName(size_t observation) const;
  std::optional<size_t> FindObservation(std::string_view name) const;
  std::optional<size_t> FindState(std::string_view state_id) const;
  bool IsFailure(size_t observation) const;
};

// A rule that reads a state model instead of a condition: a verdict per group that was ever in
// `state`, counting the `count` observations of its episodes.
struct StateRef {
  std::string model;
  std::string state_name;                // as written ("is")
  std::vector<std::string> count_names;  // as written
  size_t model_index = 0;                // resolved at load, once every source is merged:
  size_t state = 0;                      // into the model's states
  std::vector<size_t> count;             // observations counted as the verdict's failures
  std::string json_path;
};

struct Rule {
  std::string id;
  std::string title;
  std::string protection;    // "dns" or "web"
  std::string status;        // as the client shows it, e.g. "Unprotected"
  std::string status_label;  // `status` in the chosen language, the pack's translation (JSON keeps `status`)
  Severity severity = Severity::kWarning;
  std::optional<FieldId> group_by;   // evaluate once per distinct value of this field
  Condition when;                    // unused when `state` is set
  std::optional<size_t> cleared_by;  // matcher: an event that ends the condition
  std::string summary, root_cause;   // may name fields as {family}, {port}, ...
  std::vector<std::string> remediation;
  std::vector<Link> links;
  std::vector<Note> notes;
  std::vector<Example> examples;
  std::vector<Matcher> matchers;  // every event pattern of this rule
  std::optional<StateRef> state;  // set: verdicts come from a state model, `when` is unused
  CaptureRef capture;             // what a capture can say about the problem
  std::string source;             // file the rule was loaded from
  std::string json_path;          // "/rules/N" in that file
};

// The event patterns whose logs a rule reads: its state model's, or its own.
const std::vector<Matcher>& PatternsRead(const RulePack& pack, const Rule& rule);

}  // namespace dartdiag
