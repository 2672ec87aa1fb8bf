// State models over time (see state_tracker.h): probe cycles settle into observations, transitions
// move each group's state, and every observation is attributed to the state it leaves the group
// in, where the rules reading that state count it and keep it as evidence. Tested by
// state_model_test.cc.
#include "state_tracker.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "matcher_index.h"
#include "text_util.h"
#include "verdict_text.h"

namespace dartdiag {
namespace {

constexpr size_t kMaxIntervals = 10000;        // beyond this, further changes extend the last interval
constexpr size_t kMaxPendingCycles = 64;       // open probe cycles per group (the client has one or two)
constexpr size_t kMaxTransientSightings = 32;  // observations held while a transient state lasts
constexpr size_t kEvidenceEnds = kMaxEvidence / 2;
constexpr size_t kMaxSpareBytes = 4096;  // a free slot keeps its buffer up to this size (not a long line's)

bool Bit(std::span<const uint64_t> bits, size_t slot) { return (bits[slot / 64] >> (slot % 64) & 1) != 0; }

// One observation and the event that made it (for a successful cycle: its start). The event lies
// in the model's slots (Model::slots), so a sighting is a few words that move without touching it.
struct Sighting {
  size_t observation = 0;
  uint32_t slot = 0;       // the event: Model::slots[slot]
  int64_t sort_time = 0;   // the event's
  uint64_t note_bits = 0;  // the notes (Model::notes positions) whose pattern the event matches
  bool entered = false;    // it moved the group into the state it is attributed to
};

struct Interval {
  size_t state;
  int64_t from_t, to_t;
  std::string from, to;
};

// The latest few evidence events, oldest first. Full, a new one is assigned over the oldest,
// reusing its buffer: no allocation per observation once the window has filled.
class LatestEvents {
 public:
  void Push(const OwnedEvent& event) {
    if (events_.size() < kEvidenceEnds) {
      events_.push_back(event);
      return;
    }
    events_[oldest_] = event;
    oldest_ = (oldest_ + 1) % events_.size();
  }
  bool empty() const { return events_.empty(); }
  const OwnedEvent& back() const { return events_[(oldest_ + events_.size() - 1) % events_.size()]; }
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (size_t i = 0; i < events_.size(); ++i) visit(events_[(oldest_ + i) % events_.size()]);
  }

 private:
  std::vector<OwnedEvent> events_;
  size_t oldest_ = 0;
};

// One state rule in one group: what it counts and shows.
struct RuleTrack {
  bool ever = false;
  uint64_t count = 0;
  uint64_t evidence_seen = 0;
  std::vector<OwnedEvent> first;  // the first kEvidenceEnds evidence events
  LatestEvents last;              // the latest kEvidenceEnds after those
  uint64_t note_bits = 0;
};

}  // namespace

struct StateTracker::Group {
  std::string value;
  size_t state = 0;
  std::vector<Interval> intervals;  // empty until the first observation
  struct Pending {
    size_t cycle;
    Sighting start;
  };
  std::vector<Pending> pending;     // probe cycles not settled yet, in start order
  std::vector<Sighting> transient;  // observations of the current transient state: the first and latest ones
  std::vector<uint64_t> dropped;    // per observation, those between them not held (never entering ones)
  uint64_t dropped_notes = 0;       // their note bits
  std::vector<RuleTrack> rules;     // parallel to Model::rules
};

struct StateTracker::Model {
  const StateModel* def = nullptr;
  size_t first_slot = 0;                         // slot of def->matchers[0]
  std::vector<uint64_t> slot_mask;               // bit per slot of def->matchers
  std::vector<size_t> rules;                     // pack rules that read this model
  std::vector<std::pair<size_t, size_t>> notes;  // bit -> (position in `rules`, note index)
  std::vector<LogTypeId> logs;                   // logs the model reads
  std::vector<Group> groups;                     // a handful of values: searched linearly
  int64_t now_t = 0;                             // time of the model's last event in file order
  // The earliest time after which a line settles some group's first open cycle (Settle): no line
  // up to it can settle anything. The largest value when no cycle is open.
  int64_t settle_after = std::numeric_limits<int64_t>::max();

  void NoteSettleTime() {
    settle_after = std::numeric_limits<int64_t>::max();
    for (const Group& g : groups) {
      if (g.pending.empty()) continue;
      const auto& first = g.pending.front();
      settle_after = std::min(settle_after, first.start.sort_time + def->cycles[first.cycle].ok_after);
    }
  }
  // The events of the sightings held (open cycles, a transient state's) and of those let go, whose
  // slots and buffers the next sightings reuse: an observation costs a copy of its line, not an
  // allocation (most lines of a failing client's log are observations). As many slots as sightings
  // were ever held at once: bounded by the groups' pending and transient caps.
  mutable std::vector<OwnedEvent> slots;
  mutable std::vector<uint32_t> free_slots;
  // While a copy of a group settles (Verdicts, Trace), its sightings share slots with the original:
  // letting them go would free slots the original still holds.
  mutable bool settling_copy = false;
  // Cycles leaving a group's pending list (settled or superseded), in a list whose room is reused.
  mutable std::vector<Group::Pending> leaving;

  Sighting Sight(size_t observation, const Event& event, size_t file, uint64_t seq) const {
    uint32_t slot = 0;
    if (!free_slots.empty()) {
      slot = free_slots.back();
      free_slots.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots.size());
      slots.emplace_back();
    }
    slots[slot].Assign(event, file, seq);
    return {observation, slot, event.sort_time, 0, false};
  }
  const OwnedEvent& EventOf(const Sighting& s) const { return slots[s.slot]; }
  void LetGo(const Sighting& s) const {
    if (settling_copy) return;
    OwnedEvent& event = slots[s.slot];
    if (event.text_capacity() > kMaxSpareBytes) event.TakeBuffer();  // a long line's: freed, not kept
    free_slots.push_back(s.slot);
  }
  // Settles copies of groups for as long as it lives (see settling_copy).
  class CopySettling {
   public:
    explicit CopySettling(const Model& model) : model_(model), was_(model.settling_copy) {
      model_.settling_copy = true;
    }
    ~CopySettling() { model_.settling_copy = was_; }
    CopySettling(const CopySettling&) = delete;
    CopySettling& operator=(const CopySettling&) = delete;

   private:
    const Model& model_;
    const bool was_;
  };

  // The end of the model's logs, as the Logs section says it (log_ends.h).
  const LogEnds::End& LogEnd(const LogEnds& ends) const {
    return ends.Latest([&](LogTypeId log) { return std::find(logs.begin(), logs.end(), log) != logs.end(); });
  }

  bool Matched(std::span<const uint64_t> bits, size_t matcher) const { return Bit(bits, first_slot + matcher); }
  const Rule& RuleAt(const RulePack& pack, size_t r) const { return pack.rules[rules[r]]; }

  // Attributes `s` to `state`: the rules reading that state count it and keep it as evidence.
  void Attribute(const RulePack& pack, Group& group, size_t state, const Sighting& s) const {
    for (size_t r = 0; r < rules.size(); ++r) {
      const StateRef& ref = *RuleAt(pack, r).state;
      if (ref.state != state) continue;
      RuleTrack& track = group.rules[r];
      track.ever = true;
      const bool counted = std::find(ref.count.begin(), ref.count.end(), s.observation) != ref.count.end();
      if (counted) ++track.count;
      for (size_t bit = 0; bit < notes.size(); ++bit) {
        if (notes[bit].first == r && (s.note_bits >> bit & 1) != 0) track.note_bits |= uint64_t{1} << bit;
      }
      if (!counted && !s.entered) continue;
      ++track.evidence_seen;
      if (track.first.size() < kEvidenceEnds) {
        track.first.push_back(EventOf(s));
      } else {
        track.last.Push(EventOf(s));
      }
    }
  }

  // Counts the observations not held (between the first and the latest held ones) for `state`.
  void AttributeDropped(const RulePack& pack, Group& group, size_t state) const {
    for (size_t r = 0; r < rules.size(); ++r) {
      const StateRef& ref = *RuleAt(pack, r).state;
      if (ref.state != state) continue;
      RuleTrack& track = group.rules[r];
      uint64_t counted = 0;
      for (size_t o = 0; o < group.dropped.size(); ++o) {
        if (std::find(ref.count.begin(), ref.count.end(), o) != ref.count.end()) counted += group.dropped[o];
      }
      track.count += counted;
      track.evidence_seen += counted;  // shown as "more" between the first and the last evidence
      for (size_t bit = 0; bit < notes.size(); ++bit) {
        if (notes[bit].first == r && (group.dropped_notes >> bit & 1) != 0) track.note_bits |= uint64_t{1} << bit;
      }
    }
  }

  void FlushTransient(const RulePack& pack, Group& group, size_t state) const {
    const size_t head = std::min(group.transient.size(), kMaxTransientSightings / 2);
    for (size_t i = 0; i < head; ++i) Attribute(pack, group, state, group.transient[i]);
    if (!group.dropped.empty()) AttributeDropped(pack, group, state);
    for (size_t i = head; i < group.transient.size(); ++i) Attribute(pack, group, state, group.transient[i]);
    for (Sighting& held : group.transient) LetGo(held);
    group.transient.clear();
    group.dropped.clear();
    group.dropped_notes = 0;
  }

  // Holds `s` while the group is in a transient state: the first half of the room for the first
  // sightings, the rest for the latest; those between are only counted.
  void Hold(Group& group, Sighting&& s) const {
    if (group.transient.size() == kMaxTransientSightings) {
      auto middle = group.transient.begin() + static_cast<std::ptrdiff_t>(kMaxTransientSightings / 2);
      if (group.dropped.size() <= middle->observation) group.dropped.resize(middle->observation + 1);
      ++group.dropped[middle->observation];
      group.dropped_notes |= middle->note_bits;
      LetGo(*middle);
      group.transient.erase(middle);
    }
    group.transient.push_back(std::move(s));
  }

  // Applies one observation: the first transition that takes it moves the group.
  void Apply(const RulePack& pack, Group& group, Sighting&& s) const {
    const StateModel& m = *def;
    const size_t from = group.state;
    size_t to = from;
    for (const Transition& t : m.transitions) {
      if (t.on != s.observation) continue;
      if (!t.from.empty() && std::find(t.from.begin(), t.from.end(), from) == t.from.end()) continue;
      to = t.to;
      break;
    }
    const int64_t t = s.sort_time;
    const std::string_view time = EventOf(s).time();
    const bool first = group.intervals.empty();
    s.entered = first || to != from;
    if (!first) {  // the previous state held until this observation
      group.intervals.back().to_t = t;
      AssignText(group.intervals.back().to, time);  // on every observation
    }
    if (!first && to != from && m.states[from].transient) {
      if (m.states[to].health != Health::kOk) {
        // A pending state that resolves into a problem was that problem from its start.
        group.intervals.back().state = to;
        if (group.intervals.size() >= 2 && group.intervals[group.intervals.size() - 2].state == to) {
          Interval merged = group.intervals.back();
          group.intervals.pop_back();
          group.intervals.back().to_t = merged.to_t;
          group.intervals.back().to = merged.to;
          for (Sighting& held : group.transient) held.entered = false;  // the episode had begun before
          s.entered = false;
        }
        FlushTransient(pack, group, to);
        group.state = to;
        Attribute(pack, group, to, s);
        LetGo(s);
        return;
      }
      FlushTransient(pack, group, from);
    }
    if (first || to != from) {
      if (group.intervals.size() < kMaxIntervals) {
        group.intervals.push_back({to, t, t, std::string(time), std::string(time)});
      }
    }
    group.state = to;
    if (m.states[to].transient) {
      Hold(group, std::move(s));
    } else {
      Attribute(pack, group, to, s);
      LetGo(s);
    }
  }

  // Open cycles whose window closed with no failure succeeded, in start order.
  void Settle(const RulePack& pack, Group& group, int64_t now, bool at_end) const {
    size_t done = 0;
    for (; done < group.pending.size(); ++done) {
      const auto& p = group.pending[done];
      const int64_t deadline = p.start.sort_time + def->cycles[p.cycle].ok_after;
      if (at_end ? deadline > now : deadline >= now) break;
    }
    if (done == 0) return;
    leaving.assign(std::make_move_iterator(group.pending.begin()),
                   std::make_move_iterator(group.pending.begin() + static_cast<std::ptrdiff_t>(done)));
    group.pending.erase(group.pending.begin(), group.pending.begin() + static_cast<std::ptrdiff_t>(done));
    for (auto& p : leaving) Apply(pack, group, std::move(p.start));
    leaving.clear();
  }
};

StateTracker::StateTracker(const RulePack& pack) : pack_(pack) {
  for (const StateModel& def : pack.models) {
    auto model = std::make_unique<Model>();
    model->def = &def;
    model->first_slot = matchers_.size();
    for (const Matcher& m : def.matchers) {
      matchers_.push_back(&m);
      if (std::find(model->logs.begin(), model->logs.end(), m.log) == model->logs.end()) model->logs.push_back(m.log);
    }
    for (size_t r = 0; r < pack.rules.size(); ++r) {
      const Rule& rule = pack.rules[r];
      if (!rule.state || rule.state->model_index != static_cast<size_t>(&def - pack.models.data())) continue;
      for (size_t n = 0; n < rule.notes.size() && model->notes.size() < 64; ++n) {
        model->notes.emplace_back(model->rules.size(), n);
      }
      model->rules.push_back(r);
    }
    for (LogTypeId log : model->logs) {
      if (by_log_.size() <= log) by_log_.resize(size_t{log} + 1);
      by_log_[log].push_back(model.get());
    }
    models_.push_back(std::move(model));
  }
  const size_t words = (matchers_.size() + 63) / 64;
  for (const auto& model : models_) {
    model->slot_mask.assign(words, 0);
    for (size_t s = model->first_slot; s < model->first_slot + model->def->matchers.size(); ++s) {
      model->slot_mask[s / 64] |= uint64_t{1} << (s % 64);
    }
  }
}

StateTracker::~StateTracker() = default;

size_t StateTracker::event_slots() const {
  size_t slots = 0;
  for (const auto& model : models_) slots += model->slots.size();
  return slots;
}

bool StateTracker::Observe(const Event& event, size_t file) {
  if (matchers_.empty()) return false;
  if (index_ == nullptr) index_ = std::make_unique<MatcherIndex>(matchers_);
  return Observe(event, file, index_->Match(event));
}

bool StateTracker::Observe(const Event& event, size_t file, std::span<const uint64_t> bits) {
  bool used = false;
  ++seq_;
  if (event.log >= by_log_.size()) return false;
  for (Model* model_ptr : by_log_[event.log]) {
    Model& model = *model_ptr;
    const StateModel& def = *model.def;
    // Time passes for every group on any line: a cycle whose window a later line passed succeeded,
    // even if the clock goes back after that line (at the end, only the last line's time counts).
    model.now_t = event.sort_time;
    if (event.sort_time > model.settle_after) {
      for (Group& g : model.groups) {
        if (!g.pending.empty()) model.Settle(pack_, g, event.sort_time, false);
      }
      model.NoteSettleTime();
    }
    bool any = false;  // a pattern of this model matched
    for (size_t w = 0; w < model.slot_mask.size() && w < bits.size() && !any; ++w)
      any = (bits[w] & model.slot_mask[w]) != 0;
    if (!any) continue;
    const std::string_view value = def.group_by ? event.Get(*def.group_by) : std::string_view();
    if (def.group_by && value.empty()) continue;
    auto it = std::find_if(model.groups.begin(), model.groups.end(), [&](const Group& g) { return g.value == value; });
    if (it == model.groups.end()) {
      it = model.groups.insert(model.groups.end(), Group{});
      it->value.assign(value);
      it->rules.resize(model.rules.size());
    }
    Group& group = *it;
    const auto sighting = [&](size_t observation) {
      Sighting s = model.Sight(observation, event, file, seq_);
      for (size_t bit = 0; bit < model.notes.size(); ++bit) {
        const auto [r, n] = model.notes[bit];
        const Rule& rule = model.RuleAt(pack_, r);
        if (rule.matchers[rule.notes[n].matcher].Matches(event)) s.note_bits |= uint64_t{1} << bit;
      }
      return s;
    };
    // A failure settles the open cycle it belongs to; a start supersedes the open ones: a fallback
    // start means they failed, any other start that they met no failure.
    bool cycle_event = false;
    for (size_t c = 0; c < def.cycles.size() && !cycle_event; ++c) {
      if (!model.Matched(bits, def.cycles[c].fail)) continue;
      cycle_event = used = true;
      const auto open =
          std::find_if(group.pending.begin(), group.pending.end(), [&](const auto& p) { return p.cycle == c; });
      if (open != group.pending.end()) {
        model.LetGo(open->start);
        group.pending.erase(open);
      }
      model.Apply(pack_, group, sighting(2 * c + 1));
    }
    for (size_t c = 0; c < def.cycles.size() && !cycle_event; ++c) {
      if (!model.Matched(bits, def.cycles[c].start)) continue;
      cycle_event = used = true;
      // The same start again in the same second (a duplicated line) is the open cycle, not a new one.
      if (std::any_of(group.pending.begin(), group.pending.end(),
                      [&](const auto& p) { return p.cycle == c && p.start.sort_time == event.sort_time; })) {
        break;
      }
      model.leaving.clear();
      model.leaving.swap(group.pending);  // all of them leave; the list stays with its room
      for (auto& p : model.leaving) {
        const auto& fallback = def.cycles[p.cycle].fallback;
        if (fallback && model.Matched(bits, *fallback)) {
          model.Apply(pack_, group, sighting(2 * p.cycle + 1));
          model.LetGo(p.start);
        } else {
          model.Apply(pack_, group, std::move(p.start));
        }
      }
      model.leaving.clear();
      if (group.pending.size() < kMaxPendingCycles) group.pending.push_back({c, sighting(2 * c)});
    }
    for (size_t e = 0; e < def.events.size(); ++e) {
      if (!model.Matched(bits, def.events[e].matcher)) continue;
      used = used || def.events[e].failure;  // any other record is observed, not explained
      model.Apply(pack_, group, sighting(2 * def.cycles.size() + e));
      break;
    }
    model.NoteSettleTime();  // the open cycles may have changed
  }
  return used;
}

namespace {

std::string_view EpisodePattern(uint64_t episodes, EndState end) {
  if (episodes > 1) return "intermittent";
  switch (end) {
    case EndState::kFailing: return "persistent";
    case EndState::kCleared: return "cleared";
    case EndState::kUnknown: return "unknown";
  }
  return "unknown";
}

std::vector<EvidenceLine> EvidenceOf(const RuleTrack& track, const std::vector<std::string>& file_paths) {
  std::vector<EvidenceLine> lines;
  const auto add = [&](const OwnedEvent& e) {
    lines.push_back({file_paths.at(e.file), e.line, std::string(e.time()), std::string(e.raw())});
  };
  for (const OwnedEvent& e : track.first) add(e);
  track.last.ForEach(add);
  return lines;
}

}  // namespace

std::vector<GroupTrace> StateTracker::Trace(size_t rule_index, const std::vector<std::string>& file_paths,
                                            const LogEnds& ends) const {
  std::vector<GroupTrace> traces;
  const Rule& rule = pack_.rules.at(rule_index);
  if (!rule.state) return traces;
  const Model& model = *models_.at(rule.state->model_index);
  const Model::CopySettling settling(model);
  const size_t r =
      static_cast<size_t>(std::find(model.rules.begin(), model.rules.end(), rule_index) - model.rules.begin());
  for (const Group& original : model.groups) {
    Group group = original;
    model.Settle(pack_, group, model.now_t, true);
    if (!group.transient.empty()) model.FlushTransient(pack_, group, group.state);
    if (!group.intervals.empty()) group.intervals.back().to = model.LogEnd(ends).time;
    GroupTrace trace;
    trace.group = group.value;
    trace.fired = group.rules[r].ever;
    for (const Interval& in : group.intervals) {
      const StateDef& state = model.def->states[in.state];
      NodeTrace node;
      node.label = fmt::format("{} .. {}: {} ({})", in.from, in.to, state.id, state.label);
      node.held = in.state == rule.state->state;
      trace.nodes.push_back(std::move(node));
    }
    if (!trace.nodes.empty() && trace.fired) {
      trace.nodes.back().events = EvidenceOf(group.rules[r], file_paths);
      trace.nodes.back().count = group.rules[r].count;
    }
    traces.push_back(std::move(trace));
  }
  return traces;
}

std::vector<Verdict> StateTracker::Verdicts(const std::vector<std::string>& file_paths, const LogEnds& ends) const {
  std::vector<Verdict> verdicts;
  for (const auto& model_ptr : models_) {
    const Model& model = *model_ptr;
    const StateModel& def = *model.def;
    const Model::CopySettling settling(model);
    for (const Group& original : model.groups) {
      Group group = original;  // settle a copy: the log has ended
      model.Settle(pack_, group, model.now_t, true);
      if (!group.transient.empty()) model.FlushTransient(pack_, group, group.state);
      if (group.intervals.empty()) continue;
      const LogEnds::End& log_end = model.LogEnd(ends);
      group.intervals.back().to_t = std::max(group.intervals.back().to_t, log_end.t);
      group.intervals.back().to = log_end.time;
      for (size_t r = 0; r < model.rules.size(); ++r) {
        const RuleTrack& track = group.rules[r];
        if (!track.ever || track.first.empty()) continue;  // no line to show: no verdict
        const Rule& rule = model.RuleAt(pack_, r);
        const size_t state = rule.state->state;
        const OwnedEvent& last = track.last.empty() ? track.first.back() : track.last.back();

        Verdict v = VerdictFromRule(rule, group.value, last);
        for (size_t bit = 0; bit < model.notes.size(); ++bit) {
          const auto [nr, n] = model.notes[bit];
          if (nr == r && (track.note_bits >> bit & 1) != 0) {
            v.notes.push_back(ExpandFields(rule.notes[n].text, last, rule.group_by, group.value));
          }
        }
        v.count = track.count;
        v.evidence = EvidenceOf(track, file_paths);
        v.evidence_total = track.evidence_seen;
        v.first_seen = v.evidence.front().time;
        v.last_seen = v.evidence.back().time;
        v.log_end = log_end.time;

        TimelineSummary t;
        t.id = def.id;
        t.open_cycle_at_end = !group.pending.empty();
        std::string episode_start;
        for (size_t i = 0; i < group.intervals.size(); ++i) {
          const Interval& in = group.intervals[i];
          const StateDef& s = def.states[in.state];
          t.intervals.push_back({s.id, s.label, std::string(HealthName(s.health)), in.from, in.to});
          if (in.state != state) continue;
          ++t.episodes;
          t.failing_seconds += std::max<int64_t>(0, in.to_t - in.from_t);
          episode_start = in.from;
          if (i + 1 < group.intervals.size()) t.cleared_at = group.intervals[i + 1].from;
        }
        const StateDef& now = def.states[group.state];
        if (group.state == state) {
          v.end_state = EndState::kFailing;
          t.failing_at_end = true;
          t.cleared_at.clear();
        } else {
          v.end_state = now.health == Health::kUnknown ? EndState::kUnknown : EndState::kCleared;
          v.cleared_at = t.cleared_at;
        }
        v.now = now.label;
        v.since = episode_start.empty() ? v.first_seen : episode_start;
        t.pattern = EpisodePattern(t.episodes, v.end_state);
        // Conditions that count nothing report their episodes.
        if (rule.state->count.empty()) v.count = t.episodes;
        v.timeline = std::move(t);
        verdicts.push_back(std::move(v));
      }
    }
  }
  return verdicts;
}

}  // namespace dartdiag
