// Internal to the batch run (batch_run.cc, batch_job.cc, batch_dedup.cc): work items, the index
// of bundles already claimed by SHA-256, and the cache of reports kept for duplicates.
// Tested through batch_test.cc.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "batch/batch.h"

namespace dartdiag {

// A multi-bundle attachment opened once and shared by the work items of its bundles; libzip
// is not thread-safe, so one bundle is read out of it at a time.
struct SharedArchive {
  std::mutex mutex;
  std::unique_ptr<Archive> archive;
};

struct WorkItem {
  RowKey key;
  std::optional<ArchiveEntry> entry;       // one bundle of a multi-bundle attachment
  std::shared_ptr<SharedArchive> archive;  // the attachment it is read from, opened once
  std::optional<CapHit> cap;               // not a bundle: the --max-entries cap of the attachment
  bool analyse_duplicate = false;          // its original's report is no longer cached: analyse again
};

// What a worker hands to the collector for one work item.
struct Finished {
  BatchRow row;
  WorkItem item;
  bool duplicate = false;  // not analysed: a bundle with the same SHA-256 was claimed first
};

// The SHA-256 of every bundle a worker has started to analyse. Thread-safe.
class DedupIndex {
 public:
  // True for the first caller with `sha256`: that caller analyses it.
  bool Claim(const std::string& sha256);

 private:
  std::mutex mutex_;
  std::unordered_set<std::string> claimed_;
};

// Rows of analysed bundles by SHA-256, for duplicates that arrive later; bounded in bytes, the
// oldest dropped first (a duplicate whose original was dropped is analysed again).
class ReportCache {
 public:
  explicit ReportCache(uint64_t budget_bytes) : budget_(budget_bytes) {}
  void Put(const BatchRow& row);
  const BatchRow* Find(const std::string& sha256) const;

 private:
  uint64_t budget_, used_ = 0;
  std::unordered_map<std::string, BatchRow> rows_;
  std::deque<std::string> order_;
};

// The row of `duplicate` (its key and paths) with the findings of `original`; paths of the
// original inside the report and the error are replaced by the duplicate's.
BatchRow CopyForDuplicate(const BatchRow& original, const BatchRow& duplicate);

// --redact for a row's names (bundle, attachment, error) with the batch's one map; nothing when
// `redact` is null. A duplicate's names are redacted only when it is delivered, after its original's
// analysis taught the map the names inside the bundle (a host name in the file name, say).
void RedactRowNames(SharedRedactor* redact, BatchRow& row);

struct JobContext {
  const BatchInputs& inputs;
  const RulePack& pack;
  const BatchOptions& options;
  DedupIndex& dedup;
  std::function<void(std::vector<WorkItem>)> schedule;  // the other bundles of an attachment
  std::function<void(const std::string&)> started;      // a bundle's analysis starts
};

// Runs one work item; every problem becomes a kError row, nothing is thrown.
Finished RunWorkItem(const WorkItem& item, const JobContext& context);

}  // namespace dartdiag
