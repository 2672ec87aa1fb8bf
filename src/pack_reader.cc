// Shared JSON access of rule pack loading (see pack_reader.h).
#include "pack_reader.h"

#include <re2/re2.h>

#include <algorithm>

#include <fmt/format.h>

#include "log_types.h"

namespace dartdiag {

using json = nlohmann::json;

void PackReader::Problem(const std::string& path, const std::string& what) {
  problems_.push_back(fmt::format("{}: {}: {}", source_.name, path.empty() ? "/" : path, what));
}

void PackReader::CheckKeys(const json& object, const std::string& path,
                           std::initializer_list<std::string_view> allowed) {
  CheckKeys(object, path, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

void PackReader::CheckKeys(const json& object, const std::string& path, std::span<const std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Problem(path + "/" + key, fmt::format("unknown key '{}'", key));
    }
  }
}

const json* PackReader::Get(const json& object, const std::string& path, const char* key, json::value_t type,
                            bool required) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) Problem(path + "/" + key, "missing");
    return nullptr;
  }
  const bool ok = it->type() == type || (type == json::value_t::number_unsigned && it->is_number_integer());
  if (!ok) {
    Problem(path + "/" + key, fmt::format("must be {}", TypeName(type)));
    return nullptr;
  }
  return &*it;
}

std::string_view PackReader::TypeName(json::value_t type) {
  switch (type) {
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::boolean: return "true or false";
    default: return "a number";
  }
}

std::string PackReader::String(const json& object, const std::string& path, const char* key, bool required) {
  const json* value = Get(object, path, key, json::value_t::string, required);
  if (value == nullptr) return {};
  std::string text = value->get<std::string>();
  if (required && text.empty()) Problem(path + "/" + key, "must not be empty");
  return text;
}

// A human text: a string, or translations by language tag with "en" required.
std::string PackReader::LocalizedValue(const json& value, const std::string& path) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_object() || !value.contains("en") || !value["en"].is_string()) {
    Problem(path, "must be a string or an object of translations with an \"en\" string");
    return {};
  }
  for (const auto& [tag, text] : value.items()) {
    if (!text.is_string()) Problem(path + "/" + tag, "must be a string");
  }
  const auto it = value.find(lang_);
  return (it != value.end() && it->is_string() ? *it : value["en"]).get<std::string>();
}

std::string PackReader::Localized(const json& object, const std::string& path, const char* key, bool required) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) Problem(path + "/" + key, "missing");
    return {};
  }
  std::string text = LocalizedValue(*it, path + "/" + key);
  if (required && text.empty()) Problem(path + "/" + key, "must not be empty");
  return text;
}

std::vector<std::string> PackReader::LocalizedList(const json& object, const std::string& path, const char* key) {
  std::vector<std::string> out;
  const json* list = Get(object, path, key, json::value_t::array, false);
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    out.push_back(LocalizedValue((*list)[i], fmt::format("{}/{}/{}", path, key, i)));
  }
  return out;
}

std::optional<int64_t> PackReader::LoadWithin(const json& object, const std::string& path) {
  const auto it = object.find("within");
  return it == object.end() ? std::nullopt : LoadDuration(*it, path + "/within");
}

// A duration: a string ParseDuration reads, or a whole number of seconds, at most 100 years.
std::optional<int64_t> PackReader::LoadDuration(const json& value, const std::string& path) {
  std::optional<int64_t> seconds;
  if (value.is_number_unsigned() && value.get<uint64_t>() <= static_cast<uint64_t>(kMaxDurationSeconds)) {
    seconds = static_cast<int64_t>(value.get<uint64_t>());
  }
  if (value.is_string()) seconds = ParseDuration(value.get<std::string>());
  if (!seconds) {
    Problem(path,
            "must be a duration such as \"30s\", \"5m\", \"2h\", \"1d\" or a number of seconds, at most 100 years");
  }
  return seconds;
}

size_t PackReader::LoadMatcher(const json& object, const std::string& path, std::vector<Matcher>& into) {
  Matcher matcher;
  matcher.json_path = path;
  if (!object.is_object()) {
    Problem(path, "an event pattern must be an object");
  } else {
    const std::string log = String(object, path, "log", true);
    if (auto id = LogTypeById(log)) {
      matcher.log = *id;
    } else if (!log.empty()) {
      std::string known;
      for (const LogType& type : LogTypes()) known += (known.empty() ? "" : ", ") + std::string(type.id);
      Problem(path + "/log", fmt::format("unknown log '{}' (known: {})", log, known));
    }
    for (const auto& [key, value] : object.items()) {
      if (key == "log") continue;
      const std::string field_path = path + "/" + key;
      const auto field = FieldByName(key);
      if (!field) {
        Problem(field_path, fmt::format("unknown field '{}'", key));
        continue;
      }
      if (!value.is_string()) {
        Problem(field_path, "must be a string (an RE2 pattern)");
        continue;
      }
      RE2::Options options;
      options.set_log_errors(false);
      auto re = std::make_unique<const RE2>(value.get<std::string>(), options);
      if (!re->ok()) {
        Problem(field_path, fmt::format("invalid regular expression: {}", re->error()));
        continue;
      }
      matcher.patterns.emplace_back(*field, std::move(re));
    }
  }
  into.push_back(std::move(matcher));
  return into.size() - 1;
}

}  // namespace dartdiag
