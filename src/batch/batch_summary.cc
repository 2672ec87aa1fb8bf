// The closing table of a batch run (see batch_summary.h). Tested by batch_test.cc.
#include "batch/batch_summary.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "terminal_escape.h"

namespace dartdiag {
namespace {

constexpr size_t kListed = 10;   // failures and duplicates named in the table
constexpr size_t kSlowest = 5;

constexpr std::pair<BatchOutcome, const char*> kOutcomeHelp[] = {
    {BatchOutcome::kFindings, "a verdict at or above --fail-on"},
    {BatchOutcome::kOk, "nothing at or above --fail-on"},
    {BatchOutcome::kIncomplete, "no Umbrella log found, or a log unreadable"},
    {BatchOutcome::kUnreadable, "no Umbrella log could be read"},
    {BatchOutcome::kError, "the bundle could not be opened"},
};

void WriteList(std::ostream& out, const char* title, const std::vector<std::string>& lines, size_t total) {
  if (total == 0) return;
  out << '\n' << title << '\n';
  for (const std::string& line : lines) out << "  " << EscapeForTerminal(line) << '\n';
  if (total > lines.size()) out << fmt::format("  + {} more\n", total - lines.size());
}

}  // namespace

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
                                    ? row.error
                                    : fmt::format("{}: no Umbrella log could be read", row.bundle));
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
  out << fmt::format("dartdiag batch: {} bundle{} from {} input{} in {:.1f} s ({} job{})\n\n", rows_,
                     rows_ == 1 ? "" : "s", stats.inputs, stats.inputs == 1 ? "" : "s", stats.seconds, stats.jobs,
                     stats.jobs == 1 ? "" : "s");
  out << fmt::format("  {:<12}{:>7}\n", "outcome", "bundles");
  for (const auto& [outcome, help] : kOutcomeHelp) {
    out << fmt::format("  {:<12}{:>7}  {}\n", BatchOutcomeName(outcome), count(outcome), help);
  }
  out << fmt::format("  {:<12}{:>7}  {}\n", "duplicates", duplicates_,
                     "same SHA-256 as a bundle listed earlier: analysed once, counted above");

  if (!rules_.empty()) {
    std::vector<std::pair<std::string, RuleCount>> by_count(rules_.begin(), rules_.end());
    std::stable_sort(by_count.begin(), by_count.end(),
                     [](const auto& a, const auto& b) { return a.second.bundles > b.second.bundles; });
    size_t width = 7;
    for (const auto& [rule, count] : by_count) width = std::max(width, rule.size());
    out << fmt::format("\n  {:<{}}  {:>7}  {}\n", "verdict", width, "bundles", "severity");
    for (const auto& [rule, count] : by_count) {
      out << fmt::format("  {:<{}}  {:>7}  {}\n", rule, width, count.bundles, SeverityName(count.severity));
    }
  }

  WriteList(out, "Failures", first_failures_, failures_);
  WriteList(out, "Duplicates", first_duplicates_, duplicates_);
  if (!slowest_.empty()) {
    out << "\nSlowest\n";
    for (const auto& [seconds, bundle] : slowest_) out << fmt::format("  {:8.3f} s  {}\n", seconds, EscapeForTerminal(bundle));
  }

  out << '\n';
  if (!skipped_files.empty()) {
    out << fmt::format("Skipped {} file{} in folders: neither a zip nor part of a bundle{}\n", skipped_files.size(),
                       skipped_files.size() == 1 ? "" : "s", list_skipped ? ":" : " (-v lists them).");
    if (list_skipped) {
      for (const std::string& file : skipped_files) out << "  " << file << '\n';
    }
  }
  if (stats.interrupted) {
    out << fmt::format("Interrupted: {} of {} input{} not started; the rows above are what finished.\n",
                       stats.not_started, stats.inputs, stats.inputs == 1 ? "" : "s");
  }
}

}  // namespace dartdiag
