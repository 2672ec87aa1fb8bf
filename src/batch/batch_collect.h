// The single-threaded parts of a batch run's collector (batch_run.cc): duplicate resolution and row
// order. Both see rows one at a time on the calling thread, hold no lock and start no thread, so
// they are tested alone (batch_collect_test.cc) as well as through whole runs (batch_test.cc).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "batch/batch_internal.h"

namespace dartdiag {

// What becomes of finished work items whose bundle may be a duplicate. A worker that finds a bundle
// already claimed by SHA-256 does not analyse it; its row gets the original's findings once the
// original's row has arrived (it may arrive later), or, when the original's report is no longer
// cached, the bundle is analysed after all.
class DuplicateResolver {
 public:
  DuplicateResolver(uint64_t cache_bytes, SharedRedactor* redact) : cache_(cache_bytes), redact_(redact) {}

  struct Outcome {
    std::vector<BatchRow> rows;         // ready to deliver, in this order (none: parked)
    std::optional<WorkItem> reanalyse;  // analyse this duplicate after all
  };
  Outcome Resolve(Finished finished);

  // As a row is written: marks it a duplicate of the first row written with its SHA-256.
  void Label(BatchRow& row);

 private:
  BatchRow ForDuplicate(const BatchRow& original, BatchRow duplicate) const;

  ReportCache cache_;
  SharedRedactor* redact_;
  std::unordered_set<std::string> analysed_;                       // SHA-256 of bundles whose row arrived
  std::unordered_map<std::string, std::vector<BatchRow>> parked_;  // duplicates waiting for it
  std::unordered_map<std::string, std::string> first_written_;     // SHA-256 -> first bundle written
};

// The order rows are written in: as they come, or with --sort in input order (the bundles of a
// multi-bundle attachment in their order), holding back rows whose turn has not come.
class RowOrder {
 public:
  RowOrder(bool sort, std::function<void(BatchRow)> write) : sort_(sort), write_(std::move(write)) {}
  // Writes `row` and every held row whose turn has come (or `row` alone, unsorted).
  void Deliver(BatchRow row);
  // After a stop: writes the rows still held, in order, gaps and all.
  void Flush();
  // The input of the next row to write (--sort): workers need not run far ahead of it.
  size_t next_input() const { return next_.input; }
  size_t held() const { return held_.size(); }

 private:
  const bool sort_;
  const std::function<void(BatchRow)> write_;
  std::map<RowKey, BatchRow> held_;
  RowKey next_;
  size_t parts_of_next_ = 1;  // bundles in the next row's attachment, once its first row is known
};

}  // namespace dartdiag
