// A report or batch row that could not be written (a full disk, a closed pipe) is an error with
// one line of its own, never a silent exit 0. Used by cli.cc, explain_cli.cc and batch_cli.cc;
// tested by write_error_test.cc.
#pragma once

#include <ostream>
#include <string_view>

namespace dartdiag {

// Flushes `out` and throws Error(kUnreadable) "cannot write the <what> (<reason>)" when the
// stream failed at any point.
void CheckWritten(std::ostream& out, std::string_view what);

}  // namespace dartdiag
