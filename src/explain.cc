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

// Trace of one node and its children over one group's events; `positions[i]` are the events
// shown for out[i], read afterwards in one pass over the group.
static void TraceNode(const Rule& rule, const Condition& condition, const ConditionInput& input, int depth,
                      bool negated, std::vector<NodeTrace>& out, std::vector<std::vector<size_t>>& positions) {
  const ConditionOutcome outcome = EvaluateCondition(condition, input);
  out.push_back({depth, ConditionLabel(rule, condition), outcome.held, negated, outcome.evidence.Count(), {}});
  auto& shown = positions.emplace_back();
  for (size_t pos = outcome.evidence.First(); pos != Bitset::npos && shown.size() < kTraceEvents;
       pos = outcome.evidence.Next(pos + 1))
    shown.push_back(pos);
  const bool child_negated = negated != (condition.kind == Condition::Kind::kNot);
  for (const Condition& child : condition.children)
    TraceNode(rule, child, input, depth + 1, child_negated, out, positions);
}

std::vector<GroupTrace> RuleEngine::Trace(size_t rule_index, const std::vector<std::string>& file_paths) const {
  std::vector<GroupTrace> groups;
  const Rule& rule = pack_.rules[rule_index];
  if (rule.state) return groups;  // a state rule has no condition tree: its timeline explains it
  for (const auto& [group, column] : Groups(rule_index)) {
    const GroupView view = ViewOf(*column, rule.matchers.size());
    GroupTrace trace;
    trace.group = group;
    std::vector<std::vector<size_t>> positions;
    TraceNode(rule, rule.when, {view, LogEndOf(rule_index, group)}, 0, false, trace.nodes, positions);
    std::vector<size_t> wanted;
    for (const auto& shown : positions) wanted.insert(wanted.end(), shown.begin(), shown.end());
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    const std::vector<ColumnEvent> events = EventsAt(*column, wanted);
    for (size_t n = 0; n < trace.nodes.size(); ++n) {
      for (size_t pos : positions[n]) {
        const size_t k = static_cast<size_t>(std::lower_bound(wanted.begin(), wanted.end(), pos) - wanted.begin());
        trace.nodes[n].events.push_back(LineOf(events.at(k), file_paths));
      }
    }
    trace.fired = trace.nodes.front().held && trace.nodes.front().count > 0;
    groups.push_back(std::move(trace));
  }
  return groups;
}

}  // namespace dartdiag
