// The compact event column, its bitsets and time column: checked against plain vectors over
// generated events whose clocks go back, files change and lines jump.
#include "event_column.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

namespace dartdiag {
namespace {

TEST(Bitset, AgreesWithAVectorOfBools) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 300; ++round) {
    const size_t size = rng() % 300;
    Bitset bits(size);
    std::vector<bool> plain(size, false);
    const size_t density = 1 + rng() % 10;
    for (size_t i = 0; i < size; ++i) {
      if (rng() % density == 0) {
        bits.Set(i);
        plain[i] = true;
      }
    }
    if (size > 0 && rng() % 2) {
      const size_t a = rng() % size, b = a + rng() % (size - a + 1);
      bits.SetRange(a, b);
      for (size_t i = a; i < b; ++i) plain[i] = true;
    }
    if (size > 0 && rng() % 3 == 0) {
      const size_t cut = rng() % (size + 1);
      bits.ClearBefore(cut);
      for (size_t i = 0; i < cut; ++i) plain[i] = false;
    }
    ASSERT_EQ(bits.Count(), static_cast<size_t>(std::count(plain.begin(), plain.end(), true)));
    ASSERT_EQ(bits.Any(), bits.Count() > 0);
    for (size_t from = 0; from <= size; ++from) {
      size_t next = Bitset::npos, prev = Bitset::npos;
      for (size_t i = from; i < size; ++i) {
        if (plain[i]) {
          next = i;
          break;
        }
      }
      for (size_t i = from; i-- > 0;) {
        if (plain[i]) {
          prev = i;
          break;
        }
      }
      ASSERT_EQ(bits.Next(from), next) << "size " << size << " from " << from;
      ASSERT_EQ(bits.Prev(from), prev) << "size " << size << " before " << from;
      if (from < size) {
        ASSERT_EQ(bits.Test(from), plain[from]);
      }
    }
  }
}

TEST(TimeColumn, CursorsReadForwardAndStartOverWhenSentBack) {
  std::mt19937_64 rng(3);
  TimeColumn column;
  std::vector<int64_t> times;
  int64_t t = 1'700'000'000;
  for (int i = 0; i < 5000; ++i) {
    t += (i % 100 == 0) ? static_cast<int64_t>(rng() % 10'000'000) : static_cast<int64_t>(rng() % 3);
    times.push_back(t);
    column.Append(t);
  }
  EXPECT_LT(column.bytes(), times.size() + times.size() / 20);  // about one byte per time
  TimeColumn::Cursor cursor(column);
  for (int probe = 0; probe < 2000; ++probe) {
    const size_t pos = rng() % times.size();  // forwards and backwards
    ASSERT_EQ(cursor.At(pos), times[pos]);
  }
}

struct Plain {
  ColumnEvent event;
  std::vector<uint64_t> mask;
};

// `events` in arrival order; sorts them (stably, by time) and checks the column reads them back so.
void ExpectReadsBackSorted(const EventColumn& column, std::vector<Plain>& events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const Plain& a, const Plain& b) { return a.event.sort_time < b.event.sort_time; });
  size_t visited = 0, wrong = 0;
  column.ForEachSorted([&](size_t pos, const ColumnEvent& e, std::span<const uint64_t> mask) {
    EXPECT_EQ(pos, visited);
    const Plain& want = events.at(pos);
    const bool same = e.sort_time == want.event.sort_time && e.seq == want.event.seq && e.line == want.event.line &&
                      e.file == want.event.file &&
                      std::equal(mask.begin(), mask.end(), want.mask.begin(), want.mask.end());
    if (!same && ++wrong <= 3) ADD_FAILURE() << "position " << pos << ": seq " << e.seq << " want " << want.event.seq;
    ++visited;
    return true;
  });
  EXPECT_EQ(visited, events.size());
  EXPECT_EQ(wrong, 0u);
}

TEST(EventColumn, ReadsBackInTimeThenArrivalOrder) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 60; ++round) {
    const size_t words = 1 + rng() % 2;
    EventColumn column(words);
    std::vector<Plain> events;
    int64_t t = 1'000'000 + static_cast<int64_t>(rng() % 1000);
    uint64_t seq = 0, line = 0;
    uint32_t file = 0;
    const size_t n = rng() % 2000;
    const int back_every = 1 + static_cast<int>(rng() % 50);  // clock steps back, often or rarely
    for (size_t i = 0; i < n; ++i) {
      seq += 1 + rng() % 4;
      if (rng() % 500 == 0) ++file, line = 0;
      line += rng() % 3 == 0 ? rng() % 100'000 : 1;
      if (rng() % back_every == 0) {
        t -= static_cast<int64_t>(rng() % 90'000);  // past midnight, or an NTP step
      } else {
        t += static_cast<int64_t>(rng() % 5);
      }
      Plain p{{t, seq, line, file}, std::vector<uint64_t>(words)};
      for (auto& w : p.mask) w = rng() | 1;  // whole words, high bits too
      column.Append(p.event, p.mask);
      events.push_back(p);
    }
    ASSERT_EQ(column.size(), n);
    ExpectReadsBackSorted(column, events);
    std::vector<size_t> positions;
    for (size_t i = 0; i < n; i += 1 + rng() % 40) positions.push_back(i);
    const std::vector<ColumnEvent> at = EventsAt(column, positions);
    ASSERT_EQ(at.size(), positions.size());
    for (size_t k = 0; k < at.size(); ++k) EXPECT_EQ(at[k].seq, events[positions[k]].event.seq);
  }
}

// A clock that steps back at every line (or every other line, or in bursts) would make one run per
// event. The newest runs are merged as they come, and what is left of a file when it ends, so the
// run table stays small, the column stays at a few bytes an event, and the order read back is
// still (time, arrival).
TEST(EventColumn, AClockSteppingBackAtEveryLineStaysCompact) {
  struct Shape {
    const char* name;
    int64_t (*step)(std::mt19937_64&, size_t);
    uint32_t file_every;  // a new file every so many events (0: one file)
  };
  const Shape shapes[] = {
      {"always back", [](std::mt19937_64&, size_t) -> int64_t { return -1; }, 0},
      {"back and forth", [](std::mt19937_64&, size_t i) -> int64_t { return i % 2 ? -3 : 4; }, 0},
      {"jitter", [](std::mt19937_64& rng, size_t) { return static_cast<int64_t>(rng() % 7) - 3; }, 0},
      {"bursts",
       [](std::mt19937_64& rng, size_t i) -> int64_t { return i % 5000 < 100 ? -1 : static_cast<int64_t>(rng() % 2); },
       0},
      {"jitter over files", [](std::mt19937_64& rng, size_t) { return static_cast<int64_t>(rng() % 5) - 2; }, 777},
  };
  std::mt19937_64 rng(19);
  for (const Shape& shape : shapes) {
    SCOPED_TRACE(shape.name);
    constexpr size_t kEvents = 200'000;
    EventColumn column(1);
    std::vector<Plain> events;
    events.reserve(kEvents);
    int64_t t = 1'700'000'000;
    uint32_t file = 0;
    uint64_t line = 0;
    for (size_t i = 0; i < kEvents; ++i) {
      if (shape.file_every != 0 && i % shape.file_every == 0 && i != 0) ++file, line = 0;
      t += shape.step(rng, i);
      line += 1 + rng() % 3;
      Plain p{{t, i + 1, line, file}, {uint64_t{1} << (rng() % 3)}};
      column.Append(p.event, p.mask);
      events.push_back(p);
    }
    // At most 63 runs wait at each of four levels (64^3 events pass the 64 Ki cap) after each run
    // of 64 Ki events or more, which is never merged again; a file that ends leaves one run.
    const size_t files = file + 1;
    EXPECT_LE(column.runs(), files + (1 + kEvents / (64 * 1024)) * (63 * 4 + 1)) << column.runs() << " runs";
    EXPECT_LE(column.bytes(), 6 * kEvents + 256 * 1024) << column.bytes() << " bytes";
    ExpectReadsBackSorted(column, events);
  }
}

TEST(EventColumn, AnOrderedLogCostsAFewBytesPerEvent) {
  EventColumn column(1);
  const uint64_t mask[] = {0b101};
  for (uint64_t i = 1; i <= 100'000; ++i) {
    column.Append({1'700'000'000 + static_cast<int64_t>(i / 7), 2 * i, i + i / 3, 0}, mask);
  }
  EXPECT_EQ(column.runs(), 1u);
  // Four bytes an event (arrival step, line step, time step, mask), plus the unused end of the
  // last chunk.
  EXPECT_LE(column.bytes(), 4u * 100'000 + 256 * 1024);
  const GroupView view = ViewOf(column, 3);
  EXPECT_EQ(view.matched[0].Count(), 100'000u);
  EXPECT_EQ(view.matched[1].Count(), 0u);
  EXPECT_LE(view.times.bytes(), 100'000u);
}

}  // namespace
}  // namespace dartdiag
