// The report's closing lines, in the reader's language, shared by the text and HTML reports so
// both say the same: a headline (with the tone it is shown in), the rules checked, the share of
// lines parsed and why the analysis is incomplete. Tested by report_test.cc and the golden reports.
#pragma once

#include <string>

#include "dartdiag/analysis.h"
#include "messages.h"

namespace dartdiag {

struct Conclusion {
  std::string tone;        // "error", "warning", "ok" or "plain": how the headline is shown
  std::string headline;    // "2 errors, 1 warning." / "No known problem found."
  std::string detail;      // after the headline: " Checked 4 rules (...)." (or why nothing was read)
  std::string parsed;      // "99.5% of 1,200 lines parsed." or ""
  std::string incomplete;  // IncompleteReason (in the report's language), or ""
};

// Bundle texts in it (rule ids, the incomplete reason) are not escaped: each writer escapes.
Conclusion Conclude(const Result& result, Lang lang);

}  // namespace dartdiag
