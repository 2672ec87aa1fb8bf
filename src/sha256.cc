// SHA-256 of an input's bytes through Nettle (input.sha256 in reports, and duplicate detection in
// batch runs). Nettle needs no library-wide initialisation, which matters for a per-bundle
// fixed cost of a few milliseconds. Tested by collect_test.cc against known digests.
#include <nettle/sha2.h>

#include <fmt/format.h>

#include "dartdiag/collect.h"

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
  Sha256 sha;
  StreamFile(path, display, [&](std::string_view chunk) { sha.Update(chunk); });
  return sha.HexDigest();
}

}  // namespace dartdiag
