// Rules stage: event matching, per-group condition evaluation, verdict construction.
// Tested by rule_engine_test.cc and end_to_end_test.cc.
#include "dartdiag/rule_engine.h"

#include "condition_eval.h"

#include <algorithm>
#include <set>

namespace dartdiag {
namespace {

// Typed fields reported with a verdict (from its last evidence event).
constexpr FieldId kTypedFields[] = {FieldId::kFamily,   FieldId::kPort,  FieldId::kCandidates,
                                    FieldId::kFailOpen, FieldId::kCMode, FieldId::kTMode};

std::string FamilyDisplay(std::string_view family) {
  if (family == "ipv4") return "IPv4";
  if (family == "ipv6") return "IPv6";
  return std::string(family);
}

// Replaces {field} with the value of that field in `event` ({family} reads "IPv4"/"IPv6").
std::string Expand(const std::string& text, const OwnedEvent& event) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    const size_t close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) {
      out.append(text, pos);
      break;
    }
    out.append(text, pos, open - pos);
    const std::string name = text.substr(open + 1, close - open - 1);
    if (const auto field = FieldByName(name)) {
      const std::string& value = event.Get(*field);
      out += *field == FieldId::kFamily ? FamilyDisplay(value) : value;
    } else {
      out.append(text, open, close - open + 1);
    }
    pos = close + 1;
  }
  return out;
}


}  // namespace

std::string_view EndStateName(EndState state) {
  switch (state) {
    case EndState::kFailing: return "failing";
    case EndState::kCleared: return "cleared";
    case EndState::kUnknown: return "unknown";
  }
  return "unknown";
}

RuleEngine::RuleEngine(const RulePack& pack) : pack_(pack) {
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    first_slot_.push_back(slots_.size());
    for (const Matcher& matcher : pack.rules[r].matchers) slots_.push_back({r, &matcher});
    if (const auto field = pack.rules[r].group_by;
        field && std::find(group_fields_.begin(), group_fields_.end(), *field) == group_fields_.end()) {
      group_fields_.push_back(*field);
    }
  }
  first_slot_.push_back(slots_.size());
}

void RuleEngine::Observe(const Event& event, size_t file) {
  ++seq_;
  NoteGroupEnd(event, file, FieldId::kCount);
  for (FieldId field : group_fields_) NoteGroupEnd(event, file, field);

  std::vector<uint32_t> matched;
  for (size_t s = 0; s < slots_.size(); ++s) {
    if (slots_[s].matcher->Matches(event)) matched.push_back(static_cast<uint32_t>(s));
  }
  if (!matched.empty()) kept_.push_back({OwnedEvent::From(event, file, seq_), std::move(matched)});
}

void RuleEngine::NoteGroupEnd(const Event& event, size_t file, FieldId field) {
  const std::string_view value = field == FieldId::kCount ? std::string_view() : event.Get(field);
  if (field != FieldId::kCount && value.empty()) return;
  auto& ends = group_ends_[{file, field}];
  auto it = ends.find(value);
  if (it == ends.end()) it = ends.emplace(std::string(value), GroupEnd{}).first;
  it->second.seq = seq_;
  it->second.sort_time = event.sort_time;
  it->second.time.assign(event.time);
}

const RuleEngine::GroupEnd* RuleEngine::FindGroupEnd(size_t file, FieldId field, std::string_view value) const {
  const auto ends = group_ends_.find({file, field});
  if (ends == group_ends_.end()) return nullptr;
  const auto it = ends->second.find(value);
  return it == ends->second.end() ? nullptr : &it->second;
}

bool RuleEngine::Matched(const Kept& kept, size_t rule_index, size_t matcher) const {
  const auto slot = static_cast<uint32_t>(first_slot_[rule_index] + matcher);
  return std::binary_search(kept.slots.begin(), kept.slots.end(), slot);
}

int64_t RuleEngine::GroupEndTime(FieldId field, std::string_view value) const {
  int64_t latest = 0;
  for (const auto& [key, ends] : group_ends_) {
    if (key.second != field) continue;
    if (const auto it = ends.find(value); it != ends.end()) latest = std::max(latest, it->second.sort_time);
  }
  return latest;
}

std::vector<Verdict> RuleEngine::Finish(const std::vector<std::string>& file_paths) const {
  std::vector<Verdict> verdicts;
  for (size_t r = 0; r < pack_.rules.size(); ++r) {
    const Rule& rule = pack_.rules[r];
    // The rule's events, ordered by time then arrival, split by group value.
    std::vector<const Kept*> relevant;
    for (const Kept& kept : kept_) {
      const auto begin = static_cast<uint32_t>(first_slot_[r]), end = static_cast<uint32_t>(first_slot_[r + 1]);
      if (std::any_of(kept.slots.begin(), kept.slots.end(), [&](uint32_t s) { return s >= begin && s < end; })) {
        relevant.push_back(&kept);
      }
    }
    std::stable_sort(relevant.begin(), relevant.end(), [](const Kept* a, const Kept* b) {
      return a->event.sort_time != b->event.sort_time ? a->event.sort_time < b->event.sort_time
                                                      : a->event.seq < b->event.seq;
    });
    std::set<std::string> groups;
    if (rule.group_by) {
      for (const Kept* kept : relevant) {
        if (!kept->event.Get(*rule.group_by).empty()) groups.insert(kept->event.Get(*rule.group_by));
      }
    } else {
      groups.insert("");
    }
    for (const std::string& group : groups) {
      std::vector<const Kept*> events;
      for (const Kept* kept : relevant) {
        if (!rule.group_by || kept->event.Get(*rule.group_by) == group) events.push_back(kept);
      }
      ConditionInput input;
      for (const Kept* kept : events) input.times.push_back(kept->event.sort_time);
      input.matched = [&](size_t i, size_t matcher) { return Matched(*events[i], r, matcher); };
      input.log_end = GroupEndTime(rule.group_by.value_or(FieldId::kCount), group);
      const ConditionOutcome evaluated = EvaluateCondition(rule.when, input);
      const Outcome outcome{evaluated.held, evaluated.evidence};
      if (outcome.held && !outcome.evidence.empty()) {
        verdicts.push_back(MakeVerdict(rule, r, group, events, outcome, file_paths));
      }
    }
  }
  std::stable_sort(verdicts.begin(), verdicts.end(), [](const Verdict& a, const Verdict& b) {
    return a.severity > b.severity;
  });
  return verdicts;
}

Verdict RuleEngine::MakeVerdict(const Rule& rule, size_t rule_index, const std::string& group,
                                const std::vector<const Kept*>& events, const Outcome& outcome,
                                const std::vector<std::string>& file_paths) const {
  const OwnedEvent& last = events[outcome.evidence.back()]->event;
  Verdict v;
  v.rule = rule.id;
  v.title = rule.title;
  v.protection = rule.protection;
  v.status = rule.status;
  v.group = group;
  if (rule.group_by == FieldId::kFamily) v.family = group;
  v.severity = rule.severity;
  v.summary = Expand(rule.summary, last);
  v.root_cause = Expand(rule.root_cause, last);
  for (const std::string& step : rule.remediation) v.remediation.push_back(Expand(step, last));
  v.links = rule.links;
  for (const Note& note : rule.notes) {
    const bool applies = std::any_of(outcome.evidence.begin(), outcome.evidence.end(),
                                     [&](size_t i) { return Matched(*events[i], rule_index, note.matcher); });
    if (applies) v.notes.push_back(Expand(note.text, last));
  }
  for (FieldId field : kTypedFields) {
    if (!last.Get(field).empty()) v.fields[std::string(FieldName(field))] = last.Get(field);
  }
  v.count = outcome.evidence.size();
  v.first_seen = events[outcome.evidence.front()]->event.time;
  v.last_seen = last.time;
  for (size_t k = 0; k < outcome.evidence.size(); ++k) {
    const bool shown = k < kMaxEvidence / 2 || k + kMaxEvidence / 2 >= outcome.evidence.size();
    if (!shown) continue;
    const OwnedEvent& e = events[outcome.evidence[k]]->event;
    v.evidence.push_back({file_paths.at(e.file), e.line, e.time, e.raw});
  }

  // State at the end of the log: cleared by a later event, or still failing when nothing of
  // this group followed the last evidence in its log.
  const FieldId group_field = rule.group_by.value_or(FieldId::kCount);
  if (rule.cleared_by) {
    for (size_t i = outcome.evidence.back() + 1; i < events.size(); ++i) {
      if (Matched(*events[i], rule_index, *rule.cleared_by)) {
        v.end_state = EndState::kCleared;
        v.cleared_at = events[i]->event.time;
        break;
      }
    }
  }
  if (const GroupEnd* end = FindGroupEnd(last.file, group_field, group)) {
    v.log_end = end->time;
    if (v.end_state != EndState::kCleared && end->seq == last.seq) v.end_state = EndState::kFailing;
  }
  return v;
}

}  // namespace dartdiag
