// The archive reader interface: list entries, read one entry in memory, bounded. The real
// implementation is libzip (archive_zip.cc); tests may provide in-memory fakes.
// Tested by collect_test.cc and end_to_end_test.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dartdiag {

struct ArchiveEntry {
  uint64_t index = 0;
  std::string name;       // as stored; separators may be '/' or '\'
  uint64_t size = 0;      // declared uncompressed size (never trusted for allocation)
  bool directory = false;
  bool symlink = false;
  bool encrypted = false;
};

class Archive {
 public:
  virtual ~Archive() = default;
  virtual const std::vector<ArchiveEntry>& Entries() const = 0;
  // Reads a whole entry into memory. Throws Error naming the entry when it cannot be read
  // (encrypted, corrupt) or when more than `max_bytes` come out of it.
  virtual std::string Read(const ArchiveEntry& entry, uint64_t max_bytes) = 0;
};

// True when `head` starts with a zip local header or end-of-central-directory signature.
bool HasZipMagic(std::string_view head);

// Opens a zip held in memory. `display_name` names the archive in error messages.
// Throws Error(kUnreadable) when it is not a readable zip.
std::unique_ptr<Archive> OpenZip(std::string bytes, std::string_view display_name);

}  // namespace dartdiag
