// Row order of a batch run; see batch_collect.h.
#include "batch/batch_collect.h"

namespace dartdiag {

void RowOrder::Deliver(BatchRow row) {
  if (!sort_) return write_(std::move(row));
  const RowKey key = row.key;
  held_.emplace(key, std::move(row));
  while (!held_.empty() && held_.begin()->first == next_) {
    BatchRow next = std::move(held_.begin()->second);
    held_.erase(held_.begin());
    if (next.key.part == 0) parts_of_next_ = next.parts;
    const bool last_part = next.key.part + 1 >= parts_of_next_;
    next_ = last_part ? RowKey{next_.input + 1, 0} : RowKey{next_.input, next_.part + 1};
    write_(std::move(next));
  }
}

void RowOrder::Flush() {
  for (auto& [key, row] : held_) write_(std::move(row));
  held_.clear();
}

}  // namespace dartdiag
