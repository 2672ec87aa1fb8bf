// dartdiag's own reading of a zip's central directory, beside libzip's: the local header offset
// of each entry (which libzip does not expose), to find entries that share or overlap another's
// bytes, and the position of each record's flags, to reopen an archive whose names libzip finds
// inconsistent. Internal to archive_zip.cc; tested by hostile_input_test.cc and the archive fuzz
// target.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dartdiag {

struct CentralRecord {
  uint64_t local_offset = 0;  // as the record states it (self-extracting prefixes not added)
  uint64_t compressed_size = 0;
  uint16_t flags = 0;
  uint64_t flags_position = 0;  // where the record's flags sit in the archive
  std::string name;             // raw bytes
};

// Reads up to `n` bytes at `offset` of the archive (fewer at its end).
using ReadAtFn = std::function<std::string(uint64_t offset, size_t n)>;

// The central directory of an archive of `size` bytes, records in order (libzip's indices);
// nullopt when it cannot be found or does not parse (libzip then has the last word).
std::optional<std::vector<CentralRecord>> ReadCentralDirectory(const ReadAtFn& read_at, uint64_t size);

// For each record, true when its local header offset equals an earlier record's or lies inside
// the bytes of an entry that starts before it (a local header and its compressed data at least).
std::vector<bool> OverlappingRecords(const std::vector<CentralRecord>& records);

// True when libzip would refuse `name` under the UTF-8 flag: control characters other than
// CR, LF and tab, or bytes that are not UTF-8.
bool IsInconsistentUtf8Name(std::string_view name);

}  // namespace dartdiag
