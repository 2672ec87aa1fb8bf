// JSON report: the documented, versioned schema in docs/report.schema.json. Keys are written in
// a fixed order so the same input gives the same bytes. Tested by report_test.cc.
#include <algorithm>
#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "capture/capture_report.h"
#include "log_types.h"
#include "dartdiag/report.h"
#include "report/firewall_request.h"
#include "report/json_writer.h"

namespace dartdiag {
namespace {

using nlohmann::ordered_json;

ordered_json OrNull(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

// A share rounded to four decimals, so reports stay byte-stable.
double Share(uint64_t part, uint64_t whole) {
  return whole == 0 ? 1.0 : static_cast<double>(part * 10000 / whole) / 10000.0;
}

double ParsedShare(const Result& result) {
  uint64_t lines = 0, unparsed = 0;
  for (const FileReport& f : result.files) {
    lines += f.lines;
    unparsed += f.unparsed_lines;
  }
  return Share(lines - unparsed, lines);
}

ordered_json LineJson(const EvidenceLine& e) {
  return {{"file", e.file}, {"line", e.line}, {"time", OrNull(e.time)}, {"text", e.text}};
}

ordered_json ExplanationJson(const RuleExplanation& e) {
  ordered_json j = {{"rule", e.rule},
                    {"fired", e.fired()},
                    {"groups", ordered_json::array()},
                    {"near_misses", ordered_json::array()}};
  for (const GroupTrace& g : e.groups) {
    ordered_json group = {{"group", OrNull(g.group)}, {"fired", g.fired}, {"conditions", ordered_json::array()}};
    for (const NodeTrace& n : g.nodes) {
      ordered_json node = {{"depth", n.depth},
                           {"condition", n.label},
                           {"held", n.held},
                           {"count", n.count},
                           {"events", ordered_json::array()}};
      for (const EvidenceLine& line : n.events) node["events"].push_back(LineJson(line));
      group["conditions"].push_back(std::move(node));
    }
    j["groups"].push_back(std::move(group));
  }
  for (const NearMiss& m : e.near_misses) {
    j["near_misses"].push_back({{"pattern", m.pattern}, {"event", LineJson(m.event)}, {"failed", m.failed}});
  }
  return j;
}

// A timeline interval's members, in order: all text, `from` and `to` null when empty.
struct IntervalMember {
  std::string_view key;
  std::string TimelineInterval::*text;
  bool null_when_empty;
};
constexpr IntervalMember kIntervalMembers[] = {{"state", &TimelineInterval::state, false},
                                               {"label", &TimelineInterval::label, false},
                                               {"health", &TimelineInterval::health, false},
                                               {"from", &TimelineInterval::from, true},
                                               {"to", &TimelineInterval::to, true}};

std::array<JsonWriter::TextMember, std::size(kIntervalMembers)> IntervalMembers(const TimelineInterval& i) {
  std::array<JsonWriter::TextMember, std::size(kIntervalMembers)> members;
  for (size_t m = 0; m < members.size(); ++m) {
    const std::string& text = i.*kIntervalMembers[m].text;
    members[m] = {kIntervalMembers[m].key, kIntervalMembers[m].null_when_empty && text.empty() ? nullptr : &text};
  }
  return members;
}

ordered_json IntervalJson(const TimelineInterval& i) {
  ordered_json j = ordered_json::object();
  for (const auto& [key, text] : IntervalMembers(i)) j[std::string(key)] = text ? ordered_json(*text) : nullptr;
  return j;
}

// With `splice`, the timeline's intervals are a splice point of that id for JsonWriter, not a tree.
ordered_json VerdictJson(const Verdict& v, std::optional<uint64_t> splice) {
  ordered_json j;
  j["rule"] = v.rule;
  j["title"] = v.title;
  j["protection"] = v.protection;
  j["status"] = v.status;
  j["family"] = OrNull(v.family);
  j["group"] = OrNull(v.group);
  j["severity"] = SeverityName(v.severity);
  j["summary"] = v.summary;
  j["root_cause"] = v.root_cause;
  j["remediation"] = v.remediation;
  j["links"] = ordered_json::array();
  for (const Link& link : v.links) j["links"].push_back({{"title", OrNull(link.title)}, {"url", link.url}});
  j["notes"] = v.notes;
  j["fields"] = ordered_json::object();
  for (const auto& [key, value] : v.fields) j["fields"][key] = value;
  j["first_seen"] = OrNull(v.first_seen);
  j["last_seen"] = OrNull(v.last_seen);
  j["count"] = v.count;
  j["active"] = DrivesExitCode(v);
  j["at_end"] = {{"state", EndStateName(v.end_state)},
                 {"since", OrNull(v.since)},
                 {"cleared_at", OrNull(v.cleared_at)},
                 {"now", OrNull(v.now)},
                 {"log_end", OrNull(v.log_end)}};
  j["evidence"] = ordered_json::array();
  for (const EvidenceLine& e : v.evidence) {
    j["evidence"].push_back({{"file", e.file}, {"line", e.line}, {"time", OrNull(e.time)}, {"text", e.text}});
  }
  j["evidence_total"] = v.evidence_total;
  j["evidence_truncated"] = v.evidence.size() < v.evidence_total;
  if (v.timeline) {
    const TimelineSummary& t = *v.timeline;
    ordered_json timeline = {{"id", t.id},
                             {"pattern", t.pattern},
                             {"failing_at_end", t.failing_at_end},
                             {"episodes", t.episodes},
                             {"failing_seconds", t.failing_seconds},
                             {"cleared_at", OrNull(t.cleared_at)},
                             {"open_cycle_at_end", t.open_cycle_at_end},
                             {"intervals", ordered_json::array()}};
    if (splice) {
      timeline["intervals"] = ordered_json::binary({}, *splice);
    } else {
      for (const TimelineInterval& i : t.intervals) timeline["intervals"].push_back(IntervalJson(i));
    }
    j["timeline"] = timeline;
  } else {
    j["timeline"] = nullptr;
  }
  j["capture"] = CaptureCheckJson(v.capture);
  return j;
}

// The firewall request (firewall_request.h): the flows to allow and what was observed.
ordered_json FirewallRequestJson(const std::vector<FirewallFlow>& flows) {
  ordered_json out = ordered_json::array();
  for (const FirewallFlow& f : flows) {
    ordered_json flow = {
        {"protection", f.protection},
        {"family", OrNull(f.family)},
        {"direction", f.direction},
        {"protocols", f.protocols},
        {"ports", f.ports},
        {"destinations", f.destinations},
        {"destinations_known", !f.destinations.empty()},
        {"learned_from", OrNull(f.learned_from)},
        {"learned_frame", f.learned_frame == 0 ? ordered_json(nullptr) : ordered_json(f.learned_frame)},
        {"observed", ordered_json::array()}};
    for (const FirewallObservation& o : f.observed) {
      ordered_json obs = {{"source", o.source}, {"status", o.status}};
      if (o.source == "log") {
        obs["rule"] = o.rule;
        obs["file"] = OrNull(o.file);
        obs["line"] = o.line == 0 ? ordered_json(nullptr) : ordered_json(o.line);
        obs["time"] = OrNull(o.time);
      } else {
        obs["subject"] = o.subject;
        obs["port"] = o.port == 0 ? ordered_json(nullptr) : ordered_json(o.port);
        obs["packets"] = o.packets;
        obs["rsts"] = o.rsts;
        obs["frames"] = o.frames;
      }
      flow["observed"].push_back(std::move(obs));
    }
    out.push_back(std::move(flow));
  }
  return out;
}

// The report as a tree; with `splice`, each verdict's timeline intervals are a splice point whose
// id is the verdict's index (WriteJson streams them).
ordered_json ReportTree(const Result& result, bool splice) {
  ordered_json j;
  j["schema_version"] = kSchemaVersion;
  j["tool"] = {{"name", "dartdiag"}, {"version", ToolVersion()}};
  j["input"] = {{"path", result.input.path},
                {"kind", result.input.kind},
                {"sha256", OrNull(result.input.sha256)},
                {"log_offset", OrNull(result.log_offset)}};

  ordered_json coverage;
  coverage["outcome"] = result.complete() ? "complete" : "partial";
  coverage["logs_missing"] = ordered_json::array();
  for (const LogType& type : LogTypes()) {
    const bool found =
        std::any_of(result.files.begin(), result.files.end(), [&](const FileReport& f) { return f.parser == type.id; });
    if (!found) coverage["logs_missing"].push_back(type.file_name);
  }
  coverage["parsed_share"] = ParsedShare(result);
  coverage["rules_evaluated"] = result.rules_evaluated;
  coverage["rules_not_evaluated"] = result.rules_not_evaluated;
  j["coverage"] = coverage;

  j["files"] = ordered_json::array();
  for (const FileReport& f : result.files) {
    j["files"].push_back({{"path", f.path},
                          {"parser", f.parser},
                          {"encoding", OrNull(f.encoding)},
                          {"lines", f.lines},
                          {"events", f.events},
                          {"unparsed_lines", f.unparsed_lines},
                          {"parsed_share", f.lines == 0 ? 1.0 : Share(f.lines - f.unparsed_lines, f.lines)},
                          {"first_time", OrNull(f.first_time)},
                          {"last_time", OrNull(f.last_time)},
                          {"error", OrNull(f.error)}});
  }
  j["verdicts"] = ordered_json::array();
  for (size_t i = 0; i < result.verdicts.size(); ++i) {
    j["verdicts"].push_back(VerdictJson(result.verdicts[i], splice ? std::optional<uint64_t>(i) : std::nullopt));
  }
  j["firewall_request"] = FirewallRequestJson(FirewallRequest(result));
  ordered_json unexplained = {{"templates", ordered_json::array()},
                              {"uncounted", result.unexplained_uncounted},
                              {"max_templates", result.unexplained_cap}};
  for (const WarningTemplate& t : result.unexplained) {
    ordered_json levels = ordered_json::array();
    for (const auto& [level, count] : t.levels) levels.push_back({{"level", level}, {"count", count}});
    unexplained["templates"].push_back(
        {{"log", t.log},
         {"level", t.level},
         {"source", t.source},
         {"template", t.text},
         {"count", t.count},
         {"levels", levels},
         {"first_seen", OrNull(t.first_seen)},
         {"last_seen", OrNull(t.last_seen)},
         {"example", {{"file", t.example_file}, {"line", t.example_line}, {"text", t.example}}}});
  }
  j["unexplained_warnings"] = unexplained;
  j["explanations"] = ordered_json::array();
  for (const RuleExplanation& e : result.explanations) j["explanations"].push_back(ExplanationJson(e));
  j["capture"] = CaptureJson(result.capture);
  j["other_entries"] = ordered_json::array();
  for (const Member& m : result.members) {
    j["other_entries"].push_back({{"path", m.path}, {"kind", MemberKindName(m.kind)}, {"size", m.size}});
  }
  j["integrity"] = ordered_json::array();
  for (const CapHit& hit : result.integrity) {
    j["integrity"].push_back({{"file", hit.file}, {"cap", hit.cap}, {"limit", hit.limit}, {"message", hit.message}});
  }
  j["diagnostics"] = ordered_json::array();
  for (const Diagnostic& d : result.diagnostics) {
    ordered_json dj = {{"level", d.level}, {"code", d.code}, {"file", OrNull(d.file)}};
    dj["line"] = d.line == 0 ? ordered_json(nullptr) : ordered_json(d.line);
    dj["message"] = d.message;
    j["diagnostics"].push_back(std::move(dj));
  }
  return j;
}

}  // namespace

nlohmann::ordered_json ToJson(const Result& result) { return ReportTree(result, false); }

void WriteJson(const Result& result, std::ostream& out, int indent) {
  JsonWriter writer(out, indent);
  writer.Write(ReportTree(result, true), [&](JsonWriter& w, uint64_t verdict) {
    w.BeginArray();
    for (const TimelineInterval& i : result.verdicts.at(verdict).timeline->intervals) {
      w.Element();
      w.TextObject(IntervalMembers(i));
    }
    w.EndArray();
  });
}

void WriteJsonReport(const Result& result, const ReportOptions&, std::ostream& out) {
  WriteJson(result, out, 2);
  out << '\n';
}

}  // namespace dartdiag
