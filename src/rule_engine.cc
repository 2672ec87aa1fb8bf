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
  store_ = std::make_unique<EventStore>(group_fields_, slot_group, kTextsKeptPerWindow);
  for (const Slot& slot : slots_) {
    matchers_.push_back(slot.matcher);
    slot_rule_.push_back(slot.rule);
  }
  columns_.resize(pack.rules.size());
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    const size_t patterns = first_slot_[r + 1] - first_slot_[r];
    columns_[r].words = std::max<size_t>(1, (patterns + 63) / 64);
    if (patterns > 0) columns_[r].group_index = slot_group[first_slot_[r]];
  }
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
  // No condition rule: where groups end is never asked.
  if (slots_.empty()) return false;
  if (file != end_cache_file_) {  // cached GroupEnd entries belong to one file
    end_cache_file_ = file;
    for (auto& cache : end_cache_) cache.clear();
  }
  NoteGroupEnd(event, file, FieldId::kCount, end_cache_[0]);
  for (size_t g = 0; g < group_fields_.size(); ++g) NoteGroupEnd(event, file, group_fields_[g], end_cache_[g + 1]);

  if (std::all_of(matched.begin(), matched.end(), [](uint64_t w) { return w == 0; })) return false;
  if (kept_ < max_kept_) {
    Keep(event, file, matched);
  } else {
    kept_capped_ = true;  // still "used": a rule's pattern matched it
  }
  for (size_t w = 0; w < matched.size() && w < condition_mask_.size(); ++w) {
    if (matched[w] & condition_mask_[w]) return true;
  }
  return false;
}

// Appends the event to the column of each rule whose patterns it matched, with that rule's bits.
void RuleEngine::Keep(const Event& event, size_t file, std::span<const uint64_t> matched) {
  const std::span<const uint32_t> groups = store_->Add(event, file, seq_, matched);
  const ColumnEvent kept{event.sort_time, seq_, event.line, static_cast<uint32_t>(file)};
  size_t done_rule = SIZE_MAX;
  for (size_t w = 0; w < matched.size(); ++w) {
    for (uint64_t bits = matched[w]; bits != 0; bits &= bits - 1) {
      const size_t slot = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
      if (slot >= slot_rule_.size() || slot_rule_[slot] == done_rule) continue;
      const size_t r = done_rule = slot_rule_[slot];
      RuleColumns& rule = columns_[r];
      const uint32_t group = rule.group_index < 0 ? 0 : groups[static_cast<size_t>(rule.group_index)];
      if (rule.group_index >= 0 && group == 0) continue;  // no value for the rule's grouping field
      // The rule's slots [first_slot_[r], first_slot_[r + 1]) as bits 0.. of its mask.
      rule_mask_.assign(rule.words, 0);
      for (size_t s = first_slot_[r]; s < first_slot_[r + 1]; ++s) {
        if ((matched[s / 64] >> (s % 64)) & 1)
          rule_mask_[(s - first_slot_[r]) / 64] |= uint64_t{1} << ((s - first_slot_[r]) % 64);
      }
      rule.groups.try_emplace(group, rule.words).first->second.Append(kept, rule_mask_);
      ++kept_;
    }
  }
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
}

const RuleEngine::GroupEnd* RuleEngine::FindGroupEnd(size_t file, FieldId field, std::string_view value) const {
  const auto ends = group_ends_.find({file, field});
  if (ends == group_ends_.end()) return nullptr;
  const auto it = ends->second.find(value);
  return it == ends->second.end() ? nullptr : &it->second;
}

int64_t RuleEngine::GroupEndTime(FieldId field, std::string_view value) const {
  int64_t latest = 0;
  for (const auto& [key, ends] : group_ends_) {
    if (key.second != field) continue;
    if (const auto it = ends.find(value); it != ends.end()) latest = std::max(latest, it->second.sort_time);
  }
  return latest;
}

std::vector<std::pair<std::string, const EventColumn*>> RuleEngine::Groups(size_t r) const {
  const RuleColumns& rule = columns_[r];
  std::vector<std::pair<std::string, const EventColumn*>> groups;
  for (const auto& [id, column] : rule.groups) {
    const auto g = static_cast<size_t>(rule.group_index);
    groups.emplace_back(rule.group_index < 0 ? std::string() : std::string(store_->GroupValue(g, id)), &column);
  }
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return groups;
}

int64_t RuleEngine::LogEndOf(size_t rule_index, const std::string& group) const {
  return GroupEndTime(pack_.rules[rule_index].group_by.value_or(FieldId::kCount), group);
}

std::vector<Verdict> RuleEngine::Finish(const std::vector<std::string>& file_paths, const LogEnds& ends) const {
  std::vector<Verdict> verdicts;
  for (size_t r = 0; r < pack_.rules.size(); ++r) {
    const Rule& rule = pack_.rules[r];
    if (rule.state) continue;
    for (const auto& [group, column] : Groups(r)) {
      const GroupView view = ViewOf(*column, rule.matchers.size());
      const ConditionOutcome outcome = EvaluateCondition(rule.when, {view, LogEndOf(r, group)});
      if (outcome.held && outcome.evidence.Any()) {
        Verdict v = MakeVerdict(rule, group, *column, view, outcome.evidence, file_paths);
        // Where the logs the rule reads end, as the Logs section and the state models say it.
        v.log_end = ends.Latest([&](LogTypeId log) {
                          return std::any_of(rule.matchers.begin(), rule.matchers.end(),
                                             [&](const Matcher& m) { return m.log == log; });
                        })
                        .time;
        verdicts.push_back(std::move(v));
      }
    }
  }
  std::stable_sort(verdicts.begin(), verdicts.end(),
                   [](const Verdict& a, const Verdict& b) { return a.severity > b.severity; });
  return verdicts;
}

Verdict RuleEngine::MakeVerdict(const Rule& rule, const std::string& group, const EventColumn& column,
                                const GroupView& view, const Bitset& evidence,
                                const std::vector<std::string>& file_paths) const {
  // The positions a verdict shows: the first and the last few evidence events, and the event that
  // cleared the condition (the first `cleared_by` after the last evidence).
  const size_t count = evidence.Count();
  std::vector<size_t> shown;
  for (size_t pos = evidence.First(); pos != Bitset::npos && shown.size() < kMaxEvidence / 2;
       pos = evidence.Next(pos + 1))
    shown.push_back(pos);
  std::vector<size_t> tail;
  for (size_t pos = evidence.Last(); pos != Bitset::npos && tail.size() < kMaxEvidence / 2; pos = evidence.Prev(pos))
    tail.push_back(pos);
  shown.insert(shown.end(), tail.rbegin(), tail.rend());
  std::sort(shown.begin(), shown.end());
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  const size_t cleared = rule.cleared_by ? view.matched[*rule.cleared_by].Next(evidence.Last() + 1) : Bitset::npos;
  std::vector<size_t> wanted = shown;
  if (cleared != Bitset::npos) wanted.push_back(cleared);
  const std::vector<ColumnEvent> events = EventsAt(column, wanted);

  const ColumnEvent& last_event = events[shown.size() - 1];
  static const OwnedEvent kNoText;  // until recalled (see missing_texts)
  const OwnedEvent* last_text = TextOf(last_event);
  const OwnedEvent& last = last_text != nullptr ? *last_text : kNoText;
  Verdict v = VerdictFromRule(rule, group, last);
  for (const Note& note : rule.notes) {
    if (evidence.Intersects(view.matched[note.matcher]))
      v.notes.push_back(ExpandFields(note.text, last, rule.group_by, group));
  }
  v.count = count;
  v.evidence_total = v.count;
  v.first_seen = TimeOf(events.front());
  v.since = v.first_seen;
  v.last_seen = TimeOf(last_event);
  for (size_t k = 0; k < shown.size(); ++k) v.evidence.push_back(LineOf(events[k], file_paths));

  // State at the end of the log: cleared by a later event, or still failing when nothing of
  // this group followed the last evidence in its log.
  if (cleared != Bitset::npos) {
    v.end_state = EndState::kCleared;
    v.cleared_at = TimeOf(events.back());
  }
  if (const GroupEnd* end = FindGroupEnd(last_event.file, rule.group_by.value_or(FieldId::kCount), group)) {
    if (v.end_state != EndState::kCleared && end->seq == last_event.seq) v.end_state = EndState::kFailing;
  }
  return v;
}

EvidenceLine RuleEngine::LineOf(const ColumnEvent& event, const std::vector<std::string>& file_paths) const {
  const OwnedEvent* text = TextOf(event);
  return {file_paths.at(event.file), event.line, TimeOf(event),
          std::string(text != nullptr ? text->raw() : std::string_view(kTextNotRecalled))};
}

std::string RuleEngine::TimeOf(const ColumnEvent& event) const {
  if (const OwnedEvent* text = TextOf(event)) return std::string(text->time());
  return FormatSortTime(event.sort_time);
}

const OwnedEvent* RuleEngine::TextOf(const ColumnEvent& event) const {
  if (const OwnedEvent* kept = store_->Text(event.seq)) return kept;
  // A recalled text counts only when it is the same line: an input changed between the two
  // reads gives other events at the same arrival order.
  if (const auto it = recalled_.find(event.seq); it != recalled_.end() && it->second.line == event.line &&
                                                 it->second.file == event.file &&
                                                 it->second.sort_time == event.sort_time) {
    return &it->second;
  }
  missing_.insert(event.seq);
  return nullptr;
}

void RuleEngine::Recall(const OwnedEvent& event) { recalled_.insert_or_assign(event.seq, event); }

namespace {

class EngineSink final : public EventSink {
 public:
  EngineSink(RuleEngine& engine, StateTracker& states, LogEnds& ends) : engine_(engine), states_(states), ends_(ends) {}
  void OnEvent(const Event& event) override {
    ends_.Note(event, 0);
    engine_.Observe(event, 0);
    states_.Observe(event, 0);
  }
  void OnUnparsed(uint64_t, std::string_view) override {}

 private:
  RuleEngine& engine_;
  StateTracker& states_;
  LogEnds& ends_;
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
  LogEnds ends;
  EngineSink sink(engine, states, ends);
  ParseText(log, text, sink);
  std::vector<Verdict> verdicts = engine.Finish({name}, ends);
  if (!engine.missing_texts().empty()) {
    RecallSink recall(engine);
    engine.ForgetMissing();
    ParseText(log, text, recall);
    verdicts = engine.Finish({name}, ends);
  }
  std::vector<Verdict> from_states = states.Verdicts({name}, ends);
  verdicts.insert(verdicts.end(), std::make_move_iterator(from_states.begin()),
                  std::make_move_iterator(from_states.end()));
  return verdicts;
}

}  // namespace dartdiag
