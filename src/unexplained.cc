// Unexplained warnings: templating and counting (see unexplained.h). Tested by
// unexplained_test.cc.
#include "dartdiag/unexplained.h"

#include <re2/re2.h>

#include <algorithm>

#include "dartdiag/log_types.h"
#include "text_util.h"

namespace dartdiag {
namespace {

struct Mask {
  Mask(const char* re, const char* with) : pattern(re), replacement(with) {}
  const RE2 pattern;
  const char* replacement;
};

// Applied in order: the most specific shapes first.
const std::vector<std::unique_ptr<Mask>>& Masks() {
  static const auto* masks = [] {
    auto* list = new std::vector<std::unique_ptr<Mask>>();
    const std::pair<const char*, const char*> rules[] = {
        {R"(\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?)", "<guid>"},
        {R"(\b\d{1,3}(\.\d{1,3}){3}\b)", "<ip>"},
        {R"((?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?|\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}\b)", "<ip>"},
        {R"(\b0[xX][0-9A-Fa-f]+\b)", "<hex>"},
        {R"(\b[0-9A-Fa-f]*[0-9][0-9A-Fa-f]*[A-Fa-f][0-9A-Fa-f]*\b|\b[0-9A-Fa-f]*[A-Fa-f][0-9A-Fa-f]*[0-9][0-9A-Fa-f]*\b)", "<hex>"},
        {R"(\d+)", "<n>"},
    };
    for (const auto& [pattern, replacement] : rules) list->push_back(std::make_unique<Mask>(pattern, replacement));
    return list;
  }();
  return *masks;
}

}  // namespace

std::string MaskMessage(std::string_view message) {
  std::string text(message);
  for (const auto& mask : Masks()) RE2::GlobalReplace(&text, mask->pattern, mask->replacement);
  return text;
}

bool IsWarningLevel(std::string_view level) {
  for (std::string_view name : {"WARN", "WARNING", "ERROR", "ERR", "FATAL", "CRITICAL"}) {
    if (EqualsIgnoreCase(level, name)) return true;
  }
  return false;
}

void UnexplainedCollector::Observe(const Event& event, const std::string& file) {
  if (!IsWarningLevel(event.Get(FieldId::kLevel))) return;
  const std::string_view source = !event.Get(FieldId::kComponent).empty() ? event.Get(FieldId::kComponent)
                                                                           : event.Get(FieldId::kSource);
  auto key = std::make_tuple(std::string(GetLogType(event.log).id), std::string(event.Get(FieldId::kLevel)),
                             std::string(source), MaskMessage(event.Get(FieldId::kMessage)));
  auto it = templates_.find(key);
  if (it == templates_.end()) {
    if (templates_.size() >= max_) {
      ++uncounted_;
      return;
    }
    WarningTemplate t{std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key)};
    t.first_seen = std::string(event.time);
    t.example_file = file;
    t.example_line = event.line;
    t.example = std::string(event.raw);
    it = templates_.emplace(std::move(key), std::move(t)).first;
  }
  ++it->second.count;
  it->second.last_seen = std::string(event.time);
}

std::vector<WarningTemplate> UnexplainedCollector::Templates() const {
  std::vector<WarningTemplate> out;
  for (const auto& [key, t] : templates_) out.push_back(t);
  std::stable_sort(out.begin(), out.end(), [](const WarningTemplate& a, const WarningTemplate& b) {
    return a.count > b.count;
  });
  return out;
}

}  // namespace dartdiag
