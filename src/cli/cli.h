// The command line: flags to options, the library's front door, a report, an exit code.
// Tests drive it in-process with an argument vector (cli_test.cc, end_to_end_test.cc).
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace dartdiag {

struct Terminal {
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;  // progress bars go to stderr only when it is a terminal
  bool no_color = false;       // NO_COLOR is set (https://no-color.org)
  std::string locale;          // LC_ALL, else LC_MESSAGES, else LANG: picks the rule texts' language
  std::istream* in = nullptr;  // standard input, read for the input "-"; none: "-" is a usage error
};

// `args` excludes the program name. Returns the documented exit code.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal);

}  // namespace dartdiag
