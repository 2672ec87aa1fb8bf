// Fuzz target: bytes as csccumbrellaplugin.txt (the csccumbrellaplugin log type): decode, split
// into lines, parse, with the checks of parser_fuzz.h. Seeds: testdata/fuzz/plugin_parser;
// replayed by the ctest test fuzz_replay_plugin_parser.
#include <cstddef>
#include <cstdint>

#include "parser_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dartdiag::fuzz::FuzzParser("csccumbrellaplugin", data, size);
  return 0;
}
