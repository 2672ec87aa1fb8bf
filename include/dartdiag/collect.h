// Input stage: open the input (zip by magic bytes, folder, loose files), walk archives and nested
// archives to a bounded depth, and hand each Umbrella log's bytes to a sink. Entries that are not
// logs are listed, not read; macOS decoys (__MACOSX/, ._*) are listed as decoys.
// Tested by collect_test.cc and end_to_end_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/diagnostic.h"
#include "dartdiag/event.h"

namespace dartdiag {

struct Limits {
  uint64_t max_log_bytes = uint64_t{2} << 30;       // one log entry or file, uncompressed
  uint64_t max_nested_zip_bytes = uint64_t{1} << 30;  // one zip inside a zip, uncompressed
  int max_depth = 3;                                 // zips inside zips
};

enum class MemberKind { kOther, kDecoy, kArchive };
std::string_view MemberKindName(MemberKind kind);

struct Member {
  std::string path;
  MemberKind kind = MemberKind::kOther;
  uint64_t size = 0;
};

struct InputInfo {
  std::string path;
  std::string kind;    // "zip", "folder", "file", "files"
  std::string sha256;  // of the file's bytes; empty for folders and several inputs
};

class CollectSink {
 public:
  virtual ~CollectSink() = default;
  virtual void OnLog(const std::string& path, LogTypeId log, std::string_view bytes) = 0;
  virtual void OnUnreadableLog(const std::string& path, LogTypeId log, const std::string& why) = 0;
  virtual void OnMember(Member member) = 0;
  virtual void OnDiagnostic(Diagnostic diagnostic) = 0;
};

// Walks every input. Throws Error(kUnreadable) when an input cannot be read at all (missing,
// empty, not a zip and not a recognised log, corrupt archive).
InputInfo CollectInputs(const std::vector<std::string>& inputs, const Limits& limits,
                        CollectSink& sink);

// Walks a zip held in memory as a top-level input (kind "zip").
InputInfo CollectZipBytes(std::string bytes, const std::string& display_path, const Limits& limits,
                          CollectSink& sink);

class Archive;
// Walks one opened archive (and the zips inside it); `prefix` is prepended to entry names.
void CollectArchive(Archive& archive, const std::string& prefix, const Limits& limits,
                    CollectSink& sink);

// True for macOS resource-fork decoys: any "__MACOSX" path component or a "._" base name.
bool IsDecoyName(std::string_view entry_name);
// True for absolute names and names with a ".." component.
bool IsEscapingName(std::string_view entry_name);

std::string Sha256Hex(std::string_view bytes);

}  // namespace dartdiag
