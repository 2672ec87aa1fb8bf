// Compact per-group event storage for condition rules (see event_column.h).
// Tested by event_column_test.cc.
#include "event_column.h"

#include <algorithm>
#include <bit>
#include <tuple>

namespace dartdiag {
namespace {

void PutVarint(std::vector<uint8_t>& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

uint64_t GetVarint(const uint8_t*& p) {
  uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = *p++;
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) return value;
  }
}

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace

void Bitset::SetRange(size_t begin, size_t end) {
  end = std::min(end, size_);
  while (begin < end && begin % 64 != 0) Set(begin++);
  for (; begin + 64 <= end; begin += 64) words_[begin / 64] = ~uint64_t{0};
  while (begin < end) Set(begin++);
}

size_t Bitset::Count() const {
  size_t n = 0;
  for (uint64_t w : words_) n += static_cast<size_t>(std::popcount(w));
  return n;
}

bool Bitset::Any() const {
  return std::any_of(words_.begin(), words_.end(), [](uint64_t w) { return w != 0; });
}

bool Bitset::Intersects(const Bitset& other) const {
  for (size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) {
    if (words_[w] & other.words_[w]) return true;
  }
  return false;
}

size_t Bitset::Next(size_t from) const {
  if (from >= size_) return npos;
  size_t w = from / 64;
  uint64_t bits = words_[w] & (~uint64_t{0} << (from % 64));
  while (bits == 0) {
    if (++w == words_.size()) return npos;
    bits = words_[w];
  }
  return w * 64 + static_cast<size_t>(std::countr_zero(bits));
}

size_t Bitset::Prev(size_t before) const {
  before = std::min(before, size_);
  if (before == 0) return npos;
  size_t w = (before - 1) / 64;
  const size_t top = (before - 1) % 64;  // keep bits [0, top]
  uint64_t bits = words_[w] & (top == 63 ? ~uint64_t{0} : (uint64_t{1} << (top + 1)) - 1);
  while (bits == 0) {
    if (w == 0) return npos;
    bits = words_[--w];
  }
  return w * 64 + 63 - static_cast<size_t>(std::countl_zero(bits));
}

Bitset& Bitset::operator|=(const Bitset& other) {
  for (size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) words_[w] |= other.words_[w];
  return *this;
}

void Bitset::ClearBefore(size_t pos) {
  pos = std::min(pos, size_);
  for (size_t w = 0; w < pos / 64; ++w) words_[w] = 0;
  if (pos % 64 != 0) words_[pos / 64] &= ~uint64_t{0} << (pos % 64);
}

void TimeColumn::Append(int64_t time) {
  if (size_ == 0) {
    base_ = last_ = time;
  }
  PutVarint(bytes_, static_cast<uint64_t>(time - last_));  // non-negative: times arrive sorted
  last_ = time;
  ++size_;
}

int64_t TimeColumn::Cursor::At(size_t pos) {
  if (pos_ != SIZE_MAX && pos < pos_) pos_ = SIZE_MAX;  // backwards: start over
  if (pos_ == SIZE_MAX) {
    pos_ = 0;
    offset_ = 0;
    const uint8_t* p = column_.bytes_.data();
    time_ = column_.base_ + static_cast<int64_t>(GetVarint(p));
    offset_ = static_cast<size_t>(p - column_.bytes_.data());
  }
  const uint8_t* p = column_.bytes_.data() + offset_;
  for (; pos_ < pos; ++pos_) time_ += static_cast<int64_t>(GetVarint(p));
  offset_ = static_cast<size_t>(p - column_.bytes_.data());
  return time_;
}

namespace {
constexpr size_t kMergeFanIn = 64;
constexpr uint32_t kMergedRunCap = 64 * 1024;  // a run this long is never merged again
}  // namespace

void EventColumn::Append(const ColumnEvent& event, std::span<const uint64_t> mask) {
  const bool new_run = runs_.empty() || event.file != last_.file || event.sort_time < last_.sort_time ||
                       event.seq <= last_.seq || runs_.back().count == UINT32_MAX;
  if (new_run) {
    // The last run is complete: merge it with its peers if due.
    if (event.file != last_.file) {
      MergeFileEnd();
    } else {
      MergeFanIn();
    }
    runs_.push_back({0, 0, 0, 0, event});
    std::tie(runs_.back().chunk, runs_.back().offset) = Put(event, event, mask);
  } else {
    Put(last_, event, mask);
  }
  ++runs_.back().count;
  ++size_;
  last_ = event;
}

std::pair<uint32_t, uint32_t> EventColumn::Put(const ColumnEvent& previous, const ColumnEvent& event,
                                               std::span<const uint64_t> mask) {
  scratch_.clear();
  // Seqs rise inside an appended run but not inside a merged one: the step is signed.
  const int64_t seq_step = static_cast<int64_t>(event.seq - previous.seq);
  PutVarint(scratch_, ZigZag(seq_step));
  // Lines mostly advance as arrival does: store the difference of the two steps.
  PutVarint(scratch_, ZigZag(static_cast<int64_t>(event.line - previous.line) - seq_step));
  PutVarint(scratch_, static_cast<uint64_t>(event.sort_time - previous.sort_time));
  for (size_t w = 0; w < words_; ++w) PutVarint(scratch_, w < mask.size() ? mask[w] : 0);
  return Place(scratch_);
}

std::pair<uint32_t, uint32_t> EventColumn::Place(std::span<const uint8_t> bytes) {
  if (chunks_.empty() || chunks_.back().size() + bytes.size() > chunks_.back().capacity()) {
    constexpr size_t kFirstChunk = 256, kLargestChunk = 256 * 1024;
    const size_t capacity =
        std::max(bytes.size(), chunks_.empty() ? kFirstChunk : std::min(2 * chunks_.back().capacity(), kLargestChunk));
    chunks_.emplace_back().reserve(capacity);
  }
  const std::pair<uint32_t, uint32_t> at{static_cast<uint32_t>(chunks_.size() - 1),
                                         static_cast<uint32_t>(chunks_.back().size())};
  chunks_.back().insert(chunks_.back().end(), bytes.begin(), bytes.end());
  return at;
}

size_t EventColumn::bytes() const {
  size_t total = chunks_.capacity() * sizeof(chunks_[0]) + runs_.capacity() * sizeof(Run);
  for (const auto& chunk : chunks_) total += chunk.capacity();
  return total;
}

bool EventColumn::Reader::Next() {
  if (left_ == 0) return false;
  --left_;
  if (p_ == (*chunks_)[chunk_].data() + (*chunks_)[chunk_].size()) p_ = (*chunks_)[++chunk_].data();
  const int64_t seq_step = UnZigZag(GetVarint(p_));
  event_.seq += static_cast<uint64_t>(seq_step);
  event_.line += static_cast<uint64_t>(UnZigZag(GetVarint(p_)) + seq_step);
  event_.sort_time += static_cast<int64_t>(GetVarint(p_));
  for (uint64_t& w : mask_) w = GetVarint(p_);
  return true;
}

void EventColumn::MergeFanIn() {
  while (runs_.size() >= kMergeFanIn) {
    const size_t begin = runs_.size() - kMergeFanIn;
    const Run& head = runs_[begin];
    const bool due = std::all_of(runs_.begin() + static_cast<ptrdiff_t>(begin), runs_.end(), [&](const Run& run) {
      return run.level == head.level && run.first.file == head.first.file && run.count < kMergedRunCap;
    });
    if (!due) return;
    MergeFrom(begin);
  }
}

void EventColumn::MergeFileEnd() {
  // The last file's runs can never merge with a later file's: merge what is left of them now.
  size_t begin = runs_.size();
  while (begin > 0 && runs_[begin - 1].first.file == last_.file && runs_[begin - 1].count < kMergedRunCap) --begin;
  if (runs_.size() - begin >= 2) MergeFrom(begin);
}

void EventColumn::MergeFrom(size_t begin) {
  const Run& head = runs_[begin];
  // Merge into a scratch column first (the runs' bytes are the column's tail, about to be
  // rewritten), then truncate the tail and copy the merged chunks back whole: a chunk holds
  // whole events, so none comes to span two.
  EventColumn merged(words_);
  Run run{0, 0, 0, static_cast<uint8_t>(head.level + 1), ColumnEvent{}};
  ColumnEvent previous;
  auto put = [&](size_t position, const ColumnEvent& event, std::span<const uint64_t> mask) {
    if (position == 0) run.first = event;
    merged.Put(position == 0 ? event : previous, event, mask);
    previous = event;
    ++run.count;
    return true;
  };
  MergeRuns(begin, runs_.size(), put);
  chunks_.resize(head.chunk + 1);
  chunks_.back().resize(head.offset);
  runs_.resize(begin);
  for (size_t c = 0; c < merged.chunks_.size(); ++c) {
    const auto at = Place(merged.chunks_[c]);
    if (c == 0) std::tie(run.chunk, run.offset) = at;
  }
  runs_.push_back(run);
  last_ = previous;
}

GroupView ViewOf(const EventColumn& column, size_t patterns) {
  GroupView view;
  view.size = column.size();
  view.matched.assign(patterns, Bitset(view.size));
  view.times.Reserve(view.size);  // about a byte per time: no reallocation of a large column
  column.ForEachSorted([&](size_t pos, const ColumnEvent& event, std::span<const uint64_t> mask) {
    view.times.Append(event.sort_time);
    for (size_t w = 0; w < mask.size(); ++w) {
      for (uint64_t bits = mask[w]; bits != 0; bits &= bits - 1) {
        const size_t m = w * 64 + static_cast<size_t>(std::countr_zero(bits));
        if (m < patterns) view.matched[m].Set(pos);
      }
    }
    return true;
  });
  return view;
}

std::vector<ColumnEvent> EventsAt(const EventColumn& column, const std::vector<size_t>& positions) {
  std::vector<ColumnEvent> out;
  out.reserve(positions.size());
  size_t next = 0;
  if (positions.empty()) return out;
  column.ForEachSorted([&](size_t pos, const ColumnEvent& event, std::span<const uint64_t>) {
    while (next < positions.size() && positions[next] == pos) {
      out.push_back(event);
      ++next;
    }
    return next < positions.size();
  });
  return out;
}

}  // namespace dartdiag
