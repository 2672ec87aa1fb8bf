// Tools for the people who write rules: run each rule's examples (`dartdiag rules check`), lint a
// pack (`rules lint`), and describe rules in words (`rules list`, `rules show`).
// Tested by rule_tools_test.cc.
#pragma once

#include <string>
#include <vector>

#include "rule_model.h"

namespace dartdiag {

struct ExampleResult {
  std::string rule;
  std::string json_path;  // of the example
  bool should_match = true;
  bool fired = false;
  bool passed() const { return should_match == fired; }
};

// Runs every example of every rule of `pack` through the parser of the rule's first log type and
// the whole pack; an example passes when the rule fires exactly when it should.
std::vector<ExampleResult> CheckExamples(const RulePack& pack);

struct LintFinding {
  std::string file;
  std::string json_path;  // "" when about the whole file
  std::string message;
};

// Lints each source on its own: load problems (bad JSON, unknown keys, patterns RE2 rejects, logs
// no parser produces, duplicate ids), rules without remediation or links, rules without examples
// or counter-examples, event patterns that no example line matches, and {placeholders} that name
// no field or a field no evidence event carries.
std::vector<LintFinding> LintRuleSources(const std::vector<RuleSource>& sources);

// The rule's condition in words, one line per node, indented by two spaces per level.
std::string DescribeCondition(const RulePack& pack, const Rule& rule);

// One event pattern in words: "an event of LOG where FIELD matches /RE/ and ...".
std::string DescribeMatcher(const Matcher& matcher);
// One condition node in words, without its children ("all of", an event pattern, ...).
std::string ConditionLabel(const Rule& rule, const Condition& condition);

}  // namespace dartdiag
