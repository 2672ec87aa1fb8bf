// Rules stage: event matching, per-group condition evaluation, verdict construction.
// Tested by rule_engine_test.cc and end_to_end_test.cc.
#include "rule_engine.h"

#include "condition_eval.h"
#include "log_types.h"
#include "state_tracker.h"
#include "matcher_index.h"
#include "text_util.h"
#include "verdict_text.h"

#include <algorithm>
#include <set>

namespace dartdiag {
namespace {

// Texts kept per (pattern, group value): the first N and the latest N matches. Evidence shows the
// first 5 and the last 5, so this leaves room for conditions that pick a subset.
constexpr size_t kTextsKeptPerWindow = 16;

}  // namespace

// An evidence line whose text the store did not keep and a second read of the input did not give
// back (standard input is read once; an input that changed in between).
const char* const kTextNotRecalled = "(line not kept in memory, and the input could not be read again)";

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
    if (pack.rules[r].state) continue;  // the state tracker evaluates it
    for (const Matcher& matcher : pack.rules[r].matchers) slots_.push_back({r, &matcher});
    if (const auto field = pack.rules[r].group_by;
        field && std::find(group_fields_.begin(), group_fields_.end(), *field) == group_fields_.end()) {
      group_fields_.push_back(*field);
    }
  }
  first_slot_.push_back(slots_.size());
  std::vector<int> slot_group;
  for (const Slot& slot : slots_) {
    const auto field = pack.rules[slot.rule].group_by;
    slot_group.push_back(
        field ? static_cast<int>(std::find(group_fields_.begin(), group_fields_.end(), *field) - group_fields_.begin())
              : -1);
  }
  store_ = std::make_unique<EventStore>(group_fields_, std::move(slot_group), kTextsKeptPerWindow);
  for (const Slot& slot : slots_) matchers_.push_back(slot.matcher);
  // Slots of `when` and `cleared_by` patterns: an event they match is "used" by a rule. Note
  // patterns only add sentences to a verdict, so they do not explain an event.
  condition_mask_.assign((slots_.size() + 63) / 64, 0);
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    const Rule& rule = pack.rules[r];
    if (rule.state) continue;
    for (size_t m = 0; m < rule.matchers.size(); ++m) {
      const bool note =
          std::any_of(rule.notes.begin(), rule.notes.end(), [&](const Note& n) { return n.matcher == m; });
      const size_t slot = first_slot_[r] + m;
      if (!note) condition_mask_[slot / 64] |= uint64_t{1} << (slot % 64);
    }
  }
  end_cache_.resize(group_fields_.size() + 1);
}

RuleEngine::~RuleEngine() = default;

bool RuleEngine::Observe(const Event& event, size_t file) {
  if (index_ == nullptr) index_ = std::make_unique<MatcherIndex>(matchers_);
  return Observe(event, file, index_->Match(event));
}

bool RuleEngine::Observe(const Event& event, size_t file, std::span<const uint64_t> matched) {
  ++seq_;
  if (file != end_cache_file_) {  // cached GroupEnd entries belong to one file
    end_cache_file_ = file;
    for (auto& cache : end_cache_) cache.clear();
  }
  NoteGroupEnd(event, file, FieldId::kCount, end_cache_[0]);
  for (size_t g = 0; g < group_fields_.size(); ++g) NoteGroupEnd(event, file, group_fields_[g], end_cache_[g + 1]);

  if (std::all_of(matched.begin(), matched.end(), [](uint64_t w) { return w == 0; })) return false;
  if (store_->records().size() < max_kept_) {
    store_->AddMatched(event, file, seq_, matched);
  } else {
    kept_capped_ = true;  // still "used": a rule's pattern matched it
  }
  for (size_t w = 0; w < matched.size() && w < condition_mask_.size(); ++w) {
    if (matched[w] & condition_mask_[w]) return true;
  }
  return false;
}

void RuleEngine::NoteGroupEnd(const Event& event, size_t file, FieldId field, EndCache& cache) {
  const std::string_view value = field == FieldId::kCount ? std::string_view() : event.Get(field);
  if (field != FieldId::kCount && value.empty()) return;
  GroupEnd* end = nullptr;
  for (const auto& [name, entry] : cache) {  // a handful of values per field: no map lookup
    if (*name == value) end = entry;
  }
  if (end == nullptr) {
    auto& ends = group_ends_[{file, field}];
    auto it = ends.find(value);
    if (it == ends.end()) it = ends.emplace(std::string(value), GroupEnd{}).first;
    end = &it->second;
    if (cache.size() < kEndCacheSize) cache.emplace_back(&it->first, end);  // map nodes are stable
  }
  end->seq = seq_;
  end->sort_time = event.sort_time;
  end->time.assign(event.time);
}

const RuleEngine::GroupEnd* RuleEngine::FindGroupEnd(size_t file, FieldId field, std::string_view value) const {
  const auto ends = group_ends_.find({file, field});
  if (ends == group_ends_.end()) return nullptr;
  const auto it = ends->second.find(value);
  return it == ends->second.end() ? nullptr : &it->second;
}

bool RuleEngine::Matched(const Record& record, size_t rule_index, size_t matcher) const {
  const auto slot = static_cast<uint32_t>(first_slot_[rule_index] + matcher);
  return store_->Matched(record, slot);
}

int64_t RuleEngine::GroupEndTime(FieldId field, std::string_view value) const {
  int64_t latest = 0;
  for (const auto& [key, ends] : group_ends_) {
    if (key.second != field) continue;
    if (const auto it = ends.find(value); it != ends.end()) latest = std::max(latest, it->second.sort_time);
  }
  return latest;
}

std::vector<std::pair<std::string, std::vector<const RuleEngine::Record*>>> RuleEngine::Groups(size_t r) const {
  const Rule& rule = pack_.rules[r];
  // The rule's events, ordered by time then arrival, split by group value (groups in name order).
  std::vector<const Record*> relevant;
  const auto begin = static_cast<uint32_t>(first_slot_[r]), end = static_cast<uint32_t>(first_slot_[r + 1]);
  for (const Record& record : store_->records()) {
    if (store_->MatchedAny(record, begin, end)) relevant.push_back(&record);
  }
  std::stable_sort(relevant.begin(), relevant.end(), [](const Record* a, const Record* b) {
    return a->sort_time != b->sort_time ? a->sort_time < b->sort_time : a->seq < b->seq;
  });
  std::map<std::string, uint32_t> ids;
  if (rule.group_by) {
    for (const Record* record : relevant) {
      if (const uint32_t id = store_->GroupId(*record, *rule.group_by); id != 0) {
        ids.emplace(std::string(store_->GroupValue(*rule.group_by, id)), id);
      }
    }
  } else if (!relevant.empty()) {
    ids.emplace("", 0);
  }
  std::vector<std::pair<std::string, std::vector<const Record*>>> groups;
  for (const auto& [name, id] : ids) {
    std::vector<const Record*> events;
    for (const Record* record : relevant) {
      if (!rule.group_by || store_->GroupId(*record, *rule.group_by) == id) events.push_back(record);
    }
    groups.emplace_back(name, std::move(events));
  }
  return groups;
}

ConditionInput RuleEngine::InputFor(size_t rule_index, const std::string& group,
                                    const std::vector<const Record*>& events) const {
  ConditionInput input;
  for (const Record* record : events) input.times.push_back(record->sort_time);
  input.matched = [this, rule_index, &events](size_t i, size_t matcher) {
    return Matched(*events[i], rule_index, matcher);
  };
  input.log_end = GroupEndTime(pack_.rules[rule_index].group_by.value_or(FieldId::kCount), group);
  return input;
}

std::vector<Verdict> RuleEngine::Finish(const std::vector<std::string>& file_paths) const {
  std::vector<Verdict> verdicts;
  for (size_t r = 0; r < pack_.rules.size(); ++r) {
    const Rule& rule = pack_.rules[r];
    for (const auto& [group, events] : Groups(r)) {
      const ConditionOutcome evaluated = EvaluateCondition(rule.when, InputFor(r, group, events));
      const Outcome outcome{evaluated.held, evaluated.evidence};
      if (outcome.held && !outcome.evidence.empty()) {
        verdicts.push_back(MakeVerdict(rule, r, group, events, outcome, file_paths));
      }
    }
  }
  std::stable_sort(verdicts.begin(), verdicts.end(),
                   [](const Verdict& a, const Verdict& b) { return a.severity > b.severity; });
  return verdicts;
}

Verdict RuleEngine::MakeVerdict(const Rule& rule, size_t rule_index, const std::string& group,
                                const std::vector<const Record*>& events, const Outcome& outcome,
                                const std::vector<std::string>& file_paths) const {
  const Record& last_record = *events[outcome.evidence.back()];
  static const OwnedEvent kNoText;  // until recalled (see missing_texts)
  const OwnedEvent* last_text = TextOf(last_record);
  const OwnedEvent& last = last_text != nullptr ? *last_text : kNoText;
  Verdict v = VerdictFromRule(rule, group, last);
  for (const Note& note : rule.notes) {
    const bool applies = std::any_of(outcome.evidence.begin(), outcome.evidence.end(),
                                     [&](size_t i) { return Matched(*events[i], rule_index, note.matcher); });
    if (applies) v.notes.push_back(ExpandFields(note.text, last, rule.group_by, group));
  }
  v.count = outcome.evidence.size();
  v.evidence_total = v.count;
  v.first_seen = TimeOf(*events[outcome.evidence.front()]);
  v.since = v.first_seen;
  v.last_seen = TimeOf(last_record);
  for (size_t k = 0; k < outcome.evidence.size(); ++k) {
    const bool shown = k < kMaxEvidence / 2 || k + kMaxEvidence / 2 >= outcome.evidence.size();
    if (!shown) continue;
    const Record& e = *events[outcome.evidence[k]];
    const OwnedEvent* text = TextOf(e);
    v.evidence.push_back(
        {file_paths.at(e.file), e.line, TimeOf(e), text != nullptr ? text->raw : std::string(kTextNotRecalled)});
  }

  // State at the end of the log: cleared by a later event, or still failing when nothing of
  // this group followed the last evidence in its log.
  const FieldId group_field = rule.group_by.value_or(FieldId::kCount);
  if (rule.cleared_by) {
    for (size_t i = outcome.evidence.back() + 1; i < events.size(); ++i) {
      if (Matched(*events[i], rule_index, *rule.cleared_by)) {
        v.end_state = EndState::kCleared;
        v.cleared_at = TimeOf(*events[i]);
        break;
      }
    }
  }
  if (const GroupEnd* end = FindGroupEnd(last_record.file, group_field, group)) {
    v.log_end = end->time;
    if (v.end_state != EndState::kCleared && end->seq == last_record.seq) v.end_state = EndState::kFailing;
  }
  return v;
}

std::string RuleEngine::TimeOf(const Record& record) const {
  if (const OwnedEvent* text = TextOf(record)) return text->time;
  return FormatSortTime(record.sort_time);
}

const OwnedEvent* RuleEngine::TextOf(const Record& record) const {
  if (const OwnedEvent* kept = store_->Text(record)) return kept;
  // A recalled text counts only when it is the same line: an input changed between the two
  // reads gives other events at the same arrival order.
  if (const auto it = recalled_.find(record.seq); it != recalled_.end() && it->second.line == record.line &&
                                                  it->second.file == record.file &&
                                                  it->second.sort_time == record.sort_time) {
    return &it->second;
  }
  missing_.insert(record.seq);
  return nullptr;
}

void RuleEngine::Recall(const OwnedEvent& event) { recalled_.insert_or_assign(event.seq, event); }

namespace {

class EngineSink final : public EventSink {
 public:
  EngineSink(RuleEngine& engine, StateTracker& states) : engine_(engine), states_(states) {}
  void OnEvent(const Event& event) override {
    engine_.Observe(event, 0);
    states_.Observe(event, 0);
  }
  void OnUnparsed(uint64_t, std::string_view) override {}

 private:
  RuleEngine& engine_;
  StateTracker& states_;
};

// A second parse of the same text: hands the engine the texts it noted as missing.
class RecallSink final : public EventSink {
 public:
  explicit RecallSink(RuleEngine& engine) : engine_(engine), wanted_(engine.missing_texts()) {}
  void OnEvent(const Event& event) override {
    if (wanted_.count(++seq_) > 0) engine_.Recall(OwnedEvent::From(event, 0, seq_));
  }
  void OnUnparsed(uint64_t, std::string_view) override {}

 private:
  RuleEngine& engine_;
  std::set<uint64_t> wanted_;
  uint64_t seq_ = 0;
};

}  // namespace

std::vector<Verdict> EvaluateText(const RulePack& pack, LogTypeId log, std::string_view text, const std::string& name) {
  RuleEngine engine(pack);
  StateTracker states(pack);
  EngineSink sink(engine, states);
  ParseText(log, text, sink);
  std::vector<Verdict> verdicts = engine.Finish({name});
  if (!engine.missing_texts().empty()) {
    RecallSink recall(engine);
    engine.ForgetMissing();
    ParseText(log, text, recall);
    verdicts = engine.Finish({name});
  }
  std::vector<Verdict> from_states = states.Verdicts({name});
  verdicts.insert(verdicts.end(), std::make_move_iterator(from_states.begin()),
                  std::make_move_iterator(from_states.end()));
  return verdicts;
}

}  // namespace dartdiag
