// Generated warning logs with known shapes (see warning_log_generator.h).
#include "warning_log_generator.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace dartdiag::testing {
namespace {

constexpr std::array<std::string_view, 14> kLeading = {"Failed",  "Unable",  "PAC",      "Proxy",  "Certificate",
                                                       "Session", "Sync",    "Policy",   "Tunnel", "Registration",
                                                       "Update",  "Profile", "Resolver", "Agent"};

constexpr std::array<std::string_view, 60> kWords = {
    "fetch",    "open",    "read",    "write",    "connect",   "resolve",  "validate", "load",        "refresh",
    "register", "retry",   "timeout", "refused",  "denied",    "reset",    "expired",  "missing",     "invalid",
    "rejected", "blocked", "stale",   "for",      "from",      "to",       "with",     "after",       "on",
    "by",       "in",      "at",      "returned", "reported",  "skipped",  "aborted",  "cache",       "policy",
    "token",    "user",    "mailbox", "domain",   "folder",    "endpoint", "process",  "session",     "host",
    "agent",    "service", "request", "response", "handshake", "tunnel",   "profile",  "certificate", "store",
    "queue",    "worker",  "channel", "socket",   "listener",  "gateway"};

constexpr std::array<std::string_view, 8> kComponents = {
    "Proxy Manager",  "Sync Manager",  "OrgInfo",       "Cloud Connector", "Trusted Network Detection",
    "Session Broker", "Policy Engine", "Update Service"};

constexpr std::array<std::string_view, 10> kProcesses = {
    "chrome.exe",  "msedge.exe",  "firefox.exe",  "Teams.exe",    "Microsoft Teams.exe",
    "outlook.exe", "svchost.exe", "OneDrive.exe", "explorer.exe", "zoom.exe"};

constexpr std::array<std::string_view, 10> kFirstNames = {"anna",   "bert",  "chen", "dana", "emil",
                                                          "fatima", "georg", "hana", "ivan", "julia"};

constexpr std::array<std::string_view, 6> kTopLevels = {"com", "net", "org", "local", "io", "co"};

std::string Letters(std::mt19937_64& rng, size_t n, std::string_view alphabet) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(alphabet[rng() % alphabet.size()]);
  return out;
}

std::string Lower(std::mt19937_64& rng, size_t n) { return Letters(rng, n, "abcdefghijklmnopqrstuvwxyz"); }

std::string User(std::mt19937_64& rng) {
  return std::string(kFirstNames[rng() % kFirstNames.size()]) + Lower(rng, 1 + rng() % 6);
}

std::string Domain(std::mt19937_64& rng) {
  const std::string name = Lower(rng, 3 + rng() % 6) + (rng() % 2 ? "-" + Lower(rng, 2 + rng() % 4) : "");
  return name + "." + std::string(kTopLevels[rng() % kTopLevels.size()]);
}

std::string_view Mask(ParamKind kind) {
  switch (kind) {
    case ParamKind::kHost:
    case ParamKind::kDomain: return "<host>";
    case ParamKind::kEmail: return "<email>";
    case ParamKind::kPath: return "<path>";
    case ParamKind::kUrl: return "<url>";
    case ParamKind::kHresult: return "<hex>";
    case ParamKind::kExitCode:
    case ParamKind::kNumber: return "<n>";
    case ParamKind::kGuid: return "<guid>";
    case ParamKind::kIp: return "<ip>";
    default: return "<*>";  // users, quoted processes, tokens, letter-only hex: the miner's wildcard
  }
}

}  // namespace

std::string Param(ParamKind kind, std::mt19937_64& rng) {
  switch (kind) {
    case ParamKind::kHost:
      return rng() % 3 ? "DESKTOP-" + Letters(rng, 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                       : "ws" + std::to_string(rng() % 900) + "." + Domain(rng);
    case ParamKind::kUser: return User(rng);
    case ParamKind::kEmail: return User(rng) + (rng() % 2 ? "." + Lower(rng, 4) : "") + "@" + Domain(rng);
    case ParamKind::kDomain: return Domain(rng);
    case ParamKind::kPath:
      return fmt::format("C:\\Users\\{}\\AppData\\Local\\Cisco\\{}\\{}.{}", User(rng), Lower(rng, 5), Lower(rng, 6),
                         rng() % 2 ? "log" : "json");
    case ParamKind::kUrl:
      return fmt::format("https://{}/api/v{}/{}/{}?id={}", Domain(rng), rng() % 4, Lower(rng, 5), Lower(rng, 7),
                         rng() % 100000);
    case ParamKind::kProcess: return "'" + std::string(kProcesses[rng() % kProcesses.size()]) + "'";
    case ParamKind::kHresult: return fmt::format("0x8007{:04X}", rng() % 0x10000);
    case ParamKind::kExitCode:
      return rng() % 2 ? "-" + std::to_string(1 + rng() % 2147483647) : std::to_string(rng() % 300);
    case ParamKind::kToken:
      return Letters(rng, 20 + rng() % 12, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "==";
    case ParamKind::kLetterHex: return Letters(rng, 8 + rng() % 8, "abcdef");
    case ParamKind::kGuid:
      return fmt::format("{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}", rng() & 0xffffffff, rng() % 0x10000,
                         rng() % 0x10000, rng() % 0x10000, rng() & 0xffffffffffff);
    case ParamKind::kIp: return fmt::format("{}.{}.{}.{}", 1 + rng() % 223, rng() % 256, rng() % 256, 1 + rng() % 254);
    case ParamKind::kNumber: return std::to_string(rng() % 100000);
    case ParamKind::kCount: break;
  }
  return "";
}

std::string Shape::Template() const {
  std::string out;
  for (const ShapeItem& item : items) {
    if (!out.empty()) out.push_back(' ');
    out += item.param ? std::string(Mask(item.kind)) : item.word;
  }
  return out;
}

GeneratedLog GenerateWarningLog(uint64_t seed, int k, int lines, bool eventlog) {
  std::mt19937_64 rng(seed);
  GeneratedLog log;
  std::set<std::string> seen;  // component + template: every shape distinct
  while (static_cast<int>(log.shapes.size()) < k) {
    Shape shape;
    const bool twin = !log.shapes.empty() && rng() % 4 == 0;
    if (twin) {  // another shape (not a twin, with at most one twin) with one constant word changed
      const int of = static_cast<int>(rng() % log.shapes.size());
      if (log.shapes[of].twin_of >= 0 ||
          std::count_if(log.shapes.begin(), log.shapes.end(), [&](const Shape& t) { return t.twin_of == of; }) > 1) {
        continue;
      }
      shape = log.shapes[of];
      shape.twin_of = of;
      std::vector<size_t> words;
      for (size_t i = 1; i < shape.items.size(); ++i) {
        if (!shape.items[i].param) words.push_back(i);
      }
      if (words.empty()) continue;
      shape.items[words[rng() % words.size()]].word = std::string(kWords[rng() % kWords.size()]);
    } else {
      shape.level = rng() % 2 ? "WARN" : "ERROR";
      shape.mixed_levels = rng() % 3 == 0;
      shape.component = std::string(kComponents[rng() % kComponents.size()]);
      shape.items.push_back({false, std::string(kLeading[rng() % kLeading.size()]), {}});
      shape.items.push_back({false, std::string(kWords[rng() % kWords.size()]), {}});
      const size_t more = 2 + rng() % 8;
      for (size_t i = 0; i < more; ++i) {
        if (rng() % 5 < 2) {
          shape.items.push_back({true, "", static_cast<ParamKind>(rng() % static_cast<int>(ParamKind::kCount))});
        } else {
          shape.items.push_back({false, std::string(kWords[rng() % kWords.size()]), {}});
        }
      }
    }
    if (!seen.insert(shape.component + ": " + shape.Template()).second) continue;
    log.shapes.push_back(std::move(shape));
  }
  log.lines_of_shape.assign(log.shapes.size(), 0);
  log.shape_of_line.push_back(-1);
  uint64_t seconds = 3 * 3600;
  for (int n = 0; n < lines; ++n) {
    // Every shape at least 30 times, then at random: a template is only known once seen varying.
    const int s = n < 30 * k ? n % k : static_cast<int>(rng() % log.shapes.size());
    const Shape& shape = log.shapes[s];
    std::string message;
    for (const ShapeItem& item : shape.items) {
      if (!message.empty()) message.push_back(' ');
      message += item.param ? Param(item.kind, rng) : item.word;
    }
    const std::string level =
        shape.mixed_levels && rng() % 2 ? (shape.level == "WARN" ? "ERROR" : "WARN") : shape.level;
    seconds += rng() % 3;
    const auto hh = seconds / 3600 % 24, mm = seconds / 60 % 60, ss = seconds % 60;
    if (eventlog) {
      log.text +=
          fmt::format("Date : 08/27/2024\nTime : {:02}:{:02}:{:02}\nType : {}\nSource : {}\n\nDescription : {}\n", hh,
                      mm, ss, level == "WARN" ? "Warning" : "Error", shape.component, message);
      log.shape_of_line.resize(log.shape_of_line.size() + 6, -1);
      log.shape_of_line.back() = s;  // an event-log record's line is its description's
    } else {
      log.text += fmt::format("2024-08-27 {:02}:{:02}:{:02} [8880] [{}] <{:>3}> {}: {}\n", hh, mm, ss, level,
                              1 + rng() % 40, shape.component, message);
      log.shape_of_line.push_back(s);
    }
    ++log.lines_of_shape[s];
  }
  return log;
}

std::string GenerateUniqueLines(uint64_t seed, int lines) {
  std::mt19937_64 rng(seed);
  std::string text;
  for (int n = 0; n < lines; ++n) {
    std::string message;
    const size_t tokens = 1 + rng() % 30;
    for (size_t i = 0; i < tokens; ++i) {
      if (i > 0) message.push_back(' ');
      message += Lower(rng, 3 + rng() % 8);
    }
    text += fmt::format("2024-08-27 03:{:02}:{:02} [8880] [WARN] <  1> Noise: {}\n", n / 60 % 60, n % 60, message);
  }
  return text;
}

}  // namespace dartdiag::testing
