// The batch run: a pool of workers over the inputs (batch_pool.h) and one collector, on the calling
// thread, that resolves duplicates and writes rows as they complete (or in input order with
// --sort) through the single-threaded parts of batch_collect.h, and reports progress. Memory stays
// bounded: rows are streamed, a bounded queue links workers to the collector, and with --sort
// workers stay within a window of the next row to write so only that window's rows wait for their
// turn. Tested by batch_test.cc and batch_collect_test.cc.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "batch/batch_collect.h"
#include "batch/batch_pool.h"

namespace dartdiag {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(100);  // progress refresh and stop-flag poll

class Run {
 public:
  // `jobs`: the lanes of the pool, at least one (RunBatch resolves 0, "every usable core").
  Run(const BatchInputs& inputs, const RulePack& pack, const BatchOptions& options, unsigned jobs, BatchSink& sink)
      : inputs_(inputs),
        options_(options),
        sink_(sink),
        jobs_(std::max(1U, jobs)),
        window_(std::max<size_t>(64, size_t{16} * jobs_)),
        duplicates_(options.report_cache_bytes, options.redact),
        order_(options.sort, [this](BatchRow row) { Write(std::move(row)); }),
        context_{inputs,
                 pack,
                 options,
                 dedup_,
                 [this](std::vector<WorkItem> items) { MoreBundles(std::move(items)); },
                 [this](const std::string& bundle) { Started(bundle); }},
        pool_(jobs_, inputs.inputs.size(), options.sort ? window_ : SIZE_MAX, options.stop,
              [this](const WorkItem& item) { return RunWorkItem(item, context_); }) {
    progress_.total = inputs.inputs.size();
    progress_.bytes_total = inputs.total_bytes;
  }

  BatchStats Go() {
    try {
      Collect();
    } catch (...) {  // the sink failed (out of memory, a stream that throws): let workers finish
      pool_.Shutdown();
      throw;
    }
    pool_.Shutdown();
    BatchStats stats;
    stats.inputs = inputs_.inputs.size();
    stats.rows = rows_written_;
    stats.not_started = inputs_.inputs.size() - pool_.inputs_started();
    stats.interrupted = Stopping();
    stats.jobs = jobs_;
    stats.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    return stats;
  }

 private:
  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }

  // From a worker: the other bundles of a multi-bundle attachment.
  void MoreBundles(std::vector<WorkItem> items) {
    extra_bundles_ += items.size();
    pool_.Schedule(std::move(items));
  }

  // From a worker: a bundle's analysis starts.
  void Started(const std::string& bundle) {
    const std::lock_guard lock(current_mutex_);
    current_ = bundle;
  }

  void Collect() {
    for (;;) {
      for (Finished& f : pool_.Take(kTick)) Handle(std::move(f));
      if (Stopping()) pool_.DropQueued();  // queued bundles of split attachments are not started either
      const bool finished = pool_.Idle();
      progress_.total = inputs_.inputs.size() + extra_bundles_.load();
      {
        const std::lock_guard lock(current_mutex_);
        progress_.current = current_;
      }
      progress_.elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
      sink_.OnProgress(progress_);
      if (finished) break;
    }
    order_.Flush();  // after a stop: what finished, in order
  }

  void Handle(Finished f) {
    const uint64_t bytes = f.row.bytes;
    DuplicateResolver::Outcome outcome = duplicates_.Resolve(std::move(f));
    if (outcome.reanalyse) return pool_.Schedule({std::move(*outcome.reanalyse)});  // counted when it returns
    progress_.done += 1;
    progress_.bytes_done += bytes;
    for (BatchRow& row : outcome.rows) order_.Deliver(std::move(row));
    if (options_.sort) pool_.LimitInputs(order_.next_input() + window_);
  }

  void Write(BatchRow row) {
    duplicates_.Label(row);
    ++rows_written_;
    sink_.OnRow(row);
  }

  const BatchInputs& inputs_;
  const BatchOptions& options_;
  BatchSink& sink_;
  const unsigned jobs_;
  const size_t window_;
  const Clock::time_point start_ = Clock::now();
  DedupIndex dedup_;
  DuplicateResolver duplicates_;
  RowOrder order_;
  BatchProgress progress_;
  size_t rows_written_ = 0;
  std::atomic<size_t> extra_bundles_{0};
  std::mutex current_mutex_;
  std::string current_;
  const JobContext context_;
  WorkPool pool_;  // last: its workers start in its constructor and use everything above
};

}  // namespace

BatchStats RunBatch(const BatchInputs& inputs, const RulePack& pack, const BatchOptions& options, BatchSink& sink) {
  // The usable cores are read once (each read walks /proc and /sys): they are the lane count when
  // jobs is 0, and they decide where inflating runs. When the lanes keep every core busy, a second
  // thread that inflates beside each lane only adds the cost of handing the chunks across
  // (measured: a fifth more CPU-seconds on 20 MB logs), so each lane inflates its own. Fewer lanes
  // than cores keep the overlap; on a single usable core there is none to be had.
  const unsigned cores = UsableCores();
  const unsigned jobs = options.jobs == 0 ? cores : options.jobs;
  BatchOptions tuned = options;
  const size_t lanes = std::min<size_t>(jobs, std::max<size_t>(1, inputs.inputs.size()));
  if (lanes >= cores) {
    tuned.analyze.limits.inflate_beside = false;
  }
  return Run(inputs, pack, tuned, jobs, sink).Go();
}

}  // namespace dartdiag
