// The one error type of dartdiag and the documented exit codes.
// Thrown deep in the pipeline and caught once per unit of work: per bundle in cli.cc (and per
// batch job), per log entry in collect.cc so one unreadable entry never stops the bundle.
#pragma once

#include <stdexcept>
#include <string>

namespace dartdiag {

// Exit codes, documented in README.md and `dartdiag --help`.
enum class ExitCode : int {
  kOk = 0,          // analysed, nothing at or above --fail-on
  kFindings = 1,    // verdicts at or above --fail-on
  kUnreadable = 2,  // the input could not be read (missing, not an archive, corrupt, encrypted)
  kUsage = 3,       // usage or rule-pack error
  kIncomplete = 4,  // analysed but incomplete (no Umbrella log, or a log unreadable), nothing to report
};

// A fatal problem with one unit of work. `what()` is a complete one-line message that names the
// input and the problem; `code()` is the exit code it maps to.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace dartdiag
