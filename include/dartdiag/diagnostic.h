// Diagnostic: a non-fatal observation about the input (junk line, decoy entry, unreadable log),
// collected and reported, never thrown.
#pragma once

#include <cstdint>
#include <string>

#include "dartdiag/phrase.h"

namespace dartdiag {

struct Diagnostic {
  std::string level;    // "warning" or "info"
  std::string code;     // stable id, e.g. "unparsed-line", "unreadable-log", "line-cut"
  std::string file;     // path of the input or archive entry it concerns ("" if none)
  uint64_t line = 0;    // 1-based line, 0 when not about a line
  std::string message;  // one line, in English (what JSON shows)
  Phrase phrase{};      // the same in the catalogue's words, for the human reports; empty: only `message`
};

}  // namespace dartdiag
