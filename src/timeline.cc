// Timelines from probe observations (see timeline.h). Tested by timeline_test.cc.
#include "dartdiag/timeline.h"

#include <algorithm>

namespace dartdiag {
namespace {

constexpr size_t kMaxRuns = 10000;  // beyond this, further state changes extend the last run

}  // namespace

void TimelineBuilder::Record(Group& group, bool failing, int64_t t, const std::string& time) {
  if (!group.runs.empty() && group.runs.back().failing == failing) {
    group.runs.back().to_t = t;
    group.runs.back().to = time;
    return;
  }
  if (!group.runs.empty()) {  // the previous state held until this observation
    group.runs.back().to_t = t;
    group.runs.back().to = time;
  }
  if (group.runs.size() >= kMaxRuns) return;
  group.runs.push_back({failing, t, t, time, time});
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
  for (const TimelineDef& def : pack_.timelines) {
    if (def.matchers.empty() || def.matchers.front().log != event.log) continue;
    const std::string_view value = def.group_by ? event.Get(*def.group_by) : std::string_view();
    if (def.group_by && value.empty()) continue;
    Group& group = groups_[{def.id, std::string(value)}];
    const std::string time(event.time);
    const bool fail = def.fail && def.matchers[*def.fail].Matches(event);
    const bool ok = !fail && def.ok && def.matchers[*def.ok].Matches(event);
    const bool start = !fail && def.start && def.matchers[*def.start].Matches(event);
    if (fail) {
      // A failure inside a pending cycle's window means that cycle failed.
      auto& pending = group.pending;
      pending.erase(std::remove_if(pending.begin(), pending.end(),
                                   [&](const auto& p) { return p.first + def.ok_after >= event.sort_time; }),
                    pending.end());
    }
    Settle(def, group, event.sort_time, false);
    if (fail || ok) Record(group, fail, event.sort_time, time);
    if (start) group.pending.emplace_back(event.sort_time, time);
    group.last_t = event.sort_time;
    group.last = time;
  }
}

std::optional<TimelineSummary> TimelineBuilder::Summary(const std::string& id, const std::string& group_value) const {
  const auto it = groups_.find({id, group_value});
  const TimelineDef* def = pack_.FindTimeline(id);
  if (it == groups_.end() || def == nullptr) return std::nullopt;
  Group group = it->second;  // settle a copy: the log has ended
  Settle(*def, group, group.last_t, true);
  if (group.runs.empty()) return std::nullopt;
  group.runs.back().to_t = std::max(group.runs.back().to_t, group.last_t);
  group.runs.back().to = group.runs.back().to_t == group.last_t ? group.last : group.runs.back().to;

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
