// Byte-level zip writer for hostile-input tests (see raw_zip.h).
#include "raw_zip.h"

#include <zlib.h>

namespace dartdiag::testing {
namespace {

void Put16(std::string& out, uint64_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void Put32(std::string& out, uint64_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, (v >> 16) & 0xFFFF);
}
void Put64(std::string& out, uint64_t v) {
  Put32(out, v & 0xFFFFFFFF);
  Put32(out, v >> 32);
}

}  // namespace

std::string MakeRawZip(const std::vector<RawEntry>& entries, const RawZipOptions& options) {
  std::string out, central;
  for (const RawEntry& e : entries) {
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    const uint64_t size = e.declared_size >= 0 ? static_cast<uint64_t>(e.declared_size) : e.data.size();
    const uint64_t compressed = e.data.size();
    const uint64_t offset = out.size();
    const uint16_t flags = static_cast<uint16_t>((e.data_descriptor ? 0x8 : 0) | 0x800);  // UTF-8 names
    const uint16_t version = e.zip64 ? 45 : 20;
    std::string extra;
    if (e.zip64) {
      Put16(extra, 0x0001);
      Put16(extra, 16);
      Put64(extra, size);
      Put64(extra, compressed);
    }
    const std::string& local_name = e.local_name.empty() ? e.name : e.local_name;

    Put32(out, 0x04034b50);
    Put16(out, version);
    Put16(out, flags);
    Put16(out, 0);     // stored
    Put16(out, 0);     // time
    Put16(out, 0x21);  // date 1980-01-01
    Put32(out, e.data_descriptor ? 0 : crc);
    Put32(out, e.data_descriptor ? 0 : (e.zip64 ? 0xFFFFFFFF : compressed));
    Put32(out, e.data_descriptor ? 0 : (e.zip64 ? 0xFFFFFFFF : size));
    Put16(out, local_name.size());
    Put16(out, extra.size());
    out += local_name + extra + e.data;
    if (e.data_descriptor) {
      Put32(out, 0x08074b50);
      Put32(out, crc);
      if (e.zip64) {
        Put64(out, compressed);
        Put64(out, size);
      } else {
        Put32(out, compressed);
        Put32(out, size);
      }
    }

    Put32(central, 0x02014b50);
    Put16(central, (3 << 8) | version);  // made by Unix
    Put16(central, version);
    Put16(central, flags);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0x21);
    Put32(central, crc);
    Put32(central, e.zip64 ? 0xFFFFFFFF : compressed);
    Put32(central, e.zip64 ? 0xFFFFFFFF : size);
    Put16(central, e.name.size());
    Put16(central, extra.size());
    Put16(central, 0);  // comment
    Put16(central, options.disk_number);
    Put16(central, 0);
    Put32(central, e.external_attributes);
    Put32(central, offset);
    central += e.name + extra;
  }
  const uint64_t central_offset = out.size();
  out += central;
  if (options.zip64_end) {
    const uint64_t record_offset = out.size();
    Put32(out, 0x06064b50);
    Put64(out, 44);
    Put16(out, 45);
    Put16(out, 45);
    Put32(out, 0);
    Put32(out, 0);
    Put64(out, entries.size());
    Put64(out, entries.size());
    Put64(out, central.size());
    Put64(out, central_offset);
    Put32(out, 0x07064b50);
    Put32(out, 0);
    Put64(out, record_offset);
    Put32(out, 1);
  }
  Put32(out, 0x06054b50);
  Put16(out, options.disk_number);
  Put16(out, options.disk_number);
  Put16(out, options.zip64_end ? 0xFFFF : entries.size());
  Put16(out, options.zip64_end ? 0xFFFF : entries.size());
  Put32(out, options.zip64_end ? 0xFFFFFFFF : central.size());
  Put32(out, options.zip64_end ? 0xFFFFFFFF : central_offset);
  Put16(out, 0);
  return out;
}

}  // namespace dartdiag::testing
