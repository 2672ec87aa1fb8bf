// SHA-256 of an input's bytes through Nettle (input.sha256 in reports, and duplicate detection in
// batch runs). Nettle needs no library-wide initialisation, which matters for a per-bundle
// fixed cost of a few milliseconds. Tested by collect_test.cc against known digests.
#include "sha256.h"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "collect.h"

namespace dartdiag {

std::string Sha256::HexDigest() {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context_, sizeof(digest), digest);
  std::string hex;
  hex.reserve(2 * sizeof(digest));
  for (const uint8_t byte : digest) fmt::format_to(std::back_inserter(hex), "{:02x}", byte);
  return hex;
}

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

std::future<std::string> Sha256FileBeside(const std::string& path) {
  constexpr uint64_t kHashOnThreadBytes = 1 << 20;  // below this, a thread costs more than the hash
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  const auto hash = [path] { return Sha256File(path, path); };
  if (!ec && size >= kHashOnThreadBytes) {
    try {
      return std::async(std::launch::async, hash);
    } catch (const std::system_error&) {  // no thread to be had: hash when asked instead
    }
  }
  return std::async(std::launch::deferred, hash);
}

}  // namespace dartdiag
