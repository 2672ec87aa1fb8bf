// Fuzz target: bytes as Umbrella.txt (the umbrella-eventlog log type): decode, split into lines,
// parse, with the checks of parser_fuzz.h. Seeds: testdata/fuzz/eventlog_parser; replayed by
// the ctest test fuzz_replay_eventlog_parser.
#include <cstddef>
#include <cstdint>

#include "parser_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dartdiag::fuzz::FuzzParser("umbrella-eventlog", data, size);
  return 0;
}
