// A pcapng block walker for the files libpcap refuses: several interfaces with different link
// types or snap lengths (a Wi-Fi adapter and the loopback adapter captured together, or a file
// merged with mergecap), or sections of different byte orders. Reads section header, interface
// description, enhanced, simple and obsolete packet blocks, each link type taken from the packet's
// own interface. Tested by capture_test.cc and fuzz_capture.cc.
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "capture/capture_internal.h"

namespace dartdiag::capture {
namespace {

constexpr uint32_t kSectionHeader = 0x0A0D0D0A, kInterface = 1, kObsoletePacket = 2, kSimplePacket = 3,
                   kEnhancedPacket = 6;
constexpr uint32_t kMaxBlockBytes = 64u << 20;  // larger than any frame; a bigger length is corrupt
constexpr uint64_t kNanosPerSecond = 1000000000;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

struct Interface {
  int link_type = 0;
  uint32_t snap_length = 0;
  uint64_t units_per_second = 1000000;  // if_tsresol
  int64_t offset_seconds = 0;           // if_tsoffset
};

// Reads one block: its type and body (without the 8-byte header and trailing length).
class BlockReader {
 public:
  explicit BlockReader(FILE* file) : file_(file) {}

  // False at a clean end of file; sets `error` when the file ends inside a block or is corrupt.
  bool Next(uint32_t& type, std::string& body, std::string& error) {
    char header[8];
    const size_t n = std::fread(header, 1, sizeof(header), file_);
    if (n == 0) return false;
    if (n < sizeof(header)) return Fail(error, "the file ends inside a block header");
    type = Read32(header, 0);
    if (type == kSectionHeader) {  // the byte order comes from the section's own magic
      char order[4];
      if (std::fread(order, 1, 4, file_) != 4) return Fail(error, "the file ends inside a section header");
      const uint32_t magic = Read32(order, 0);
      if (magic != 0x1A2B3C4D) {
        if (magic != 0x4D3C2B1A) return Fail(error, "a section header has no valid byte-order magic");
        big_endian_ = !big_endian_;
      }
      std::fseek(file_, -4, SEEK_CUR);
    }
    const uint32_t length = Read32(header, 4);
    if (length < 12 || length % 4 != 0 || length > kMaxBlockBytes) {
      return Fail(error, fmt::format("a block has an invalid length {}", length));
    }
    body.resize(length - 8);
    if (std::fread(body.data(), 1, body.size(), file_) != body.size()) {
      return Fail(error, fmt::format("the file ends inside a block of {} bytes", length));
    }
    body.resize(length - 12);  // drop the trailing copy of the length
    return true;
  }

  uint32_t Read32(const char* b, size_t at) const {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      const uint32_t byte = static_cast<uint8_t>(b[at + i]);
      v |= big_endian_ ? byte << (8 * (3 - i)) : byte << (8 * i);
    }
    return v;
  }
  uint16_t Read16(const char* b, size_t at) const {
    const uint32_t lo = static_cast<uint8_t>(b[at]), hi = static_cast<uint8_t>(b[at + 1]);
    return static_cast<uint16_t>(big_endian_ ? (lo << 8) | hi : (hi << 8) | lo);
  }
  bool big_endian() const { return big_endian_; }

 private:
  static bool Fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
  }
  FILE* file_;
  bool big_endian_ = false;  // of the current section
};

Interface ParseInterface(const BlockReader& r, const std::string& body) {
  Interface i;
  if (body.size() < 8) return i;
  i.link_type = r.Read16(body.data(), 0);
  i.snap_length = r.Read32(body.data(), 4);
  for (size_t at = 8; at + 4 <= body.size();) {
    const uint16_t code = r.Read16(body.data(), at), length = r.Read16(body.data(), at + 2);
    if (code == 0 || at + 4 + length > body.size()) break;
    if (code == 9 && length == 1) {  // if_tsresol: a power of 10, or of 2 with the high bit set
      const uint8_t value = static_cast<uint8_t>(body[at + 4]);
      const unsigned exponent = value & 0x7Fu;
      if ((value & 0x80) != 0 && exponent < 64) i.units_per_second = uint64_t{1} << exponent;
      if ((value & 0x80) == 0 && exponent <= 19) {
        i.units_per_second = 1;
        for (unsigned e = 0; e < exponent; ++e) i.units_per_second *= 10;
      }
    } else if (code == 14 && length == 8) {  // if_tsoffset, seconds
      const uint64_t hi = r.Read32(body.data(), at + 4), lo = r.Read32(body.data(), at + 8);
      i.offset_seconds = static_cast<int64_t>(r.big_endian() ? (hi << 32) | lo : (lo << 32) | hi);
    }
    at += 4 + ((length + 3u) & ~3u);
  }
  return i;
}

int64_t ToNanos(const Interface& i, uint64_t ticks) {
  const uint64_t units = i.units_per_second == 0 ? 1 : i.units_per_second;
  const uint64_t seconds = ticks / units, rest = ticks % units;
  const uint64_t nanos = units <= 18000000000u ? rest * kNanosPerSecond / units : rest / (units / kNanosPerSecond);
  const int64_t whole = seconds > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / 2)
                            ? std::numeric_limits<int64_t>::max() / 2
                            : static_cast<int64_t>(seconds);
  const int64_t offset = std::clamp<int64_t>(i.offset_seconds, -(int64_t{1} << 40), int64_t{1} << 40);
  return SaturatedNanos(whole + offset, static_cast<int64_t>(nanos));
}

}  // namespace

bool PcapngInterfacesAgree(FILE* file) {
  const std::unique_ptr<FILE, FileCloser> owned(file);
  BlockReader reader(file);
  std::optional<std::pair<int, uint32_t>> first;
  std::optional<bool> order;
  uint32_t type = 0;
  std::string body, error;
  while (reader.Next(type, body, error)) {
    if (type == kSectionHeader) {
      if (order && *order != reader.big_endian()) return false;
      order = reader.big_endian();
    } else if (type == kInterface && body.size() >= 8) {
      const std::pair<int, uint32_t> here{reader.Read16(body.data(), 0), reader.Read32(body.data(), 4)};
      if (first && *first != here) return false;
      first = here;
    }
  }
  return true;  // a corrupt file is libpcap's to report
}

ReadSummary ReadPcapngBlocks(FILE* file, const std::string& display, const RawFrameFn& fn) {
  const std::unique_ptr<FILE, FileCloser> owned(file);
  (void)display;
  ReadSummary summary;
  summary.format = "pcapng";
  BlockReader reader(file);
  std::vector<Interface> interfaces;
  RawFrame frame;
  uint32_t type = 0;
  std::string body, error;
  while (reader.Next(type, body, error)) {
    const char* b = body.data();
    uint32_t interface = 0, captured = 0, original = 0;
    uint64_t ticks = 0;
    size_t data_at = 0;
    if (type == kSectionHeader) {
      interfaces.clear();  // interface ids are per section
      continue;
    } else if (type == kInterface) {
      interfaces.push_back(ParseInterface(reader, body));
      const int link = interfaces.back().link_type;
      if (std::find(summary.link_types.begin(), summary.link_types.end(), link) == summary.link_types.end()) {
        summary.link_types.push_back(link);
      }
      continue;
    } else if (type == kEnhancedPacket && body.size() >= 20) {
      interface = reader.Read32(b, 0);
      ticks = (uint64_t{reader.Read32(b, 4)} << 32) | reader.Read32(b, 8);
      captured = reader.Read32(b, 12);
      original = reader.Read32(b, 16);
      data_at = 20;
    } else if (type == kObsoletePacket && body.size() >= 20) {
      interface = reader.Read16(b, 0);
      ticks = (uint64_t{reader.Read32(b, 4)} << 32) | reader.Read32(b, 8);
      captured = reader.Read32(b, 12);
      original = reader.Read32(b, 16);
      data_at = 20;
    } else if (type == kSimplePacket && body.size() >= 4) {
      original = reader.Read32(b, 0);  // no time stamp, interface 0, captured up to the snap length
      captured = static_cast<uint32_t>(std::min<uint64_t>(original, body.size() - 4));
      data_at = 4;
    } else {
      continue;  // name resolution, statistics, custom blocks...
    }
    ++frame.frame;
    captured = static_cast<uint32_t>(std::min<uint64_t>(captured, body.size() - data_at));
    const bool known = interface < interfaces.size();
    frame.link_type = known ? interfaces[interface].link_type : -1;
    frame.time_ns = known && type != kSimplePacket ? ToNanos(interfaces[interface], ticks) : 0;
    frame.captured = captured;
    frame.original = original;
    frame.bytes = std::string_view(b + data_at, captured);
    if (!fn(frame)) return summary;
  }
  if (!error.empty()) summary.StoppedAfter(frame.frame, error);
  return summary;
}

}  // namespace dartdiag::capture
