// Input stage: files, folders and zips (nested to a bounded depth) streamed to the sink as logs,
// every read metered against the caps in Limits. Tested by collect_test.cc, end_to_end_test.cc
// and hostile_input_test.cc.
#include "dartdiag/collect.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "dartdiag/archive.h"
#include "dartdiag/error.h"
#include "dartdiag/log_types.h"
#include "dartdiag/text_decode.h"
#include "sha256.h"
#include "text_util.h"

namespace dartdiag {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kRatioFloorBytes = uint64_t{1} << 20;  // ratios of tiny entries mean nothing
constexpr size_t kSniffBytes = 16 * 1024;
constexpr size_t kFileChunkBytes = 256 * 1024;

// Thrown when a cap stops a read; `bundle_wide` caps stop the rest of the bundle too.
struct CapExceeded {
  std::string cap;
  uint64_t limit;
  std::string message;
  bool bundle_wide;
};

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

// True when one '/'- or '\'-separated component of `name` equals `component`.
bool HasComponent(std::string_view name, std::string_view component) {
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t end = name.find_first_of("/\\", pos);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(pos, end - pos) == component) return true;
    pos = end + 1;
  }
  return false;
}

std::string ReadHead(const fs::path& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

class Walker {
 public:
  Walker(const Limits& limits, CollectSink& sink)
      : limits_(limits),
        sink_(sink),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(limits.max_seconds))) {}

  // One zip archive (top-level or nested); `prefix` is prepended to entry names in reports.
  void WalkZip(Archive& archive, const std::string& archive_name, const std::string& prefix, int depth) {
    const std::vector<ArchiveEntry>& entries = archive.Entries();
    if (entries.size() > limits_.max_entries) {
      sink_.OnCapHit({archive_name, "entries", limits_.max_entries,
                      fmt::format("{}: {} entries, more than the cap of {}; only the first {} were examined",
                                  archive_name, entries.size(), limits_.max_entries, limits_.max_entries)});
    }
    const size_t count = std::min<size_t>(entries.size(), limits_.max_entries);
    for (size_t i = 0; i < count && !stopped_; ++i) {
      const ArchiveEntry& entry = entries[i];
      if (entry.directory) continue;
      const std::string path = prefix + entry.name;
      if (IsEscapingName(entry.name)) {
        sink_.OnDiagnostic({"warning", "unsafe-entry-name", path, 0,
                            "entry name is absolute or climbs out with '..'; analysed by name only, "
                            "never written to disk"});
      }
      if (IsDecoyName(entry.name)) {
        sink_.OnMember({path, MemberKind::kDecoy, entry.size});
        continue;
      }
      const std::string_view base = BaseName(entry.name);
      if (const auto log = LogTypeByFileName(base)) {
        if (entry.symlink) {
          sink_.BeginLog(path, *log);
          sink_.EndLog("entry is a symbolic link, not a log");
          continue;
        }
        ReadLog(path, *log, entry.compressed_size,
                [&](const ChunkFn& chunk) { archive.Stream(entry, chunk); });
      } else if (EndsWithIgnoreCase(base, ".zip") && !entry.symlink) {
        WalkNestedZip(archive, entry, path, depth);
      } else {
        sink_.OnMember({path, MemberKind::kOther, entry.size});
      }
    }
    CheckStopped(archive_name);
  }

  void WalkFolder(const fs::path& root, const std::string& display) {
    std::error_code ec;
    auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot list folder ({})", display, ec.message()));
    std::vector<fs::path> files;
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
      if (files.size() > limits_.max_entries) break;
    }
    if (files.size() > limits_.max_entries) {
      files.resize(limits_.max_entries);
      sink_.OnCapHit({display, "entries", limits_.max_entries,
                      fmt::format("{}: more than {} files; only the first {} were examined", display,
                                  limits_.max_entries, limits_.max_entries)});
    }
    std::sort(files.begin(), files.end());  // same input, same bytes out
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
        OpenAndWalk(path, 1, [&](const ChunkFn& chunk) { StreamFile(file, path, chunk); }, 0);
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

 private:
  // Counts bytes as they come out of one entry and throws CapExceeded at a cap.
  class Meter {
   public:
    Meter(Walker& walker, const std::string& path, uint64_t compressed_size)
        : walker_(walker), path_(path), compressed_(compressed_size) {}
    void Add(uint64_t n) {
      const Limits& limits = walker_.limits_;
      bytes_ += n;
      walker_.bundle_bytes_ += n;
      if (bytes_ > limits.max_entry_bytes) {
        Stop("entry-bytes", limits.max_entry_bytes,
             fmt::format("more than {} bytes uncompressed", limits.max_entry_bytes), false);
      }
      if (compressed_ > 0 && bytes_ > kRatioFloorBytes && bytes_ / compressed_ > limits.max_ratio) {
        Stop("ratio", limits.max_ratio, fmt::format("compression ratio above {}:1", limits.max_ratio), false);
      }
      if (walker_.bundle_bytes_ > limits.max_bundle_bytes) {
        Stop("bundle-bytes", limits.max_bundle_bytes,
             fmt::format("the bundle read more than {} bytes in all", limits.max_bundle_bytes), true);
      }
      if (std::chrono::steady_clock::now() > walker_.deadline_) {
        Stop("seconds", static_cast<uint64_t>(limits.max_seconds),
             fmt::format("the bundle took more than {} s", limits.max_seconds), true);
      }
    }

   private:
    [[noreturn]] void Stop(const char* cap, uint64_t limit, const std::string& why, bool bundle_wide) {
      throw CapExceeded{cap, limit, fmt::format("{}: stopped at the {} cap: {}", path_, cap, why), bundle_wide};
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
      sink_.EndLog("");
    } catch (const CapExceeded& cap) {
      sink_.EndLog(cap.message);
      OnCap(path, cap);
    } catch (const Error& e) {
      sink_.EndLog(e.what());
    }
  }

  void WalkNestedZip(Archive& archive, const ArchiveEntry& entry, const std::string& path, int depth) {
    sink_.OnMember({path, MemberKind::kArchive, entry.size});
    OpenAndWalk(path, depth + 1, [&](const ChunkFn& chunk) { archive.Stream(entry, chunk); },
                entry.compressed_size);
  }

  // Reads a zip into memory (metered), then walks it at `depth`.
  template <typename StreamFn>
  void OpenAndWalk(const std::string& path, int depth, StreamFn&& stream, uint64_t compressed_size) {
    if (depth > limits_.max_depth) {
      sink_.OnCapHit({path, "depth", static_cast<uint64_t>(limits_.max_depth),
                      fmt::format("{}: zip nested deeper than {} levels, not opened", path, limits_.max_depth)});
      return;
    }
    try {
      std::string bytes;
      Meter meter(*this, path, compressed_size);
      stream([&](std::string_view chunk) {
        meter.Add(chunk.size());
        bytes.append(chunk);
      });
      auto nested = OpenZip(std::move(bytes), path);
      WalkZip(*nested, path, path + "!/", depth);
    } catch (const CapExceeded& cap) {
      OnCap(path, cap);
    } catch (const Error& e) {
      sink_.OnDiagnostic({"warning", "unreadable-archive", path, 0, e.what()});
    }
  }

  void OnCap(const std::string& path, const CapExceeded& cap) {
    sink_.OnCapHit({path, cap.cap, cap.limit, cap.message});
    if (cap.bundle_wide) stopped_ = true;
  }

  void CheckStopped(const std::string& where) {
    if (stopped_ && !stop_reported_) {
      stop_reported_ = true;
      sink_.OnDiagnostic({"warning", "bundle-stopped", where, 0,
                          "remaining entries were not examined after a bundle-wide cap"});
    }
  }

  const Limits& limits_;
  CollectSink& sink_;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t bundle_bytes_ = 0;
  bool stopped_ = false;
  bool stop_reported_ = false;
};

InputInfo CollectOne(const std::string& input, Walker& walker) {
  std::error_code ec;
  const fs::path path(input);
  if (fs::is_directory(path, ec)) {
    walker.WalkFolder(path, input);
    return {input, "folder", ""};
  }
  if (!fs::exists(path, ec)) throw Error(ExitCode::kUnreadable, fmt::format("{}: no such file or folder", input));
  const std::string head = ReadHead(path, kSniffBytes);
  if (head.empty()) throw Error(ExitCode::kUnreadable, fmt::format("{}: empty file", input));
  if (HasZipMagic(head)) {
    InputInfo info{input, "zip", Sha256File(input, input)};
    auto archive = OpenZipFile(input, input);
    walker.WalkZip(*archive, input, "", 0);
    return info;
  }
  auto log = LogTypeByFileName(BaseName(input));
  if (!log) log = LogTypeByContent(Decode(head).text);
  if (!log) {
    throw Error(ExitCode::kUnreadable,
                fmt::format("{}: not a zip archive, a folder or a recognised Umbrella log", input));
  }
  InputInfo info{input, "file", Sha256File(input, input)};
  walker.WalkLooseLog(path, input, *log);
  return info;
}

}  // namespace

void StreamFile(const std::string& path, const std::string& display, const ChunkFn& chunk) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be opened", display));
  // Not zero-filled: a small file touches only the pages it needs.
  const auto buffer = std::make_unique_for_overwrite<char[]>(kFileChunkBytes);
  while (in.read(buffer.get(), static_cast<std::streamsize>(kFileChunkBytes)) || in.gcount() > 0) {
    chunk(std::string_view(buffer.get(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) throw Error(ExitCode::kUnreadable, fmt::format("{}: read error", display));
}

std::string_view MemberKindName(MemberKind kind) {
  switch (kind) {
    case MemberKind::kOther: return "other";
    case MemberKind::kDecoy: return "decoy";
    case MemberKind::kArchive: return "archive";
  }
  return "other";
}

bool IsDecoyName(std::string_view name) {
  return BaseName(name).starts_with("._") || HasComponent(name, "__MACOSX");
}

bool IsEscapingName(std::string_view name) {
  if (name.starts_with('/') || name.starts_with('\\')) return true;
  if (name.size() >= 2 && name[1] == ':') return true;  // "C:\..."
  return HasComponent(name, "..");
}

InputInfo CollectZipBytes(std::string bytes, const std::string& display_path, const Limits& limits,
                          CollectSink& sink) {
  InputInfo info{display_path, "zip", Sha256Hex(bytes)};
  auto archive = OpenZip(std::move(bytes), display_path);
  Walker(limits, sink).WalkZip(*archive, display_path, "", 0);
  return info;
}

InputInfo CollectStream(std::string head, std::istream& rest, const std::string& display, const Limits& limits,
                        CollectSink& sink) {
  if (head.empty()) throw Error(ExitCode::kUnreadable, fmt::format("{}: empty input", display));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                               std::chrono::duration<double>(limits.max_seconds));
  bool read_to_end = false;
  const auto read_rest = [&](const ChunkFn& chunk) {
    const auto buffer = std::make_unique_for_overwrite<char[]>(kFileChunkBytes);
    while (rest.read(buffer.get(), static_cast<std::streamsize>(kFileChunkBytes)) || rest.gcount() > 0) {
      chunk(std::string_view(buffer.get(), static_cast<size_t>(rest.gcount())));
    }
    if (rest.bad()) throw Error(ExitCode::kUnreadable, fmt::format("{}: read error", display));
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
    auto archive = OpenZip(std::move(bytes), display);
    walker.WalkZip(*archive, display, "", 0);
    return info;
  }
  const auto log = LogTypeByContent(Decode(head).text);
  if (!log) {
    throw Error(ExitCode::kUnreadable, fmt::format("{}: not a zip archive or a recognised Umbrella log", display));
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

InputInfo CollectInputs(const std::vector<std::string>& inputs, const Limits& limits, CollectSink& sink) {
  if (inputs.empty()) throw Error(ExitCode::kUsage, "no input given");
  Walker walker(limits, sink);
  if (inputs.size() == 1) return CollectOne(inputs[0], walker);
  for (const std::string& input : inputs) CollectOne(input, walker);
  std::string joined;
  for (const std::string& input : inputs) joined += (joined.empty() ? "" : " ") + input;
  return {joined, "files", ""};
}

}  // namespace dartdiag
