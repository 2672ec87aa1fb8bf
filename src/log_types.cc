// The log-type table: one row per log dartdiag parses. Tested by parser_test.cc.
#include "log_types.h"

#include <array>

#include "text_decode.h"
#include "text_util.h"

namespace dartdiag {
namespace {

constexpr std::array kPluginFields = {FieldId::kLevel,   FieldId::kThread, FieldId::kPid,  FieldId::kComponent,
                                      FieldId::kMessage, FieldId::kFamily, FieldId::kPort, FieldId::kCandidates};
constexpr std::array kEventLogFields = {FieldId::kLevel,   FieldId::kThread,   FieldId::kSource, FieldId::kEventId,
                                        FieldId::kMessage, FieldId::kFailOpen, FieldId::kCMode,  FieldId::kTMode};

constexpr std::array<LogType, 2> kLogTypes = {{
    {"csccumbrellaplugin", "csccumbrellaplugin.txt", "Umbrella plugin log (DNS protection state machines)",
     MakePluginParser, SniffPluginLog, kPluginFields},
    {"umbrella-eventlog", "Umbrella.txt", "Umbrella module Windows event log export (DNS and SWG agents)",
     MakeEventLogParser, SniffEventLog, kEventLogFields},
}};

}  // namespace

std::span<const LogType> LogTypes() { return kLogTypes; }

const LogType& GetLogType(LogTypeId id) { return kLogTypes.at(id); }

std::optional<LogTypeId> LogTypeById(std::string_view id) {
  for (size_t i = 0; i < kLogTypes.size(); ++i) {
    if (kLogTypes[i].id == id) return static_cast<LogTypeId>(i);
  }
  return std::nullopt;
}

std::optional<LogTypeId> LogTypeByFileName(std::string_view base_name) {
  for (size_t i = 0; i < kLogTypes.size(); ++i) {
    if (EqualsIgnoreCase(kLogTypes[i].file_name, base_name)) return static_cast<LogTypeId>(i);
  }
  return std::nullopt;
}

std::optional<LogTypeId> LogTypeByContent(std::string_view utf8_text) {
  const std::string_view head = utf8_text.substr(0, 16 * 1024);
  for (size_t i = 0; i < kLogTypes.size(); ++i) {
    if (kLogTypes[i].sniff(head)) return static_cast<LogTypeId>(i);
  }
  return std::nullopt;
}

ParseStats ParseText(LogTypeId log, std::string_view utf8_text, EventSink& sink) {
  auto parser = GetLogType(log).make_parser(log, sink);
  ForEachLine(utf8_text, [&](uint64_t number, std::string_view line) { parser->Line(number, line); });
  return parser->Finish();
}

}  // namespace dartdiag
