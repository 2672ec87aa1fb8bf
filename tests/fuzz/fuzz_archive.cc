// Fuzz target: raw bytes as a zip (OpenZip), every entry listed and streamed with a small cap
// that the chunk callback enforces by throwing, as the input stage does. An entry streamed to
// its end must hold exactly the bytes libzip alone reads from it, whichever inflater delivered
// them. Seeds: testdata/fuzz/archive; replayed by the ctest test fuzz_replay_archive.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "archive.h"
#include "collect.h"
#include "dartdiag/error.h"
#include "fuzz_support.h"

namespace {

constexpr uint64_t kMaxEntryBytes = 256 * 1024;  // per entry; the cap the chunk callback enforces
constexpr size_t kMaxChunkBytes = 256 * 1024;    // documented in archive.h

struct CapReached {};

// The same archive opened by libzip alone, the reference for what an entry holds.
class Reference {
 public:
  explicit Reference(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    if (zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error)) {
      zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (zip_ == nullptr) zip_source_free(source);
    }
    zip_error_fini(&error);
  }
  ~Reference() {
    if (zip_ != nullptr) zip_discard(zip_);
  }
  Reference(const Reference&) = delete;
  Reference& operator=(const Reference&) = delete;

  // The entry's bytes, or nullopt when libzip cannot read it to the end within the cap.
  std::optional<std::string> Read(uint64_t index) {
    if (zip_ == nullptr) return std::nullopt;
    zip_file_t* file = zip_fopen_index(zip_, index, 0);
    if (file == nullptr) return std::nullopt;
    std::string out;
    char buffer[16384];
    zip_int64_t n = 0;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0 && out.size() <= kMaxEntryBytes) {
      out.append(buffer, static_cast<size_t>(n));
    }
    zip_fclose(file);
    if (n < 0 || out.size() > kMaxEntryBytes) return std::nullopt;
    return out;
  }

 private:
  zip_t* zip_ = nullptr;
};

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
  Reference reference(bytes);
  uint64_t hash = 0;
  for (const ArchiveEntry& entry : archive->Entries()) {
    hash = fuzz::Touch(entry.name, hash);
    DARTDIAG_FUZZ_CHECK(entry.compressed_size <= size);
    IsDecoyName(entry.name);
    IsEscapingName(entry.name);
    std::string streamed;
    bool complete = false;
    try {
      archive->Stream(entry, [&](std::string_view chunk) {
        DARTDIAG_FUZZ_CHECK(chunk.size() <= kMaxChunkBytes);
        streamed.append(chunk);
        if (streamed.size() > kMaxEntryBytes) throw CapReached{};
      });
      complete = true;
    } catch (const Error& e) {
      DARTDIAG_FUZZ_CHECK(e.code() == ExitCode::kUnreadable);
    } catch (const CapReached&) {
    }
    hash = fuzz::Touch(streamed, hash);
    if (complete) {
      if (const auto expected = reference.Read(entry.index)) DARTDIAG_FUZZ_CHECK(streamed == *expected);
    }
  }
  fuzz::Consume(hash);
  return 0;
}
