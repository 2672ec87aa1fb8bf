// A byte-level zip writer for hostile-input tests: stored entries with full control over the
// fields that real writers get right (ZIP64 extras, data descriptors, disk numbers, names that
// disagree between local and central headers, declared sizes). Not used by the product.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dartdiag::testing {

struct RawEntry {
  RawEntry(std::string entry_name, std::string bytes) : name(std::move(entry_name)), data(std::move(bytes)) {}
  std::string name;
  std::string data;
  std::string local_name;            // name in the local header; "" = same as `name`
  bool zip64 = false;                // sizes in a ZIP64 extra field
  bool data_descriptor = false;      // sizes and CRC after the data (flag bit 3)
  uint32_t external_attributes = 0;  // e.g. (S_IFLNK | 0777) << 16 for a symlink
  int64_t declared_size = -1;        // uncompressed size written in both headers; -1 = real
};

struct RawZipOptions {
  bool zip64_end = false;    // write ZIP64 end-of-central-directory record and locator
  uint16_t disk_number = 0;  // non-zero makes it look like one disk of a multi-disk archive
};

std::string MakeRawZip(const std::vector<RawEntry>& entries, const RawZipOptions& options = {});

}  // namespace dartdiag::testing
