// The timeline picture of the HTML report as inline SVG (html_timeline.h): lanes are computed
// first (intervals and ticks in seconds), then drawn on one time axis. The logs' local times share
// the capture's axis only when they can be placed in UTC (--log-tz, or logs that state a zone);
// otherwise the capture gets an axis of its own. Tested by html_report_test.cc.
#include "report/html_timeline.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "log_time.h"
#include "html_escape.h"
#include "text_util.h"

namespace dartdiag {
namespace {

constexpr double kWidth = 1200, kLabelWidth = 190, kRight = 20, kLaneHeight = 30, kBarHeight = 16, kAxisHeight = 34;

struct Bar {
  double from = 0, to = 0;
  std::string health;  // "ok", "degraded", "failing", "unknown"
  std::string title;
};
struct Tick {
  double at = 0;
  std::string kind;  // "evidence", "query", "answer", "syn", "rst", "packet"
  std::string title;
};
struct Lane {
  std::string label;
  std::string id;  // "dns-ipv4", "web", "capture", ...
  std::vector<Bar> bars;
  std::vector<Tick> ticks;
};

// "2024-08-27 03:07:43" (seconds since the epoch, read as UTC)
std::string FormatSeconds(double seconds) {
  std::string text = FormatSortTime(static_cast<int64_t>(std::floor(seconds)));
  std::replace(text.begin(), text.end(), 'T', ' ');
  return text;
}

std::string LaneLabel(const Verdict& v, Lang lang) {
  std::string label(MessageText(v.protection == "dns"   ? Msg::kDnsShort
                                : v.protection == "web" ? Msg::kWebShort
                                                        : Msg::kDnsShort,
                                lang));
  if (v.protection != "dns" && v.protection != "web") label = v.protection;
  if (v.family == "ipv4") label += " IPv4";
  if (v.family == "ipv6") label += " IPv6";
  return label;
}

class LaneBuilder {
 public:
  LaneBuilder(const Result& result, Lang lang) : result_(result), lang_(lang) {
    offset_ = result.log_offset.empty() ? std::optional<int>(0) : ParseUtcOffset(result.log_offset);
  }

  // Seconds of a log time on the logs' axis (local times read as UTC unless --log-tz placed them).
  std::optional<double> LogSeconds(std::string_view time) const {
    if (time.empty()) return std::nullopt;
    const auto s = UtcSeconds(time, offset_);
    return s ? std::optional<double>(static_cast<double>(*s)) : std::nullopt;
  }

  std::vector<Lane> LogLanes() const {
    std::vector<Lane> lanes;
    for (const Verdict& v : result_.verdicts) {
      const std::string id = v.family.empty() ? v.protection : v.protection + "-" + v.family;
      auto lane = std::find_if(lanes.begin(), lanes.end(), [&](const Lane& l) { return l.id == id; });
      if (lane == lanes.end()) {
        lanes.push_back({LaneLabel(v, lang_), id, {}, {}});
        lane = lanes.end() - 1;
        AddBars(v, *lane);
      }
      for (const EvidenceLine& e : v.evidence) {
        if (const auto at = LogSeconds(e.time)) {
          lane->ticks.push_back({*at, "evidence", fmt::format("{}:{}  {}", e.file, e.line, e.text)});
        }
      }
    }
    std::sort(lanes.begin(), lanes.end(), [](const Lane& a, const Lane& b) { return a.id < b.id; });
    return lanes;
  }

  std::optional<Lane> CaptureLane() const {
    if (!result_.capture) return std::nullopt;
    const CaptureReport& c = *result_.capture;
    Lane lane{std::string(MessageText(Msg::kHtmlCaptureLane, lang_)), "capture", {}, {}};
    std::vector<uint64_t> seen;
    auto add = [&](const std::optional<FrameRef>& ref, std::string_view kind) {
      if (!ref || ref->time_ns == 0 || std::find(seen.begin(), seen.end(), ref->frame) != seen.end()) return;
      seen.push_back(ref->frame);
      lane.ticks.push_back({static_cast<double>(ref->time_ns) / 1e9, std::string(kind),
                            fmt::format("{} {}  {}", Say(lang_, Msg::kFrame, fmt::arg("n", ref->frame)),
                                        FormatCaptureTime(ref->time_ns), ref->text)});
    };
    for (const DnsPath& p : c.dns) {
      add(p.first_sent, "query");
      add(p.last_sent, "query");
      add(p.first_received, "answer");
      add(p.first_rst, "rst");
    }
    for (const SwgTarget& t : c.swg) {
      add(t.learned_at, "answer");
      for (const FrameRef& ref : t.evidence)
        add(ref, ref.text.find("RST") != std::string::npos   ? "rst"
                 : ref.text.find("SYN") != std::string::npos ? "syn"
                                                             : "packet");
    }
    for (const CaptureFinding& f : c.findings) {
      for (const FrameRef& ref : f.evidence) add(ref, f.check == "dns" ? "query" : "packet");
    }
    if (c.first_time_ns != 0) {
      lane.bars.push_back(
          {static_cast<double>(c.first_time_ns) / 1e9, static_cast<double>(c.last_time_ns) / 1e9, "capture",
           fmt::format("{} .. {}", FormatCaptureTime(c.first_time_ns), FormatCaptureTime(c.last_time_ns))});
    }
    if (lane.ticks.empty() && lane.bars.empty()) return std::nullopt;
    return lane;
  }

  // The capture shares the logs' axis when the logs' times are placed in UTC.
  bool CaptureOnLogAxis() const {
    if (!result_.capture) return false;
    if (!result_.log_offset.empty()) return true;
    return std::all_of(result_.files.begin(), result_.files.end(),
                       [](const FileReport& f) { return f.first_time.empty() || StatesZone(f.first_time); });
  }

 private:
  void AddBars(const Verdict& v, Lane& lane) const {
    if (v.timeline) {
      for (const TimelineInterval& i : v.timeline->intervals) {
        const auto from = LogSeconds(i.from), to = LogSeconds(i.to);
        if (!from || !to) continue;
        lane.bars.push_back(
            {*from, std::max(*to, *from), i.health, fmt::format("{}  {} .. {}", i.label, i.from, i.to)});
      }
      return;
    }
    // A condition verdict: its problem from `since` to where it stopped holding (or the log's end).
    const auto from = LogSeconds(v.since.empty() ? v.first_seen : v.since);
    const auto to = LogSeconds(v.end_state == EndState::kFailing ? (v.log_end.empty() ? v.last_seen : v.log_end)
                                                                 : (v.cleared_at.empty() ? v.last_seen : v.cleared_at));
    if (from && to)
      lane.bars.push_back(
          {*from, std::max(*from, *to), "failing",
           fmt::format("{}  {} ..", lang_ == Lang::kEn || v.status_label.empty() ? v.status : v.status_label,
                       v.since)});
  }

  const Result& result_;
  Lang lang_;
  std::optional<int> offset_;
};

std::string DrawLanes(const std::vector<Lane>& lanes, std::string_view label) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Lane& l : lanes) {
    for (const Bar& b : l.bars) lo = std::min(lo, b.from), hi = std::max(hi, b.to);
    for (const Tick& t : l.ticks) lo = std::min(lo, t.at), hi = std::max(hi, t.at);
  }
  if (!(lo <= hi)) return "";
  if (hi - lo < 1) hi = lo + 1;
  const double plot = kWidth - kLabelWidth - kRight;
  auto x = [&](double t) { return kLabelWidth + (t - lo) / (hi - lo) * plot; };
  const double height = kAxisHeight + kLaneHeight * static_cast<double>(lanes.size()) + 6;
  std::string svg = fmt::format(
      "<svg class=\"timeline\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" width=\"100%\" "
      "preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">\n",
      HtmlEscape(label), kWidth, height);
  // The axis: five times, at the top.
  for (int i = 0; i <= 4; ++i) {
    const double t = lo + (hi - lo) * i / 4.0;
    const double px = x(t);
    svg += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", px,
                       kAxisHeight - 6, px, height);
    svg +=
        fmt::format("<text class=\"axis\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n", px, kAxisHeight - 12,
                    i == 0   ? "start"
                    : i == 4 ? "end"
                             : "middle",
                    FormatSeconds(t));
  }
  for (size_t n = 0; n < lanes.size(); ++n) {
    const Lane& l = lanes[n];
    const double y = kAxisHeight + kLaneHeight * static_cast<double>(n);
    svg += fmt::format("<g class=\"lane\" data-lane=\"{}\">", HtmlEscape(l.id));
    svg += fmt::format("<text class=\"lane-label\" x=\"4\" y=\"{:.1f}\">{}</text>", y + kLaneHeight / 2 + 4,
                       HtmlEscape(l.label));
    svg += fmt::format("<rect class=\"track\" x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\"/>", kLabelWidth,
                       y + (kLaneHeight - kBarHeight) / 2, plot, kBarHeight);
    for (const Bar& b : l.bars) {
      const double x1 = x(b.from), w = std::max(2.0, x(b.to) - x1);
      svg += fmt::format(
          "<rect class=\"bar {}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"><title>{}</title></rect>",
          HtmlEscape(b.health), x1, y + (kLaneHeight - kBarHeight) / 2, w, kBarHeight, HtmlEscape(b.title));
    }
    for (const Tick& t : l.ticks) {
      const double px = x(t.at);
      svg += fmt::format(
          "<g class=\"tick {}\"><title>{}</title><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>"
          "<rect class=\"hit\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"6\" height=\"{}\"/></g>",
          t.kind, HtmlEscape(t.title), px, y + 2, px, y + kLaneHeight - 2, px - 3, y, kLaneHeight);
    }
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

std::string Legend(Lang lang, bool capture) {
  std::string html = "<p class=\"legend\">";
  const std::pair<const char*, Msg> items[] = {{"failing", Msg::kHtmlLegendFailing},
                                               {"degraded", Msg::kHtmlLegendDegraded},
                                               {"ok", Msg::kHtmlLegendOk},
                                               {"unknown", Msg::kHtmlLegendUnknown}};
  for (const auto& [cls, msg] : items) {
    html += fmt::format("<span class=\"key {}\"></span>{} ", cls, HtmlEscape(MessageText(msg, lang)));
  }
  html +=
      fmt::format("<span class=\"key tickkey\"></span>{} ", HtmlEscape(MessageText(Msg::kHtmlLegendEvidence, lang)));
  if (capture)
    html += fmt::format("<span class=\"key tickkey packet\"></span>{}",
                        HtmlEscape(MessageText(Msg::kHtmlLegendPacket, lang)));
  return html + "</p>\n";
}

}  // namespace

std::string TimelineSvg(const Result& result, Lang lang) {
  const LaneBuilder builder(result, lang);
  std::vector<Lane> lanes = builder.LogLanes();
  std::optional<Lane> capture = builder.CaptureLane();
  const std::string label(MessageText(Msg::kHtmlTimelinePicture, lang));
  std::string html;
  if (capture && builder.CaptureOnLogAxis()) {
    lanes.push_back(std::move(*capture));
    capture.reset();
  }
  if (!lanes.empty()) html += DrawLanes(lanes, label);
  if (capture) {
    if (!lanes.empty()) html += "<p class=\"note\">" + HtmlEscape(Say(lang, Msg::kHtmlCaptureOwnAxis)) + "</p>\n";
    html += DrawLanes({*capture}, label);
  }
  if (html.empty()) return "<p class=\"note\">" + HtmlEscape(Say(lang, Msg::kHtmlNoTimeline)) + "</p>\n";
  return Legend(lang, result.capture.has_value()) + html;
}

}  // namespace dartdiag
