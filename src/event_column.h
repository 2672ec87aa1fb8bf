// What a condition rule keeps of its matched events, a few bytes each: per rule and group value an
// EventColumn holds every matched event as delta-encoded varints (arrival order, time, line, which
// of the rule's patterns it matched), cut into runs wherever the clock goes back or the file
// changes. Reading it back merges the runs into the order the rule language is defined on (time,
// then arrival). A log whose clock steps back at every other line would make a run per event: the
// newest runs are merged 64 at a time as they come (a run of 64 Ki events or more is left as it
// is), so a column holds at most a few hundred runs per file and per 64 Ki events, whatever the
// clock does. What the evaluator reads per group is then a bitset per pattern and a delta-encoded
// time column: about one bit per pattern and one byte per event. Tested by event_column_test.cc
// and, end to end, by the rule engine tests.
#pragma once

#include <cstdint>
#include <queue>
#include <span>
#include <utility>
#include <vector>

namespace dartdiag {

// A fixed-size set of positions [0, size()).
class Bitset {
 public:
  static constexpr size_t npos = SIZE_MAX;
  Bitset() = default;
  explicit Bitset(size_t size) : size_(size), words_((size + 63) / 64, 0) {}

  size_t size() const { return size_; }
  void Set(size_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  bool Test(size_t i) const { return i < size_ && ((words_[i / 64] >> (i % 64)) & 1); }
  void SetRange(size_t begin, size_t end);  // [begin, end)
  size_t Count() const;
  bool Any() const;
  bool Intersects(const Bitset& other) const;
  size_t First() const { return Next(0); }
  size_t Next(size_t from) const;  // the first set position >= from, or npos
  size_t Last() const { return Prev(size_); }
  size_t Prev(size_t before) const;  // the last set position < before, or npos
  Bitset& operator|=(const Bitset& other);
  void ClearBefore(size_t pos);  // unsets [0, pos)

 private:
  size_t size_ = 0;
  std::vector<uint64_t> words_;
};

// Times in non-decreasing order, one byte per event when neighbours are under 128 s apart. Read
// through cursors that move forward; a cursor sent back starts over (correct, only slower).
class TimeColumn {
 public:
  void Append(int64_t time);  // time >= the previous one
  void Reserve(size_t times) { bytes_.reserve(times); }
  size_t size() const { return size_; }
  size_t bytes() const { return bytes_.size(); }

  class Cursor {
   public:
    explicit Cursor(const TimeColumn& column) : column_(column) {}
    int64_t At(size_t pos);

   private:
    const TimeColumn& column_;
    size_t pos_ = SIZE_MAX;  // none read yet
    size_t offset_ = 0;
    int64_t time_ = 0;
  };

 private:
  std::vector<uint8_t> bytes_;
  size_t size_ = 0;
  int64_t base_ = 0, last_ = 0;
};

struct ColumnEvent {
  int64_t sort_time = 0;
  uint64_t seq = 0;  // arrival order over the whole input (Event::seq)
  uint64_t line = 0;
  uint32_t file = 0;
};

class EventColumn {
 public:
  explicit EventColumn(size_t words) : words_(words) {}  // words of the per-event pattern mask

  // `mask`: words() words, bit m for the rule's pattern m. Seqs must increase.
  void Append(const ColumnEvent& event, std::span<const uint64_t> mask);
  size_t size() const { return size_; }
  size_t words() const { return words_; }
  size_t runs() const { return runs_.size(); }
  size_t bytes() const;  // memory held, chunks and run table

  // Visits the events in (sort_time, seq) order with their position in that order, until
  // `visit(size_t position, const ColumnEvent&, std::span<const uint64_t> mask)` returns false.
  template <typename Visit>
  void ForEachSorted(Visit&& visit) const {
    MergeRuns(0, runs_.size(), visit);
  }

 private:
  struct Run {           // events in one file in (time, seq) order; the first one's values
    uint32_t chunk = 0;  // where its first event starts
    uint32_t offset = 0;
    uint32_t count = 0;
    uint8_t level = 0;  // how many merges of kMergeFanIn runs made it (0: as appended)
    ColumnEvent first;
  };

  // Reads one run in order; its mask lives in a buffer the merge shares among its readers.
  class Reader {
   public:
    Reader(const EventColumn& column, const Run& run, uint64_t* mask)
        : chunks_(&column.chunks_),
          chunk_(run.chunk),
          p_((*chunks_)[chunk_].data() + run.offset),
          left_(run.count),
          event_(run.first),
          mask_(mask, column.words_) {}
    bool Next();
    const ColumnEvent& event() const { return event_; }
    std::span<const uint64_t> mask() const { return mask_; }

   private:
    const std::vector<std::vector<uint8_t>>* chunks_;
    size_t chunk_;
    const uint8_t* p_;
    uint32_t left_;
    ColumnEvent event_;
    std::span<uint64_t> mask_;
  };

  // Encodes `event` after `previous` (itself for a run's first event) into the last chunk;
  // returns where it starts (chunk, offset).
  std::pair<uint32_t, uint32_t> Put(const ColumnEvent& previous, const ColumnEvent& event,
                                    std::span<const uint64_t> mask);
  // Appends whole encoded events to the last chunk, or to a new one if they do not fit.
  std::pair<uint32_t, uint32_t> Place(std::span<const uint8_t> bytes);
  // Visits runs [begin, end) merged into (sort_time, seq) order.
  template <typename Visit>
  void MergeRuns(size_t begin, size_t end, Visit& visit) const;
  // Merges the last kMergeFanIn runs into one while they are of one file and one level and
  // none holds kMergedRunCap events or more.
  void MergeFanIn();
  // When a file ends: merges every run of that file under kMergedRunCap into one.
  void MergeFileEnd();
  void MergeFrom(size_t begin);  // merges runs [begin, end) into one

  // The encoded events, in chunks that never grow past their first capacity (no reallocation
  // copies a large column); an event never spans two chunks. Chunks double from 256 bytes to
  // 256 KiB, so a group with few events costs little.
  std::vector<std::vector<uint8_t>> chunks_;
  size_t words_;
  size_t size_ = 0;
  std::vector<uint8_t> scratch_;
  std::vector<Run> runs_;
  ColumnEvent last_;
};

template <typename Visit>
void EventColumn::MergeRuns(size_t begin, size_t end, Visit& visit) const {
  std::vector<uint64_t> masks((end - begin) * words_);
  std::vector<Reader> readers;
  readers.reserve(end - begin);
  for (size_t r = begin; r < end; ++r) readers.emplace_back(*this, runs_[r], masks.data() + (r - begin) * words_);
  size_t position = 0;
  if (readers.size() == 1) {  // the common case: a log whose clock never went back
    while (readers[0].Next()) {
      if (!visit(position++, readers[0].event(), readers[0].mask())) return;
    }
    return;
  }
  // Each run is sorted by (time, seq), so the merge is the total order.
  const auto later = [&](size_t a, size_t b) {
    const ColumnEvent &x = readers[a].event(), &y = readers[b].event();
    return x.sort_time != y.sort_time ? x.sort_time > y.sort_time : x.seq > y.seq;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t r = 0; r < readers.size(); ++r) {
    if (readers[r].Next()) heap.push(r);
  }
  while (!heap.empty()) {
    const size_t r = heap.top();
    heap.pop();
    if (!visit(position++, readers[r].event(), readers[r].mask())) return;
    if (readers[r].Next()) heap.push(r);
  }
}

// One group's events as the condition evaluator reads them, in (sort_time, seq) order.
struct GroupView {
  size_t size = 0;
  std::vector<Bitset> matched;  // per pattern of the rule: the positions that matched it
  TimeColumn times;
};
GroupView ViewOf(const EventColumn& column, size_t patterns);

// The events at `positions` (ascending) of the sorted order.
std::vector<ColumnEvent> EventsAt(const EventColumn& column, const std::vector<size_t>& positions);

}  // namespace dartdiag
