// What an input is and what it may cost: the caps on one bundle (Limits), an integrity finding
// when a cap fires (CapHit), the entries that are not logs (Member) and the input itself
// (InputInfo). Part of the report model; the input stage that fills them is src/collect.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dartdiag/phrase.h"

namespace dartdiag {

// Caps on what one bundle may cost. Defaults are documented in docs/security.md and --help.
struct Limits {
  uint64_t max_bundle_bytes = uint64_t{8} << 30;  // uncompressed bytes read per bundle, all entries
  uint64_t max_entry_bytes = uint64_t{2} << 30;   // one log, loose file or nested zip
  uint64_t max_ratio = 200;                       // uncompressed : compressed, per entry (text logs: 5-30)
  uint64_t max_entries = 50000;                   // entries per archive (files per folder)
  int max_depth = 3;                              // zips inside zips
  uint64_t max_line_bytes = uint64_t{1} << 20;    // longer lines are cut
  double max_seconds = 300;                       // wall time per bundle
  uint64_t max_warning_templates = 1000;          // unexplained-warning templates kept (the rest uncounted)
  uint64_t max_kept_events = uint64_t{1} << 24;   // events condition rules matched, kept for evaluation (40 bytes each)
  // Not a cap: a large zip entry is inflated on a second thread while this one parses, which
  // shortens one bundle's wall time at the price of more CPU. A batch whose lanes already keep
  // every core busy inflates in each lane instead (batch_run.cc).
  bool inflate_beside = true;
};

// An integrity finding: a cap stopped part of the work.
struct CapHit {
  std::string file;    // the entry, archive or input concerned
  std::string cap;     // "bundle-bytes", "entry-bytes", "ratio", "entries", "depth", "seconds", "kept-events",
                       // "overlap"
  uint64_t limit = 0;  // the cap's value (seconds for "seconds"; entries skipped for "overlap")
  // One line: "<cap> cap (<value>) reached in <entry> (why); raise it with --max-<cap> N" (for
  // "overlap", which no flag raises, what was skipped).
  std::string message;
  Phrase phrase{};  // the message in the catalogue's words, for the human reports
};

enum class MemberKind { kOther, kDecoy, kArchive };
std::string_view MemberKindName(MemberKind kind);

struct Member {
  std::string path;
  MemberKind kind = MemberKind::kOther;
  uint64_t size = 0;  // as declared by the archive or the file system
};

struct InputInfo {
  std::string path;
  std::string kind;    // "zip", "folder", "file", "files"
  std::string sha256;  // of the file's bytes; empty for folders and several inputs
};

}  // namespace dartdiag
