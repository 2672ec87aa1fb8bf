// Plugin logs written as steps of the DNS state machines, for the state model tests
// (state_model_test.cc, state_tracker_test.cc).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

namespace dartdiag::testing {

// A plugin log written as steps: "HH:MM:SS FAMILY WHAT" where WHAT is c443 / c53 (a probe cycle
// starts: "checking reachability" and "probing" lines), r443 / r53 (all candidates rejected) or
// "x" (another line of that family's state machine).
std::string PluginLog(const std::vector<std::string>& steps);

// Probe cycles every minute from `from` (minutes past 03:00) to `to`: "fail" (443 and 53
// rejected), "plain" (443 rejected, 53 answers) or "ok" (443 answers).
std::vector<std::string> Cycles(const std::string& family, int from, int to, const std::string& kind);

// The steps of every part, in order.
std::vector<std::string> Join(std::initializer_list<std::vector<std::string>> parts);

// Steps in time order (the families' state machines interleave in a real log).
std::vector<std::string> Sorted(std::vector<std::string> steps);

}  // namespace dartdiag::testing
