// Generated warning logs with known message shapes, for the template miner's accuracy tests:
// K shapes of constant words and parameter slots of the kinds real Windows client logs carry
// (host names, user names, e-mail addresses, customer domains, Windows paths with the user folder,
// URLs with path segments, quoted process names, HRESULTs, negative exit codes, base64 session
// tokens, letter-only hex, GUIDs, addresses, numbers), some shapes the twin of another but for one
// constant word. Each line remembers its shape; each shape knows the template it must give.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dartdiag::testing {

enum class ParamKind {
  kHost,
  kUser,
  kEmail,
  kDomain,
  kPath,
  kUrl,
  kProcess,
  kHresult,
  kExitCode,
  kToken,
  kLetterHex,
  kGuid,
  kIp,
  kNumber,
  kCount
};

struct ShapeItem {
  bool param = false;
  std::string word;  // a constant word
  ParamKind kind{};  // a parameter slot
};

struct Shape {
  std::string level;          // WARN or ERROR
  bool mixed_levels = false;  // each line at WARN or ERROR at random (one message shape, two levels)
  std::string component;
  std::vector<ShapeItem> items;
  int twin_of = -1;              // the shape it differs from by one constant word
  std::string Template() const;  // the template the miner must give
};

struct GeneratedLog {
  std::vector<Shape> shapes;
  std::string text;                // plugin-log lines, or event-log records
  std::vector<int> shape_of_line;  // by line number (1-based; 0 unused): the shape, or -1
  std::vector<uint64_t> lines_of_shape;
};

// A random value of `kind`.
std::string Param(ParamKind kind, std::mt19937_64& rng);

// `k` shapes (about a quarter of them twins: at most two per shape, so a position takes at most three words), `lines`
// lines of them in random order, at random times; `eventlog` writes Umbrella.txt records (source = component) instead
// of plugin-log lines.
GeneratedLog GenerateWarningLog(uint64_t seed, int k, int lines, bool eventlog = false);

// `lines` lines that share no shape: random words, random token counts.
std::string GenerateUniqueLines(uint64_t seed, int lines);

}  // namespace dartdiag::testing
