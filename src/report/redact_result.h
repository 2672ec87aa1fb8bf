// Redaction of an analysis result (redact.h holds the detectors and the map): run after
// Analyze() and before any writer, so every report format shows the same pseudonyms and none
// needs to know about redaction. Tested by redact_test.cc.
#pragma once

#include <string>
#include <vector>

#include "dartdiag/analysis.h"
#include "report/redact.h"

namespace dartdiag {

// Rewrites every text of `result` a report can show (and the `extra` strings: a batch row's
// bundle and attachment) with `redactor`, learning from it first. Verdict ids, severities,
// counts, states and times are left alone. Not thread-safe: a batch holds SharedRedactor::mutex.
void RedactResult(Result& result, Redactor& redactor, std::vector<std::string*> extra = {});

}  // namespace dartdiag
