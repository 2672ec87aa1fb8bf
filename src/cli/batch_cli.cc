// `dartdiag batch PATH...`: flags, the rule pack, Ctrl-C handling, the run, the summary and the
// batch's exit code. Tested by batch_test.cc.
#include <csignal>
#include <memory>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_options.h"
#include "log_time.h"
#include "batch/batch.h"
#include "batch/batch_summary.h"
#include "cli/subcommands.h"
#include "cli/progress.h"
#include "cli/output_check.h"
#include "report/redact.h"
#include "terminal_escape.h"

namespace dartdiag {
namespace {

constexpr const char* kBatchHelp = R"(Inputs: a file is an input whatever its name; a folder is walked recursively:
  every zip in it is an input, and so is every unzipped bundle folder (a folder holding Umbrella
  logs, directly or in a single subfolder); other files are skipped and counted (-v lists them).
  A pattern that names no existing file is expanded with glob(3) (quote it to pass it through the
  shell). A packet capture named as an input is an error row: batch triages bundles.
  A zip that holds two or more zips and no Umbrella log of its own is a set of bundles: one row each.
  Bundles with the same SHA-256 are analysed once; later ones name the first in "duplicate_of".

Output: one row per bundle on stdout as each completes (input order with --sort); every input
  gives at least one row, a bundle that cannot be read gives a row with "error". The summary
  table goes to stderr (to stdout after the rows with --format text); --quiet drops it and the
  progress bar (shown only when stderr is a terminal).

Exit codes (the single-bundle codes lifted to the batch):
  0    every bundle analysed, nothing at or above --fail-on
  1    a bundle has a verdict at or above --fail-on
  2    no bundle has such a verdict, and a bundle could not be read; or the rows could not be
       written (a full disk, a closed pipe: the run stops)
  3    usage or rule-pack error; nothing analysed
  4    no bundle has such a verdict or could not be read, and a bundle is incomplete
  130  stopped by Ctrl-C (143: SIGTERM): bundles in progress finish, no new one starts, the rows
       and the summary cover what finished; a second Ctrl-C ends the process at once)";

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

void OnStopSignal(int signal) {
  g_signal.store(signal);
  g_stop.store(true);
}

// SIGINT and SIGTERM stop the run for the object's lifetime. SA_RESETHAND: the second signal
// gets the default action and ends the process.
class StopOnSignals {
 public:
  StopOnSignals() {
    g_stop.store(false);
    g_signal.store(0);
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopOnSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

// Writes rows as they come, feeds the summary, keeps the progress bar off the rows' lines.
class CliSink final : public BatchSink {
 public:
  CliSink(const BatchFormat& format, Lang lang, std::ostream& out, bool out_is_terminal, ProgressBar& progress,
          BatchSummary& summary)
      : format_(format),
        lang_(lang),
        out_(out),
        out_is_terminal_(out_is_terminal),
        progress_(progress),
        summary_(summary) {}

  void OnRow(const BatchRow& row) override {
    if (out_is_terminal_) progress_.Clear();
    format_.row(row, lang_, out_);
    CheckWritten(out_, "batch rows");  // streamed: a reader sees each bundle as it completes
    summary_.Add(row);
  }
  void OnProgress(const BatchProgress& progress) override { progress_.Update(progress); }

 private:
  const BatchFormat& format_;
  Lang lang_;
  std::ostream& out_;
  bool out_is_terminal_;
  ProgressBar& progress_;
  BatchSummary& summary_;
};

struct BatchFlags {
  std::vector<std::string> paths;
  std::string format = "jsonl";
  unsigned jobs = UsableCores();
  bool sort = false;
  bool quiet = false;
  bool verbose = false;
  std::string fail_on = "warning";
  bool ever_failed = false;
  std::string log_tz;
  RulePackFlags rules;
  Limits limits;
  RedactFlags redact;
};

int Run(const BatchFlags& flags, std::ostream& out, std::ostream& err, const Terminal& terminal) {
  const RulePack pack = LoadRulePackFromFlags(flags.rules);
  const BatchFormat& format = *std::find_if(BatchFormats().begin(), BatchFormats().end(),
                                            [&](const BatchFormat& f) { return f.name == flags.format; });
  const BatchInputs inputs = ExpandBatchInputs(flags.paths);

  BatchOptions options;
  options.jobs = flags.jobs;
  options.sort = flags.sort;
  options.fail_on = SeverityByName(flags.fail_on);
  options.ever_failed = flags.ever_failed;
  options.analyze.limits = flags.limits;
  if (!flags.log_tz.empty()) options.analyze.log_offset_minutes = ParseUtcOffset(flags.log_tz);
  options.stop = &g_stop;
  options.lang = *ParseLanguage(ChosenLanguage(flags.rules));  // the rules' language, as in single-bundle mode
  std::unique_ptr<SharedRedactor> redact;
  std::vector<std::string> skipped = inputs.skipped_files;
  if (flags.redact.enabled()) {
    redact = std::make_unique<SharedRedactor>();
    if (!flags.redact.map.empty()) redact->redactor.Load(flags.redact.map);
    options.redact = redact.get();
  }

  ProgressBar progress(err, terminal.stderr_is_tty && !flags.quiet, StderrColumns(), options.lang);
  BatchSummary summary(options.lang);
  CliSink sink(format, options.lang, out, terminal.stdout_is_tty, progress, summary);
  format.begin(out);
  BatchStats stats;
  {
    const StopOnSignals signals;
    stats = RunBatch(inputs, pack, options, sink);
  }
  progress.Clear();
  if (redact) {  // the rows carry pseudonyms: the map is kept even when a later write fails
    for (std::string& file : skipped) file = redact->redactor.Rewrite(file);
    if (!flags.redact.map.empty()) redact->redactor.Save(flags.redact.map);
  }
  if (!flags.quiet && format.summary_on_stdout) {
    out << '\n';
    summary.Write(stats, skipped, flags.verbose, out);
  } else if (!flags.quiet) {
    summary.Write(stats, skipped, flags.verbose, err);
  }
  CheckWritten(out, "batch rows");
  if (stats.interrupted) return kInterruptedExitBase + (g_signal.load() != 0 ? g_signal.load() : SIGINT);
  return static_cast<int>(summary.Code());
}

}  // namespace

int RunBatchCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal) {
  CLI::App app{"dartdiag batch: triage many DART bundles (ticket attachments) in one run", "dartdiag batch"};
  app.footer(kBatchHelp);
  BatchFlags flags;
  std::vector<std::string> format_names;
  for (const BatchFormat& f : BatchFormats()) format_names.emplace_back(f.name);
  app.add_option("paths", flags.paths, "Zip files, folders (walked recursively), glob patterns")->required();
  app.add_option("-f,--format", flags.format, "Row format: JSON Lines, CSV or a line of text per bundle")
      ->check(CLI::IsMember(format_names))
      ->capture_default_str();
  app.add_option("-j,--jobs", flags.jobs, "Bundles analysed in parallel (default: one per core this process may use)")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  app.add_flag("--sort", flags.sort, "Write rows in input order (deterministic, for diffing)");
  app.add_flag("-q,--quiet", flags.quiet, "No progress bar, no summary (on stderr, or on stdout with -f text)");
  app.add_flag("-v,--verbose", flags.verbose, "List the files skipped in walked folders in the summary");
  app.add_option("--fail-on", flags.fail_on, "Lowest verdict severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning", "info", "never"}))
      ->capture_default_str();
  app.add_flag("--ever-failed", flags.ever_failed,
               "Verdicts whose problem cleared before the end of the log also count as findings");
  AddLogTzOption(app, flags.log_tz);
  flags.rules.locale = terminal.locale;
  AddRulePackOptions(app, flags.rules);
  AddRedactOptions(app, flags.redact);
  AddLimitOptions(app, flags.limits);

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "dartdiag batch: " << e.what() << " (see --help)\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  flags.rules.locale = terminal.locale;  // the rules' language, as in single-bundle mode
  try {
    return Run(flags, out, err, terminal);
  } catch (const Error& e) {  // the rule pack; a bundle's own errors are rows, never thrown here
    err << "dartdiag batch: " << EscapeLinesForTerminal(e.what()) << '\n';
    return static_cast<int>(e.code());
  }
}

}  // namespace dartdiag
