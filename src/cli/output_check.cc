// Failed writes to the report stream become an Error. Tested by write_error_test.cc.
#include "cli/output_check.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "dartdiag/error.h"

namespace dartdiag {

void CheckWritten(std::ostream& out, std::string_view what) {
  if (out) {
    errno = 0;
    out.flush();
    if (out) return;
  }
  const int error = errno;  // from the write that failed, earlier or in this flush
  throw Error(ExitCode::kUnreadable,
              fmt::format("cannot write the {} ({})", what, error != 0 ? std::strerror(error) : "write failed"));
}

}  // namespace dartdiag
