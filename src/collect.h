// Input stage: open the input (zip by magic bytes, folder, loose files), walk archives and nested
// archives to a bounded depth, and stream each Umbrella log's bytes to a sink. Entries that are
// not logs are listed, not read; macOS decoys (__MACOSX/, ._*) are listed as decoys. Every read is
// bounded by the caps in Limits, counting the bytes that actually come out, never the sizes an
// archive declares. Tested by collect_test.cc, end_to_end_test.cc and hostile_input_test.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dartdiag/diagnostic.h"
#include "dartdiag/event.h"
#include "dartdiag/input.h"
#include "entry_names.h"

namespace dartdiag {

class CollectSink {
 public:
  virtual ~CollectSink() = default;
  // One log: BeginLog, its bytes in order, then EndLog with "" when it was read to the end, or
  // why the read stopped (what came before still counts), and `why`, the same in the catalogue's
  // words (empty when it has none).
  virtual void BeginLog(const std::string& path, LogTypeId log) = 0;
  virtual void LogBytes(std::string_view chunk) = 0;
  virtual void EndLog(const std::string& error, const Phrase& why) = 0;
  virtual void OnMember(Member member) = 0;
  virtual void OnDiagnostic(Diagnostic diagnostic) = 0;
  virtual void OnCapHit(CapHit hit) = 0;
};

// The integrity finding of a cap that fired in `where` ("entries", "ratio", ...; see Limits), with
// why (an empty phrase: no why): its message names the cap, its value, the entry and the flag
// that raises it.
CapHit MakeCapHit(std::string where, std::string_view cap, uint64_t limit, Phrase why);

// Walks every input. Throws Error(kUnreadable) when an input cannot be read at all (missing,
// empty, not a zip and not a recognised log, corrupt archive). `digest`: the SHA-256 of a single
// input file when the caller already has it (batch hashes each input to find duplicates), or ""
// when no digest is wanted (a second read); the input is then not hashed. Unset: it is hashed.
InputInfo CollectInputs(const std::vector<std::string>& inputs, const Limits& limits, CollectSink& sink,
                        const std::optional<std::string>& digest = std::nullopt);

// Standard input (`dartdiag -`), named `display`: `head` holds its first bytes, already read,
// and `rest` the remainder. A zip is held in memory, as a nested zip is (more than
// max_entry_bytes is an error), then walked; anything else must be a log recognised by content,
// streamed through the same meter as a file. Nothing is written to disk. The wall-time cap is
// checked as each chunk arrives. Throws Error(kUnreadable) as CollectInputs does.
InputInfo CollectStream(std::string head, std::istream& rest, const std::string& display, const Limits& limits,
                        CollectSink& sink);

// Walks a zip held in memory as a top-level input (kind "zip"); `digest` as for CollectInputs.
InputInfo CollectZipBytes(std::string bytes, const std::string& display_path, const Limits& limits, CollectSink& sink,
                          const std::optional<std::string>& digest = std::nullopt);

class Archive;
struct ArchiveEntry;
// Walks one opened archive (and the zips inside it); `prefix` is prepended to entry names.
void CollectArchive(Archive& archive, const std::string& prefix, const Limits& limits, CollectSink& sink);

// Reads one archive entry (a bundle inside an attachment) into memory through the meter a nested
// zip gets in a bundle: entry bytes, ratio (from the first MiB on), wall time. A cap that fires
// is an Error(kUnreadable) with the cap message.
std::string ReadEntryMetered(Archive& archive, const ArchiveEntry& entry, const std::string& display,
                             const Limits& limits);

// Throws Error(kUnreadable) when `path` exists and is neither a regular file nor a folder (a
// FIFO, socket or device, which could block a read forever).
void RequireRegularFileOrFolder(const std::string& path);

std::string Sha256Hex(std::string_view bytes);
// SHA-256 of a file, read in chunks; throws Error(kUnreadable) naming `display` on failure.
std::string Sha256File(const std::string& path, const std::string& display);
// The same, taken beside the caller's work: a file of 1 MiB or more is hashed on a thread of its
// own that reads the file itself, so the digest costs no wall time beside a parse; a smaller one
// (or any, when no thread can be started) when get() asks, on the caller's thread. A read error
// is thrown by get().
std::future<std::string> Sha256FileBeside(const std::string& path);

// Calls `chunk` with a file's bytes in order, at most 256 KiB at a time; an unreadable file is an
// Error(kUnreadable) naming `display`.
void StreamFile(const std::string& path, const std::string& display,
                const std::function<void(std::string_view)>& chunk);

}  // namespace dartdiag
