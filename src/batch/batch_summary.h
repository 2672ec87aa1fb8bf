// The closing table of a batch run, built row by row with bounded memory (counts, the first
// failures and duplicates, the slowest bundles), and the batch's exit code.
// Tested by batch_test.cc.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "batch/batch.h"

namespace dartdiag {

class BatchSummary {
 public:
  // The table is written in `lang` (outcomes, verdict ids and bundle names as they are).
  explicit BatchSummary(Lang lang = Lang::kEn) : lang_(lang) {}
  void Add(const BatchRow& row);

  // The single-bundle exit codes lifted to the batch: 1 when a bundle has a verdict at or above
  // --fail-on, else 2 when a bundle could not be read, else 4 when one is incomplete, else 0.
  ExitCode Code() const;

  // `list_skipped` (--verbose) names each skipped file after their count.
  void Write(const BatchStats& stats, const std::vector<std::string>& skipped_files, bool list_skipped,
             std::ostream& out) const;

  size_t rows() const { return rows_; }
  size_t count(BatchOutcome outcome) const { return outcomes_[static_cast<size_t>(outcome)]; }
  size_t duplicates() const { return duplicates_; }
  // Rule id -> bundles with at least one verdict of that rule (duplicates included).
  std::map<std::string, size_t> bundles_per_verdict() const;

 private:
  struct RuleCount {
    size_t bundles = 0;
    Severity severity = Severity::kWarning;
  };

  // One line of the outcome table: a word, a count, what it means.
  std::string OutcomeLine(Msg word, size_t count, Msg help) const;
  void WriteList(std::ostream& out, Msg title, const std::vector<std::string>& lines, size_t total) const;

  Lang lang_;
  size_t rows_ = 0;
  size_t outcomes_[5] = {};
  size_t duplicates_ = 0;
  std::map<std::string, RuleCount> rules_;
  size_t failures_ = 0;
  std::vector<std::string> first_failures_;              // bounded, in lang_
  std::vector<std::string> first_duplicates_;            // bounded
  std::vector<std::pair<double, std::string>> slowest_;  // bounded, slowest first
};

}  // namespace dartdiag
