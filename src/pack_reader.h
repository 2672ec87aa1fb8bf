// What every part of rule pack loading shares: typed access to one source's JSON, each problem
// recorded with the source's name and the JSON path, human texts in the reader's language, event
// patterns and durations. The rule loader (rule_pack.cc) and the state model loader
// (state_model_loader.cc) build on it. Tested through rule_pack_test.cc.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rule_model.h"

namespace dartdiag {

// Durations past this are refused at load, so the evaluation's time arithmetic and windows never
// meet a value that wraps (18446744073709551615 read as -1 overran a window).
inline constexpr int64_t kMaxDurationSeconds = int64_t{100} * 365 * 86400;  // 100 years

class PackReader {
 public:
  using json = nlohmann::json;
  PackReader(const RuleSource& source, const std::string& lang) : source_(source), lang_(lang) {}

 protected:
  void Problem(const std::string& path, const std::string& what);
  void CheckKeys(const json& object, const std::string& path, std::initializer_list<std::string_view> allowed);
  void CheckKeys(const json& object, const std::string& path, std::span<const std::string_view> allowed);
  // The member `key` of `object` if it has `type`; a problem if it has another, or is missing and
  // `required`.
  const json* Get(const json& object, const std::string& path, const char* key, json::value_t type, bool required);
  static std::string_view TypeName(json::value_t type);
  std::string String(const json& object, const std::string& path, const char* key, bool required);
  std::string LocalizedValue(const json& value, const std::string& path);
  std::string Localized(const json& object, const std::string& path, const char* key, bool required);
  std::vector<std::string> LocalizedList(const json& object, const std::string& path, const char* key);
  std::optional<int64_t> LoadWithin(const json& object, const std::string& path);
  std::optional<int64_t> LoadDuration(const json& value, const std::string& path);
  // Compiles an event pattern into `into`; returns its index there.
  size_t LoadMatcher(const json& object, const std::string& path, std::vector<Matcher>& into);
  // Visits each item of the array `key` of `object` as (item, its path) when it is an object with
  // only the `allowed` keys; an item that is not an object is a problem saying `shape`. Returns the
  // array (nullptr when it is missing or not an array).
  template <typename Visit>
  const json* ForEachObject(const json& object, const std::string& path, const char* key, bool required,
                            const char* shape, std::initializer_list<std::string_view> allowed, Visit&& visit) {
    const json* items = Get(object, path, key, json::value_t::array, required);
    for (size_t i = 0; items != nullptr && i < items->size(); ++i) {
      const std::string item_path = path + "/" + key + "/" + std::to_string(i);
      const json& item = (*items)[i];
      if (!item.is_object()) {
        Problem(item_path, shape);
        continue;
      }
      CheckKeys(item, item_path, allowed);
      visit(item, item_path);
    }
    return items;
  }
  // A state model (state_model_loader.cc).
  StateModel LoadStateModel(const json& object, const std::string& path);

  const RuleSource& source_;
  const std::string& lang_;
  std::vector<std::string> problems_;
};

}  // namespace dartdiag
