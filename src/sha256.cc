// SHA-256 of an input's bytes through Nettle (input.sha256 in reports, and duplicate detection in
// batch runs). Nettle needs no library-wide initialisation, which matters for a per-bundle
// fixed cost of a few milliseconds. Tested by collect_test.cc against known digests.
#include <nettle/sha2.h>

#include <fstream>

#include <fmt/format.h>

#include "dartdiag/collect.h"
#include "dartdiag/error.h"

namespace dartdiag {
namespace {

class Sha256 {
 public:
  Sha256() { sha256_init(&context_); }
  void Update(std::string_view bytes) {
    sha256_update(&context_, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  }
  std::string HexDigest() {
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&context_, sizeof(digest), digest);
    std::string hex;
    hex.reserve(2 * sizeof(digest));
    for (const uint8_t byte : digest) fmt::format_to(std::back_inserter(hex), "{:02x}", byte);
    return hex;
  }

 private:
  sha256_ctx context_{};
};

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

std::string Sha256File(const std::string& path, const std::string& display) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be opened", display));
  Sha256 sha;
  std::string buffer(1 << 18, '\0');
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    sha.Update(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) throw Error(ExitCode::kUnreadable, fmt::format("{}: read error", display));
  return sha.HexDigest();
}

}  // namespace dartdiag
