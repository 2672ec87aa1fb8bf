// Rule packs: JSON files that carry every detection pattern, loaded, validated and compiled
// (RE2) here. The default pack (src/rules/default_rules.json) is embedded in the binary;
// `--rules FILE` adds rules or overrides rules with the same id. The language is documented in
// docs/rules.md. Tested by rule_pack_test.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "dartdiag/event.h"


namespace dartdiag {

enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };
std::string_view SeverityName(Severity severity);
std::optional<Severity> SeverityByName(std::string_view name);

// A pattern on one event: the log it comes from and RE2 patterns (searched, not anchored)
// on named fields. An event matches when every pattern finds a match in its field.
struct Matcher {
  LogTypeId log = 0;
  std::vector<std::pair<FieldId, std::unique_ptr<const re2::RE2>>> patterns;
  std::string json_path;  // where it was written, for messages
  bool Matches(const Event& event) const;
};

struct Condition {
  enum class Kind { kEvent, kAllOf, kAnyOf, kSequence, kNot };
  Kind kind = Kind::kEvent;
  size_t matcher = 0;  // kEvent: index into Rule::matchers
  std::vector<Condition> children;
};

struct Link {
  std::string title;
  std::string url;
};

struct Note {
  size_t matcher = 0;  // the note applies when an evidence event matches it
  std::string text;
};

struct Example {
  std::vector<std::string> lines;  // lines of one log of the rule's first log type
  bool should_match = true;
  std::string json_path;
};

struct Rule {
  std::string id;
  std::string title;
  std::string protection;  // "dns" or "web"
  std::string status;      // as the client shows it, e.g. "Unprotected"
  Severity severity = Severity::kWarning;
  std::optional<FieldId> group_by;  // evaluate once per distinct value of this field
  Condition when;
  std::optional<size_t> cleared_by;  // matcher: an event that ends the condition
  std::string summary, root_cause;    // may name fields as {family}, {port}, ...
  std::vector<std::string> remediation;
  std::vector<Link> links;
  std::vector<Note> notes;
  std::vector<Example> examples;
  std::vector<Matcher> matchers;  // every event pattern of this rule
  std::string source;             // file the rule was loaded from
};

struct RulePack {
  std::vector<Rule> rules;
};

struct RuleSource {
  std::string name;  // file path, or "<default>" for the embedded pack
  std::string text;
};

// Parses, validates and compiles the sources in order; a later rule with an existing id replaces
// it. Throws Error(kUsage) listing every problem, one per line, as "FILE: /json/path: problem".
RulePack LoadRulePack(const std::vector<RuleSource>& sources);

// The embedded default pack.
RuleSource DefaultRuleSource();

// Reads a rule file from disk; throws Error(kUsage) naming it when it cannot be read.
RuleSource ReadRuleSource(const std::string& path);

}  // namespace dartdiag
