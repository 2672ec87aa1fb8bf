// Input stage: files, folders and zips (nested to a bounded depth) streamed to the sink as logs,
// every read metered against the caps in Limits. Tested by collect_test.cc, end_to_end_test.cc
// and hostile_input_test.cc.
#include "collect.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <istream>
#include <memory>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "archive.h"
#include "dartdiag/error.h"
#include "log_types.h"
#include "messages.h"
#include "text_decode.h"
#include "sha256.h"
#include "text_util.h"

namespace dartdiag {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kRatioFloorBytes = uint64_t{1} << 20;  // ratios of tiny entries mean nothing
constexpr size_t kSniffBytes = 16 * 1024;
constexpr size_t kFileChunkBytes = 256 * 1024;

// Thrown when a cap stops a read; `bundle_wide` caps stop the rest of the bundle too. `hit`
// names the entry, `reason` does not (it goes where the entry is already named).
struct CapExceeded {
  CapHit hit;
  Phrase reason;
  bool bundle_wide;
};

// The flag that raises each cap, and the catalogue's words for its name and value.
struct CapFlag {
  std::string_view cap, flag;
  Msg name, unit;
};
constexpr CapFlag kCapFlags[] = {
    {"bundle-bytes", "--max-bundle-bytes", Msg::kCapNameBundleBytes, Msg::kCapUnitBytes},
    {"entry-bytes", "--max-entry-bytes", Msg::kCapNameEntryBytes, Msg::kCapUnitBytes},
    {"ratio", "--max-ratio", Msg::kCapNameRatio, Msg::kCapUnitRatio},
    {"entries", "--max-entries", Msg::kCapNameEntries, Msg::kCapUnitEntries},
    {"depth", "--max-depth", Msg::kCapNameDepth, Msg::kCapUnitLevels},
    {"seconds", "--max-seconds", Msg::kCapNameSeconds, Msg::kCapUnitSeconds},
    {"kept-events", "--max-kept-events", Msg::kCapNameKeptEvents, Msg::kCapUnitEvents},
};

const CapFlag& FlagFor(std::string_view cap) {
  for (const CapFlag& f : kCapFlags) {
    if (f.cap == cap) return f;
  }
  return kCapFlags[0];
}

// The arguments every cap sentence has: the cap, its value, why it fired (an empty phrase: no
// why) and the flag that raises it.
Phrase WithCapArgs(Phrase phrase, std::string_view cap, uint64_t limit, Phrase why) {
  const CapFlag& flag = FlagFor(cap);
  phrase.args.push_back(Arg("cap", PhraseOf(flag.name)));
  phrase.args.push_back(Arg("limit", PhraseOf(flag.unit, Arg("n", limit))));
  phrase.args.push_back(why.empty() ? Arg("why", "") : Arg("why", PhraseOf(Msg::kCapWhy, Arg("why", std::move(why)))));
  phrase.args.push_back(Arg("flag", flag.flag));
  return phrase;
}

// "the ratio cap (200:1) was reached (why); raise it with --max-ratio N"
Phrase CapReason(std::string_view cap, uint64_t limit, Phrase why) {
  return WithCapArgs(PhraseOf(Msg::kCapReached), cap, limit, std::move(why));
}

// An input or folder file that cannot be opened, named with the reason ("permission denied").
[[noreturn]] void ThrowOpenFailure(const std::string& display, int error) {
  if (error == EACCES || error == EPERM) {
    throw PhrasedError(ExitCode::kUnreadable, OnPath(display, PhraseOf(Msg::kErrPermissionDenied)));
  }
  throw PhrasedError(
      ExitCode::kUnreadable,
      OnPath(display, PhraseOf(Msg::kErrCannotBeOpenedWhy, Arg("why", std::generic_category().message(error)))));
}

// Only regular files and folders are read: a FIFO, socket or device could block forever or
// never end (and SIGTERM would not interrupt the read).
void RequireFileOrFolder(const std::string& path, const std::string& display) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || fs::is_regular_file(status) || fs::is_directory(status)) return;
  const Msg what = fs::is_fifo(status)                                          ? Msg::kErrAFifo
                   : fs::is_socket(status)                                      ? Msg::kErrASocket
                   : fs::is_block_file(status) || fs::is_character_file(status) ? Msg::kErrADevice
                                                                                : Msg::kErrNotAFile;
  throw PhrasedError(ExitCode::kUnreadable,
                     OnPath(display, PhraseOf(Msg::kErrNotFileOrFolder, Arg("what", PhraseOf(what)))));
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

std::string ReadHead(const fs::path& path, const std::string& display, size_t n) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowOpenFailure(display, errno);
  std::string head(n, '\0');
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, head.data() + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  head.resize(got);
  return head;
}

class Walker {
 public:
  Walker(const Limits& limits, CollectSink& sink)
      : limits_(limits),
        sink_(sink),
        deadline_(std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                         std::chrono::duration<double>(limits.max_seconds))) {}

  // One zip archive (top-level or nested); `prefix` is prepended to entry names in reports.
  void WalkZip(Archive& archive, const std::string& archive_name, const std::string& prefix, int depth) {
    if (depth == 0) archive_bytes_ += archive.archive_size();
    if (Phrase notice = archive.notice(); !notice.empty()) {
      sink_.OnDiagnostic(PhrasedDiagnostic("warning", "zip-opened-leniently", archive_name, 0, std::move(notice)));
    }
    const std::vector<ArchiveEntry>& entries = archive.Entries();
    if (entries.size() > limits_.max_entries) {
      sink_.OnCapHit(
          MakeCapHit(archive_name, "entries", limits_.max_entries,
                     PhraseOf(Msg::kCapWhyEntries, Arg("count", entries.size()), Arg("n", limits_.max_entries))));
    }
    const size_t count = std::min<size_t>(entries.size(), limits_.max_entries);
    size_t overlapping = 0;
    for (size_t i = 0; i < count && !stopped_; ++i) {
      const ArchiveEntry& entry = entries[i];
      if (entry.directory) continue;
      if (entry.overlaps) {  // its bytes are another entry's: reading it again is how such bombs work
        ++overlapping;
        continue;
      }
      const std::string path = prefix + entry.name;
      if (IsEscapingName(entry.name)) {
        sink_.OnDiagnostic(PhrasedDiagnostic("warning", "unsafe-entry-name", path, 0, PhraseOf(Msg::kDiagUnsafeName)));
      }
      if (IsDecoyName(entry.name)) {
        sink_.OnMember({path, MemberKind::kDecoy, entry.size});
        continue;
      }
      const std::string_view base = BaseName(entry.name);
      if (const auto log = LogTypeByFileName(base)) {
        if (entry.symlink) {
          sink_.BeginLog(path, *log);
          EndLog(PhraseOf(Msg::kErrEntrySymlink));
          continue;
        }
        ReadLog(path, *log, entry.compressed_size, [&](const ChunkFn& chunk) { archive.Stream(entry, chunk); });
      } else if (EndsWithIgnoreCase(base, ".zip") && !entry.symlink) {
        WalkNestedZip(archive, entry, path, depth);
      } else {
        sink_.OnMember({path, MemberKind::kOther, entry.size});
      }
    }
    if (overlapping > 0) {
      Phrase phrase = PhraseOf(Msg::kCapOverlap, Arg("archive", archive_name), Arg("n", overlapping));
      std::string message = RenderPhrase(phrase, Lang::kEn);
      sink_.OnCapHit({archive_name, "overlap", overlapping, std::move(message), std::move(phrase)});
    }
    CheckStopped(archive_name);
  }

  void WalkFolder(const fs::path& root, const std::string& display) {
    std::vector<fs::path> files;
    bool over = false;
    ListFolder(root, root, display, files, over);
    if (over) {
      files.resize(limits_.max_entries);
      sink_.OnCapHit(MakeCapHit(display, "entries", limits_.max_entries,
                                PhraseOf(Msg::kCapWhyFiles, Arg("n", limits_.max_entries))));
    }
    std::sort(files.begin(), files.end());  // same input, same bytes out
    std::error_code ec;
    for (const fs::path& file : files) {
      if (stopped_) break;
      // Named relative to the folder, as a zip's entries are named relative to the zip: the same
      // bundle zipped or unzipped gives the same paths.
      const std::string relative = fs::relative(file, root, ec).generic_string();
      const std::string& path = relative;
      std::error_code size_ec;
      const uint64_t size = fs::file_size(file, size_ec);
      if (IsDecoyName(relative)) {
        sink_.OnMember({path, MemberKind::kDecoy, size});
        continue;
      }
      const std::string base = file.filename().string();
      if (const auto log = LogTypeByFileName(base)) {
        ReadLog(path, *log, 0, [&](const ChunkFn& chunk) { StreamFile(file, path, chunk); });
      } else if (EndsWithIgnoreCase(base, ".zip")) {
        sink_.OnMember({path, MemberKind::kArchive, size});
        archive_bytes_ += size;
        OpenAndWalk(
            path, 1, [&](const ChunkFn& chunk) { StreamFile(file, path, chunk); }, 0);
      } else {
        sink_.OnMember({path, MemberKind::kOther, size});
      }
    }
    CheckStopped(display);
  }

  void WalkLooseLog(const fs::path& file, const std::string& display, LogTypeId log) {
    ReadLog(display, log, 0, [&](const ChunkFn& chunk) { StreamFile(file, display, chunk); });
  }

  // A log that arrives as a stream (standard input): `stream` hands its chunks out in order.
  void WalkStreamedLog(const std::string& display, LogTypeId log, const std::function<void(const ChunkFn&)>& stream) {
    ReadLog(display, log, 0, stream);
  }

  // An archive entry read whole into memory through the meter of a nested zip.
  std::string ReadEntry(Archive& archive, const ArchiveEntry& entry, const std::string& path) {
    std::string bytes;
    try {
      Meter meter(*this, path, entry.compressed_size);
      archive.Stream(entry, [&](std::string_view chunk) {
        meter.Add(chunk.size());
        bytes.append(chunk);
      });
    } catch (const CapExceeded& cap) {
      throw Error(ExitCode::kUnreadable, cap.hit.message, cap.hit.phrase);
    }
    return bytes;
  }

  const Limits& limits() const { return limits_; }

 private:
  // Regular files under `dir` (symbolic links not followed). A folder that cannot be listed is a
  // diagnostic naming the reason; `over` is set past the entry cap.
  void ListFolder(const fs::path& root, const fs::path& dir, const std::string& display, std::vector<fs::path>& files,
                  bool& over) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      const bool denied = ec == std::errc::permission_denied;
      if (dir == root) {
        if (denied) throw PhrasedError(ExitCode::kUnreadable, OnPath(display, PhraseOf(Msg::kErrPermissionDenied)));
        throw PhrasedError(ExitCode::kUnreadable,
                           OnPath(display, PhraseOf(Msg::kErrCannotListFolder, Arg("why", ec.message()))));
      }
      const PhraseArg why = denied ? Arg("why", PhraseOf(Msg::kErrPermissionDenied)) : Arg("why", ec.message());
      const std::string relative = fs::relative(dir, root, ec).generic_string();
      const std::string path = display + (display.ends_with('/') ? "" : "/") + relative;
      sink_.OnDiagnostic(
          PhrasedDiagnostic("warning", "unreadable-folder", path, 0, PhraseOf(Msg::kDiagNothingExamined, why)));
      return;
    }
    std::vector<fs::path> folders;
    for (; it != fs::directory_iterator() && !over; it.increment(ec)) {
      if (ec) break;
      const bool link = it->is_symlink(ec);
      if (!link && it->is_directory(ec)) {
        folders.push_back(it->path());
      } else if (!link && it->is_regular_file(ec)) {
        files.push_back(it->path());
        over = files.size() > limits_.max_entries;
      }
    }
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
      if (over) break;
      ListFolder(root, folder, display, files, over);
    }
  }

  // Counts bytes as they come out of one entry and throws CapExceeded at a cap.
  class Meter {
   public:
    Meter(Walker& walker, const std::string& path, uint64_t compressed_size)
        : walker_(walker), path_(path), compressed_(compressed_size) {}
    void Add(uint64_t n) {
      const Limits& limits = walker_.limits_;
      bytes_ += n;
      walker_.bundle_bytes_ += n;
      if (compressed_ > 0) walker_.archive_bytes_out_ += n;
      if (bytes_ > limits.max_entry_bytes) {
        Stop("entry-bytes", limits.max_entry_bytes, {}, false);
      }
      if (compressed_ > 0 && bytes_ > kRatioFloorBytes && bytes_ / compressed_ > limits.max_ratio) {
        Stop("ratio", limits.max_ratio, {}, false);
      }
      // The archives as a whole: overlapping or repeated entries inflate each one within the
      // ratio, but not the bundle.
      if (walker_.archive_bytes_out_ > kRatioFloorBytes && walker_.archive_bytes_ > 0 &&
          walker_.archive_bytes_out_ / walker_.archive_bytes_ > limits.max_ratio) {
        Stop("ratio", limits.max_ratio,
             PhraseOf(Msg::kCapWhyInflated, Arg("ratio", limits.max_ratio), Arg("bytes", walker_.archive_bytes_)),
             true);
      }
      if (walker_.bundle_bytes_ > limits.max_bundle_bytes) {
        Stop("bundle-bytes", limits.max_bundle_bytes, PhraseOf(Msg::kCapWhyBundleRead), true);
      }
      if (std::chrono::steady_clock::now() > walker_.deadline_) {
        Stop("seconds", static_cast<uint64_t>(limits.max_seconds), {}, true);
      }
    }

   private:
    [[noreturn]] void Stop(const char* cap, uint64_t limit, const Phrase& why, bool bundle_wide) {
      throw CapExceeded{MakeCapHit(path_, cap, limit, why), CapReason(cap, limit, why), bundle_wide};
    }
    Walker& walker_;
    const std::string& path_;
    uint64_t compressed_;
    uint64_t bytes_ = 0;
  };

  template <typename StreamFn>
  void ReadLog(const std::string& path, LogTypeId log, uint64_t compressed_size, StreamFn&& stream) {
    sink_.BeginLog(path, log);
    Meter meter(*this, path, compressed_size);
    try {
      stream([&](std::string_view chunk) {
        meter.Add(chunk.size());
        sink_.LogBytes(chunk);
      });
      sink_.EndLog("", {});
    } catch (const CapExceeded& cap) {
      EndLog(cap.reason);  // the log is named where its error is shown
      OnCap(cap);
    } catch (const Error& e) {
      sink_.EndLog(WithoutPrefix(e.what(), path), WithoutPrefix(e.phrase(), path));
    }
  }

  void EndLog(const Phrase& why) { sink_.EndLog(RenderPhrase(why, Lang::kEn), why); }

  // `message` without a leading "path: ", which reports add themselves.
  static std::string WithoutPrefix(std::string_view message, std::string_view path) {
    if (message.size() > path.size() + 2 && message.starts_with(path) && message.substr(path.size(), 2) == ": ") {
      message.remove_prefix(path.size() + 2);
    }
    return std::string(message);
  }
  // The same for a phrase: what an OnPath phrase about `path` says.
  static Phrase WithoutPrefix(const Phrase& phrase, std::string_view path) {
    const bool on_path = phrase.msg == Messages()[static_cast<size_t>(Msg::kOnPath)].id && phrase.args.size() == 2 &&
                         phrase.args[0].text == path && phrase.args[1].phrases.size() == 1;
    return on_path ? phrase.args[1].phrases[0] : phrase;
  }

  void WalkNestedZip(Archive& archive, const ArchiveEntry& entry, const std::string& path, int depth) {
    sink_.OnMember({path, MemberKind::kArchive, entry.size});
    OpenAndWalk(
        path, depth + 1, [&](const ChunkFn& chunk) { archive.Stream(entry, chunk); }, entry.compressed_size);
  }

  // Reads a zip into memory (metered), then walks it at `depth`.
  template <typename StreamFn>
  void OpenAndWalk(const std::string& path, int depth, StreamFn&& stream, uint64_t compressed_size) {
    if (depth > limits_.max_depth) {
      sink_.OnCapHit(MakeCapHit(path, "depth", static_cast<uint64_t>(limits_.max_depth), PhraseOf(Msg::kCapWhyDepth)));
      return;
    }
    try {
      std::string bytes;
      Meter meter(*this, path, compressed_size);
      stream([&](std::string_view chunk) {
        meter.Add(chunk.size());
        bytes.append(chunk);
      });
      auto nested = OpenZip(std::move(bytes), path, limits_.inflate_beside);
      WalkZip(*nested, path, path + "!/", depth);
    } catch (const CapExceeded& cap) {
      OnCap(cap);
    } catch (const Error& e) {
      Diagnostic diagnostic{"warning", "unreadable-archive",          path,
                            0,         WithoutPrefix(e.what(), path), WithoutPrefix(e.phrase(), path)};
      sink_.OnDiagnostic(std::move(diagnostic));
    }
  }

  void OnCap(const CapExceeded& cap) {
    sink_.OnCapHit(cap.hit);
    if (cap.bundle_wide) stopped_ = true;
  }

  void CheckStopped(const std::string& where) {
    if (stopped_ && !stop_reported_) {
      stop_reported_ = true;
      sink_.OnDiagnostic(PhrasedDiagnostic("warning", "bundle-stopped", where, 0, PhraseOf(Msg::kDiagBundleStopped)));
    }
  }

  const Limits& limits_;
  CollectSink& sink_;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t bundle_bytes_ = 0;
  uint64_t archive_bytes_ = 0;      // sizes of the top-level archives (and zips found in folders)
  uint64_t archive_bytes_out_ = 0;  // bytes that came out of their entries, nested ones included
  bool stopped_ = false;
  bool stop_reported_ = false;
};

// The input's SHA-256: `known` when given, else hashed beside the walk.
std::future<std::string> DigestOf(const std::string& input, const std::optional<std::string>& known) {
  if (!known) return Sha256FileBeside(input);
  std::promise<std::string> given;
  given.set_value(*known);
  return given.get_future();
}

InputInfo CollectOne(const std::string& input, Walker& walker, const std::optional<std::string>& known_digest) {
  std::error_code ec;
  const fs::path path(input);
  RequireFileOrFolder(input, input);
  if (fs::is_directory(path, ec)) {
    walker.WalkFolder(path, input);
    return {input, "folder", ""};
  }
  if (!fs::exists(path, ec)) throw PhrasedError(ExitCode::kUnreadable, OnPath(input, PhraseOf(Msg::kErrNoSuchFile)));
  const std::string head = ReadHead(path, input, kSniffBytes);
  if (head.empty()) throw PhrasedError(ExitCode::kUnreadable, OnPath(input, PhraseOf(Msg::kErrEmptyFile)));
  if (HasZipMagic(head)) {
    std::future<std::string> digest = DigestOf(input, known_digest);
    auto archive = OpenZipFile(input, input, walker.limits().inflate_beside);
    walker.WalkZip(*archive, input, "", 0);
    return {input, "zip", digest.get()};
  }
  auto log = LogTypeByFileName(BaseName(input));
  if (!log) log = LogTypeByContent(Decode(head).text);
  if (!log) {
    throw PhrasedError(ExitCode::kUnreadable, OnPath(input, PhraseOf(Msg::kErrNotAnInput)));
  }
  std::future<std::string> digest = DigestOf(input, known_digest);
  walker.WalkLooseLog(path, input, *log);
  return {input, "file", digest.get()};
}

}  // namespace

void StreamFile(const std::string& path, const std::string& display, const ChunkFn& chunk) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) ThrowOpenFailure(display, errno != 0 ? errno : EIO);
  // Not zero-filled: a small file touches only the pages it needs.
  const auto buffer = std::make_unique_for_overwrite<char[]>(kFileChunkBytes);
  while (in.read(buffer.get(), static_cast<std::streamsize>(kFileChunkBytes)) || in.gcount() > 0) {
    chunk(std::string_view(buffer.get(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) throw PhrasedError(ExitCode::kUnreadable, OnPath(display, PhraseOf(Msg::kErrReadError)));
}

CapHit MakeCapHit(std::string where, std::string_view cap, uint64_t limit, Phrase why) {
  Phrase phrase = WithCapArgs(PhraseOf(Msg::kCapHit, Arg("where", where)), cap, limit, std::move(why));
  std::string message = RenderPhrase(phrase, Lang::kEn);
  return {std::move(where), std::string(cap), limit, std::move(message), std::move(phrase)};
}

std::string_view MemberKindName(MemberKind kind) {
  switch (kind) {
    case MemberKind::kOther: return "other";
    case MemberKind::kDecoy: return "decoy";
    case MemberKind::kArchive: return "archive";
  }
  return "other";
}

InputInfo CollectZipBytes(std::string bytes, const std::string& display_path, const Limits& limits, CollectSink& sink,
                          const std::optional<std::string>& digest) {
  InputInfo info{display_path, "zip", digest ? *digest : Sha256Hex(bytes)};
  auto archive = OpenZip(std::move(bytes), display_path, limits.inflate_beside);
  Walker(limits, sink).WalkZip(*archive, display_path, "", 0);
  return info;
}

InputInfo CollectStream(std::string head, std::istream& rest, const std::string& display, const Limits& limits,
                        CollectSink& sink) {
  if (head.empty()) throw PhrasedError(ExitCode::kUnreadable, OnPath(display, PhraseOf(Msg::kErrEmptyInput)));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                             std::chrono::duration<double>(limits.max_seconds));
  bool read_to_end = false;
  const auto read_rest = [&](const ChunkFn& chunk) {
    const auto buffer = std::make_unique_for_overwrite<char[]>(kFileChunkBytes);
    while (rest.read(buffer.get(), static_cast<std::streamsize>(kFileChunkBytes)) || rest.gcount() > 0) {
      chunk(std::string_view(buffer.get(), static_cast<size_t>(rest.gcount())));
    }
    if (rest.bad()) throw PhrasedError(ExitCode::kUnreadable, OnPath(display, PhraseOf(Msg::kErrReadError)));
    read_to_end = true;
  };
  Walker walker(limits, sink);
  if (HasZipMagic(head)) {  // libzip needs random access: held in memory like a nested zip
    std::string bytes;
    const auto append = [&](std::string_view chunk) {
      if (bytes.size() + chunk.size() > limits.max_entry_bytes) {
        throw Error(ExitCode::kUnreadable,
                    fmt::format("{}: a zip read from standard input is held in memory, and this one is larger than "
                                "{} bytes (--max-entry-bytes); save it to a file and name the file",
                                display, limits.max_entry_bytes));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw Error(ExitCode::kUnreadable,
                    fmt::format("{}: reading took more than {} s (--max-seconds)", display, limits.max_seconds));
      }
      bytes.append(chunk);
    };
    append(head);
    read_rest(append);
    InputInfo info{display, "zip", Sha256Hex(bytes)};
    auto archive = OpenZip(std::move(bytes), display, limits.inflate_beside);
    walker.WalkZip(*archive, display, "", 0);
    return info;
  }
  const auto log = LogTypeByContent(Decode(head).text);
  if (!log) {
    throw PhrasedError(ExitCode::kUnreadable, OnPath(display, PhraseOf(Msg::kErrNotZipOrLog)));
  }
  Sha256 sha;
  walker.WalkStreamedLog(display, *log, [&](const ChunkFn& chunk) {
    sha.Update(head);
    chunk(head);
    read_rest([&](std::string_view piece) {
      sha.Update(piece);
      chunk(piece);
    });
  });
  // A log cut by a cap was not read to its end: its digest would name bytes nobody can check.
  return {display, "file", read_to_end ? sha.HexDigest() : ""};
}

void CollectArchive(Archive& archive, const std::string& prefix, const Limits& limits, CollectSink& sink) {
  Walker(limits, sink).WalkZip(archive, prefix.empty() ? "archive" : prefix, prefix, 0);
}

namespace {
class NoSink final : public CollectSink {
  void BeginLog(const std::string&, LogTypeId) override {}
  void LogBytes(std::string_view) override {}
  void EndLog(const std::string&, const Phrase&) override {}
  void OnMember(Member) override {}
  void OnDiagnostic(Diagnostic) override {}
  void OnCapHit(CapHit) override {}
};
}  // namespace

std::string ReadEntryMetered(Archive& archive, const ArchiveEntry& entry, const std::string& display,
                             const Limits& limits) {
  NoSink none;
  return Walker(limits, none).ReadEntry(archive, entry, display);
}

void RequireRegularFileOrFolder(const std::string& path) { RequireFileOrFolder(path, path); }

InputInfo CollectInputs(const std::vector<std::string>& inputs, const Limits& limits, CollectSink& sink,
                        const std::optional<std::string>& digest) {
  if (inputs.empty()) throw Error(ExitCode::kUsage, "no input given");
  Walker walker(limits, sink);
  if (inputs.size() == 1) return CollectOne(inputs[0], walker, digest);
  const std::optional<std::string> none_wanted = std::string();  // the list's digest is never shown
  for (const std::string& input : inputs) CollectOne(input, walker, none_wanted);
  std::string joined;
  for (const std::string& input : inputs) joined += (joined.empty() ? "" : " ") + input;
  return {joined, "files", ""};
}

}  // namespace dartdiag
