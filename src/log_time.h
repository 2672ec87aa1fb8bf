// One time line for all inputs: the UTC offset of local-time logs (--log-tz), applied to every time
// a report shows, and the capture placed against the logs in time. Tested by log_time_test.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dartdiag/analysis.h"

namespace dartdiag {

// "+08:00", "-0530", "+8", "UTC" or "Z" to minutes east of UTC; nullopt when malformed or beyond
// +-14:00.
std::optional<int> ParseUtcOffset(std::string_view text);
std::string FormatUtcOffset(int minutes);  // "+08:00", "-05:30", "+00:00"

// Whether an ISO 8601 time states its zone ("...Z", "...+08:00").
bool StatesZone(std::string_view time);

// Seconds since the epoch (UTC) of an ISO 8601 time: its own zone, else `offset_minutes` for a
// local time; nullopt for a local time without an offset, or a time that does not parse.
std::optional<int64_t> UtcSeconds(std::string_view time, std::optional<int> offset_minutes);

// Gives every local time of the result (files, verdicts, evidence, timelines, unexplained
// warnings) the offset, so all times read in one form; records the offset in the result.
void ApplyLogOffset(Result& result, int offset_minutes);

// When the capture was taken relative to the logs (CaptureReport::timing), from the files' first
// and last times; says it cannot tell when the logs are local time with no offset.
CaptureTiming PlaceCapture(const Result& result, const CaptureReport& capture);

}  // namespace dartdiag
