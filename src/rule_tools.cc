// Rule examples, lint and descriptions in words (see rule_tools.h). Tested by rule_tools_test.cc.
#include "dartdiag/rule_tools.h"

#include <algorithm>

#include <fmt/format.h>

#include "dartdiag/error.h"
#include "dartdiag/log_types.h"
#include "dartdiag/rule_engine.h"

namespace dartdiag {
namespace {

// Marks which of a rule's event patterns some example line matches.
class CoverageSink final : public EventSink {
 public:
  CoverageSink(const Rule& rule, std::vector<bool>& covered) : rule_(rule), covered_(covered) {}
  void OnEvent(const Event& event) override {
    for (size_t m = 0; m < rule_.matchers.size(); ++m) {
      if (rule_.matchers[m].Matches(event)) covered_[m] = true;
    }
  }
  void OnUnparsed(uint64_t, std::string_view) override {}

 private:
  const Rule& rule_;
  std::vector<bool>& covered_;
};

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string Window(const Condition& condition, std::string_view unbounded) {
  return condition.within ? fmt::format("within {} s", *condition.within) : std::string(unbounded);
}

void Describe(const Rule& rule, const Condition& condition, int depth, std::string& out) {
  const std::string indent(static_cast<size_t>(depth) * 2, ' ');
  switch (condition.kind) {
    case Condition::Kind::kEvent:
      out += indent + DescribeMatcher(rule.matchers[condition.matcher]) + "\n";
      return;
    case Condition::Kind::kAllOf: out += indent + "all of:\n"; break;
    case Condition::Kind::kAnyOf: out += indent + "any of:\n"; break;
    case Condition::Kind::kNot: out += indent + "none of:\n"; break;
    case Condition::Kind::kSequence:
      out += indent + fmt::format("in this order{}:\n", condition.within ? ", each step " + Window(condition, "") : "");
      break;
    case Condition::Kind::kNotFollowedBy:
      out += indent + "an event of:\n";
      Describe(rule, condition.children[0], depth + 1, out);
      out += indent + fmt::format("not followed {} by:\n", Window(condition, "until the end of the log"));
      Describe(rule, condition.children[1], depth + 1, out);
      return;
    case Condition::Kind::kAtLeast:
      out += indent + fmt::format("at least {} {} of:\n", condition.count, Window(condition, "in all"));
      break;
  }
  for (const Condition& child : condition.children) Describe(rule, child, depth + 1, out);
}

}  // namespace

std::string DescribeMatcher(const Matcher& matcher) {
  std::string out = fmt::format("an event of {}", GetLogType(matcher.log).id);
  for (size_t i = 0; i < matcher.patterns.size(); ++i) {
    out += fmt::format("{} {} matches /{}/", i == 0 ? " where" : " and", FieldName(matcher.patterns[i].first),
                       matcher.patterns[i].second->pattern());
  }
  return out;
}

std::string ConditionLabel(const Rule& rule, const Condition& condition) {
  switch (condition.kind) {
    case Condition::Kind::kEvent: return DescribeMatcher(rule.matchers[condition.matcher]);
    case Condition::Kind::kAllOf: return "all of";
    case Condition::Kind::kAnyOf: return "any of";
    case Condition::Kind::kNot: return "none of";
    case Condition::Kind::kSequence:
      return condition.within ? "in this order, each step " + Window(condition, "") : "in this order";
    case Condition::Kind::kNotFollowedBy:
      return "the first not followed " + Window(condition, "until the end of the log") + " by the second";
    case Condition::Kind::kAtLeast: return fmt::format("at least {} {} of", condition.count, Window(condition, "in all"));
  }
  return "";
}

std::vector<ExampleResult> CheckExamples(const RulePack& pack) {
  std::vector<ExampleResult> results;
  for (const Rule& rule : pack.rules) {
    if (rule.matchers.empty()) continue;
    const LogTypeId log = rule.matchers.front().log;
    for (const Example& example : rule.examples) {
      const auto verdicts = EvaluateText(pack, log, Joined(example.lines));
      const bool fired = std::any_of(verdicts.begin(), verdicts.end(), [&](const Verdict& v) { return v.rule == rule.id; });
      results.push_back({rule.id, example.json_path, example.should_match, fired});
    }
  }
  return results;
}

std::vector<LintFinding> LintRuleSources(const std::vector<RuleSource>& sources) {
  std::vector<LintFinding> findings;
  for (const RuleSource& source : sources) {
    RulePack pack;
    try {
      pack = LoadRulePack({source});
    } catch (const Error& e) {
      // Load problems are "FILE: /path: problem" lines, or "FILE: line L, column C: problem" for
      // a text that is not JSON; keep each as a finding, the JSON path apart when there is one.
      std::string_view text = e.what();
      while (!text.empty()) {
        const size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        line.remove_prefix(std::min(line.size(), source.name.size() + 2));
        const size_t colon = line.starts_with('/') ? line.find(": ") : std::string_view::npos;
        findings.push_back({source.name, colon == std::string_view::npos ? "" : std::string(line.substr(0, colon)),
                            colon == std::string_view::npos ? std::string(line) : std::string(line.substr(colon + 2))});
        text.remove_prefix(std::min(text.size(), end + 1));
      }
      continue;
    }
    for (size_t r = 0; r < pack.rules.size(); ++r) {
      const Rule& rule = pack.rules[r];
      const std::string path = fmt::format("/rules/{}", r);
      if (rule.remediation.empty()) findings.push_back({source.name, path, fmt::format("rule '{}' has no remediation", rule.id)});
      if (rule.links.empty()) findings.push_back({source.name, path, fmt::format("rule '{}' has no links", rule.id)});
      const bool has_match = std::any_of(rule.examples.begin(), rule.examples.end(), [](const Example& e) { return e.should_match; });
      const bool has_no_match = std::any_of(rule.examples.begin(), rule.examples.end(), [](const Example& e) { return !e.should_match; });
      if (!has_match) findings.push_back({source.name, path, fmt::format("rule '{}' has no example that must match", rule.id)});
      if (!has_no_match) findings.push_back({source.name, path, fmt::format("rule '{}' has no example that must not match", rule.id)});
      std::vector<bool> covered(rule.matchers.size(), false);
      CoverageSink sink(rule, covered);
      for (const Example& example : rule.examples) {
        if (!rule.matchers.empty()) ParseText(rule.matchers.front().log, Joined(example.lines), sink);
      }
      for (size_t m = 0; m < rule.matchers.size(); ++m) {
        if (!covered[m]) {
          findings.push_back({source.name, rule.matchers[m].json_path,
                              fmt::format("rule '{}': no example line matches this pattern", rule.id)});
        }
      }
    }
  }
  return findings;
}

std::string DescribeCondition(const Rule& rule) {
  std::string out;
  if (rule.group_by) out += fmt::format("for each {} separately:\n", FieldName(*rule.group_by));
  Describe(rule, rule.when, rule.group_by ? 1 : 0, out);
  if (rule.cleared_by) out += "cleared by " + DescribeMatcher(rule.matchers[*rule.cleared_by]) + "\n";
  return out;
}

}  // namespace dartdiag
