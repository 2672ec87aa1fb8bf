// The log-type table: which files dartdiag parses and with which parser. Adding a log type is
// one parser file, one row in log_types.cc, one test file and one testdata case
// (see docs/architecture.md). Tested by parser_test.cc and collect_test.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "dartdiag/event.h"

namespace dartdiag {

// Receives what a parser finds. Event views are valid only during the call.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvent(const Event& event) = 0;
  virtual void OnUnparsed(uint64_t line, std::string_view text) = 0;
  virtual void OnIdentity(IdentityKind /*kind*/, std::string_view /*value*/) {}
};

struct ParseStats {
  uint64_t lines = 0;        // physical lines read
  uint64_t events = 0;       // events produced
  uint64_t unparsed = 0;     // lines that belong to no event and are not blank or separators
  uint64_t cut_records = 0;  // multi-line records whose text passed the record cap and was cut
};

// A parser consumes a log line by line (lines are transient views) and emits events.
class LineParser {
 public:
  virtual ~LineParser() = default;
  virtual void Line(uint64_t number, std::string_view line) = 0;
  virtual ParseStats Finish() = 0;  // flushes a pending record; lines counted = lines fed
  // Caps the text one multi-line record keeps, like a line (Limits::max_line_bytes): the rest of
  // a longer record is dropped and counted in ParseStats::cut_records. Single-line parsers need
  // no cap of their own: the line splitter cuts their lines.
  virtual void SetMaxRecordBytes(size_t /*max_bytes*/) {}
};

using MakeParserFn = std::unique_ptr<LineParser> (*)(LogTypeId log, EventSink& sink);
using SniffFn = bool (*)(std::string_view first_lines);

struct LogType {
  std::string_view id;         // the rule pack's name for it, e.g. "csccumbrellaplugin"
  std::string_view file_name;  // matched case-insensitively against an entry's base name
  std::string_view description;
  MakeParserFn make_parser;
  SniffFn sniff;                    // recognises the log by content, for loose files with other names
  std::span<const FieldId> fields;  // the fields its parser can fill (rules lint checks placeholders)
};

std::span<const LogType> LogTypes();
const LogType& GetLogType(LogTypeId id);
std::optional<LogTypeId> LogTypeById(std::string_view id);
std::optional<LogTypeId> LogTypeByFileName(std::string_view base_name);
std::optional<LogTypeId> LogTypeByContent(std::string_view utf8_text);

// Parses a whole UTF-8 text with the log type's parser (tests, rule examples).
ParseStats ParseText(LogTypeId log, std::string_view utf8_text, EventSink& sink);

// The parsers, one per log type (plugin_parser.cc, eventlog_parser.cc).
std::unique_ptr<LineParser> MakePluginParser(LogTypeId log, EventSink& sink);
bool SniffPluginLog(std::string_view first_lines);
std::unique_ptr<LineParser> MakeEventLogParser(LogTypeId log, EventSink& sink);
bool SniffEventLog(std::string_view first_lines);

}  // namespace dartdiag
