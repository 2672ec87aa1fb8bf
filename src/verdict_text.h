// Verdict texts shared by the rule engine and the state tracker: {field} placeholders filled from
// an event, and the typed fields a verdict reports (internal header). Tested by
// rule_engine_test.cc and state_model_test.cc.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "dartdiag/event.h"
#include "rule_model.h"
#include "dartdiag/verdict.h"

namespace dartdiag {

// Replaces {field} with the value of that field in `event` ({family} reads "IPv4"/"IPv6"); the
// grouping field falls back to the group's value. Unknown names stay as written.
std::string ExpandFields(const std::string& text, const OwnedEvent& event, std::optional<FieldId> group_by,
                         const std::string& group);

// The typed fields (family, port, candidates, fail_open, ...) `event` states, by name.
std::map<std::string, std::string> TypedFields(const OwnedEvent& event);

// A verdict's fields that come from its rule, for one group, with texts expanded from `last` (the
// group's last evidence event): id, title, status, severity, summary, root cause, remediation,
// links, capture reference and typed fields. Notes, evidence and times are the caller's.
Verdict VerdictFromRule(const Rule& rule, const std::string& group, const OwnedEvent& last);

}  // namespace dartdiag
