// A report that cannot be written (a full disk: /dev/full) is one error line on stderr and a
// non-zero exit, in single-bundle mode, explain and batch.
#include <gtest/gtest.h>

#include <cerrno>
#include <sstream>

#include "cli/cli.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using testing::TestData;

// A stream buffer that fails every write the way a full disk does.
class FullDisk final : public std::streambuf {
 protected:
  int overflow(int) override {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = ENOSPC;
    return 0;
  }
};

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(WriteErrors, ReportToAFullDiskIsAnErrorNotExitZero) {
  const std::string bundle = TestData("bundles/healthy").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-f", "json", "--fail-on", "never", bundle}, std::vector<std::string>{bundle},
        std::vector<std::string>{"explain", "dns-unprotected", bundle}}) {
    FullDisk full;
    std::ostream out(&full);
    std::ostringstream err;
    const int code = RunCli(args, out, err, Terminal{});
    EXPECT_EQ(code, 2) << err.str();
    EXPECT_EQ(err.str(), "dartdiag: cannot write the report (No space left on device)\n");
  }
}

TEST(WriteErrors, BatchRowsToAFullDiskStopTheRunWithOneLine) {
  const std::string bundle = TestData("bundles/healthy").string();
  for (const std::string format : {"jsonl", "csv", "text"}) {
    FullDisk full;
    std::ostream out(&full);
    std::ostringstream err;
    const int code = RunCli({"batch", "-q", "-f", format, bundle, bundle}, out, err, Terminal{});
    EXPECT_EQ(code, 2) << format;
    EXPECT_EQ(Lines(err.str()), 1u) << err.str();
    EXPECT_NE(err.str().find("dartdiag batch: cannot write the batch rows (No space left on device)"),
              std::string::npos)
        << err.str();
  }
}

}  // namespace
}  // namespace dartdiag
