// Explain: condition traces per group (RuleEngine::Trace) and nearest misses (NearMissFinder).
// Tested by explain_test.cc.
#include "dartdiag/explain.h"

#include <algorithm>

#include <fmt/format.h>

#include "condition_eval.h"
#include "rule_engine.h"
#include "near_miss.h"
#include "rule_tools.h"

namespace dartdiag {
namespace {

constexpr size_t kTraceEvents = 3;
constexpr size_t kNearMisses = 2;

}  // namespace

bool RuleExplanation::fired() const {
  return std::any_of(groups.begin(), groups.end(), [](const GroupTrace& g) { return g.fired; });
}

size_t RuleExplanation::best_held() const {
  size_t best = 0;
  for (const GroupTrace& g : groups) {
    best = std::max<size_t>(best,
                            std::count_if(g.nodes.begin(), g.nodes.end(), [](const NodeTrace& n) { return n.held; }));
  }
  return best;
}

size_t RuleExplanation::total_nodes() const { return groups.empty() ? 0 : groups.front().nodes.size(); }

NearMissFinder::NearMissFinder(const RulePack& pack, std::vector<size_t> rules)
    : pack_(pack), rules_(std::move(rules)) {}

void NearMissFinder::Observe(const Event& event, const std::string& file) {
  for (size_t r : rules_) {
    const Rule& rule = pack_.rules[r];
    for (size_t m = 0; m < rule.matchers.size(); ++m) {
      const Matcher& matcher = rule.matchers[m];
      if (matcher.log != event.log || matcher.patterns.empty()) continue;
      size_t score = 0;
      std::vector<std::string> failed;
      for (const auto& [field, re] : matcher.patterns) {
        const std::string_view value = event.Get(field);
        if (RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re)) {
          ++score;
        } else {
          failed.push_back(
              fmt::format("{} \"{}\" does not match /{}/", FieldName(field), value.substr(0, 120), re->pattern()));
        }
      }
      if (score == 0 || failed.empty()) continue;  // nothing in common, or a full match
      auto& best = best_[{r, m}];
      // Keep the highest scores; among equals, the latest events.
      best.push_back({score, {file, event.line, std::string(event.time), std::string(event.raw)}, std::move(failed)});
      std::stable_sort(best.begin(), best.end(),
                       [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
      if (best.size() > kNearMisses) {
        // Drop the oldest among the lowest score.
        const size_t low = best.back().score;
        const auto first_low =
            std::find_if(best.begin(), best.end(), [&](const Candidate& c) { return c.score == low; });
        best.erase(first_low);
      }
    }
  }
}

std::vector<NearMiss> NearMissFinder::For(size_t r) const {
  std::vector<NearMiss> out;
  const Rule& rule = pack_.rules[r];
  for (size_t m = 0; m < rule.matchers.size(); ++m) {
    const auto it = best_.find({r, m});
    if (it == best_.end()) continue;
    const size_t best = it->second.front().score;  // sorted by score, best first
    for (const Candidate& c : it->second) {
      if (c.score == best) out.push_back({DescribeMatcher(rule.matchers[m]), c.event, c.failed});
    }
  }
  return out;
}

// Trace of one node and its children over one group's events.
static void TraceNode(const Rule& rule, const Condition& condition, const ConditionInput& input, int depth,
                      bool negated, const std::function<EvidenceLine(size_t)>& line, std::vector<NodeTrace>& out) {
  const ConditionOutcome outcome = EvaluateCondition(condition, input);
  NodeTrace node{depth, ConditionLabel(rule, condition), outcome.held, negated, outcome.evidence.size(), {}};
  for (size_t i = 0; i < outcome.evidence.size() && i < kTraceEvents; ++i)
    node.events.push_back(line(outcome.evidence[i]));
  out.push_back(std::move(node));
  const bool child_negated = negated != (condition.kind == Condition::Kind::kNot);
  for (const Condition& child : condition.children) TraceNode(rule, child, input, depth + 1, child_negated, line, out);
}

std::vector<GroupTrace> RuleEngine::Trace(size_t rule_index, const std::vector<std::string>& file_paths) const {
  std::vector<GroupTrace> groups;
  const Rule& rule = pack_.rules[rule_index];
  if (rule.state) return groups;  // a state rule has no condition tree: its timeline explains it
  for (const auto& [group, events] : Groups(rule_index)) {
    const ConditionInput input = InputFor(rule_index, group, events);
    GroupTrace trace;
    trace.group = group;
    const auto line = [&, ev = &events](size_t i) {
      const Record& record = *(*ev)[i];
      const OwnedEvent* text = TextOf(record);
      return EvidenceLine{file_paths.at(record.file), record.line, TimeOf(record),
                          text != nullptr ? text->raw : std::string(kTextNotRecalled)};
    };
    TraceNode(rule, rule.when, input, 0, false, line, trace.nodes);
    trace.fired = trace.nodes.front().held && trace.nodes.front().count > 0;
    groups.push_back(std::move(trace));
  }
  return groups;
}

}  // namespace dartdiag
