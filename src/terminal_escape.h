// Text that came from a bundle, made safe to print on a terminal: control characters (C0, DEL,
// C1), bidi overrides and line separators, and bytes that are not UTF-8 become visible escapes
// (`\x1b`, `\u202e`), as ripgrep and less show them. Applied wherever the text report, explain
// output, batch rows, progress and error messages print data; the tool's own colours are added
// after it. Tested by terminal_escape_test.cc.
#pragma once

#include <string>
#include <string_view>

namespace dartdiag {

// `text` with every character a terminal could act on written as an escape; printable text
// (any script, tabs included) is unchanged.
std::string EscapeForTerminal(std::string_view text);

// The same for a message of several lines (a rule pack's problems): line breaks are kept.
std::string EscapeLinesForTerminal(std::string_view text);

}  // namespace dartdiag
