// The subcommand table (see subcommands.h). Adding a subcommand is one row here.
#include "dartdiag/subcommands.h"

#include <array>

namespace dartdiag {

std::span<const Subcommand> Subcommands() {
  static constexpr std::array<Subcommand, 0> kSubcommands = {};
  return kSubcommands;
}

}  // namespace dartdiag
