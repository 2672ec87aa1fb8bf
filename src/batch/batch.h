// Batch triage: many ticket attachments in, one result row per bundle out, analysed in parallel,
// identical bundles (same SHA-256) analysed once. Stages, one file each: batch_inputs.cc (PATHs to
// inputs) -> batch_run.cc + batch_job.cc + batch_dedup.cc (workers, order, duplicates) ->
// batch_output.cc (rows) + batch_summary.cc (the closing table); batch_cli.cc is the command.
// Tested by batch_test.cc.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/analysis.h"
#include "archive.h"
#include "messages.h"

namespace dartdiag {

// One input found by expanding the command line's PATHs.
struct BatchInput {
  enum class Kind {
    kFile,     // a file given or found: a zip (perhaps holding several bundles) or a loose log
    kFolder,   // an unzipped bundle folder
    kFiles,    // loose Umbrella logs lying directly in a folder that holds several bundles
    kNoMatch,  // a pattern that matched nothing: an error row
  };
  Kind kind = Kind::kFile;
  std::string path;                // as the user will see it
  std::vector<std::string> files;  // kFiles only
  uint64_t bytes = 0;              // size on disk, for progress
};

struct BatchInputs {
  std::vector<BatchInput> inputs;
  std::vector<std::string> skipped_files;  // files in walked folders that are neither zips nor in a bundle
  uint64_t total_bytes = 0;
};

// Files are inputs; folders are walked (see README.md, "Batch triage", for which folders are
// bundles); a PATH that does not exist and holds * ? [ or { is expanded with glob(3).
BatchInputs ExpandBatchInputs(const std::vector<std::string>& paths);

// The bundles of a zip attachment that holds several: two or more zip entries (macOS decoys
// aside) and no Umbrella log of its own. Empty for an ordinary bundle, and for an archive with
// overlapping entries (analysed as one bundle, whose report names them).
std::vector<ArchiveEntry> NestedBundles(const Archive& archive);

enum class BatchOutcome { kOk, kFindings, kIncomplete, kUnreadable, kError };
std::string_view BatchOutcomeName(BatchOutcome outcome);

struct RowKey {
  size_t input = 0;  // index into BatchInputs::inputs
  size_t part = 0;   // bundle number inside a multi-bundle attachment, from 0
  auto operator<=>(const RowKey&) const = default;
};

struct VerdictBrief {
  std::string rule, family;
  Severity severity = Severity::kWarning;
  std::string first_seen, last_seen;
};

// One bundle and what came of it.
struct BatchRow {
  RowKey key;
  size_t parts = 1;        // on part 0: how many bundles its attachment holds
  std::string bundle;      // "a.zip", "a.zip!/b.zip", a folder
  std::string attachment;  // the file or folder it came from
  std::string sha256;      // of the bundle's bytes; "" for folders and loose logs
  BatchOutcome outcome = BatchOutcome::kOk;
  ExitCode code = ExitCode::kOk;  // the single-bundle exit code of this bundle
  std::string error;              // kError, kUnreadable: why the bundle could not be read
  Phrase error_phrase;            // the same in the catalogue's words (the text row); empty: only `error`
  std::string duplicate_of;       // the first bundle written with the same SHA-256, if any
  std::vector<VerdictBrief> verdicts;
  uint64_t logs_read = 0;
  std::string report;  // the single-bundle JSON (ToJson) on one line; a stub for kError
  double seconds = 0;  // wall time of the analysis (for the summary only, never written per row)
  uint64_t bytes = 0;  // bytes this row stands for, for progress
};

struct BatchProgress {
  size_t done = 0, total = 0;  // bundles; total grows when an attachment turns out to hold several
  uint64_t bytes_done = 0, bytes_total = 0;
  double elapsed = 0;   // seconds
  std::string current;  // the bundle a worker started last
};

struct SharedRedactor;  // src/redact.h

struct BatchOptions {
  unsigned jobs = 0;  // 0: one per usable core (UsableCores)
  bool sort = false;  // rows in input order instead of completion order
  std::optional<Severity> fail_on = Severity::kWarning;
  bool ever_failed = false;                          // cleared verdicts count as findings too
  AnalyzeOptions analyze;                            // limits; `inputs` is ignored
  uint64_t report_cache_bytes = uint64_t{64} << 20;  // reports kept for duplicates still to come
  const std::atomic<bool>* stop = nullptr;           // when it turns true, no new bundle is started
  SharedRedactor* redact = nullptr;                  // --redact: every row redacted with this one map
  Lang lang = Lang::kEn;  // --lang: the text rows and the summary (JSON Lines and CSV never change)
};

// Receives rows in output order, on the thread that called RunBatch.
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  virtual void OnRow(const BatchRow& row) = 0;
  virtual void OnProgress(const BatchProgress&) {}
};

struct BatchStats {
  size_t inputs = 0, rows = 0;
  size_t not_started = 0;  // inputs never started because of a stop request
  bool interrupted = false;
  unsigned jobs = 1;
  double seconds = 0;
};

// Analyses every input, every bundle once (a duplicate's row repeats the report of the bundle it
// duplicates). Never throws for one bad bundle: it becomes a kError row.
BatchStats RunBatch(const BatchInputs& inputs, const RulePack& pack, const BatchOptions& options, BatchSink& sink);

// The cores this process may run on: the hardware threads, fewer when its CPU affinity allows
// fewer (taskset, a container's cpuset) or its cgroup's CPU quota is smaller (cpu.max,
// rounded up); at least 1. Batch's default --jobs, and what "the lanes keep every core busy" means.
unsigned UsableCores();
// Cores a cgroup v2 `cpu.max` text ("QUOTA PERIOD", in microseconds) allows, rounded up; nullopt
// for "max" (no quota) or text that is not a quota.
std::optional<unsigned> CoresOfQuota(std::string_view cpu_max);

// The output format table (name -> writer); `summary_on_stdout` closes a human report. Only the
// human report speaks `lang`.
struct BatchFormat {
  std::string_view name;
  void (*begin)(std::ostream& out);
  void (*row)(const BatchRow& row, Lang lang, std::ostream& out);
  bool summary_on_stdout;
};
// The catalogue's word for an outcome (the text rows and the summary).
Msg BatchOutcomeMessage(BatchOutcome outcome);
std::span<const BatchFormat> BatchFormats();

// Exit status after SIGINT/SIGTERM: the shell convention 128 + signal number (130 for Ctrl-C).
inline constexpr int kInterruptedExitBase = 128;

}  // namespace dartdiag
