// Entry name rules: decoys, escaping names and the member order (see entry_names.h).
#include "entry_names.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "text_util.h"

namespace dartdiag {
namespace {

// True when one '/'- or '\'-separated component of `name` equals `component`.
bool HasComponent(std::string_view name, std::string_view component) {
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t end = name.find_first_of("/\\", pos);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(pos, end - pos) == component) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

bool IsDecoyName(std::string_view name) { return BaseName(name).starts_with("._") || HasComponent(name, "__MACOSX"); }

bool IsEscapingName(std::string_view name) {
  if (name.starts_with('/') || name.starts_with('\\')) return true;
  if (name.size() >= 2 && name[1] == ':') return true;  // "C:\..."
  return HasComponent(name, "..");
}

// One pass, keys from a table (the C locale's tolower is ASCII's): every bundle's members, often
// several hundred, are sorted with it.
bool PathBefore(const std::string& a, const std::string& b) {
  static constexpr std::array<uint16_t, 256> kKey = [] {
    std::array<uint16_t, 256> key{};
    for (int c = 0; c < 256; ++c) key[c] = static_cast<uint16_t>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' + 1 : c + 1);
    key['/'] = key['\\'] = 0;
    return key;
  }();
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const uint16_t x = kKey[static_cast<unsigned char>(a[i])], y = kKey[static_cast<unsigned char>(b[i])];
    if (x != y) return x < y;
  }
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace dartdiag
