// The libzip implementation of Archive, from memory or from a file read on demand; entries are
// streamed, never extracted to disk. Deflated entries are inflated by ISA-L (inflate.h) from the
// raw bytes libzip hands out, large ones on a second thread; libzip decompresses the rest.
// Tested by collect_test.cc, end_to_end_test.cc and hostile_input_test.cc.
#include <sys/stat.h>
#include <zip.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "dartdiag/archive.h"
#include "dartdiag/error.h"
#include "inflate.h"

namespace dartdiag {
namespace {

constexpr size_t kChunkBytes = 256 * 1024;
// Entries at least this large (compressed) are inflated on a thread of their own.
constexpr uint64_t kThreadedInflateBytes = 1 << 20;
constexpr size_t kPipeChunks = 4;

// Full chunks handed from the inflating thread to the consuming one, at most kPipeChunks
// waiting; buffers are reused, so memory stays at kPipeChunks chunks.
class ChunkPipe {
 public:
  // Inflating side: false when the consumer gave up.
  bool Push(std::string_view chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cancelled_ || full_.size() < kPipeChunks; });
    if (cancelled_) return false;
    std::string buffer;
    if (!spare_.empty()) {
      buffer = std::move(spare_.back());
      spare_.pop_back();
    }
    buffer.assign(chunk);
    full_.push_back(std::move(buffer));
    changed_.notify_all();
    return true;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  // Consuming side: the next chunk (valid until Pop), or nullptr once closed and drained.
  const std::string* Front() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || !full_.empty(); });
    return full_.empty() ? nullptr : &full_.front();
  }
  void Pop() {
    std::lock_guard lock(mutex_);
    spare_.push_back(std::move(full_.front()));
    full_.pop_front();
    changed_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> full_;
  std::vector<std::string> spare_;
  bool closed_ = false;
  bool cancelled_ = false;
};

// libzip's messages start with a capital ("Not a zip archive"); ours continue a sentence. An
// acronym ("CRC error") keeps its capitals.
std::string Lowercase(std::string s) {
  if (s.size() > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) s[0] = static_cast<char>(s[0] + 32);
  return s;
}

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

class ZipArchive final : public Archive {
 public:
  // Reads the file at `path` on demand when it is not empty, else the archive held in `bytes`.
  ZipArchive(std::string bytes, const std::string& path, std::string_view display_name)
      : bytes_(std::move(bytes)), size_(bytes_.size()), name_(display_name) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = nullptr;
    if (path.empty()) {
      source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    } else {
      source = zip_source_file_create(path.c_str(), 0, -1, &error);
      struct stat st {};
      size_ = ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    }
    if (source == nullptr) {
      std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be read ({})", name_, Lowercase(why)));
    }
    zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (zip_ == nullptr) {
      zip_source_free(source);
      std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      throw Error(ExitCode::kUnreadable,
                  fmt::format("{}: not a readable zip archive ({})", name_, Lowercase(why)));
    }
    zip_error_fini(&error);
    ListEntries();
  }

  ~ZipArchive() override { zip_discard(zip_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<ArchiveEntry>& Entries() const override { return entries_; }
  uint64_t archive_size() const override { return size_; }

  void Stream(const ArchiveEntry& entry, const ChunkFn& chunk) override {
    if (entry.encrypted) {
      throw Error(ExitCode::kUnreadable, fmt::format("{}: entry '{}' is encrypted", name_, entry.name));
    }
    uint64_t delivered = 0;
    if (auto raw = RawDeflate(entry)) {  // ISA-L; libzip again for the rest if in doubt
      if (InflateEntry(*raw, chunk, delivered)) return;
    }
    StreamWithLibzip(entry, chunk, delivered);
  }

 private:
  struct RawEntry {  // a deflated entry whose compressed bytes can be read as they are
    std::unique_ptr<zip_file_t, FileCloser> file;
    uint64_t size = 0;
    uint64_t compressed_size = 0;
    uint32_t crc = 0;
  };

  std::optional<RawEntry> RawDeflate(const ArchiveEntry& entry) {
    zip_stat_t st;
    zip_stat_init(&st);
    const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC | ZIP_STAT_COMP_METHOD;
    if (zip_stat_index(zip_, entry.index, 0, &st) != 0 || (st.valid & need) != need ||
        st.comp_method != ZIP_CM_DEFLATE) {
      return std::nullopt;
    }
    RawEntry raw;
    raw.file.reset(zip_fopen_index(zip_, entry.index, ZIP_FL_COMPRESSED));
    if (raw.file == nullptr) return std::nullopt;
    raw.size = st.size;
    raw.compressed_size = st.comp_size;
    raw.crc = st.crc;
    return raw;
  }

  // Inflates with ISA-L; true when the whole entry was delivered (or `chunk` threw). A large
  // entry is inflated on a second thread while this one consumes the chunks, so decompression
  // and parsing overlap; false (with `delivered` bytes passed on) when libzip must take over.
  bool InflateEntry(RawEntry& raw, const ChunkFn& chunk, uint64_t& delivered) {
    const CompressedReadFn read = [&](char* data, size_t size) -> int64_t {
      return zip_fread(raw.file.get(), data, size);
    };
    if (raw.compressed_size < kThreadedInflateBytes) {
      const InflatedChunkFn emit = [&](std::string_view c) {
        chunk(c);
        return true;
      };
      return InflateRaw(read, raw.size, raw.crc, kChunkBytes, emit, delivered) == InflateOutcome::kDone;
    }
    ChunkPipe pipe;
    InflateOutcome outcome = InflateOutcome::kFailed;
    std::exception_ptr inflate_error;
    uint64_t produced = 0;
    std::thread inflater([&] {
      try {
        outcome = InflateRaw(read, raw.size, raw.crc, kChunkBytes, [&](std::string_view c) { return pipe.Push(c); },
                             produced);
      } catch (...) {
        inflate_error = std::current_exception();
      }
      pipe.Close();
    });
    try {
      while (const std::string* c = pipe.Front()) {
        chunk(*c);
        delivered += c->size();
        pipe.Pop();
      }
    } catch (...) {
      pipe.Cancel();
      inflater.join();
      throw;
    }
    inflater.join();
    if (inflate_error) std::rethrow_exception(inflate_error);
    return outcome == InflateOutcome::kDone;
  }

  // Streams through libzip's own decompression, skipping the first `skip` bytes (already
  // delivered by the ISA-L path before it had a doubt).
  void StreamWithLibzip(const ArchiveEntry& entry, const ChunkFn& chunk, uint64_t skip) {
    std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(zip_, entry.index, 0));
    if (file == nullptr) {
      throw Error(ExitCode::kUnreadable, fmt::format("{}: entry '{}' cannot be opened ({})", name_,
                                                     entry.name, Lowercase(zip_strerror(zip_))));
    }
    const auto buffer = std::make_unique_for_overwrite<char[]>(kChunkBytes);
    for (;;) {
      const zip_int64_t n = zip_fread(file.get(), buffer.get(), kChunkBytes);
      if (n < 0) {
        throw Error(ExitCode::kUnreadable, fmt::format("{}: entry '{}' is corrupt ({})", name_, entry.name,
                                                       Lowercase(zip_file_strerror(file.get()))));
      }
      if (n == 0) break;
      std::string_view piece(buffer.get(), static_cast<size_t>(n));
      const uint64_t skipped = std::min<uint64_t>(skip, piece.size());
      piece.remove_prefix(static_cast<size_t>(skipped));
      skip -= skipped;
      if (!piece.empty()) chunk(piece);
    }
  }

  void ListEntries() {
    const zip_int64_t count = zip_get_num_entries(zip_, 0);
    entries_.reserve(static_cast<size_t>(std::max<zip_int64_t>(count, 0)));
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr) continue;
      ArchiveEntry entry;
      entry.index = static_cast<uint64_t>(i);
      entry.name = st.name;
      entry.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
      entry.compressed_size = std::min<uint64_t>((st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : size_, size_);
      entry.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
      entry.directory = !entry.name.empty() && (entry.name.back() == '/' || entry.name.back() == '\\');
      zip_uint8_t opsys = 0;
      zip_uint32_t attributes = 0;
      if (zip_file_get_external_attributes(zip_, entry.index, 0, &opsys, &attributes) == 0 &&
          opsys == ZIP_OPSYS_UNIX) {
        const auto mode = attributes >> 16;
        entry.symlink = (mode & S_IFMT) == S_IFLNK;
        entry.directory = entry.directory || (mode & S_IFMT) == S_IFDIR;
      }
      entries_.push_back(std::move(entry));
    }
  }

  std::string bytes_;  // the archive when held in memory; libzip reads from it in place
  uint64_t size_;
  std::string name_;
  zip_t* zip_ = nullptr;
  std::vector<ArchiveEntry> entries_;
};

}  // namespace

bool HasZipMagic(std::string_view head) {
  return head.starts_with(std::string_view("PK\x03\x04", 4)) ||
         head.starts_with(std::string_view("PK\x05\x06", 4)) ||
         head.starts_with(std::string_view("PK\x07\x08", 4));
}

std::unique_ptr<Archive> OpenZip(std::string bytes, std::string_view display_name) {
  return std::make_unique<ZipArchive>(std::move(bytes), std::string(), display_name);
}

std::unique_ptr<Archive> OpenZipFile(const std::string& path, std::string_view display_name) {
  return std::make_unique<ZipArchive>(std::string(), path, display_name);
}

}  // namespace dartdiag
