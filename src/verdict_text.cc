// Verdict texts (see verdict_text.h). Tested by rule_engine_test.cc and state_model_test.cc.
#include "verdict_text.h"

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

}  // namespace

std::string ExpandFields(const std::string& text, const OwnedEvent& event, std::optional<FieldId> group_by,
                         const std::string& group) {
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
      const std::string_view value =
          event.Get(*field).empty() && group_by == *field ? std::string_view(group) : event.Get(*field);
      out += *field == FieldId::kFamily ? FamilyDisplay(value) : value;
    } else {
      out.append(text, open, close - open + 1);
    }
    pos = close + 1;
  }
  return out;
}

std::map<std::string, std::string> TypedFields(const OwnedEvent& event) {
  std::map<std::string, std::string> fields;
  for (FieldId field : kTypedFields) {
    if (!event.Get(field).empty()) fields[std::string(FieldName(field))] = event.Get(field);
  }
  return fields;
}

Verdict VerdictFromRule(const Rule& rule, const std::string& group, const OwnedEvent& last) {
  Verdict v;
  v.rule = rule.id;
  v.title = rule.title;
  v.protection = rule.protection;
  v.status = rule.status;
  v.status_label = rule.status_label;
  v.group = group;
  if (rule.group_by == FieldId::kFamily) v.family = group;
  v.severity = rule.severity;
  v.summary = ExpandFields(rule.summary, last, rule.group_by, group);
  v.root_cause = ExpandFields(rule.root_cause, last, rule.group_by, group);
  for (const std::string& step : rule.remediation)
    v.remediation.push_back(ExpandFields(step, last, rule.group_by, group));
  v.links = rule.links;
  v.capture_ref = rule.capture;
  v.fields = TypedFields(last);
  return v;
}

}  // namespace dartdiag
