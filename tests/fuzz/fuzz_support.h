// Helpers shared by the fuzz targets in tests/fuzz: a checked assertion that aborts (so libFuzzer
// and the replay driver both report it as a crash), and an event sink that reads every byte of
// every event so that ASan catches views that outlive their storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dartdiag/event.h"
#include "log_types.h"

namespace dartdiag::fuzz {

// An invariant of the code under test; a violation is a finding, reported like a crash.
#define DARTDIAG_FUZZ_CHECK(condition)                                                        \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

inline std::string_view AsText(const uint8_t* data, size_t size) {
  if (size == 0) return {};
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Reads every byte of `text`; the result is folded into a checksum the optimiser cannot drop.
inline uint64_t Touch(std::string_view text, uint64_t hash = 1469598103934665603ull) {
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash;
}

// Keeps a checksum alive so that the reads behind it are not optimised away.
inline volatile uint64_t consumed = 0;
inline void Consume(uint64_t hash) { consumed = hash; }

// Counts what a parser emits and reads every field of every event while its views are valid.
class TouchingSink final : public EventSink {
 public:
  void OnEvent(const Event& event) override {
    ++events;
    DARTDIAG_FUZZ_CHECK(event.line >= 1);
    DARTDIAG_FUZZ_CHECK(event.line >= last_line);  // records arrive in file order
    last_line = event.line;
    hash = Touch(event.time, hash);
    hash = Touch(event.raw, hash);
    for (std::string_view field : event.fields) hash = Touch(field, hash);
    hash = Touch(Dump(event), hash);
  }
  void OnUnparsed(uint64_t line, std::string_view text) override {
    ++unparsed;
    DARTDIAG_FUZZ_CHECK(line >= 1);
    hash = Touch(text, hash);
  }

  uint64_t events = 0;
  uint64_t unparsed = 0;
  uint64_t last_line = 0;
  uint64_t hash = 0;
};

}  // namespace dartdiag::fuzz
