// Where each file of the input ends: the time of its last line that has a time, in file order
// (after the clock went back, not the latest time the file stated). The pipeline notes every event
// here once; the Logs section, the condition rules and the state models all read their "end of the
// log" from it, so the three can never disagree. Tested by log_ends_test.cc and, over every
// bundle, by the report consistency tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dartdiag/event.h"
#include "text_util.h"

namespace dartdiag {

struct LogEnd {
  int64_t t = 0;     // sort_time of that line
  std::string time;  // its stated time; "" when the file has no line with a time (yet)
};

class LogEnds {
 public:
  using End = LogEnd;

  // Every event of every file, in file order; `file` indexes the caller's file list.
  void Note(const Event& event, size_t file) {
    if (file >= files_.size()) files_.resize(file + 1);
    File& f = files_[file];
    f.log = event.log;
    if (event.time.empty()) return;
    f.end.t = event.sort_time;
    AssignText(f.end.time, event.time);  // on every event
  }

  // File `file`'s end (empty when it had no event with a time).
  const End& Of(size_t file) const { return file < files_.size() ? files_[file].end : kNone; }

  // The latest end over the files whose log type `reads` accepts; on a tie, the later file's.
  template <typename Reads>
  const End& Latest(Reads&& reads) const {
    const End* latest = &kNone;
    for (const File& f : files_) {
      if (!f.log || f.end.time.empty() || !reads(*f.log)) continue;
      if (latest->time.empty() || f.end.t >= latest->t) latest = &f.end;
    }
    return *latest;
  }

 private:
  struct File {
    std::optional<LogTypeId> log;  // once an event came
    End end;
  };
  static inline const LogEnd kNone{};
  std::vector<File> files_;
};

}  // namespace dartdiag
