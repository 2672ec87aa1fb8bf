// Rule examples, lint and descriptions in words (see rule_tools.h). Tested by rule_tools_test.cc.
#include "rule_tools.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "condition_grammar.h"
#include "dartdiag/error.h"
#include "log_types.h"
#include "rule_engine.h"

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

void Describe(const Rule& rule, const Condition& condition, int depth, std::string& out) {
  const std::string indent(static_cast<size_t>(depth) * 2, ' ');
  if (condition.kind == Condition::Kind::kEvent) {
    out += indent + DescribeMatcher(rule.matchers[condition.matcher]) + "\n";
    return;
  }
  if (condition.kind == Condition::Kind::kNotFollowedBy &&
      condition.children.size() == 2) {  // the label, split around its operands
    out += indent + "an event of:\n";
    Describe(rule, condition.children[0], depth + 1, out);
    out += indent + fmt::format("not followed {} by:\n", WindowWords(condition, "until the end of the log"));
    Describe(rule, condition.children[1], depth + 1, out);
    return;
  }
  out += indent + FormLabel(condition) + ":\n";
  for (const Condition& child : condition.children) Describe(rule, child, depth + 1, out);
}

// The log types a rule's evidence events can come from: the event patterns of `when`, except
// under the operands that yield no evidence ("not", the "then" of not_followed_by).
void EvidenceLogs(const Rule& rule, const Condition& condition, std::set<std::string_view>& logs) {
  if (condition.kind == Condition::Kind::kEvent) {
    logs.insert(GetLogType(rule.matchers[condition.matcher].log).id);
    return;
  }
  for (size_t i = 0; i < condition.children.size(); ++i) {
    if (YieldsEvidence(condition, i)) EvidenceLogs(rule, condition.children[i], logs);
  }
}

bool IsIdentifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Placeholders the engine cannot fill: {name} that names no field stays in the report as written
// (a typo such as {famliy}); a field no evidence event's log carries is always empty.
void LintPlaceholders(const RulePack& pack, const Rule& rule, const std::string& file, const std::string& path,
                      std::vector<LintFinding>& findings) {
  std::set<std::string_view> logs;
  if (rule.state) {  // a state rule's evidence comes from its model's patterns; it has no `when`
    for (const Matcher& m : PatternsRead(pack, rule)) logs.insert(GetLogType(m.log).id);
  } else {
    EvidenceLogs(rule, rule.when, logs);
  }
  std::vector<std::pair<std::string, const std::string*>> texts = {{path + "/summary", &rule.summary},
                                                                   {path + "/root_cause", &rule.root_cause}};
  for (size_t i = 0; i < rule.remediation.size(); ++i)
    texts.emplace_back(fmt::format("{}/remediation/{}", path, i), &rule.remediation[i]);
  for (size_t i = 0; i < rule.notes.size(); ++i)
    texts.emplace_back(fmt::format("{}/notes/{}/text", path, i), &rule.notes[i].text);
  for (const auto& [text_path, text] : texts) {
    // The same scan as the engine's expansion: from each '{' to the next '}'.
    for (size_t pos = 0;;) {
      const size_t open = text->find('{', pos);
      const size_t close = open == std::string::npos ? open : text->find('}', open);
      if (close == std::string::npos) break;
      pos = close + 1;
      const std::string name = text->substr(open + 1, close - open - 1);
      if (!IsIdentifier(name)) continue;
      const auto field = FieldByName(name);
      if (!field) {
        std::string nearest;
        for (size_t f = 0; f < kFieldCount; ++f) {
          const std::string_view candidate = FieldName(static_cast<FieldId>(f));
          if (EditDistance(name, candidate) <= 2 && nearest.empty()) nearest = candidate;
        }
        const std::string hint = nearest.empty() ? "" : fmt::format(" (did you mean {{{}}}?)", nearest);
        findings.push_back(
            {file, text_path,
             fmt::format("rule '{}': placeholder {{{}}} names no field, so the report shows it as written{}", rule.id,
                         name, hint)});
        continue;
      }
      if (rule.group_by == *field || logs.empty()) continue;  // the group's value fills the grouping field
      const bool carried = std::any_of(logs.begin(), logs.end(), [&](std::string_view log) {
        const auto fields = GetLogType(*LogTypeById(log)).fields;
        return std::find(fields.begin(), fields.end(), *field) != fields.end();
      });
      if (!carried) {
        std::string names;
        for (std::string_view log : logs) names += fmt::format("{}{}", names.empty() ? "" : " or ", log);
        findings.push_back({file, text_path,
                            fmt::format("rule '{}': placeholder {{{}}} is always empty: no event of {} carries {}",
                                        rule.id, name, names, name)});
      }
    }
  }
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
  if (condition.kind == Condition::Kind::kEvent) return DescribeMatcher(rule.matchers[condition.matcher]);
  return FormLabel(condition);
}

std::vector<ExampleResult> CheckExamples(const RulePack& pack) {
  std::vector<ExampleResult> results;
  for (const Rule& rule : pack.rules) {
    const std::vector<Matcher>& read = PatternsRead(pack, rule);
    if (read.empty()) continue;
    const LogTypeId log = read.front().log;
    for (const Example& example : rule.examples) {
      const auto verdicts = EvaluateText(pack, log, Joined(example.lines));
      const bool fired =
          std::any_of(verdicts.begin(), verdicts.end(), [&](const Verdict& v) { return v.rule == rule.id; });
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
      if (rule.remediation.empty())
        findings.push_back({source.name, path, fmt::format("rule '{}' has no remediation", rule.id)});
      if (rule.links.empty()) findings.push_back({source.name, path, fmt::format("rule '{}' has no links", rule.id)});
      const bool has_match =
          std::any_of(rule.examples.begin(), rule.examples.end(), [](const Example& e) { return e.should_match; });
      const bool has_no_match =
          std::any_of(rule.examples.begin(), rule.examples.end(), [](const Example& e) { return !e.should_match; });
      if (!has_match)
        findings.push_back({source.name, path, fmt::format("rule '{}' has no example that must match", rule.id)});
      if (!has_no_match)
        findings.push_back({source.name, path, fmt::format("rule '{}' has no example that must not match", rule.id)});
      LintPlaceholders(pack, rule, source.name, path, findings);
      std::vector<bool> covered(rule.matchers.size(), false);
      CoverageSink sink(rule, covered);
      const std::vector<Matcher>& read = PatternsRead(pack, rule);
      for (const Example& example : rule.examples) {
        if (!read.empty()) ParseText(read.front().log, Joined(example.lines), sink);
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

namespace {

// A state rule in words: the model, the state, what leads into it and what it counts.
std::string DescribeState(const RulePack& pack, const Rule& rule) {
  const StateRef& ref = *rule.state;
  const StateModel& model = pack.models.at(ref.model_index);
  const StateDef& state = model.states.at(ref.state);
  std::string out =
      fmt::format("state model '{}'{}: in state '{}' ({}, {}{})\n", model.id,
                  model.group_by ? fmt::format(", for each {} separately", FieldName(*model.group_by)) : "", state.id,
                  state.label, HealthName(state.health), state.transient ? ", transient" : "");
  for (const Transition& t : model.transitions) {
    if (t.to != ref.state) continue;
    std::string from;
    for (size_t f : t.from) from += (from.empty() ? "" : ", ") + model.states.at(f).id;
    out += fmt::format("  entered on {}{}\n", model.ObservationName(t.on), from.empty() ? "" : " from " + from);
  }
  for (const Transition& t : model.transitions) {
    if (t.to == ref.state) continue;
    if (!t.from.empty() && std::find(t.from.begin(), t.from.end(), ref.state) == t.from.end()) continue;
    out += fmt::format("  left on {} (to '{}', {})\n", model.ObservationName(t.on), model.states.at(t.to).id,
                       HealthName(model.states.at(t.to).health));
  }
  std::string counted;
  for (size_t o : ref.count) counted += (counted.empty() ? "" : ", ") + model.ObservationName(o);
  if (!counted.empty()) out += "  counts " + counted + "\n";
  for (const ProbeCycleDef& c : model.cycles) {
    out += fmt::format(
        "  cycle {}: starts on {}; fails on {}{}; succeeds with no failure within {}s or when the next cycle starts\n",
        c.id, DescribeMatcher(model.matchers.at(c.start)), DescribeMatcher(model.matchers.at(c.fail)),
        c.fallback ? " or when " + DescribeMatcher(model.matchers.at(*c.fallback)) + " starts" : "", c.ok_after);
  }
  for (const EventObservationDef& e : model.events) {
    out += fmt::format("  event {}: {}{}\n", e.id, DescribeMatcher(model.matchers.at(e.matcher)),
                       e.failure ? " (a failure)" : "");
  }
  return out;
}

}  // namespace

std::string DescribeCondition(const RulePack& pack, const Rule& rule) {
  if (rule.state) return DescribeState(pack, rule);
  std::string out;
  if (rule.group_by) out += fmt::format("for each {} separately:\n", FieldName(*rule.group_by));
  Describe(rule, rule.when, rule.group_by ? 1 : 0, out);
  if (rule.cleared_by) out += "cleared by " + DescribeMatcher(rule.matchers[*rule.cleared_by]) + "\n";
  return out;
}

}  // namespace dartdiag
