// The subcommand table: `dartdiag NAME ...` runs a row's function with the remaining arguments.
// Without a matching first argument, `dartdiag` analyses one bundle (cli.cc).
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.h"

namespace dartdiag {

struct Subcommand {
  std::string_view name;
  std::string_view summary;  // one line for `dartdiag --help`
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal);
};

std::span<const Subcommand> Subcommands();

// `dartdiag explain RULE INPUT...` (explain_cli.cc).
int RunExplainCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal);

// `dartdiag batch ...` (batch_cli.cc).
int RunBatchCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal);

// `dartdiag rules ...` (rules_cli.cc).
int RunRulesCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal);

}  // namespace dartdiag
