// SHA-256 of an input's bytes through OpenSSL's EVP interface (input.sha256 in reports, and
// duplicate detection in batch runs). Tested by collect_test.cc against known digests.
#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "dartdiag/collect.h"
#include "dartdiag/error.h"

namespace dartdiag {
namespace {

struct ContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr); }
  void Update(std::string_view bytes) { EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()); }
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &length);
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
    return hex;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, ContextFree> context_;
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
