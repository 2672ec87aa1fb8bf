// SHA-256 fed piece by piece (Nettle), for inputs hashed while they stream: standard input is read
// once, so its digest cannot be taken by reading it again. Internal header; Sha256Hex and
// Sha256File (collect.h) are the whole-input forms. Tested by collect_test.cc and cli_test.cc.
#pragma once

#include <nettle/sha2.h>

#include <string>
#include <string_view>

namespace dartdiag {

class Sha256 {
 public:
  Sha256() { sha256_init(&context_); }
  void Update(std::string_view bytes) {
    sha256_update(&context_, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  }
  std::string HexDigest();

 private:
  sha256_ctx context_{};
};

}  // namespace dartdiag
