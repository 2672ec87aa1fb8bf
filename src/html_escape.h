// HTML escaping for the HTML report: every text from a bundle or a capture passes HtmlEscape, so a
// log line holding "<script>", an "onerror=" attribute or "</style>" stays text. Internal header;
// tested by html_report_test.cc.
#pragma once

#include <string>
#include <string_view>

namespace dartdiag {

// Escapes & < > " ' for text and attribute values; C0 controls (but tab and newline), DEL and
// invalid UTF-8 become U+FFFD, so the page is valid UTF-8 whatever the bundle holds.
std::string HtmlEscape(std::string_view s);

}  // namespace dartdiag
