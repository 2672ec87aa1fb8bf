// One work item of a batch: open the input, split an attachment that holds several bundles,
// claim the bundle's SHA-256, analyse it and turn the result (or the error) into a row. The one
// catch site of a batch's unit of work. Tested by batch_test.cc.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "batch/batch_internal.h"
#include "capture/capture.h"
#include "collect.h"
#include "dartdiag/report.h"
#include "report/redact_result.h"

namespace dartdiag {
namespace {

using nlohmann::ordered_json;

bool StartsLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return in.gcount() > 0 && HasZipMagic(head);
}

void FillFromResult(const Result& result, std::optional<Severity> fail_on, bool ever_failed, BatchRow& row) {
  row.code = ExitCodeFor(result, fail_on, ever_failed);
  switch (row.code) {
    case ExitCode::kFindings: row.outcome = BatchOutcome::kFindings; break;
    case ExitCode::kUnreadable: row.outcome = BatchOutcome::kUnreadable; break;
    case ExitCode::kIncomplete: row.outcome = BatchOutcome::kIncomplete; break;
    default: row.outcome = BatchOutcome::kOk; break;
  }
  if (row.sha256.empty()) row.sha256 = result.input.sha256;
  for (const FileReport& file : result.files) row.logs_read += file.error.empty() || file.bytes > 0 ? 1 : 0;
  if (row.code == ExitCode::kUnreadable) {  // as single-bundle mode says it
    row.error = IncompleteReason(result);
    row.error_phrase = IncompletePhrase(result);
  }
  for (const Verdict& v : result.verdicts) {
    if (DrivesExitCode(v, ever_failed))
      row.verdicts.push_back({v.rule, v.family, v.severity, v.first_seen, v.last_seen});
  }
  std::ostringstream report;
  WriteJson(result, report, -1);
  row.report = std::move(report).str();
}

// The report of a bundle that could not be read: the single-bundle keys (whatever the schema
// holds), with nothing found, `input.kind` and `coverage` null.
std::string ErrorReport(const BatchRow& row) {
  Result empty;
  empty.input.path = row.bundle;
  empty.input.sha256 = row.sha256;
  ordered_json j = ToJson(empty);
  j["input"]["kind"] = nullptr;
  j["coverage"] = nullptr;
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

class Job {
 public:
  Job(const WorkItem& item, const JobContext& context) : item_(item), context_(context) {
    const BatchInput& input = context.inputs.inputs[item.key.input];
    finished_.item = item;
    BatchRow& row = finished_.row;
    row.key = item.key;
    row.attachment = input.path;
    row.bundle = item.entry ? input.path + "!/" + item.entry->name : input.path;
    row.bytes = item.entry ? item.entry->compressed_size : input.bytes;
  }

  Finished Run() {
    BatchRow& row = finished_.row;
    const auto start = std::chrono::steady_clock::now();
    context_.started(row.bundle);
    if (item_.cap) {
      CapRow();
      return std::move(finished_);
    }
    try {
      Analyse();
    } catch (const Error& e) {
      SetError(e.what(), e.phrase());
    } catch (const std::exception& e) {  // last resort: a bug must not stop the batch
      SetError(fmt::format("{}: internal error: {}", row.bundle, e.what()), {});
    }
    if (!redacted_ && !finished_.duplicate) RedactRowOnly();  // a duplicate's: when delivered
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(finished_);
  }

 private:
  void Analyse() {
    const BatchInput& input = context_.inputs.inputs[item_.key.input];
    AnalyzeOptions options = context_.options.analyze;
    switch (input.kind) {
      case BatchInput::Kind::kNoMatch:
        throw PhrasedError(ExitCode::kUnreadable, OnPath(input.path, PhraseOf(Msg::kErrNoMatch)));
      case BatchInput::Kind::kFolder: options.inputs = {input.path}; return Fill(Analyze(options, context_.pack));
      case BatchInput::Kind::kFiles: options.inputs = input.files; return Fill(Analyze(options, context_.pack));
      case BatchInput::Kind::kFile: break;
    }
    if (item_.entry && item_.archive) return AnalyseNested(*item_.archive);
    if (item_.entry) {  // not shared (a re-analysis): open it again
      SharedArchive own;
      own.archive = OpenZipFile(input.path, input.path, context_.options.analyze.limits.inflate_beside);
      return AnalyseNested(own);
    }
    RequireRegularFileOrFolder(input.path);  // a FIFO would block the first read forever
    if (IsCaptureFile(input.path)) {         // alone it would give capture findings in a row with no verdict
      throw PhrasedError(ExitCode::kUnreadable, OnPath(input.path, PhraseOf(Msg::kErrCaptureNotBundle)));
    }
    options.inputs = {input.path};
    if (!StartsLikeZip(input.path)) return Fill(Analyze(options, context_.pack));  // loose log, or an error

    finished_.row.sha256 = Sha256File(input.path, input.path);
    std::vector<ArchiveEntry> nested;
    std::unique_ptr<Archive> archive;
    try {
      archive = OpenZipFile(input.path, input.path, context_.options.analyze.limits.inflate_beside);
      nested = NestedBundles(*archive);
    } catch (const Error&) {  // the analysis below reports it as a single bundle would
    }
    if (nested.empty()) {
      archive.reset();
      if (IsDuplicate()) return;
      options.input_sha256 = finished_.row.sha256;  // hashed once, above
      return Fill(Analyze(options, context_.pack));
    }
    // An attachment holding several bundles: this item becomes its first, the others are queued,
    // all read from this one opening of the attachment. Past --max-entries, the rest is not
    // examined and one more row says so.
    const Limits& limits = context_.options.analyze.limits;
    std::optional<CapHit> cap;
    if (archive->Entries().size() > limits.max_entries) {
      std::erase_if(nested, [&](const ArchiveEntry& e) { return e.index >= limits.max_entries; });
      cap = MakeCapHit(
          input.path, "entries", limits.max_entries,
          PhraseOf(Msg::kCapWhyEntries, Arg("count", archive->Entries().size()), Arg("n", limits.max_entries)));
      if (nested.empty()) throw Error(ExitCode::kUnreadable, cap->message, cap->phrase);
    }
    auto shared = std::make_shared<SharedArchive>();
    shared->archive = std::move(archive);
    std::vector<WorkItem> others;
    for (size_t i = 1; i < nested.size(); ++i)
      others.push_back({{item_.key.input, i}, nested[i], shared, std::nullopt, false});
    if (cap) others.push_back({{item_.key.input, nested.size()}, std::nullopt, nullptr, cap, false});
    context_.schedule(std::move(others));
    BatchRow& row = finished_.row;
    row.parts = nested.size() + (cap ? 1 : 0);
    row.sha256.clear();
    item_.entry = nested[0];
    finished_.item.entry = nested[0];
    row.bundle = input.path + "!/" + nested[0].name;
    row.bytes = nested[0].compressed_size;
    context_.started(row.bundle);
    AnalyseNested(*shared);
  }

  // The row that stands for the bundles of an attachment past --max-entries.
  void CapRow() {
    BatchRow& row = finished_.row;
    row.outcome = BatchOutcome::kIncomplete;
    row.code = ExitCode::kIncomplete;
    row.error = item_.cap->message;
    row.error_phrase = item_.cap->phrase;
    row.bytes = 0;
    row.report = ErrorReport(row);
  }

  // --redact for a row that holds no analysis (an error, a cap): its names, and the stub report
  // again from them.
  void RedactRowOnly() {
    if (context_.options.redact == nullptr) return;
    RedactRowNames(context_.options.redact, finished_.row);
    finished_.row.report = ErrorReport(finished_.row);
  }

  void AnalyseNested(SharedArchive& shared) {
    BatchRow& row = finished_.row;
    std::string bytes;
    {
      const std::lock_guard lock(shared.mutex);
      const std::vector<ArchiveEntry>& entries = shared.archive->Entries();
      const ArchiveEntry* entry = nullptr;
      const auto matches = [&](const ArchiveEntry& e) {
        return e.index == item_.entry->index && e.name == item_.entry->name;
      };
      if (item_.entry->index < entries.size() && matches(entries[item_.entry->index])) {
        entry = &entries[item_.entry->index];  // entries are listed by index: no search
      } else {
        for (const ArchiveEntry& e : entries) {
          if (matches(e)) entry = &e;
        }
      }
      if (entry == nullptr) throw PhrasedError(ExitCode::kUnreadable, OnPath(row.bundle, PhraseOf(Msg::kErrEntryGone)));
      bytes = ReadEntryMetered(*shared.archive, *entry, row.bundle, context_.options.analyze.limits);
    }
    row.sha256 = Sha256Hex(bytes);
    if (IsDuplicate()) return;
    AnalyzeOptions options = context_.options.analyze;
    options.input_sha256 = row.sha256;  // hashed once, above
    Fill(AnalyzeZipBytes(std::move(bytes), row.bundle, options, context_.pack));
  }

  // A bundle whose SHA-256 another item claimed first is not analysed; the collector copies
  // the other's findings into its row.
  bool IsDuplicate() {
    if (item_.analyse_duplicate || context_.dedup.Claim(finished_.row.sha256)) return false;
    finished_.duplicate = true;
    return true;
  }

  void Fill(Result result) {
    BatchRow& row = finished_.row;
    if (SharedRedactor* shared = context_.options.redact) {  // after the analysis, before the row
      const std::lock_guard lock(shared->mutex);
      RedactResult(result, shared->redactor, {&row.bundle, &row.attachment});
      redacted_ = true;
    }
    FillFromResult(result, context_.options.fail_on, context_.options.ever_failed, row);
  }

  void SetError(const std::string& message, const Phrase& phrase) {
    BatchRow& row = finished_.row;
    row.outcome = BatchOutcome::kError;
    row.code = ExitCode::kUnreadable;
    row.error = message;
    row.error_phrase = phrase;
    row.verdicts.clear();
    row.logs_read = 0;
    row.report = ErrorReport(row);
    finished_.duplicate = false;
    redacted_ = false;
  }

  WorkItem item_;
  const JobContext& context_;
  Finished finished_;
  bool redacted_ = false;  // the row's names were redacted with its analysis
};

}  // namespace

Finished RunWorkItem(const WorkItem& item, const JobContext& context) { return Job(item, context).Run(); }

void RedactRowNames(SharedRedactor* redact, BatchRow& row) {
  if (redact == nullptr) return;
  const std::lock_guard lock(redact->mutex);
  for (std::string* text : {&row.bundle, &row.attachment, &row.error}) redact->redactor.LearnFrom(*text);
  for (std::string* text : {&row.bundle, &row.attachment, &row.error}) *text = redact->redactor.Rewrite(*text);
  ForEachPhraseText(row.error_phrase, [&](std::string& text) { text = redact->redactor.Rewrite(text); });
}

}  // namespace dartdiag
