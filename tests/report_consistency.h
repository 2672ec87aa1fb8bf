// A report never contradicts itself: checks that a Result's verdicts, their at_end and timeline,
// the text report's headlines and closing line, and the exit code say the same thing. Used by
// state_model_test.cc over every bundle in testdata, every pipeline and parser fuzz seed (each
// under the default pack and the condition packs of testdata/rules), the generated timelines, and
// generated logs whose clock jitters, jumps back or wraps.
#pragma once

#include <string>
#include <vector>

#include "dartdiag/analysis.h"

namespace dartdiag::testing {

// Each contradiction found, as one line naming the verdict; empty when the report agrees.
// `text` is the text report of `result`, `code` its exit code under --fail-on warning.
std::vector<std::string> Contradictions(const Result& result, const std::string& text, ExitCode code);

}  // namespace dartdiag::testing
