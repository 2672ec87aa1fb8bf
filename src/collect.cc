// Input stage: files, folders and zips (nested to a bounded depth) to log bytes for the sink.
// Tested by collect_test.cc and end_to_end_test.cc.
#include "dartdiag/collect.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "dartdiag/archive.h"
#include "dartdiag/error.h"
#include "dartdiag/log_types.h"
#include "dartdiag/text_decode.h"
#include "text_util.h"

namespace dartdiag {
namespace fs = std::filesystem;
namespace {

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

// Reads a whole file, refusing more than `max_bytes`.
std::string ReadFile(const fs::path& path, const std::string& display, uint64_t max_bytes) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    throw Error(ExitCode::kUnreadable, fmt::format("{}: no such file or folder", display));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be opened", display));
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    if (bytes.size() + static_cast<uint64_t>(in.gcount()) > max_bytes) {
      throw Error(ExitCode::kUnreadable,
                  fmt::format("{}: larger than the {} byte cap", display, max_bytes));
    }
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ExitCode::kUnreadable, fmt::format("{}: read error", display));
  return bytes;
}

std::string ReadHead(const fs::path& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// True when one '/'- or '\\'-separated component of `name` equals `component`.
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

class Walker {
 public:
  Walker(const Limits& limits, CollectSink& sink) : limits_(limits), sink_(sink) {}

  // One zip archive (top-level or nested); `prefix` is prepended to entry names in reports.
  void WalkZip(Archive& archive, const std::string& prefix, int depth) {
    for (const ArchiveEntry& entry : archive.Entries()) {
      if (entry.directory) continue;
      const std::string path = prefix + entry.name;
      if (IsEscapingName(entry.name)) {
        sink_.OnDiagnostic({"warning", "unsafe-entry-name", path, 0,
                            "entry name is absolute or climbs out with '..'; analysed by name "
                            "only, never written to disk"});
      }
      if (IsDecoyName(entry.name)) {
        sink_.OnMember({path, MemberKind::kDecoy, entry.size});
        continue;
      }
      const std::string_view base = BaseName(entry.name);
      if (const auto log = LogTypeByFileName(base)) {
        if (entry.symlink) {
          sink_.OnUnreadableLog(path, *log, "entry is a symbolic link, not a log");
          continue;
        }
        std::string bytes;
        try {
          bytes = archive.Read(entry, limits_.max_log_bytes);
        } catch (const Error& e) {
          sink_.OnUnreadableLog(path, *log, e.what());
          continue;
        }
        sink_.OnLog(path, *log, bytes);
      } else if (EndsWithIgnoreCase(base, ".zip") && !entry.symlink) {
        WalkNestedZip(archive, entry, path, depth);
      } else {
        sink_.OnMember({path, MemberKind::kOther, entry.size});
      }
    }
  }

  void WalkFolder(const fs::path& root, const std::string& display) {
    std::error_code ec;
    auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot list folder ({})", display, ec.message()));
    std::vector<fs::path> files;
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());  // same input, same bytes out
    for (const fs::path& file : files) {
      const std::string relative = fs::relative(file, root, ec).generic_string();
      const std::string path = display + (display.ends_with('/') ? "" : "/") + relative;
      std::error_code size_ec;
      const uint64_t size = fs::file_size(file, size_ec);
      if (IsDecoyName(relative)) {
        sink_.OnMember({path, MemberKind::kDecoy, size});
        continue;
      }
      const std::string base = file.filename().string();
      if (const auto log = LogTypeByFileName(base)) {
        try {
          sink_.OnLog(path, *log, ReadFile(file, path, limits_.max_log_bytes));
        } catch (const Error& e) {
          sink_.OnUnreadableLog(path, *log, e.what());
        }
      } else if (EndsWithIgnoreCase(base, ".zip")) {
        try {
          auto archive = OpenZip(ReadFile(file, path, limits_.max_nested_zip_bytes), path);
          sink_.OnMember({path, MemberKind::kArchive, size});
          WalkZip(*archive, path + "!/", 1);
        } catch (const Error& e) {
          sink_.OnDiagnostic({"warning", "unreadable-archive", path, 0, e.what()});
        }
      } else {
        sink_.OnMember({path, MemberKind::kOther, size});
      }
    }
  }

 private:
  void WalkNestedZip(Archive& archive, const ArchiveEntry& entry, const std::string& path, int depth) {
    sink_.OnMember({path, MemberKind::kArchive, entry.size});
    if (depth + 1 > limits_.max_depth) {
      sink_.OnDiagnostic({"warning", "nesting-too-deep", path, 0,
                          fmt::format("zip nested deeper than {} levels, not opened", limits_.max_depth)});
      return;
    }
    try {
      auto nested = OpenZip(archive.Read(entry, limits_.max_nested_zip_bytes), path);
      WalkZip(*nested, path + "!/", depth + 1);
    } catch (const Error& e) {
      sink_.OnDiagnostic({"warning", "unreadable-archive", path, 0, e.what()});
    }
  }

  const Limits& limits_;
  CollectSink& sink_;
};

InputInfo CollectOne(const std::string& input, const Limits& limits, CollectSink& sink) {
  std::error_code ec;
  const fs::path path(input);
  if (fs::is_directory(path, ec)) {
    Walker(limits, sink).WalkFolder(path, input);
    return {input, "folder", ""};
  }
  if (!fs::exists(path, ec)) {
    throw Error(ExitCode::kUnreadable, fmt::format("{}: no such file or folder", input));
  }
  const std::string head = ReadHead(path, 4);
  if (head.empty()) throw Error(ExitCode::kUnreadable, fmt::format("{}: empty file", input));
  if (HasZipMagic(head)) return CollectZipBytes(ReadFile(path, input, limits.max_nested_zip_bytes), input, limits, sink);
  std::string bytes = ReadFile(path, input, limits.max_log_bytes);
  auto log = LogTypeByFileName(BaseName(input));
  if (!log) log = LogTypeByContent(Decode(std::string_view(bytes).substr(0, 16 * 1024)).text);
  if (!log) {
    throw Error(ExitCode::kUnreadable,
                fmt::format("{}: not a zip archive, a folder or a recognised Umbrella log", input));
  }
  InputInfo info{input, "file", Sha256Hex(bytes)};
  sink.OnLog(input, *log, bytes);
  return info;
}

}  // namespace

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
  Walker(limits, sink).WalkZip(*archive, "", 0);
  return info;
}

void CollectArchive(Archive& archive, const std::string& prefix, const Limits& limits,
                    CollectSink& sink) {
  Walker(limits, sink).WalkZip(archive, prefix, 0);
}

InputInfo CollectInputs(const std::vector<std::string>& inputs, const Limits& limits,
                        CollectSink& sink) {
  if (inputs.empty()) throw Error(ExitCode::kUsage, "no input given");
  if (inputs.size() == 1) return CollectOne(inputs[0], limits, sink);
  for (const std::string& input : inputs) CollectOne(input, limits, sink);
  std::string joined;
  for (const std::string& input : inputs) joined += (joined.empty() ? "" : " ") + input;
  return {joined, "files", ""};
}

}  // namespace dartdiag
