#include "log_ends.h"

#include <gtest/gtest.h>

namespace dartdiag {
namespace {

Event At(LogTypeId log, std::string_view time, int64_t sort_time) {
  Event event;
  event.log = log;
  event.time = time;
  event.sort_time = sort_time;
  return event;
}

const auto kAnyLog = [](LogTypeId) { return true; };

TEST(LogEnds, AFileEndsAtItsLastLineWithATimeEvenWhenTheClockWentBack) {
  LogEnds ends;
  ends.Note(At(1, "2024-01-01T10:00:00", 100), 0);
  ends.Note(At(1, "2024-01-01T12:00:00", 200), 0);
  ends.Note(At(1, "2024-01-01T09:00:00", 50), 0);  // the clock went back: this is the end
  ends.Note(At(1, "", 0), 0);                      // a line without a time does not move it
  EXPECT_EQ(ends.Of(0).time, "2024-01-01T09:00:00");
  EXPECT_EQ(ends.Of(0).t, 50);
  EXPECT_EQ(ends.Latest(kAnyLog).time, "2024-01-01T09:00:00");
}

TEST(LogEnds, TheEndIsTheLastTimeWhateverTheLengthsBefore) {
  LogEnds ends;
  const char* times[] = {"2024-01-01T10:00:00.123456", "2024-01-01T10:00:01", "2024-01-01T10:00:01.5",
                         "2024-01-01T10:00:02,25",     "2024-01-01T10:00:03", "T"};
  int64_t t = 0;
  for (const char* time : times) {
    ends.Note(At(1, time, ++t), 0);
    EXPECT_EQ(ends.Of(0).time, time);
    EXPECT_EQ(ends.Of(0).t, t);
  }
}

TEST(LogEnds, TheLatestEndOverTheFilesOfTheLogsAsked) {
  LogEnds ends;
  ends.Note(At(1, "A", 300), 0);
  ends.Note(At(2, "B", 500), 1);  // another log type, later
  ends.Note(At(1, "C", 200), 2);
  ends.Note(At(1, "D", 300), 3);  // ties file 0: the later file's
  EXPECT_EQ(ends.Latest([](LogTypeId log) { return log == 1; }).time, "D");
  EXPECT_EQ(ends.Latest([](LogTypeId log) { return log == 2; }).time, "B");
  EXPECT_EQ(ends.Latest(kAnyLog).time, "B");
  EXPECT_EQ(ends.Latest([](LogTypeId log) { return log == 3; }).time, "");  // no file of that log
}

TEST(LogEnds, FilesWithoutATimeOrWithoutEventsHaveNoEnd) {
  LogEnds ends;
  ends.Note(At(1, "", 0), 1);  // file 0 had no event; file 1 only lines without a time
  EXPECT_EQ(ends.Of(0).time, "");
  EXPECT_EQ(ends.Of(1).time, "");
  EXPECT_EQ(ends.Of(7).time, "");  // never seen
  EXPECT_EQ(ends.Latest(kAnyLog).time, "");
  ends.Note(At(1, "E", -5), 2);  // a time before the epoch still counts as an end
  EXPECT_EQ(ends.Latest(kAnyLog).time, "E");
  EXPECT_EQ(ends.Latest(kAnyLog).t, -5);
}

}  // namespace
}  // namespace dartdiag
