// Batch rows as output, one writer per format (the table at the end): JSON Lines (the
// single-bundle JSON object with the batch's fields in front), CSV for spreadsheets, and a line of
// text per bundle. Tested by batch_test.cc.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "batch/batch.h"
#include "terminal_escape.h"

namespace dartdiag {
namespace {

using nlohmann::ordered_json;

ordered_json OrNull(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

std::string VerdictId(const VerdictBrief& v) { return v.family.empty() ? v.rule : v.rule + "/" + v.family; }

std::string VerdictIds(const BatchRow& row, std::string_view separator) {
  std::string ids;
  for (const VerdictBrief& v : row.verdicts) {
    if (!ids.empty()) ids.append(separator);
    ids.append(VerdictId(v));
  }
  return ids;
}

// {"bundle": ..., "attachment": ..., "outcome": ..., "exit_code": ..., "duplicate_of": ...,
// "error": ..., then every key of the single-bundle report}.
void WriteJsonLine(const BatchRow& row, Lang, std::ostream& out) {
  ordered_json head;
  head["bundle"] = row.bundle;
  head["attachment"] = row.attachment;
  head["outcome"] = BatchOutcomeName(row.outcome);
  head["exit_code"] = static_cast<int>(row.code);
  head["duplicate_of"] = OrNull(row.duplicate_of);
  head["error"] = OrNull(row.error);
  std::string line = head.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  if (row.report.size() > 2) {  // splice the report's keys in: it is a non-empty object
    line.back() = ',';
    line.append(row.report, 1);
  }
  out << line << '\n';
}

// RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading apostrophe.
std::string CsvCell(std::string cell) {
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos) {
    cell = fmt::format("'{}", cell);
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted.append(c == '"' ? 2 : 1, c);
  quoted.push_back('"');
  return quoted;
}

constexpr std::string_view kCsvColumns[] = {"bundle",    "attachment",   "outcome",    "exit_code",
                                            "verdicts",  "severity",     "first_seen", "last_seen",
                                            "logs_read", "duplicate_of", "sha256",     "error"};

void WriteCsvHeader(std::ostream& out) {
  std::string line;
  for (std::string_view column : kCsvColumns) {
    if (!line.empty()) line.push_back(',');
    line.append(column);
  }
  out << line << '\n';
}

void WriteCsvRow(const BatchRow& row, Lang, std::ostream& out) {
  std::string severity, first_seen, last_seen;
  std::optional<Severity> highest;
  for (const VerdictBrief& v : row.verdicts) {
    if (!highest || v.severity > *highest) highest = v.severity;
    if (!v.first_seen.empty() && (first_seen.empty() || v.first_seen < first_seen)) first_seen = v.first_seen;
    if (v.last_seen > last_seen) last_seen = v.last_seen;
  }
  if (highest) severity = SeverityName(*highest);
  const std::string cells[] = {row.bundle,
                               row.attachment,
                               std::string(BatchOutcomeName(row.outcome)),
                               std::to_string(static_cast<int>(row.code)),
                               VerdictIds(row, " "),
                               severity,
                               first_seen,
                               last_seen,
                               std::to_string(row.logs_read),
                               row.duplicate_of,
                               row.sha256,
                               row.error};
  static_assert(std::size(cells) == std::size(kCsvColumns));
  std::string line;
  for (const std::string& cell : cells) {
    if (!line.empty()) line.push_back(',');
    line.append(CsvCell(cell));
  }
  out << line << '\n';
}

void WriteNothing(std::ostream&) {}

// `findings    a.zip  dns-unprotected/ipv4 (error), web-cloud-unavailable (error)`, in `lang`
// (rule ids and the bundle's name as they are).
void WriteTextRow(const BatchRow& row, Lang lang, std::ostream& out) {
  std::string detail;
  if (!row.error.empty()) {
    detail = InLanguage(row.error, row.error_phrase, lang);
  } else {
    for (const VerdictBrief& v : row.verdicts) {
      if (!detail.empty()) detail += MessageText(Msg::kListSeparator, lang);
      detail += Say(lang, Msg::kBatchVerdict, fmt::arg("verdict", VerdictId(v)),
                    fmt::arg("severity", MessageText(LevelMessage(SeverityName(v.severity)), lang)));
    }
  }
  if (!row.duplicate_of.empty())
    detail = Say(lang, Msg::kBatchDuplicateOf, fmt::arg("bundle", row.duplicate_of)) + detail;
  std::string line = PadColumns(MessageText(BatchOutcomeMessage(row.outcome), lang), 11) + " " + row.bundle;
  if (!detail.empty()) line += "  " + detail;
  out << EscapeForTerminal(line) << '\n';
}

constexpr BatchFormat kFormats[] = {
    {"jsonl", WriteNothing, WriteJsonLine, false},
    {"csv", WriteCsvHeader, WriteCsvRow, false},
    {"text", WriteNothing, WriteTextRow, true},
};

}  // namespace

std::span<const BatchFormat> BatchFormats() { return kFormats; }

}  // namespace dartdiag
