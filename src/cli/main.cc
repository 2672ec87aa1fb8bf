// dartdiag: the library's command line plus main(). Tested through RunCli (cli_test.cc).
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv + 1, argv + argc);
  dartdiag::Terminal terminal;
  terminal.in = &std::cin;
  terminal.stdout_is_tty = isatty(STDOUT_FILENO) != 0;
  terminal.stderr_is_tty = isatty(STDERR_FILENO) != 0;
  terminal.no_color = std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0';
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      terminal.locale = value;
      break;
    }
  }
  return dartdiag::RunCli(args, std::cout, std::cerr, terminal);
}
