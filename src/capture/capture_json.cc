// The capture in the JSON report: the top-level "capture" object (counts, findings, DNS paths,
// SWG addresses) and each verdict's "capture" field, keys in a fixed order, every frame as
// {frame, time, text}. The format is docs/report.schema.json. Tested by capture_test.cc and
// tests/validate_schema.py.
#include <algorithm>

#include "capture/capture_report.h"

namespace dartdiag {
namespace {

using nlohmann::ordered_json;

ordered_json OrNull(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }
ordered_json TimeOrNull(int64_t ns) { return ns == 0 ? ordered_json(nullptr) : OrNull(FormatCaptureTime(ns)); }

ordered_json FrameJson(const FrameRef& f) {
  return {{"frame", f.frame}, {"time", TimeOrNull(f.time_ns)}, {"text", f.text}};
}
ordered_json FrameOrNull(const std::optional<FrameRef>& f) { return f ? FrameJson(*f) : ordered_json(nullptr); }
ordered_json Frames(const std::vector<FrameRef>& frames) {
  ordered_json out = ordered_json::array();
  for (const FrameRef& f : frames) out.push_back(FrameJson(f));
  return out;
}

ordered_json AnswerTimes(std::vector<double> ms) {
  if (ms.empty()) return nullptr;
  std::sort(ms.begin(), ms.end());
  return {{"min", ms.front()}, {"median", ms[ms.size() / 2]}, {"max", ms.back()}};
}

ordered_json PathJson(const DnsPath& p) {
  ordered_json j;
  j["resolver"] = p.resolver.ToString();
  j["family"] = p.family;
  j["transport"] = TransportName(p.transport);
  j["port"] = p.port;
  j["packets_sent"] = p.packets_sent;
  j["packets_received"] = p.packets_received;
  j["queries"] = p.queries;
  j["retransmissions"] = p.retransmissions;
  j["answers"] = p.answers;
  j["answered"] = p.answered;
  j["syns"] = p.syns;
  j["syn_acks"] = p.syn_acks;
  j["rsts"] = p.rsts;
  j["unreachable"] = p.unreachable;
  j["answer_ms"] = AnswerTimes(p.answer_ms);
  j["names"] = ordered_json::array();
  for (const DnsPath::Name& n : p.names)
    j["names"].push_back({{"type", n.type}, {"name", n.name}, {"queries", n.queries}});
  j["first_sent"] = FrameOrNull(p.first_sent);
  j["last_sent"] = FrameOrNull(p.last_sent);
  j["first_received"] = FrameOrNull(p.first_received);
  j["first_rst"] = FrameOrNull(p.first_rst);
  return j;
}

ordered_json SwgJson(const SwgTarget& t) {
  ordered_json j;
  j["address"] = t.address.ToString();
  j["source"] = t.source;
  j["names"] = t.names;
  j["learned_at"] = FrameOrNull(t.learned_at);
  j["ports"] = t.ports;
  j["syns"] = t.syns;
  j["syn_retransmissions"] = t.syn_retransmissions;
  j["syn_acks"] = t.syn_acks;
  j["rsts"] = t.rsts;
  j["handshakes"] = t.handshakes;
  j["unreachable"] = t.unreachable;
  return j;
}

ordered_json FindingJson(const CaptureFinding& f) {
  ordered_json j;
  j["check"] = f.check;
  j["subject"] = OrNull(f.subject);
  j["verdict"] = f.verdict;
  j["severity"] = f.severity ? ordered_json(SeverityName(*f.severity)) : ordered_json(nullptr);
  j["summary"] = f.summary;
  j["filter"] = OrNull(f.filter);
  j["evidence"] = Frames(f.evidence);
  return j;
}

}  // namespace

ordered_json CaptureJson(const std::optional<CaptureReport>& capture) {
  if (!capture) return nullptr;
  const CaptureReport& c = *capture;
  ordered_json j;
  j["path"] = c.path;
  j["format"] = c.format;
  j["sha256"] = c.sha256;
  j["link_types"] = c.link_types;
  j["packets"] = c.packets;
  j["ip_packets"] = c.ip_packets;
  j["other_packets"] = c.other_packets;
  j["undecodable"] = c.undecodable;
  j["first_time"] = TimeOrNull(c.first_time_ns);
  j["last_time"] = TimeOrNull(c.last_time_ns);
  j["complete"] = c.complete();
  j["error"] = OrNull(c.error);
  if (c.timing) {
    j["timing"] = {
        {"relation", c.timing->relation},
        {"seconds_after_log_end",
         c.timing->seconds_after_log_end ? ordered_json(*c.timing->seconds_after_log_end) : ordered_json(nullptr)},
        {"text", c.timing->text}};
  } else {
    j["timing"] = nullptr;
  }
  j["findings"] = ordered_json::array();
  for (const CaptureFinding& f : c.findings) j["findings"].push_back(FindingJson(f));
  j["dns"] = ordered_json::array();
  for (const DnsPath& p : c.dns) j["dns"].push_back(PathJson(p));
  j["swg"] = ordered_json::array();
  for (const SwgTarget& t : c.swg) j["swg"].push_back(SwgJson(t));
  return j;
}

ordered_json CaptureCheckJson(const std::optional<CaptureCheck>& check) {
  if (!check) return nullptr;
  ordered_json j;
  j["status"] = CaptureStatusName(check->status);
  j["reason"] = check->reason;
  j["filter"] = OrNull(check->filter);
  j["evidence"] = Frames(check->evidence);
  return j;
}

}  // namespace dartdiag
