// Rule pack loading: JSON (nlohmann_json) to validated, compiled rules. Every problem is
// collected with its file and JSON path before one Error is thrown. Tested by rule_pack_test.cc.
#include "rule_model.h"

#include <re2/re2.h>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join
#include <nlohmann/json.hpp>

#include "dartdiag/error.h"
#include "condition_grammar.h"
#include "log_types.h"
#include "json_text.h"
#include "pack_reader.h"

namespace dartdiag {

extern const char kDefaultRulePack[];

namespace {

using nlohmann::json;

// Conditions are loaded, evaluated and described recursively; a hostile pack must not nest them
// deep enough to overflow the stack. Real rules nest 2 to 4 levels.
constexpr int kMaxConditionDepth = 32;
// Arrays and objects a pack may nest, checked on the text before any JSON value is built (and so
// before any recursive copy): 32 levels of conditions take at most 3 each, plus the rule around.
constexpr int kMaxJsonDepth = 128;

// Counts past this are refused at load, as durations past kMaxDurationSeconds are.
constexpr uint64_t kMaxCount = 1000000;

constexpr std::string_view kCaptureChecks[] = {"dns-blocked", "dns-unencrypted-only", "dns-443-blocked", "swg-blocked"};

class Loader : PackReader {
 public:
  using PackReader::PackReader;

  RulePack Load(std::vector<std::string>& problems) {
    json doc;
    const auto problem = source_.embedded ? std::nullopt : CheckJsonText(source_.text, kMaxJsonDepth);
    if (problem) {
      problems.push_back(fmt::format("{}: line {}, column {}: {}{}", source_.name, problem->line, problem->column,
                                     problem->too_deep ? "" : "not valid JSON: ", problem->what));
      return {};
    }
    try {
      doc = json::parse(source_.text);
    } catch (const json::exception&) {  // CheckJsonText accepts what nlohmann_json accepts
      Problem("", "not valid JSON");
      problems.insert(problems.end(), problems_.begin(), problems_.end());
      return {};
    }
    RulePack pack;
    std::vector<Rule>& rules = pack.rules;
    if (!doc.is_object()) {
      Problem("", "a rule pack must be a JSON object with a \"rules\" array");
    } else {
      CheckKeys(doc, "", {"format", "description", "rules", "state_models"});
      if (doc.contains("format") && doc["format"] != "dartdiag-rules/1") {
        Problem("/format", "unsupported format (expected \"dartdiag-rules/1\")");
      }
      const json* list = Get(doc, "", "rules", json::value_t::array, true);
      std::set<std::string> ids;
      for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
        const std::string path = fmt::format("/rules/{}", i);
        Rule rule = LoadRule((*list)[i], path);
        if (!rule.id.empty() && !ids.insert(rule.id).second) {
          Problem(path + "/id", fmt::format("duplicate rule id '{}'", rule.id));
        }
        rules.push_back(std::move(rule));
      }
      const json* models = Get(doc, "", "state_models", json::value_t::array, false);
      for (size_t i = 0; models != nullptr && i < models->size(); ++i) {
        pack.models.push_back(LoadStateModel((*models)[i], fmt::format("/state_models/{}", i)));
      }
    }
    problems.insert(problems.end(), problems_.begin(), problems_.end());
    return pack;
  }

 private:
  Rule LoadRule(const json& object, const std::string& path) {
    Rule rule;
    rule.source = source_.name;
    if (!object.is_object()) {
      Problem(path, "a rule must be an object");
      return rule;
    }
    CheckKeys(object, path,
              {"id", "title", "protection", "status", "severity", "group_by", "when", "cleared_by", "summary",
               "root_cause", "remediation", "links", "notes", "examples", "state", "capture"});
    rule.json_path = path;
    rule.id = String(object, path, "id", true);
    if (!rule.id.empty() && !RE2::FullMatch(rule.id, "[a-z0-9][a-z0-9._-]*")) {
      Problem(path + "/id", "must be lowercase letters, digits, '.', '_' or '-'");
    }
    rule.title = Localized(object, path, "title", true);
    rule.protection = String(object, path, "protection", true);
    if (!rule.protection.empty() && rule.protection != "dns" && rule.protection != "web") {
      Problem(path + "/protection", "must be \"dns\" or \"web\"");
    }
    // The status word: a string, or translations; JSON shows the English, the human reports the label.
    if (const auto it = object.find("status"); it != object.end() && it->is_object()) {
      rule.status_label = LocalizedValue(*it, path + "/status");
      if (it->contains("en") && (*it)["en"].is_string()) rule.status = (*it)["en"].get<std::string>();
      if (rule.status.empty()) Problem(path + "/status", "must not be empty");
    } else {
      rule.status = String(object, path, "status", true);
      rule.status_label = rule.status;
    }
    const std::string severity = String(object, path, "severity", true);
    if (auto s = SeverityByName(severity)) {
      rule.severity = *s;
    } else if (!severity.empty()) {
      Problem(path + "/severity", "must be \"error\", \"warning\" or \"info\"");
    }
    const std::string group_by = String(object, path, "group_by", false);
    if (!group_by.empty()) {
      rule.group_by = FieldByName(group_by);
      if (!rule.group_by) Problem(path + "/group_by", fmt::format("unknown field '{}'", group_by));
    }
    if (const json* state = Get(object, path, "state", json::value_t::object, false)) {
      rule.state = LoadStateRef(*state, path + "/state");
      if (object.contains("when"))
        Problem(path + "/when", "a rule reads either a \"state\" or a \"when\" condition, not both");
    } else if (const json* when = Get(object, path, "when", json::value_t::object, true)) {
      rule.when = LoadCondition(*when, path + "/when", rule);
    }
    if (const json* cleared = Get(object, path, "cleared_by", json::value_t::object, false)) {
      rule.cleared_by = LoadMatcher(*cleared, path + "/cleared_by", rule.matchers);
    }
    rule.summary = Localized(object, path, "summary", true);
    rule.root_cause = Localized(object, path, "root_cause", true);
    rule.remediation = LocalizedList(object, path, "remediation");
    LoadLinks(object, path, rule);
    LoadNotes(object, path, rule);
    LoadExamples(object, path, rule);
    if (const json* capture = Get(object, path, "capture", json::value_t::object, false)) {
      rule.capture = LoadCaptureRef(*capture, path + "/capture");
    }
    return rule;
  }

  // {"check": name, "firewall"?: {"ports": [n, ...], "protocols": ["tcp"|"udp", ...]}}
  CaptureRef LoadCaptureRef(const json& object, const std::string& path) {
    CaptureRef ref;
    CheckKeys(object, path, {"check", "firewall"});
    ref.check = String(object, path, "check", true);
    if (!ref.check.empty() &&
        std::find(std::begin(kCaptureChecks), std::end(kCaptureChecks), ref.check) == std::end(kCaptureChecks)) {
      Problem(path + "/check",
              fmt::format("unknown capture check '{}' (expected {})", ref.check, fmt::join(kCaptureChecks, ", ")));
    }
    const json* firewall = Get(object, path, "firewall", json::value_t::object, false);
    if (firewall == nullptr) return ref;
    const std::string fw_path = path + "/firewall";
    CheckKeys(*firewall, fw_path, {"ports", "protocols"});
    const json* ports = Get(*firewall, fw_path, "ports", json::value_t::array, true);
    for (size_t i = 0; ports != nullptr && i < ports->size(); ++i) {
      const json& port = (*ports)[i];
      if (!port.is_number_unsigned() || port.get<uint64_t>() < 1 || port.get<uint64_t>() > 65535) {
        Problem(fmt::format("{}/ports/{}", fw_path, i), "must be a port number from 1 to 65535");
      } else {
        ref.ports.push_back(static_cast<uint16_t>(port.get<uint64_t>()));
      }
    }
    const json* protocols = Get(*firewall, fw_path, "protocols", json::value_t::array, true);
    for (size_t i = 0; protocols != nullptr && i < protocols->size(); ++i) {
      const json& protocol = (*protocols)[i];
      if (protocol != "tcp" && protocol != "udp") {
        Problem(fmt::format("{}/protocols/{}", fw_path, i), "must be \"tcp\" or \"udp\"");
      } else {
        ref.protocols.push_back(protocol.get<std::string>());
      }
    }
    return ref;
  }

  // One condition: an object with one key, read by the shape its form in the grammar table gives
  // (condition_grammar.h): {"event": pattern}, {"not": condition}, {"all_of"|"any_of": [...]},
  // {"sequence": [...]} or {"sequence": {"steps": [...], "within": "30s"}},
  // {"not_followed_by": {"first": c, "then": c, "within"?}}, {"at_least": {"count": n, "of": c, "within"?}}.
  Condition LoadCondition(const json& object, const std::string& path, Rule& rule) {
    Condition condition;
    condition.json_path = path;
    if (condition_depth_ >= kMaxConditionDepth) {
      Problem(path, fmt::format("conditions nest deeper than {} levels", kMaxConditionDepth));
      return condition;
    }
    const DepthGuard guard(condition_depth_);
    if (!object.is_object() || object.size() != 1) {
      Problem(path, fmt::format("a condition is an object with one key: {}", ConditionKeyList()));
      return condition;
    }
    const std::string key = object.begin().key();
    const json& value = object.begin().value();
    const std::string child_path = path + "/" + key;
    const ConditionForm* form = FindForm(key);
    if (form == nullptr) {
      Problem(child_path, fmt::format("unknown condition '{}' (expected {})", key, ConditionKeyList()));
      return condition;
    }
    condition.kind = form->kind;
    switch (form->shape) {
      case ConditionForm::Shape::kPattern: condition.matcher = LoadMatcher(value, child_path, rule.matchers); break;
      case ConditionForm::Shape::kOne: condition.children.push_back(LoadCondition(value, child_path, rule)); break;
      case ConditionForm::Shape::kList: LoadList(value, child_path, *form, rule, condition); break;
      case ConditionForm::Shape::kSteps:
        if (value.is_object()) {
          CheckKeys(value, child_path, {"steps", "within"});
          condition.within = LoadWithin(value, child_path);
          static const json kAbsent;
          LoadList(value.contains("steps") ? value["steps"] : kAbsent, child_path + "/steps", *form, rule, condition);
        } else {
          LoadList(value, child_path, *form, rule, condition);
        }
        break;
      case ConditionForm::Shape::kOperands: LoadOperands(value, child_path, *form, rule, condition); break;
    }
    return condition;
  }

  // {"first": c, "then": c, "within"?} or {"count": n, "of": c, "within"?}: the form's operands,
  // each a condition that yields evidence, and its count when it has one.
  void LoadOperands(const json& value, const std::string& path, const ConditionForm& form, Rule& rule,
                    Condition& condition) {
    std::vector<std::string_view> keys(form.operands.begin(), form.operands.end());
    if (form.counted) keys.insert(keys.begin(), "count");
    keys.push_back("within");
    if (!value.is_object()) {
      Problem(path, fmt::format("must be an object {{{}}}", fmt::join(keys, ", ")));
      return;
    }
    CheckKeys(value, path, std::span<const std::string_view>(keys));
    condition.within = LoadWithin(value, path);
    for (const std::string_view operand : form.operands) {
      const std::string operand_path = path + "/" + std::string(operand);
      if (const json* c = Get(value, path, std::string(operand).c_str(), json::value_t::object, true)) {
        condition.children.push_back(LoadCondition(*c, operand_path, rule));
        RequireEvidence(condition.children.back(), operand_path);
      }
    }
    if (!form.counted) return;
    const json* count = Get(value, path, "count", json::value_t::number_unsigned, true);
    if (count != nullptr &&
        (!count->is_number_unsigned() || count->get<uint64_t>() < 1 || count->get<uint64_t>() > kMaxCount)) {
      Problem(path + "/count", fmt::format("must be a whole number from 1 to {}", kMaxCount));
    } else if (count != nullptr) {
      condition.count = count->get<uint64_t>();
    }
  }

  // The children of a list or the steps of a sequence; steps must yield evidence.
  void LoadList(const json& value, const std::string& path, const ConditionForm& form, Rule& rule,
                Condition& condition) {
    const size_t minimum = form.min_children;
    if (!value.is_array() || value.size() < minimum) {
      Problem(path, fmt::format("must be an array of at least {} condition{}", minimum, minimum > 1 ? "s" : ""));
      return;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string step_path = fmt::format("{}/{}", path, i);
      condition.children.push_back(LoadCondition(value[i], step_path, rule));
      if (form.shape == ConditionForm::Shape::kSteps) RequireEvidence(condition.children.back(), step_path);
    }
  }

  // Steps of a sequence and operands of time operators must yield events; "not" yields none.
  void RequireEvidence(const Condition& condition, const std::string& path) {
    if (condition.kind == Condition::Kind::kNot) Problem(path, "must yield events, so it cannot be 'not'");
  }

  // {"model": id, "is": state id, "count": [observation names]}: names are resolved against the
  // merged pack in LoadRulePack, since the model may come from another source.
  StateRef LoadStateRef(const json& object, const std::string& path) {
    StateRef ref;
    CheckKeys(object, path, {"model", "is", "count"});
    ref.model = String(object, path, "model", true);
    ref.state_name = String(object, path, "is", true);
    ref.json_path = path;
    if (const json* count = Get(object, path, "count", json::value_t::array, false)) {
      for (size_t i = 0; i < count->size(); ++i) {
        if ((*count)[i].is_string()) {
          ref.count_names.push_back((*count)[i].get<std::string>());
        } else {
          Problem(fmt::format("{}/count/{}", path, i), "must be an observation name such as \"port-53:failed\"");
        }
      }
    }
    return ref;
  }

  void LoadLinks(const json& object, const std::string& path, Rule& rule) {
    const json* links = Get(object, path, "links", json::value_t::array, false);
    for (size_t i = 0; links != nullptr && i < links->size(); ++i) {
      const json& link = (*links)[i];
      const std::string link_path = fmt::format("{}/links/{}", path, i);
      if (link.is_string()) {
        rule.links.push_back({"", link.get<std::string>()});
      } else if (link.is_object()) {
        CheckKeys(link, link_path, {"title", "url"});
        rule.links.push_back({Localized(link, link_path, "title", false), String(link, link_path, "url", true)});
      } else {
        Problem(link_path, "a link is a URL string or an object {title, url}");
      }
    }
  }

  void LoadNotes(const json& object, const std::string& path, Rule& rule) {
    const json* notes = Get(object, path, "notes", json::value_t::array, false);
    for (size_t i = 0; notes != nullptr && i < notes->size(); ++i) {
      const json& note = (*notes)[i];
      const std::string note_path = fmt::format("{}/notes/{}", path, i);
      if (!note.is_object()) {
        Problem(note_path, "a note is an object {if, text}");
        continue;
      }
      CheckKeys(note, note_path, {"if", "text"});
      Note out;
      out.text = Localized(note, note_path, "text", true);
      if (const json* when = Get(note, note_path, "if", json::value_t::object, true)) {
        out.matcher = LoadMatcher(*when, note_path + "/if", rule.matchers);
        rule.notes.push_back(std::move(out));
      }
    }
  }

  void LoadExamples(const json& object, const std::string& path, Rule& rule) {
    const json* examples = Get(object, path, "examples", json::value_t::object, false);
    if (examples == nullptr) return;
    const std::string examples_path = path + "/examples";
    CheckKeys(*examples, examples_path, {"match", "no_match"});
    for (const char* key : {"match", "no_match"}) {
      const json* list = Get(*examples, examples_path, key, json::value_t::array, false);
      for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
        const json& item = (*list)[i];
        Example example;
        example.should_match = std::string_view(key) == "match";
        example.json_path = fmt::format("{}/{}/{}", examples_path, key, i);
        if (item.is_string()) {
          example.lines.push_back(item.get<std::string>());
        } else if (item.is_array() &&
                   std::all_of(item.begin(), item.end(), [](const json& l) { return l.is_string(); })) {
          for (const json& line : item) example.lines.push_back(line.get<std::string>());
        } else {
          Problem(example.json_path, "an example is a log line or an array of log lines");
          continue;
        }
        rule.examples.push_back(std::move(example));
      }
    }
  }

  // Counts one level of condition nesting for as long as it lives.
  class DepthGuard {
   public:
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    int& depth_;
  };

  int condition_depth_ = 0;
};

}  // namespace

// Over 100 years is out of range, nullopt like a malformed duration.
std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t number = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    number = number * 10 + (text[i] - '0');
    if (number > (int64_t{1} << 40)) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  const std::string_view unit = text.substr(i);
  int64_t seconds = 0;
  if (unit.empty() || unit == "s") {
    seconds = number;
  } else if (unit == "m") {
    seconds = number * 60;
  } else if (unit == "h") {
    seconds = number * 3600;
  } else if (unit == "d") {
    seconds = number * 86400;
  } else {
    return std::nullopt;
  }
  if (seconds > kMaxDurationSeconds) return std::nullopt;
  return seconds;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "info";
}

std::optional<Severity> SeverityByName(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning") return Severity::kWarning;
  if (name == "error") return Severity::kError;
  return std::nullopt;
}

bool Matcher::Matches(const Event& event) const {
  if (event.log != log) return false;
  for (const auto& [field, re] : patterns) {
    const std::string_view value = event.Get(field);
    if (!RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re)) return false;
  }
  return true;
}

std::span<const std::string_view> CaptureCheckNames() { return kCaptureChecks; }

RulePack::RulePack() = default;
RulePack::RulePack(RulePack&&) noexcept = default;
RulePack& RulePack::operator=(RulePack&&) noexcept = default;
RulePack::~RulePack() = default;

const StateModel* RulePack::FindModel(std::string_view id) const {
  for (const StateModel& model : models) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

const std::vector<Matcher>& PatternsRead(const RulePack& pack, const Rule& rule) {
  return rule.state ? pack.models.at(rule.state->model_index).matchers : rule.matchers;
}

std::string_view HealthName(Health health) {
  switch (health) {
    case Health::kOk: return "ok";
    case Health::kDegraded: return "degraded";
    case Health::kFailing: return "failing";
    case Health::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string StateModel::ObservationName(size_t observation) const {
  if (observation < 2 * cycles.size()) {
    return cycles[observation / 2].id + (observation % 2 == 0 ? ":ok" : ":failed");
  }
  return events.at(observation - 2 * cycles.size()).id;
}

std::optional<size_t> StateModel::FindObservation(std::string_view name) const {
  for (size_t o = 0; o < ObservationCount(); ++o) {
    if (ObservationName(o) == name) return o;
  }
  return std::nullopt;
}

std::optional<size_t> StateModel::FindState(std::string_view state_id) const {
  for (size_t s = 0; s < states.size(); ++s) {
    if (states[s].id == state_id) return s;
  }
  return std::nullopt;
}

bool StateModel::IsFailure(size_t observation) const {
  if (observation < 2 * cycles.size()) return observation % 2 == 1;
  return events.at(observation - 2 * cycles.size()).failure;
}

namespace {

// Resolves a rule's state reference against the merged pack's models.
void ResolveStateRef(const RulePack& pack, Rule& rule, std::vector<std::string>& problems) {
  StateRef& ref = *rule.state;
  const auto problem = [&](const std::string& key, const std::string& what) {
    problems.push_back(fmt::format("{}: {}/{}: {}", rule.source, ref.json_path, key, what));
  };
  const auto model =
      std::find_if(pack.models.begin(), pack.models.end(), [&](const StateModel& m) { return m.id == ref.model; });
  if (model == pack.models.end()) {
    if (!ref.model.empty()) problem("model", fmt::format("unknown state model '{}'", ref.model));
    return;
  }
  ref.model_index = static_cast<size_t>(model - pack.models.begin());
  if (const auto state = model->FindState(ref.state_name)) {
    ref.state = *state;
  } else if (!ref.state_name.empty()) {
    problem("is", fmt::format("unknown state '{}' of model '{}'", ref.state_name, ref.model));
  }
  ref.count.clear();
  for (size_t i = 0; i < ref.count_names.size(); ++i) {
    if (const auto o = model->FindObservation(ref.count_names[i])) {
      ref.count.push_back(*o);
    } else {
      problem(fmt::format("count/{}", i),
              fmt::format("unknown observation '{}' of model '{}'", ref.count_names[i], ref.model));
    }
  }
  if (rule.group_by != model->group_by) {
    problems.push_back(fmt::format("{}: {}/group_by: must be the group_by of state model '{}' ({})", rule.source,
                                   rule.json_path, ref.model, model->group_by ? FieldName(*model->group_by) : "none"));
  }
  if (!rule.protection.empty() && rule.protection != model->protection) {
    problems.push_back(fmt::format("{}: {}/protection: must be the protection of state model '{}' ({})", rule.source,
                                   rule.json_path, ref.model, model->protection));
  }
}

}  // namespace

RulePack LoadRulePack(const std::vector<RuleSource>& sources, const std::string& lang) {
  std::vector<std::string> problems;
  RulePack pack;
  // Later sources add rules and state models, or replace those with the same id.
  const auto merge = [](auto& into, auto&& item) {
    auto same = std::find_if(into.begin(), into.end(), [&](const auto& x) { return x.id == item.id; });
    if (same != into.end()) {
      *same = std::move(item);
    } else {
      into.push_back(std::move(item));
    }
  };
  for (const RuleSource& source : sources) {
    RulePack loaded = Loader(source, lang).Load(problems);
    for (Rule& rule : loaded.rules) merge(pack.rules, std::move(rule));
    for (StateModel& model : loaded.models) merge(pack.models, std::move(model));
  }
  for (Rule& rule : pack.rules) {
    if (rule.state) ResolveStateRef(pack, rule, problems);
  }
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) message += (message.empty() ? "" : "\n") + p;
    throw Error(ExitCode::kUsage, message);
  }
  return pack;
}

std::string ChooseLanguage(const std::string& requested, const std::string& locale) {
  if (!requested.empty()) return requested;
  std::string tag = locale.substr(0, locale.find_first_of(".@"));  // "zh_TW.UTF-8" -> "zh_TW"
  std::replace(tag.begin(), tag.end(), '_', '-');
  if (tag == "zh-TW" || tag == "zh-HK" || tag.starts_with("zh-Hant")) return "zh-TW";
  return "en";
}

RuleSource DefaultRuleSource() { return {"<default rules>", std::string(kDefaultRulePack), true}; }

RuleSource ReadRuleSource(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::kUsage, fmt::format("{}: cannot read rule pack", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return {path, buffer.str()};
}

}  // namespace dartdiag
