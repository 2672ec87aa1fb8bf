// The closing table of a batch run (see batch_summary.h). Tested by batch_test.cc.
#include "batch/batch_summary.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "terminal_escape.h"

namespace dartdiag {
namespace {

constexpr size_t kListed = 10;  // failures and duplicates named in the table
constexpr size_t kSlowest = 5;

constexpr std::pair<BatchOutcome, Msg> kOutcomeHelp[] = {
    {BatchOutcome::kFindings, Msg::kBatchHelpFindings},     {BatchOutcome::kOk, Msg::kBatchHelpOk},
    {BatchOutcome::kIncomplete, Msg::kBatchHelpIncomplete}, {BatchOutcome::kUnreadable, Msg::kBatchHelpUnreadable},
    {BatchOutcome::kError, Msg::kBatchHelpError},
};

}  // namespace

std::string BatchSummary::OutcomeLine(Msg word, size_t count, Msg help) const {
  return fmt::format("  {}{:>7}  {}\n", PadColumns(MessageText(word, lang_), 12), count, MessageText(help, lang_));
}

void BatchSummary::WriteList(std::ostream& out, Msg title, const std::vector<std::string>& lines, size_t total) const {
  if (total == 0) return;
  out << '\n' << MessageText(title, lang_) << '\n';
  for (const std::string& line : lines) out << "  " << EscapeForTerminal(line) << '\n';
  if (total > lines.size()) out << "  " << Say(lang_, Msg::kBatchMore, fmt::arg("n", total - lines.size())) << '\n';
}

void BatchSummary::Add(const BatchRow& row) {
  ++rows_;
  ++outcomes_[static_cast<size_t>(row.outcome)];
  std::set<std::string> rules;
  for (const VerdictBrief& v : row.verdicts) {
    if (!rules.insert(v.rule).second) continue;
    RuleCount& count = rules_[v.rule];
    if (count.bundles++ == 0 || v.severity > count.severity) count.severity = v.severity;
  }
  if (row.outcome == BatchOutcome::kError || row.outcome == BatchOutcome::kUnreadable) {
    if (++failures_ <= kListed) {
      first_failures_.push_back(row.outcome == BatchOutcome::kError
                                    ? InLanguage(row.error, row.error_phrase, lang_)
                                    : Say(lang_, Msg::kBatchNoLogRead, fmt::arg("bundle", row.bundle)));
    }
  }
  if (!row.duplicate_of.empty()) {
    if (++duplicates_ <= kListed) first_duplicates_.push_back(fmt::format("{} = {}", row.bundle, row.duplicate_of));
    return;  // not analysed: it has no time of its own
  }
  slowest_.emplace_back(row.seconds, row.bundle);
  std::sort(slowest_.begin(), slowest_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (slowest_.size() > kSlowest) slowest_.pop_back();
}

ExitCode BatchSummary::Code() const {
  if (count(BatchOutcome::kFindings) > 0) return ExitCode::kFindings;
  if (count(BatchOutcome::kError) + count(BatchOutcome::kUnreadable) > 0) return ExitCode::kUnreadable;
  if (count(BatchOutcome::kIncomplete) > 0) return ExitCode::kIncomplete;
  return ExitCode::kOk;
}

std::map<std::string, size_t> BatchSummary::bundles_per_verdict() const {
  std::map<std::string, size_t> out;
  for (const auto& [rule, count] : rules_) out[rule] = count.bundles;
  return out;
}

void BatchSummary::Write(const BatchStats& stats, const std::vector<std::string>& skipped_files, bool list_skipped,
                         std::ostream& out) const {
  out << Say(lang_, Msg::kBatchHeadline, fmt::arg("bundles", SayCount(lang_, Msg::kBatchBundles, rows_)),
             fmt::arg("inputs", SayCount(lang_, Msg::kBatchInputs, stats.inputs)),
             fmt::arg("seconds", fmt::format("{:.1f}", stats.seconds)),
             fmt::arg("jobs", SayCount(lang_, Msg::kBatchJobs, stats.jobs)))
      << "\n\n";
  out << "  " << PadColumns(MessageText(Msg::kBatchColumnOutcome, lang_), 12)
      << AlignColumns(MessageText(Msg::kBatchColumnBundles, lang_), 7) << '\n';
  for (const auto& [outcome, help] : kOutcomeHelp)
    out << OutcomeLine(BatchOutcomeMessage(outcome), count(outcome), help);
  out << OutcomeLine(Msg::kBatchDuplicates, duplicates_, Msg::kBatchHelpDuplicates);

  if (!rules_.empty()) {
    std::vector<std::pair<std::string, RuleCount>> by_count(rules_.begin(), rules_.end());
    std::stable_sort(by_count.begin(), by_count.end(),
                     [](const auto& a, const auto& b) { return a.second.bundles > b.second.bundles; });
    const std::string_view verdict = MessageText(Msg::kBatchColumnVerdict, lang_);
    size_t width = DisplayColumns(verdict);
    for (const auto& [rule, count] : by_count) width = std::max(width, DisplayColumns(rule));
    out << "\n  " << PadColumns(verdict, width) << "  " << AlignColumns(MessageText(Msg::kBatchColumnBundles, lang_), 7)
        << "  " << MessageText(Msg::kBatchColumnSeverity, lang_) << '\n';
    for (const auto& [rule, count] : by_count) {
      out << fmt::format("  {}  {:>7}  {}\n", PadColumns(rule, width), count.bundles,
                         MessageText(LevelMessage(SeverityName(count.severity)), lang_));
    }
  }

  WriteList(out, Msg::kBatchFailures, first_failures_, failures_);
  WriteList(out, Msg::kBatchDuplicatesHeading, first_duplicates_, duplicates_);
  if (!slowest_.empty()) {
    out << '\n' << MessageText(Msg::kBatchSlowest, lang_) << '\n';
    for (const auto& [seconds, bundle] : slowest_) {
      out << "  " << Say(lang_, Msg::kBatchSeconds, fmt::arg("seconds", fmt::format("{:8.3f}", seconds))) << "  "
          << EscapeForTerminal(bundle) << '\n';
    }
  }

  out << '\n';
  if (!skipped_files.empty()) {
    out << SayCount(
               lang_, Msg::kBatchSkipped, skipped_files.size(),
               fmt::arg("tail", MessageText(list_skipped ? Msg::kBatchSkippedListed : Msg::kBatchSkippedHint, lang_)))
        << '\n';
    if (list_skipped) {
      for (const std::string& file : skipped_files) out << "  " << EscapeForTerminal(file) << '\n';
    }
  }
  if (stats.interrupted) {
    out << SayCount(lang_, Msg::kBatchInterrupted, stats.inputs, fmt::arg("not_started", stats.not_started)) << '\n';
  }
}

}  // namespace dartdiag
