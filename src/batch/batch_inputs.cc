// Batch input expansion: command-line PATHs (files, folders walked recursively, glob patterns) to
// the list of inputs, and the test for an attachment that holds several bundles.
// Tested by batch_test.cc.
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "batch/batch.h"
#include "collect.h"
#include "log_types.h"
#include "text_util.h"

namespace dartdiag {
namespace fs = std::filesystem;
namespace {

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

bool HasGlobMeta(std::string_view s) { return s.find_first_of("*?[{") != std::string_view::npos; }

// A file in a walked folder is an attachment when it is named .zip or starts like a zip.
bool IsZipLike(const fs::path& file) {
  if (EndsWithIgnoreCase(file.filename().string(), ".zip")) return true;
  std::ifstream in(file, std::ios::binary);
  std::string head(4, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return HasZipMagic(head);
}

std::string Join(const std::string& folder, const std::string& name) {
  return folder.ends_with('/') ? folder + name : folder + "/" + name;
}

// What a walked folder holds: one unzipped bundle, or the inputs found in it.
struct FolderScan {
  std::vector<BatchInput> inputs;
  uint64_t bytes = 0;
  std::vector<std::string> skipped;
};

// A folder is one unzipped bundle (zips deeper inside it included, as `dartdiag FOLDER` reads
// it) when it holds Umbrella logs of its own or exactly one subfolder that is a bundle, and
// nothing else that is an input: no zip of its own, no second bundle. Otherwise every bundle and
// zip found in it is an input of its own, and logs lying directly in it form one more.
FolderScan ScanFolder(const fs::path& dir, const std::string& display) {
  FolderScan scan;
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) {  // the analysis of the folder reports why it cannot be listed
    scan.inputs.push_back({BatchInput::Kind::kFolder, display, {}, 0});
    return scan;
  }
  std::sort(entries.begin(), entries.end());  // same input, same order out

  std::vector<BatchInput> found;  // zips and subfolder inputs, in name order
  std::vector<std::string> own_logs;
  uint64_t own_log_bytes = 0;
  std::vector<std::string> skipped;  // here and below
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::string path = Join(display, name);
    if (entry.is_symlink(ec) && entry.is_directory(ec)) continue;  // no cycles
    if (entry.is_directory(ec)) {
      if (IsDecoyName(name)) continue;
      FolderScan sub = ScanFolder(entry.path(), path);
      scan.bytes += sub.bytes;
      skipped.insert(skipped.end(), sub.skipped.begin(), sub.skipped.end());
      for (BatchInput& input : sub.inputs) found.push_back(std::move(input));
      continue;
    }
    if (!entry.is_regular_file(ec)) continue;
    const uint64_t size = entry.file_size(ec);
    scan.bytes += ec ? 0 : size;
    if (IsDecoyName(name)) {
      skipped.push_back(path);
    } else if (LogTypeByFileName(name)) {
      own_logs.push_back(path);
      own_log_bytes += size;
    } else if (IsZipLike(entry.path())) {
      found.push_back({BatchInput::Kind::kFile, path, {}, size});
    } else {
      skipped.push_back(path);
    }
  }

  const bool one_bundle_below = found.size() == 1 && found[0].kind == BatchInput::Kind::kFolder;
  if ((!own_logs.empty() && found.empty()) || one_bundle_below) {
    scan.inputs = {{BatchInput::Kind::kFolder, display, {}, scan.bytes}};
    return scan;  // everything in it belongs to the bundle: nothing skipped
  }
  if (!own_logs.empty()) scan.inputs.push_back({BatchInput::Kind::kFiles, display, own_logs, own_log_bytes});
  for (BatchInput& input : found) scan.inputs.push_back(std::move(input));
  scan.skipped = std::move(skipped);
  return scan;
}

void AddPath(const std::string& path, BatchInputs& out) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    FolderScan scan = ScanFolder(path, path);
    out.skipped_files.insert(out.skipped_files.end(), scan.skipped.begin(), scan.skipped.end());
    if (scan.inputs.empty()) {  // nothing that looks like a bundle: the folder itself, so it shows
      out.inputs.push_back({BatchInput::Kind::kFolder, path, {}, scan.bytes});
    }
    for (BatchInput& input : scan.inputs) out.inputs.push_back(std::move(input));
    return;
  }
  const uint64_t size = fs::is_regular_file(status) ? fs::file_size(path, ec) : 0;
  out.inputs.push_back({BatchInput::Kind::kFile, path, {}, ec ? 0 : size});  // missing: an error row
}

}  // namespace

BatchInputs ExpandBatchInputs(const std::vector<std::string>& paths) {
  BatchInputs out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(path, ec)) || !HasGlobMeta(path)) {
      AddPath(path, out);
      continue;
    }
    glob_t matches{};
    const int rc = glob(path.c_str(), GLOB_BRACE | GLOB_TILDE, nullptr, &matches);
    if (rc == 0) {
      for (size_t i = 0; i < matches.gl_pathc; ++i) AddPath(matches.gl_pathv[i], out);
    } else {
      out.inputs.push_back({BatchInput::Kind::kNoMatch, path, {}, 0});
    }
    globfree(&matches);
  }
  for (const BatchInput& input : out.inputs) out.total_bytes += input.bytes;
  return out;
}

std::vector<ArchiveEntry> NestedBundles(const Archive& archive) {
  std::vector<ArchiveEntry> zips;
  for (const ArchiveEntry& entry : archive.Entries()) {
    if (entry.overlaps) return {};  // a zip bomb shape: analysed as one bundle, which reports it
    if (entry.directory || IsDecoyName(entry.name)) continue;
    const std::string_view base = BaseName(entry.name);
    if (LogTypeByFileName(base)) return {};  // a bundle with zips inside, not a set of bundles
    if (EndsWithIgnoreCase(base, ".zip") && !entry.symlink) zips.push_back(entry);
  }
  if (zips.size() < 2) return {};
  return zips;
}

Msg BatchOutcomeMessage(BatchOutcome outcome) {
  switch (outcome) {
    case BatchOutcome::kOk: return Msg::kOutcomeOk;
    case BatchOutcome::kFindings: return Msg::kOutcomeFindings;
    case BatchOutcome::kIncomplete: return Msg::kOutcomeIncomplete;
    case BatchOutcome::kUnreadable: return Msg::kOutcomeUnreadable;
    case BatchOutcome::kError: return Msg::kOutcomeError;
  }
  return Msg::kOutcomeError;
}

std::string_view BatchOutcomeName(BatchOutcome outcome) {
  switch (outcome) {
    case BatchOutcome::kOk: return "ok";
    case BatchOutcome::kFindings: return "findings";
    case BatchOutcome::kIncomplete: return "incomplete";
    case BatchOutcome::kUnreadable: return "unreadable";
    case BatchOutcome::kError: return "error";
  }
  return "error";
}

}  // namespace dartdiag
