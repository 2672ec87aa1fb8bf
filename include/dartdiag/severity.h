// How serious a verdict or a capture finding is: the order --fail-on compares against.
#pragma once

#include <optional>
#include <string_view>

namespace dartdiag {

enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };
std::string_view SeverityName(Severity severity);
std::optional<Severity> SeverityByName(std::string_view name);

}  // namespace dartdiag
