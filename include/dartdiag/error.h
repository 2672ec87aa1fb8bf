// The one error type of dartdiag and the documented exit codes.
// Thrown deep in the pipeline and caught once per unit of work: per bundle in cli.cc (and per
// batch job), per log entry in collect.cc so one unreadable entry never stops the bundle.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "dartdiag/phrase.h"

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
// input and the problem; `code()` is the exit code it maps to; `phrase()` the same message in the
// catalogue's words when it was built from one (src/messages.h, PhrasedError), for the human
// reports that name a bundle's error (batch text rows), else empty.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Error(ExitCode code, const std::string& message, Phrase phrase)
      : std::runtime_error(message), code_(code), phrase_(std::make_shared<const Phrase>(std::move(phrase))) {}
  ExitCode code() const { return code_; }
  const Phrase& phrase() const {
    static const Phrase kNone;
    return phrase_ ? *phrase_ : kNone;
  }

 private:
  ExitCode code_;
  std::shared_ptr<const Phrase> phrase_;  // shared: copying an exception must not throw
};

}  // namespace dartdiag
