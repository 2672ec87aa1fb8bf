// The libzip implementation of Archive, reading from memory only: entries are never extracted
// to disk. Tested by collect_test.cc and end_to_end_test.cc.
#include <sys/stat.h>
#include <zip.h>

#include <fmt/format.h>

#include "dartdiag/archive.h"
#include "dartdiag/error.h"

namespace dartdiag {
namespace {

class ZipArchive final : public Archive {
 public:
  ZipArchive(std::string bytes, std::string_view display_name)
      : bytes_(std::move(bytes)), name_(display_name) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    if (source != nullptr) {
      zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (zip_ == nullptr) zip_source_free(source);
    }
    if (zip_ == nullptr) {
      std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      throw Error(ExitCode::kUnreadable, fmt::format("{}: not a readable zip archive ({})", name_,
                                                     Lowercase(why)));
    }
    zip_error_fini(&error);
    ListEntries();
  }

  ~ZipArchive() override { zip_discard(zip_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<ArchiveEntry>& Entries() const override { return entries_; }

  std::string Read(const ArchiveEntry& entry, uint64_t max_bytes) override {
    if (entry.encrypted) {
      throw Error(ExitCode::kUnreadable, fmt::format("{}: entry '{}' is encrypted", name_, entry.name));
    }
    zip_file_t* file = zip_fopen_index(zip_, entry.index, 0);
    if (file == nullptr) {
      throw Error(ExitCode::kUnreadable, fmt::format("{}: entry '{}' cannot be opened ({})", name_,
                                                     entry.name, Lowercase(zip_strerror(zip_))));
    }
    std::string out;
    char buffer[1 << 16];
    for (;;) {
      const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) {
        std::string why = Lowercase(zip_file_strerror(file));
        zip_fclose(file);
        throw Error(ExitCode::kUnreadable,
                    fmt::format("{}: entry '{}' is corrupt ({})", name_, entry.name, why));
      }
      if (n == 0) break;
      if (out.size() + static_cast<uint64_t>(n) > max_bytes) {
        zip_fclose(file);
        throw Error(ExitCode::kUnreadable,
                    fmt::format("{}: entry '{}' is larger than the {} byte cap", name_,
                                entry.name, max_bytes));
      }
      out.append(buffer, static_cast<size_t>(n));
    }
    zip_fclose(file);
    return out;
  }

 private:
  static std::string Lowercase(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] + 32);
    return s;
  }

  void ListEntries() {
    const zip_int64_t count = zip_get_num_entries(zip_, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr) {
        continue;
      }
      ArchiveEntry entry;
      entry.index = static_cast<uint64_t>(i);
      entry.name = st.name;
      entry.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
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

  std::string bytes_;  // the archive; libzip reads from it in place
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
  return std::make_unique<ZipArchive>(std::move(bytes), display_name);
}

}  // namespace dartdiag
