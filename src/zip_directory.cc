// The central directory read by hand: end record (and ZIP64 end record), then each file header.
// Tested by hostile_input_test.cc and the archive fuzz target.
#include "zip_directory.h"

#include <algorithm>
#include <numeric>

namespace dartdiag {
namespace {

constexpr size_t kEndRecordBytes = 22;
constexpr size_t kMaxCommentBytes = 0xFFFF;
constexpr size_t kFileHeaderBytes = 46;
constexpr size_t kLocalHeaderBytes = 30;

uint64_t Le(std::string_view s, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(s[at + i])} << (8 * i);
  return v;
}

}  // namespace

std::optional<std::vector<CentralRecord>> ReadCentralDirectory(const ReadAtFn& read_at, uint64_t size) {
  if (size < kEndRecordBytes) return std::nullopt;
  const uint64_t tail_start = size > kEndRecordBytes + kMaxCommentBytes ? size - kEndRecordBytes - kMaxCommentBytes : 0;
  const std::string tail = read_at(tail_start, static_cast<size_t>(size - tail_start));
  const size_t end = tail.rfind(std::string_view("PK\x05\x06", 4));
  if (end == std::string::npos || end + kEndRecordBytes > tail.size()) return std::nullopt;
  const uint64_t end_position = tail_start + end;
  uint64_t count = Le(tail, end + 10, 2), cd_size = Le(tail, end + 12, 4), cd_offset = Le(tail, end + 16, 4);
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {  // ZIP64 end record
    if (end_position < 20) return std::nullopt;
    const std::string locator = read_at(end_position - 20, 20);
    if (locator.size() < 20 || !locator.starts_with(std::string_view("PK\x06\x07", 4))) return std::nullopt;
    const uint64_t zip64_end = Le(locator, 8, 8);
    const std::string record = zip64_end < size ? read_at(zip64_end, 56) : std::string();
    if (record.size() < 56 || !record.starts_with(std::string_view("PK\x06\x06", 4))) return std::nullopt;
    count = Le(record, 32, 8), cd_size = Le(record, 40, 8), cd_offset = Le(record, 48, 8);
  }
  // Where the directory really starts: a prefix (self-extractor) shifts it, as libzip allows.
  const uint64_t directory_end = end_position;
  if (cd_size > directory_end) return std::nullopt;
  uint64_t start = directory_end - cd_size;
  if (cd_offset <= directory_end && cd_offset + cd_size == directory_end) start = cd_offset;
  if (count > cd_size / kFileHeaderBytes + 1) return std::nullopt;
  const std::string cd = read_at(start, static_cast<size_t>(cd_size));
  if (cd.size() != cd_size) return std::nullopt;

  std::vector<CentralRecord> records;
  records.reserve(static_cast<size_t>(count));
  size_t pos = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (pos + kFileHeaderBytes > cd.size() || !std::string_view(cd).substr(pos).starts_with("PK\x01\x02")) {
      return std::nullopt;
    }
    CentralRecord r;
    r.flags = static_cast<uint16_t>(Le(cd, pos + 8, 2));
    r.flags_position = start + pos + 8;
    r.compressed_size = Le(cd, pos + 20, 4);
    const uint64_t uncompressed = Le(cd, pos + 24, 4);
    const size_t name_len = Le(cd, pos + 28, 2), extra_len = Le(cd, pos + 30, 2), comment_len = Le(cd, pos + 32, 2);
    r.local_offset = Le(cd, pos + 42, 4);
    if (pos + kFileHeaderBytes + name_len + extra_len + comment_len > cd.size()) return std::nullopt;
    r.name = cd.substr(pos + kFileHeaderBytes, name_len);
    // ZIP64 extra field: the 8-byte values of the fields that read 0xFFFFFFFF, in order.
    const std::string_view extra = std::string_view(cd).substr(pos + kFileHeaderBytes + name_len, extra_len);
    for (size_t e = 0; e + 4 <= extra.size();) {
      const uint64_t id = Le(extra, e, 2), len = Le(extra, e + 2, 2);
      if (e + 4 + len > extra.size()) break;
      if (id == 0x0001) {
        size_t at = e + 4;
        const auto take = [&](uint64_t& field) {
          if (field == 0xFFFFFFFF && at + 8 <= e + 4 + len) {
            field = Le(extra, at, 8);
            at += 8;
          }
        };
        uint64_t u = uncompressed;
        take(u);
        take(r.compressed_size);
        take(r.local_offset);
      }
      e += 4 + len;
    }
    records.push_back(std::move(r));
    pos += kFileHeaderBytes + name_len + extra_len + comment_len;
  }
  return records;
}

std::vector<bool> OverlappingRecords(const std::vector<CentralRecord>& records) {
  std::vector<size_t> order(records.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return records[a].local_offset < records[b].local_offset; });
  std::vector<bool> overlaps(records.size(), false);
  uint64_t reach = 0;  // the furthest byte an entry starting earlier certainly covers
  bool any = false;
  for (const size_t i : order) {
    const CentralRecord& r = records[i];
    if (any && r.local_offset < reach) overlaps[i] = true;
    // A lower bound of the entry's end (its name and extra field may be longer).
    const uint64_t end = r.local_offset + kLocalHeaderBytes + r.compressed_size;
    if (!overlaps[i] || end > reach) reach = std::max(reach, end);
    any = true;
  }
  return overlaps;
}

bool IsInconsistentUtf8Name(std::string_view name) {
  for (size_t i = 0; i < name.size();) {
    const auto b = static_cast<unsigned char>(name[i]);
    if (b < 0x80) {
      if (b < 0x20 && b != '\r' && b != '\n' && b != '\t') return true;
      ++i;
      continue;
    }
    const size_t n = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > name.size()) return true;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(name[i + k]) & 0xC0) != 0x80) return true;
    }
    i += n;
  }
  return false;
}

}  // namespace dartdiag
