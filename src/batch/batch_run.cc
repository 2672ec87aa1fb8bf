// The batch run: a pool of workers over the inputs and one collector, on the calling thread, that
// hands rows to the sink as they complete (or in input order with --sort), resolves duplicates and
// reports progress. Memory stays bounded: rows are streamed, a bounded queue links workers to the
// collector, and with --sort workers stay within a window of the first unfinished input so only
// that window's rows wait for their turn. Tested by batch_test.cc.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <thread>

#include "batch/batch_internal.h"

namespace dartdiag {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(100);  // progress refresh and stop-flag poll

class Run {
 public:
  Run(const BatchInputs& inputs, const RulePack& pack, const BatchOptions& options, BatchSink& sink)
      : inputs_(inputs), options_(options), sink_(sink), cache_(options.report_cache_bytes),
        context_{inputs, pack, options, dedup_, [this](std::vector<WorkItem> items) { Schedule(std::move(items)); },
                 [this](const std::string& bundle) { Started(bundle); }} {
    jobs_ = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    window_ = std::max<size_t>(64, size_t{16} * jobs_);
    queue_limit_ = size_t{2} * jobs_;
    progress_.total = inputs.inputs.size();
    progress_.bytes_total = inputs.total_bytes;
  }

  BatchStats Go() {
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < jobs_; ++i) workers.emplace_back([this] { Work(); });
    try {
      Collect();
    } catch (...) {  // the sink failed (out of memory, a stream that throws): let workers finish
      {
        const std::lock_guard lock(mutex_);
        done_ = true;
        extra_.clear();
        results_.clear();
      }
      work_cv_.notify_all();
      space_cv_.notify_all();
      for (std::thread& t : workers) t.join();
      throw;
    }
    for (std::thread& t : workers) t.join();

    BatchStats stats;
    stats.inputs = inputs_.inputs.size();
    stats.rows = rows_written_;
    stats.not_started = inputs_.inputs.size() - next_input_;
    stats.interrupted = Stopping();
    stats.jobs = jobs_;
    stats.seconds = Elapsed();
    return stats;
  }

 private:
  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  // Under mutex_: may a worker start a queued bundle of a split attachment (or a re-analysis)?
  bool CanTakeExtra() const { return !Stopping() && !extra_.empty(); }

  // Under mutex_: may a worker start the next input?
  bool CanTakeInput() const {
    return !Stopping() && next_input_ < inputs_.inputs.size() &&
           (!options_.sort || next_input_ < next_emit_.input + window_);
  }

  void Work() {
    for (;;) {
      WorkItem item;
      {
        std::unique_lock lock(mutex_);
        work_cv_.wait(lock, [&] { return done_ || CanTakeExtra() || CanTakeInput(); });
        if (done_) return;
        if (CanTakeExtra()) {
          item = std::move(extra_.front());
          extra_.pop_front();
        } else if (CanTakeInput()) {
          item.key = {next_input_++, 0};
          ++outstanding_;
        } else {
          return;
        }
      }
      Finished finished = RunWorkItem(item, context_);
      std::unique_lock lock(mutex_);
      space_cv_.wait(lock, [&] { return done_ || results_.size() < queue_limit_; });
      results_.push_back(std::move(finished));
      result_cv_.notify_one();
    }
  }

  // More work items: the other bundles of an attachment, or a duplicate to analyse after all.
  void Schedule(std::vector<WorkItem> items, bool new_bundles = true) {
    const std::lock_guard lock(mutex_);
    outstanding_ += items.size();
    if (new_bundles) progress_total_extra_ += items.size();
    for (WorkItem& item : items) extra_.push_back(std::move(item));
    work_cv_.notify_all();
  }

  void Started(const std::string& bundle) {
    const std::lock_guard lock(mutex_);
    current_ = bundle;
  }

  void Collect() {
    for (;;) {
      std::deque<Finished> batch;
      {
        std::unique_lock lock(mutex_);
        result_cv_.wait_for(lock, kTick, [&] { return !results_.empty(); });
        batch.swap(results_);
        outstanding_ -= batch.size();
      }
      space_cv_.notify_all();
      for (Finished& f : batch) Handle(std::move(f));  // may schedule duplicates to analyse again
      bool finished = false;
      {
        const std::lock_guard lock(mutex_);
        if (Stopping()) {  // queued bundles of split attachments are not started either
          outstanding_ -= extra_.size();
          extra_.clear();
        }
        progress_.total = inputs_.inputs.size() + progress_total_extra_;
        progress_.current = current_;
        finished = outstanding_ == 0 && results_.empty() && (Stopping() || next_input_ == inputs_.inputs.size());
      }
      progress_.elapsed = Elapsed();
      sink_.OnProgress(progress_);
      if (finished) break;
    }
    for (auto& [key, row] : reorder_) Emit(std::move(row));  // after a stop: what finished, in order
    reorder_.clear();
    const std::lock_guard lock(mutex_);
    done_ = true;
    work_cv_.notify_all();
  }

  void Handle(Finished f) {
    progress_.done += 1;
    progress_.bytes_done += f.row.bytes;
    const std::string sha = f.row.sha256;
    if (f.duplicate) {
      if (const BatchRow* original = cache_.Find(sha)) return DeliverDuplicate(*original, std::move(f.row));
      if (analysed_.count(sha) == 0) return parked_[sha].push_back(std::move(f.row));
      progress_.done -= 1;  // its original's report was dropped from the cache: analyse it after all
      progress_.bytes_done -= f.row.bytes;
      f.item.analyse_duplicate = true;
      return Schedule({f.item}, false);
    }
    if (!sha.empty()) {
      analysed_.insert(sha);
      cache_.Put(f.row);
    }
    std::vector<BatchRow> waiting;
    if (const auto it = parked_.find(sha); !sha.empty() && it != parked_.end()) {
      waiting = std::move(it->second);
      parked_.erase(it);
    }
    const BatchRow original = f.row;
    Deliver(std::move(f.row));
    for (BatchRow& duplicate : waiting) DeliverDuplicate(original, std::move(duplicate));
  }

  // A duplicate's names are redacted here, once its original's analysis has taught the map the
  // names inside the bundle (the worker that found it a duplicate may have run first).
  void DeliverDuplicate(const BatchRow& original, BatchRow duplicate) {
    RedactRowNames(options_.redact, duplicate);
    Deliver(CopyForDuplicate(original, duplicate));
  }

  void Deliver(BatchRow row) {
    if (!options_.sort) return Emit(std::move(row));
    const RowKey key = row.key;
    reorder_.emplace(key, std::move(row));
    while (!reorder_.empty() && reorder_.begin()->first == next_emit_) {
      BatchRow next = std::move(reorder_.begin()->second);
      reorder_.erase(reorder_.begin());
      if (next.key.part == 0) parts_of_next_ = next.parts;
      const bool last_part = next.key.part + 1 >= parts_of_next_;
      Emit(std::move(next));
      const std::lock_guard lock(mutex_);
      next_emit_ = last_part ? RowKey{next_emit_.input + 1, 0} : RowKey{next_emit_.input, next_emit_.part + 1};
      work_cv_.notify_all();  // the window moved
    }
  }

  void Emit(BatchRow row) {
    if (!row.sha256.empty()) {
      const auto [it, first] = first_written_.emplace(row.sha256, row.bundle);
      if (!first) row.duplicate_of = it->second;
    }
    ++rows_written_;
    sink_.OnRow(row);
  }

  const BatchInputs& inputs_;
  const BatchOptions& options_;
  BatchSink& sink_;
  DedupIndex dedup_;
  ReportCache cache_;
  const JobContext context_;
  unsigned jobs_ = 1;
  size_t window_ = 0, queue_limit_ = 0;
  const Clock::time_point start_ = Clock::now();

  std::mutex mutex_;  // guards everything below up to the collector's own state
  std::condition_variable work_cv_, result_cv_, space_cv_;
  size_t next_input_ = 0;
  std::deque<WorkItem> extra_;     // bundles of split attachments, and duplicates to analyse again
  std::deque<Finished> results_;   // from workers to the collector
  size_t outstanding_ = 0;         // work items taken or queued whose result the collector has not seen
  size_t progress_total_extra_ = 0;
  RowKey next_emit_;               // --sort: the next row to write
  std::string current_;
  bool done_ = false;

  // The collector's own state (the calling thread only).
  BatchProgress progress_;
  std::map<RowKey, BatchRow> reorder_;  // --sort: rows waiting for their turn
  size_t parts_of_next_ = 1;
  size_t rows_written_ = 0;
  std::unordered_set<std::string> analysed_;  // SHA-256 of bundles whose row has arrived
  std::unordered_map<std::string, std::vector<BatchRow>> parked_;  // duplicates waiting for it
  std::unordered_map<std::string, std::string> first_written_;     // SHA-256 -> first bundle written
};

}  // namespace

BatchStats RunBatch(const BatchInputs& inputs, const RulePack& pack, const BatchOptions& options,
                    BatchSink& sink) {
  return Run(inputs, pack, options, sink).Go();
}

}  // namespace dartdiag
