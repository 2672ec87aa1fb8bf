// The front door of the library: analyse one bundle (a zip, a folder or loose log files) with a
// rule pack and return a structured result. The pipeline, one stage per file:
//   collect.cc (open input, find log members) -> text_decode.cc (decode) ->
//   log_types.cc + *_parser.cc (parse to events) -> rule_engine.cc (evaluate rules) -> Result.
// Tested by end_to_end_test.cc.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "dartdiag/capture.h"
#include "dartdiag/input.h"
#include "dartdiag/diagnostic.h"
#include "dartdiag/error.h"
#include "dartdiag/explain.h"
#include "dartdiag/rule_pack.h"
#include "dartdiag/unexplained.h"
#include "dartdiag/verdict.h"

namespace dartdiag {

struct FileReport {
  std::string path;
  std::string parser;    // log type id
  std::string encoding;  // "" when unreadable
  uint64_t lines = 0, events = 0, unparsed_lines = 0;
  uint64_t bytes = 0;     // that came out of the entry or file (not in the JSON report)
  std::string error;      // why the log could not be read to its end; "" when it was (lines > 0: read in part)
  Phrase error_phrase{};  // `error` in the catalogue's words, for the human reports; empty: only `error`
  std::string first_time, last_time;
};

struct Result {
  InputInfo input;
  std::vector<FileReport> files;
  std::vector<Member> members;  // archive entries and folder files that are not logs
  std::vector<Verdict> verdicts;
  std::vector<Diagnostic> diagnostics;
  std::vector<CapHit> integrity;                 // caps that stopped part of the work
  std::vector<std::string> rules_evaluated;      // ids of rules whose logs were present
  std::vector<std::string> rules_not_evaluated;  // ids of rules whose logs were all absent
  std::optional<CaptureReport> capture;          // a packet capture given with (or instead of) the bundle
  std::vector<WarningTemplate> unexplained;      // WARN/ERROR events no rule used, as templates
  uint64_t unexplained_uncounted = 0;            // such events past the template cap
  uint64_t unexplained_cap = 0;                  // that cap (--max-warning-templates)
  std::vector<RuleExplanation> explanations;     // for AnalyzeOptions::explain
  std::string log_offset;                        // "+08:00" when --log-tz placed local-time logs in UTC; "" otherwise
  // Host and user names the logs state at known positions (the event log's Computer and User),
  // for redaction (src/redact_result.cc); no report shows them.
  std::vector<std::pair<IdentityKind, std::string>> identities;
  // A log was read, every log to its end and with at least one event, no cap was hit and no
  // folder was refused.
  bool complete() const;
  bool has_logs() const;  // at least one log was read (to its end, or in part before a cap)
};

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  Limits limits;
  size_t max_unparsed_samples = 5;  // per file, listed as diagnostics (all are counted)
  CaptureOptions capture;
  // Rules to explain (condition traces and nearest misses); "*" explains every rule that did not
  // fire but had a condition that held (the --explain list of near misses).
  std::vector<std::string> explain;
  // Minutes east of UTC of the logs that state local time (--log-tz); none: times stay as stated.
  std::optional<int> log_offset_minutes;
  // The SHA-256 (hex) of the single input file, when the caller already has it (batch hashes each
  // input to find duplicates): reported as the input's digest, and the file is not hashed again.
  // Empty: the input is hashed.
  std::string input_sha256;
};

// Throws Error when the input cannot be read at all (kUnreadable) or is missing (kUsage for an
// empty list). A readable input always yields a Result, however broken its logs. An input that
// starts with a pcap or pcapng magic number is a packet capture (one at most): it goes to the
// capture stage (capture.h), the others form the bundle; a capture alone is a valid input.
Result Analyze(const AnalyzeOptions& options, const RulePack& pack);

// The same for a bundle read from a stream, standard input for `dartdiag -` (`display_path` names
// it): a zip or a single log, bounded by the caps of options.limits (collect.h, CollectStream).
// A packet capture on a stream is refused (Error kUsage): it is read from a file.
Result AnalyzeStream(std::istream& in, const std::string& display_path, const AnalyzeOptions& options,
                     const RulePack& pack);

// The same for a zip held in memory (a bundle inside a ticket attachment); `display_path` names it.
Result AnalyzeZipBytes(std::string bytes, const std::string& display_path, const AnalyzeOptions& options,
                       const RulePack& pack);

// Why a result is not complete, in one line (the first reason found: the capture, a cap, a log
// read in part or not at all, a log with no event, a folder that could not be read); "" when complete.
std::string IncompleteReason(const Result& result);
// The same reason in the catalogue's words, for the human reports; empty when the reason has no
// phrase (a text said as it is) or there is none.
Phrase IncompletePhrase(const Result& result);

// The documented exit code for a result: 1 when a verdict at or above `fail_on` (nullopt:
// never) still holds at the end of the log (with `ever_failed`, also one that cleared), 2 when no log could be read but
// logs (or capped entries) exist, 4 when incomplete with nothing to report. A capture finding counts like a verdict of
// its severity; with a capture alone, 4 means the capture could not be read to its end.
ExitCode ExitCodeFor(const Result& result, std::optional<Severity> fail_on, bool ever_failed = false);

}  // namespace dartdiag
