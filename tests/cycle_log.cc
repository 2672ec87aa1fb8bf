// Plugin logs written as steps (cycle_log.h).
#include "cycle_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace dartdiag::testing {

std::string PluginLog(const std::vector<std::string>& steps) {
  std::string log;
  for (const std::string& step : steps) {
    std::istringstream in(step);
    std::string time, family, what;
    in >> time >> family >> what;
    const std::string tid = family == "IPv4" ? " 12" : " 13";
    const std::string candidates =
        family == "IPv4" ? "208.67.222.222, 208.67.220.220" : "2620:119:35::35, 2620:119:53::53";
    const auto line = [&](const std::string& message) {
      log += fmt::format("2024-08-27 {} [8880] [DEBUG] <{}> Dns Protection {} State Machine: {} \r\n", time, tid,
                         family, message);
    };
    if (what == "c443" || what == "c53") {
      const std::string port = what.substr(1);
      line(fmt::format("checking reachability of primary OpenDNS resolver candidates using port {} (candidates are {})",
                       port, candidates));
      line(fmt::format("probing for OpenDNS resolvers at addresses {}, port {}", candidates, port));
    } else if (what == "r443" || what == "r53") {
      line("rejected all candidate resolvers for port " + what.substr(1));
    } else {
      line("state unchanged");
    }
  }
  return log;
}

std::vector<std::string> Cycles(const std::string& family, int from, int to, const std::string& kind) {
  std::vector<std::string> steps;
  for (int m = from; m <= to; ++m) {
    const int minutes = 180 + m;  // m < 0 reads before 03:00
    const auto at = [&](int s) { return fmt::format("{:02}:{:02}:{:02} {} ", minutes / 60, minutes % 60, s, family); };
    steps.push_back(at(0) + "c443");
    if (kind == "ok") continue;
    steps.push_back(at(1) + "r443");
    steps.push_back(at(5) + "c53");
    if (kind == "fail") steps.push_back(at(10) + "r53");
  }
  return steps;
}

std::vector<std::string> Join(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> steps) {
  std::stable_sort(steps.begin(), steps.end(),
                   [](const std::string& a, const std::string& b) { return a.substr(0, 8) < b.substr(0, 8); });
  return steps;
}

}  // namespace dartdiag::testing
