// The worker pool of a batch run: `jobs` threads take work items (queued items first, then the next
// input while the input limit allows) and run them; results wait in a bounded queue until the
// collector takes them. It knows nothing of what an item means, of row order or of duplicates:
// those belong to the collector, on the calling thread (batch_run.cc). Thread-safe.
// Tested by batch_test.cc (under ThreadSanitizer in CI).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "batch/batch_internal.h"

namespace dartdiag {

class WorkPool {
 public:
  using Runner = std::function<Finished(const WorkItem&)>;

  // `inputs` items numbered 0.. are started in order, those below `input_limit` at first (see
  // LimitInputs); `stop`, when it turns true, starts nothing new.
  WorkPool(unsigned jobs, size_t inputs, size_t input_limit, const std::atomic<bool>* stop, Runner run);
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  ~WorkPool();  // Shutdown()

  // Inputs numbered `end` and above wait (--sort keeps workers near the next row to write).
  void LimitInputs(size_t end);
  // More items, started before the next input (another bundle of an attachment, a re-analysis).
  void Schedule(std::vector<WorkItem> items);
  // The results finished so far, after waiting up to `wait` for one.
  std::deque<Finished> Take(std::chrono::milliseconds wait);
  // Drops the queued items (a stop was requested); they are never started.
  void DropQueued();
  // Nothing running or queued, no result untaken, and no input left to start (or stopping).
  bool Idle() const;
  size_t inputs_started() const;
  // Workers finish their current item, drop the rest and exit; joins them. Idempotent.
  void Shutdown();

 private:
  bool Stopping() const { return stop_ != nullptr && stop_->load(); }
  bool CanTakeQueued() const;  // under mutex_
  bool CanTakeInput() const;   // under mutex_
  void Work();

  const size_t inputs_, queue_limit_;
  const std::atomic<bool>* stop_;
  const Runner run_;
  size_t input_limit_;  // guarded by mutex_, as everything below
  mutable std::mutex mutex_;
  std::condition_variable work_cv_, result_cv_, space_cv_;
  size_t next_input_ = 0;
  std::deque<WorkItem> queued_;
  std::deque<Finished> results_;
  size_t outstanding_ = 0;  // items taken or queued whose result the collector has not taken
  bool done_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace dartdiag
