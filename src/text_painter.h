// Colour for the text reports: ANSI escapes when on, plain text when off (the command line decides
// from --color, the terminal and NO_COLOR). Used by text_report.cc and capture_text.cc.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "dartdiag/severity.h"

namespace dartdiag {

class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  std::string Bold(std::string_view s) const { return Wrap("1", s); }
  std::string Dim(std::string_view s) const { return Wrap("2", s); }
  std::string ForSeverity(Severity severity, std::string_view s) const {
    return Wrap(severity == Severity::kError ? "1;31" : severity == Severity::kWarning ? "1;33" : "1;36", s);
  }
  std::string Green(std::string_view s) const { return Wrap("1;32", s); }

 private:
  std::string Wrap(std::string_view code, std::string_view s) const {
    return on_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
  bool on_;
};

}  // namespace dartdiag
