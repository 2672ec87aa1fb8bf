// The HTML report's timeline picture: inline SVG, one lane per protection and address family
// (failing intervals red, degraded amber, healthy green, unknown grey, evidence lines as ticks with
// the line on hover), and a lane of capture packets (queries, SYNs, RSTs) when a capture was given.
// Internal header; tested by html_report_test.cc and the Chromium check.
#pragma once

#include <string>

#include "dartdiag/analysis.h"
#include "messages.h"

namespace dartdiag {

// The <svg> element(s) and their legend; a sentence when there is no time to draw.
std::string TimelineSvg(const Result& result, Lang lang);

}  // namespace dartdiag
