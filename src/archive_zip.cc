// The libzip implementation of Archive, from memory or from a file read on demand; entries are
// streamed, never extracted to disk. Deflated entries are inflated by ISA-L (inflate.h) from the
// raw bytes libzip hands out, large ones on a second thread; libzip decompresses the rest.
// Tested by collect_test.cc, end_to_end_test.cc and hostile_input_test.cc.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "archive.h"
#include "dartdiag/error.h"
#include "inflate.h"
#include "messages.h"
#include "zip_directory.h"

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

// A file read at offsets, with some bytes replaced as they are read (the flags of central records
// libzip refuses). Owned by the libzip source it backs.
class PatchedFile {
 public:
  PatchedFile(int fd, uint64_t size, std::vector<std::pair<uint64_t, char>> patches)
      : fd_(fd), size_(size), patches_(std::move(patches)) {}
  ~PatchedFile() { ::close(fd_); }
  PatchedFile(const PatchedFile&) = delete;
  PatchedFile& operator=(const PatchedFile&) = delete;

  // The zip_source_function callback over a PatchedFile.
  static zip_int64_t Callback(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* self = static_cast<PatchedFile*>(user);
    switch (cmd) {
      case ZIP_SOURCE_OPEN: self->pos_ = 0; return 0;
      case ZIP_SOURCE_READ: return self->Read(static_cast<char*>(data), len);
      case ZIP_SOURCE_CLOSE: return 0;
      case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = self->size_;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
      }
      case ZIP_SOURCE_ERROR: return zip_error_to_data(&self->error_, data, len);
      case ZIP_SOURCE_FREE: delete self; return 0;
      case ZIP_SOURCE_SEEK: {
        const zip_int64_t to = zip_source_seek_compute_offset(self->pos_, self->size_, data, len, &self->error_);
        if (to < 0) return -1;
        self->pos_ = static_cast<uint64_t>(to);
        return 0;
      }
      case ZIP_SOURCE_TELL: return static_cast<zip_int64_t>(self->pos_);
      case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
                                              ZIP_SOURCE_SUPPORTS, -1);
      default: zip_error_set(&self->error_, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
  }

 private:
  zip_int64_t Read(char* data, zip_uint64_t len) {
    const ssize_t n = ::pread(fd_, data, static_cast<size_t>(len), static_cast<off_t>(pos_));
    if (n < 0) {
      zip_error_set(&error_, ZIP_ER_READ, errno);
      return -1;
    }
    for (const auto& [at, byte] : patches_) {
      if (at >= pos_ && at < pos_ + static_cast<uint64_t>(n)) data[at - pos_] = byte;
    }
    pos_ += static_cast<uint64_t>(n);
    return n;
  }

  int fd_;
  uint64_t size_;
  uint64_t pos_ = 0;
  std::vector<std::pair<uint64_t, char>> patches_;
  zip_error_t error_{};
};

class ZipArchive final : public Archive {
 public:
  // Reads the file at `path` on demand when it is not empty, else the archive held in `bytes`.
  ZipArchive(std::string bytes, const std::string& path, std::string_view display_name, bool inflate_beside)
      : bytes_(std::move(bytes)),
        size_(bytes_.size()),
        name_(display_name),
        path_(path),
        inflate_beside_(inflate_beside) {
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
      throw PhrasedError(ExitCode::kUnreadable,
                         OnPath(name_, PhraseOf(Msg::kErrZipCannotBeRead, Arg("why", Lowercase(why)))));
    }
    zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (zip_ == nullptr) {
      zip_source_free(source);
      const bool inconsistent = zip_error_code_zip(&error) == ZIP_ER_INCONS;
      std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      if (!inconsistent || !OpenLeniently(path)) {
        throw PhrasedError(ExitCode::kUnreadable,
                           OnPath(name_, PhraseOf(Msg::kErrNotReadableZip, Arg("why", Lowercase(why)))));
      }
    } else {
      zip_error_fini(&error);
    }
    ListEntries();
  }

  ~ZipArchive() override { zip_discard(zip_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<ArchiveEntry>& Entries() const override { return entries_; }
  uint64_t archive_size() const override { return size_; }
  Phrase notice() const override { return notice_; }

  void Stream(const ArchiveEntry& entry, const ChunkFn& chunk) override {
    if (entry.encrypted) {
      throw PhrasedError(ExitCode::kUnreadable,
                         OnPath(name_, PhraseOf(Msg::kErrEntryEncrypted, Arg("entry", entry.name))));
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
  // and parsing overlap, unless inflate_beside_ is off; false (with `delivered` bytes passed on)
  // when libzip must take over.
  bool InflateEntry(RawEntry& raw, const ChunkFn& chunk, uint64_t& delivered) {
    const CompressedReadFn read = [&](char* data, size_t size) -> int64_t {
      return zip_fread(raw.file.get(), data, size);
    };
    if (!inflate_beside_ || raw.compressed_size < kThreadedInflateBytes) {
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
        outcome = InflateRaw(
            read, raw.size, raw.crc, kChunkBytes, [&](std::string_view c) { return pipe.Push(c); }, produced);
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
      throw PhrasedError(ExitCode::kUnreadable,
                         OnPath(name_, PhraseOf(Msg::kErrEntryCannotBeOpened, Arg("entry", entry.name),
                                                Arg("why", Lowercase(zip_strerror(zip_))))));
    }
    const auto buffer = std::make_unique_for_overwrite<char[]>(kChunkBytes);
    for (;;) {
      const zip_int64_t n = zip_fread(file.get(), buffer.get(), kChunkBytes);
      if (n < 0) {
        throw PhrasedError(ExitCode::kUnreadable,
                           OnPath(name_, PhraseOf(Msg::kErrEntryCorrupt, Arg("entry", entry.name),
                                                  Arg("why", Lowercase(zip_file_strerror(file.get()))))));
      }
      if (n == 0) break;
      std::string_view piece(buffer.get(), static_cast<size_t>(n));
      const uint64_t skipped = std::min<uint64_t>(skip, piece.size());
      piece.remove_prefix(static_cast<size_t>(skipped));
      skip -= skipped;
      if (!piece.empty()) chunk(piece);
    }
  }

  // Bytes of the archive at `offset`, from memory or from the file at `path`.
  ReadAtFn Reader(const std::string& path, int& fd) const {
    if (path.empty()) {
      return [this](uint64_t offset, size_t n) {
        return offset < bytes_.size() ? bytes_.substr(static_cast<size_t>(offset), n) : std::string();
      };
    }
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    return [fd](uint64_t offset, size_t n) {
      std::string out(n, '\0');
      const ssize_t got = fd < 0 ? -1 : ::pread(fd, out.data(), n, static_cast<off_t>(offset));
      out.resize(got > 0 ? static_cast<size_t>(got) : 0);
      return out;
    };
  }

  std::optional<std::vector<CentralRecord>> CentralDirectory(const std::string& path) const {
    int fd = -1;
    const ReadAtFn read = Reader(path, fd);
    auto records = ReadCentralDirectory(read, size_);
    if (fd >= 0) ::close(fd);
    return records;
  }

  // libzip refuses the whole archive (ZIP_ER_INCONS) when one central record sets the UTF-8 flag
  // on a name with control characters or invalid UTF-8; unzip reads such an archive. Reopen it
  // with that flag cleared on those records (in memory, or as the file is read), names taken as
  // stored. False when that is not the reason, or the retry fails too.
  bool OpenLeniently(const std::string& path) {
    const auto records = CentralDirectory(path);
    if (!records) return false;
    std::vector<std::pair<uint64_t, char>> patches;
    for (const CentralRecord& r : *records) {
      if ((r.flags & 0x0800) != 0 && IsInconsistentUtf8Name(r.name)) {
        patches.emplace_back(r.flags_position + 1, static_cast<char>((r.flags >> 8) & ~0x08));
      }
    }
    if (patches.empty()) return false;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = nullptr;
    if (path.empty()) {
      for (const auto& [at, byte] : patches) bytes_[static_cast<size_t>(at)] = byte;
      source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    } else {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        auto* file = new PatchedFile(fd, size_, patches);
        source = zip_source_function_create(PatchedFile::Callback, file, &error);
        if (source == nullptr) delete file;
      }
    }
    if (source != nullptr) {
      zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (zip_ == nullptr) zip_source_free(source);
    }
    zip_error_fini(&error);
    if (zip_ == nullptr) return false;
    raw_names_ = true;
    notice_ = PhraseOf(Msg::kDiagZipLenient, Arg("n", patches.size()));
    return true;
  }

  void ListEntries() {
    const zip_int64_t count = zip_get_num_entries(zip_, 0);
    entries_.reserve(static_cast<size_t>(std::max<zip_int64_t>(count, 0)));
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), raw_names_ ? ZIP_FL_ENC_RAW : 0, &st) != 0 ||
          st.name == nullptr) {
        continue;
      }
      ArchiveEntry entry;
      entry.index = static_cast<uint64_t>(i);
      entry.name = st.name;
      entry.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
      entry.compressed_size = std::min<uint64_t>((st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : size_, size_);
      entry.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
      entry.directory = !entry.name.empty() && (entry.name.back() == '/' || entry.name.back() == '\\');
      zip_uint8_t opsys = 0;
      zip_uint32_t attributes = 0;
      if (zip_file_get_external_attributes(zip_, entry.index, 0, &opsys, &attributes) == 0 && opsys == ZIP_OPSYS_UNIX) {
        const auto mode = attributes >> 16;
        entry.symlink = (mode & S_IFMT) == S_IFLNK;
        entry.directory = entry.directory || (mode & S_IFMT) == S_IFDIR;
      }
      entries_.push_back(std::move(entry));
    }
    MarkOverlaps(static_cast<uint64_t>(std::max<zip_int64_t>(count, 0)));
  }

  // Entries whose bytes another entry already covers; our own reading of the central directory,
  // trusted only when it agrees with libzip's on the number of entries.
  void MarkOverlaps(uint64_t count) {
    if (count < 2) return;
    const auto records = CentralDirectory(path_);
    if (!records || records->size() != count) return;
    const std::vector<bool> overlaps = OverlappingRecords(*records);
    for (ArchiveEntry& entry : entries_) entry.overlaps = overlaps[static_cast<size_t>(entry.index)];
  }

  std::string bytes_;  // the archive when held in memory; libzip reads from it in place
  uint64_t size_;
  std::string name_;
  std::string path_;        // the file read on demand; "" when held in memory
  bool inflate_beside_;     // large entries inflated on a second thread (OpenZip)
  bool raw_names_ = false;  // opened leniently: names as stored, no encoding guessed
  Phrase notice_;
  zip_t* zip_ = nullptr;
  std::vector<ArchiveEntry> entries_;
};

}  // namespace

bool HasZipMagic(std::string_view head) {
  return head.starts_with(std::string_view("PK\x03\x04", 4)) || head.starts_with(std::string_view("PK\x05\x06", 4)) ||
         head.starts_with(std::string_view("PK\x07\x08", 4));
}

std::unique_ptr<Archive> OpenZip(std::string bytes, std::string_view display_name, bool inflate_beside) {
  return std::make_unique<ZipArchive>(std::move(bytes), std::string(), display_name, inflate_beside);
}

std::unique_ptr<Archive> OpenZipFile(const std::string& path, std::string_view display_name, bool inflate_beside) {
  return std::make_unique<ZipArchive>(std::string(), path, display_name, inflate_beside);
}

}  // namespace dartdiag
