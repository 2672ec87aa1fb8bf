// The batch worker pool; see batch_pool.h.
#include "batch/batch_pool.h"

#include <utility>

namespace dartdiag {

WorkPool::WorkPool(unsigned jobs, size_t inputs, size_t input_limit, const std::atomic<bool>* stop, Runner run)
    : inputs_(inputs), queue_limit_(size_t{2} * jobs), stop_(stop), run_(std::move(run)), input_limit_(input_limit) {
  for (unsigned i = 0; i < jobs; ++i) workers_.emplace_back([this] { Work(); });
}

WorkPool::~WorkPool() { Shutdown(); }

bool WorkPool::CanTakeQueued() const { return !Stopping() && !queued_.empty(); }

bool WorkPool::CanTakeInput() const { return !Stopping() && next_input_ < inputs_ && next_input_ < input_limit_; }

void WorkPool::Work() {
  for (;;) {
    WorkItem item;
    {
      std::unique_lock lock(mutex_);
      work_cv_.wait(lock, [&] { return done_ || CanTakeQueued() || CanTakeInput(); });
      if (done_) return;
      if (CanTakeQueued()) {
        item = std::move(queued_.front());
        queued_.pop_front();
      } else {
        item.key = {next_input_++, 0};
        ++outstanding_;
      }
    }
    Finished finished = run_(item);
    std::unique_lock lock(mutex_);
    space_cv_.wait(lock, [&] { return done_ || results_.size() < queue_limit_; });
    if (done_) return;
    results_.push_back(std::move(finished));
    result_cv_.notify_one();
  }
}

void WorkPool::LimitInputs(size_t end) {
  {
    const std::lock_guard lock(mutex_);
    input_limit_ = end;
  }
  work_cv_.notify_all();
}

void WorkPool::Schedule(std::vector<WorkItem> items) {
  {
    const std::lock_guard lock(mutex_);
    outstanding_ += items.size();
    for (WorkItem& item : items) queued_.push_back(std::move(item));
  }
  work_cv_.notify_all();
}

std::deque<Finished> WorkPool::Take(std::chrono::milliseconds wait) {
  std::deque<Finished> taken;
  {
    std::unique_lock lock(mutex_);
    result_cv_.wait_for(lock, wait, [&] { return !results_.empty(); });
    taken.swap(results_);
    outstanding_ -= taken.size();
  }
  space_cv_.notify_all();
  return taken;
}

void WorkPool::DropQueued() {
  const std::lock_guard lock(mutex_);
  outstanding_ -= queued_.size();
  queued_.clear();
}

bool WorkPool::Idle() const {
  const std::lock_guard lock(mutex_);
  return outstanding_ == 0 && results_.empty() && (Stopping() || next_input_ == inputs_);
}

size_t WorkPool::inputs_started() const {
  const std::lock_guard lock(mutex_);
  return next_input_;
}

void WorkPool::Shutdown() {
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
    queued_.clear();
    results_.clear();
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace dartdiag
