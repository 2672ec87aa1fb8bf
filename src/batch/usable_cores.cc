// UsableCores (batch.h): how many cores this process may run on, for batch's default --jobs and
// for deciding when its lanes keep every core busy. Tested by batch_test.cc.
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "batch/batch.h"

namespace dartdiag {
namespace {

// This process's cgroup v2 path ("0::/path" in /proc/self/cgroup); empty when it lists none. A
// cgroup v1 hierarchy's quota is not read.
std::string OwnCgroup() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("0::")) return line.substr(3);
  }
  return {};
}

}  // namespace

std::optional<unsigned> CoresOfQuota(std::string_view cpu_max) {
  const size_t space = cpu_max.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view quota_text = cpu_max.substr(0, space);
  std::string_view period_text = cpu_max.substr(space + 1);
  while (!period_text.empty() && (period_text.back() == '\n' || period_text.back() == ' '))
    period_text.remove_suffix(1);
  uint64_t quota = 0, period = 0;
  const auto read = [](std::string_view text, uint64_t& value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
  };
  if (quota_text == "max" || !read(quota_text, quota) || !read(period_text, period) || period == 0 || quota == 0) {
    return std::nullopt;
  }
  return static_cast<unsigned>(std::clamp<uint64_t>((quota + period - 1) / period, 1, 1u << 16));
}

unsigned UsableCores() {
  const int saved_errno = errno;  // a missing cpu.max is no error of the caller's
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
    cores = std::min(cores, static_cast<unsigned>(CPU_COUNT(&set)));
  }
  const std::string cgroup = OwnCgroup();
  if (!cgroup.empty() && cgroup.find("..") == std::string::npos) {
    std::ifstream in("/sys/fs/cgroup" + (cgroup == "/" ? std::string() : cgroup) + "/cpu.max");
    std::stringstream text;
    text << in.rdbuf();
    if (const auto quota = CoresOfQuota(text.str())) cores = std::min(cores, *quota);
  }
  errno = saved_errno;
  return std::max(1u, cores);
}

}  // namespace dartdiag
