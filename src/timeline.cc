// Timelines from probe observations (see timeline.h). Tested by timeline_test.cc.
#include "dartdiag/timeline.h"

#include <algorithm>

#include "matcher_index.h"

namespace dartdiag {
namespace {

constexpr size_t kMaxRuns = 10000;  // beyond this, further state changes extend the last run

bool Bit(std::span<const uint64_t> bits, int slot) {
  return slot >= 0 && (bits[static_cast<size_t>(slot) / 64] >> (slot % 64) & 1) != 0;
}

}  // namespace

TimelineBuilder::TimelineBuilder(const RulePack& pack) {
  const auto slot = [&](const TimelineDef& def, const std::optional<size_t>& m) {
    if (!m) return -1;
    matchers_.push_back(&def.matchers[*m]);
    return static_cast<int>(matchers_.size() - 1);
  };
  for (const TimelineDef& def : pack.timelines) {
    if (def.matchers.empty()) continue;
    defs_.push_back({&def, slot(def, def.fail), slot(def, def.ok), slot(def, def.start), {}});
  }
}

TimelineBuilder::~TimelineBuilder() = default;

void TimelineBuilder::Record(Group& group, bool failing, int64_t t, std::string_view time) {
  if (!group.runs.empty()) {  // the previous state held until this observation
    group.runs.back().to_t = t;
    group.runs.back().to.assign(time);
    if (group.runs.back().failing == failing) return;
  }
  if (group.runs.size() >= kMaxRuns) return;
  group.runs.push_back({failing, t, t, std::string(time), std::string(time)});
}

// Probe cycles whose window closed with no failure are "ok" observations, in time order.
void TimelineBuilder::Settle(const TimelineDef& def, Group& group, int64_t now, bool at_end) {
  auto& pending = group.pending;
  size_t done = 0;
  for (; done < pending.size(); ++done) {
    const auto& [t, time] = pending[done];
    const bool closed = at_end ? t + def.ok_after <= group.last_t : t + def.ok_after < now;
    if (!closed) break;
    Record(group, false, t, time);
  }
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done));
}

void TimelineBuilder::Observe(const Event& event) {
  if (defs_.empty()) return;
  if (index_ == nullptr) index_ = std::make_unique<MatcherIndex>(matchers_);
  Observe(event, index_->Match(event));
}

void TimelineBuilder::Observe(const Event& event, std::span<const uint64_t> bits) {
  if (defs_.empty()) return;
  for (Def& d : defs_) {
    const TimelineDef& def = *d.def;
    if (def.matchers.front().log != event.log) continue;
    const std::string_view value = def.group_by ? event.Get(*def.group_by) : std::string_view();
    if (def.group_by && value.empty()) continue;
    auto it = std::find_if(d.groups.begin(), d.groups.end(), [&](const Group& g) { return g.value == value; });
    if (it == d.groups.end()) it = d.groups.insert(d.groups.end(), Group{std::string(value), {}, {}, 0, {}});
    Group& group = *it;
    const bool fail = Bit(bits, d.fail);
    const bool ok = !fail && Bit(bits, d.ok);
    const bool start = !fail && Bit(bits, d.start);
    if (fail) {
      // A failure inside a pending cycle's window means that cycle failed.
      std::erase_if(group.pending, [&](const auto& p) { return p.first + def.ok_after >= event.sort_time; });
    }
    if (!group.pending.empty()) Settle(def, group, event.sort_time, false);
    if (fail || ok) Record(group, fail, event.sort_time, event.time);
    if (start) group.pending.emplace_back(event.sort_time, std::string(event.time));
    group.last_t = event.sort_time;
    group.last.assign(event.time);
  }
}

std::optional<TimelineSummary> TimelineBuilder::Summary(const std::string& id, const std::string& group_value) const {
  const auto d = std::find_if(defs_.begin(), defs_.end(), [&](const Def& x) { return x.def->id == id; });
  if (d == defs_.end()) return std::nullopt;
  const auto it = std::find_if(d->groups.begin(), d->groups.end(), [&](const Group& g) { return g.value == group_value; });
  if (it == d->groups.end()) return std::nullopt;
  Group group = *it;  // settle a copy: the log has ended
  Settle(*d->def, group, group.last_t, true);
  if (group.runs.empty()) return std::nullopt;
  group.runs.back().to_t = group.last_t;
  group.runs.back().to = group.last;

  TimelineSummary summary;
  summary.id = id;
  for (const Run& run : group.runs) {
    summary.intervals.push_back({run.failing ? "failing" : "ok", run.from, run.to});
    if (!run.failing) continue;
    ++summary.episodes;
    summary.failing_seconds += run.to_t - run.from_t;
  }
  summary.failing_at_end = group.runs.back().failing;
  if (!summary.failing_at_end && summary.episodes > 0) summary.cleared_at = group.runs.back().from;
  summary.pattern = summary.episodes == 0   ? "not failing"
                    : summary.episodes > 1  ? "intermittent"
                    : summary.failing_at_end ? "persistent"
                                             : "cleared";
  return summary;
}

}  // namespace dartdiag
