// Reading a capture file offline: pcap and pcapng recognised by their magic numbers, read frame by
// frame through libpcap (nanosecond timestamps; loaded on first use, pcap_library.h), with pcapng
// files that libpcap refuses (interfaces of different link types or snap lengths) handed to the
// block walker in capture_pcapng.cc.
// Tested by capture_test.cc and fuzz_capture.cc.
#include <array>
#include <fstream>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "capture/capture_internal.h"
#include "capture/pcap_library.h"
#include "dartdiag/error.h"
#include "messages.h"

namespace dartdiag {
namespace {

constexpr size_t kMagicBytes = 12;

uint32_t Le32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(b[at + i])} << (8 * i);
  return v;
}

bool IsPcapng(std::string_view head) {
  if (head.size() < kMagicBytes || Le32(head, 0) != 0x0A0D0D0A) return false;
  const uint32_t order = Le32(head, 8);
  return order == 0x1A2B3C4D || order == 0x4D3C2B1A;
}

bool IsPcap(std::string_view head) {
  if (head.size() < 4) return false;
  const uint32_t magic = Le32(head, 0);
  // Microsecond, nanosecond and Kuznetzov's modified pcap, in either byte order.
  for (uint32_t m : {0xA1B2C3D4u, 0xA1B23C4Du, 0xA1B2CD34u}) {
    const uint32_t swapped = ((m & 0xFFu) << 24) | ((m & 0xFF00u) << 8) | ((m >> 8) & 0xFF00u) | (m >> 24);
    if (magic == m || magic == swapped) return true;
  }
  return false;
}

std::string ReadHead(FILE* file) {
  std::array<char, kMagicBytes> head{};
  const size_t n = std::fread(head.data(), 1, head.size(), file);
  return std::string(head.data(), n);
}

}  // namespace

bool HasCaptureMagic(std::string_view head) { return IsPcap(head) || IsPcapng(head); }

bool IsCaptureFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::array<char, kMagicBytes> head{};
  in.read(head.data(), head.size());
  return HasCaptureMagic(std::string_view(head.data(), static_cast<size_t>(in.gcount())));
}

namespace capture {

void ReadSummary::StoppedAfter(uint64_t frame, std::string_view why) {
  error_phrase = PhraseOf(Msg::kCaptureStoppedReading, Arg("frame", frame), Arg("why", why));
  error = RenderPhrase(error_phrase, Lang::kEn);
}

int64_t SaturatedNanos(int64_t seconds, int64_t nanos) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1000000000 - 1;
  if (seconds > kLimit) return kLimit * 1000000000;
  if (seconds < -kLimit) return -kLimit * 1000000000;
  return seconds * 1000000000 + nanos;
}

ReadSummary ReadCapture(const FileOpener& open, const std::string& display, const RawFrameFn& fn) {
  FILE* probe = open();
  if (probe == nullptr) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be opened", display));
  const std::string head = ReadHead(probe);
  if (!HasCaptureMagic(head)) {
    std::fclose(probe);
    throw Error(ExitCode::kUnreadable, fmt::format("{}: not a pcap or pcapng capture", display));
  }
  if (IsPcapng(head)) {
    std::rewind(probe);
    if (!PcapngInterfacesAgree(probe)) {  // closes probe
      FILE* file = open();
      if (file == nullptr) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be opened", display));
      return ReadPcapngBlocks(file, display, fn);
    }
  } else {
    std::fclose(probe);
  }

  ReadSummary summary;
  summary.format = IsPcapng(head) ? "pcapng" : "pcap";
  const PcapLibrary* lib = nullptr;
  try {
    lib = &Pcap();
  } catch (const Error& error) {
    throw Error(error.code(), fmt::format("{}: {}", display, error.what()));
  }
  FILE* file = open();
  if (file == nullptr) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot be opened", display));
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  pcap_t* raw = lib->fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
  if (raw == nullptr) {
    std::fclose(file);  // libpcap owns the file only once it opened it
    throw Error(ExitCode::kUnreadable,
                fmt::format("{}: not a readable {} capture ({})", display, summary.format, errbuf.data()));
  }
  const std::unique_ptr<pcap_t, void (*)(pcap_t*)> pcap(raw, lib->close);
  int link_type = lib->datalink(pcap.get());
  if (link_type == DLT_RAW) link_type = 101;  // LINKTYPE_RAW, as the file states it
  summary.link_types.push_back(link_type);

  capture::RawFrame frame;
  frame.link_type = link_type;
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int status = lib->next_ex(pcap.get(), &header, &data);
    if (status == PCAP_ERROR_BREAK) break;  // end of file
    if (status != 1) {
      summary.StoppedAfter(frame.frame, lib->geterr(pcap.get()));
      break;
    }
    ++frame.frame;
    frame.time_ns = SaturatedNanos(header->ts.tv_sec, header->ts.tv_usec);  // tv_usec holds nanoseconds
    frame.captured = header->caplen;
    frame.original = header->len;
    frame.bytes = std::string_view(reinterpret_cast<const char*>(data), header->caplen);
    if (!fn(frame)) break;
  }
  return summary;
}

}  // namespace capture
}  // namespace dartdiag
