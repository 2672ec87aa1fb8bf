// Fuzz target: raw bytes as a zip (OpenZip), every entry listed and streamed with a small cap
// that the chunk callback enforces by throwing, as the input stage does. Seeds:
// testdata/fuzz/archive; replayed by the ctest test fuzz_replay_archive.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dartdiag/archive.h"
#include "dartdiag/collect.h"
#include "dartdiag/error.h"
#include "fuzz_support.h"

namespace {

constexpr uint64_t kMaxEntryBytes = 256 * 1024;  // per entry; the cap the chunk callback enforces
constexpr size_t kMaxChunkBytes = 256 * 1024;    // documented in archive.h

struct CapReached {};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dartdiag;
  const std::string_view bytes = fuzz::AsText(data, size);
  HasZipMagic(bytes);
  std::unique_ptr<Archive> archive;
  try {
    archive = OpenZip(std::string(bytes), "fuzz.zip");
  } catch (const Error& e) {
    DARTDIAG_FUZZ_CHECK(e.code() == ExitCode::kUnreadable);
    return 0;
  }
  DARTDIAG_FUZZ_CHECK(archive->archive_size() == size);
  uint64_t hash = 0;
  for (const ArchiveEntry& entry : archive->Entries()) {
    hash = fuzz::Touch(entry.name, hash);
    IsDecoyName(entry.name);
    IsEscapingName(entry.name);
    uint64_t total = 0;
    try {
      archive->Stream(entry, [&](std::string_view chunk) {
        DARTDIAG_FUZZ_CHECK(chunk.size() <= kMaxChunkBytes);
        hash = fuzz::Touch(chunk, hash);
        total += chunk.size();
        if (total > kMaxEntryBytes) throw CapReached{};
      });
    } catch (const Error& e) {
      DARTDIAG_FUZZ_CHECK(e.code() == ExitCode::kUnreadable);
    } catch (const CapReached&) {
    }
  }
  fuzz::Consume(hash);
  return 0;
}
