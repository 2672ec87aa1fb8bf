// The subcommand table (see subcommands.h). Adding a subcommand is one row here.
#include "cli/subcommands.h"

#include <array>

#include "batch/batch.h"

namespace dartdiag {

std::span<const Subcommand> Subcommands() {
  static constexpr std::array kSubcommands = {
      Subcommand{"batch", "Triage many bundles (files, folders, globs) in parallel: JSON Lines or CSV, a summary",
                 RunBatchCli},
      Subcommand{"explain", "Why one rule fired or did not: each condition, its events, the nearest misses",
                 RunExplainCli},
      Subcommand{"rules", "The rule catalogue (list, show) and rule writer's tools (check, lint)", RunRulesCli},
  };
  return kSubcommands;
}

}  // namespace dartdiag
