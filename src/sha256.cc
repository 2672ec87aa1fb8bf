// SHA-256 of an input's bytes through OpenSSL's EVP interface (input.sha256 in reports).
// Tested by collect_test.cc against a known digest.
#include <openssl/evp.h>

#include <fmt/format.h>

#include "dartdiag/collect.h"

namespace dartdiag {

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  return hex;
}

}  // namespace dartdiag
