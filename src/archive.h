// The archive reader interface: list entries, stream one entry's uncompressed bytes. The real
// implementation is libzip (archive_zip.cc), reading from a file or from memory; tests provide
// in-memory fakes. Entries are never extracted to disk.
// Tested by collect_test.cc, end_to_end_test.cc and hostile_input_test.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/phrase.h"

namespace dartdiag {

struct ArchiveEntry {
  uint64_t index = 0;
  std::string name;              // as stored; separators may be '/' or '\'
  uint64_t size = 0;             // declared uncompressed size: never trusted for allocation
  uint64_t compressed_size = 0;  // declared compressed size, bounded by the archive's size
  bool directory = false;
  bool symlink = false;
  bool encrypted = false;
  // Its local header offset is another entry's, or its bytes overlap an earlier entry's (the
  // "better zip bomb": many central records over one deflate stream). Never read.
  bool overlaps = false;
};

// Receives an entry's bytes in order, in chunks of at most 256 KiB.
using ChunkFn = std::function<void(std::string_view chunk)>;

class Archive {
 public:
  virtual ~Archive() = default;
  virtual const std::vector<ArchiveEntry>& Entries() const = 0;
  // Streams an entry's uncompressed bytes to `chunk`. Throws Error naming the archive and the
  // entry when it cannot be read (encrypted, corrupt, truncated). Exceptions thrown by `chunk`
  // (a cap) stop the read and propagate.
  virtual void Stream(const ArchiveEntry& entry, const ChunkFn& chunk) = 0;
  // The archive's own size in bytes.
  virtual uint64_t archive_size() const = 0;
  // Why the archive was opened without a consistency check it failed (empty normally), in the
  // catalogue's words: said in the report as a diagnostic.
  virtual Phrase notice() const { return {}; }
};

// True when `head` starts with a zip local header, an empty archive or a spanned-archive marker.
bool HasZipMagic(std::string_view head);

// Opens a zip held in memory, or a zip file read on demand. `display_name` names the archive in
// error messages. Throw Error(kUnreadable) when it is not a readable zip. `inflate_beside`: large
// entries are inflated on a second thread while Stream's caller consumes them (Limits).
std::unique_ptr<Archive> OpenZip(std::string bytes, std::string_view display_name, bool inflate_beside = true);
std::unique_ptr<Archive> OpenZipFile(const std::string& path, std::string_view display_name,
                                     bool inflate_beside = true);

}  // namespace dartdiag
