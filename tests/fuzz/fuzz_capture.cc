// Fuzz target: the capture stage (AnalyzeCaptureBytes) on a whole pcap or pcapng file, or, when
// the input has no capture magic, on one frame whose link type is picked by the first byte and
// wrapped in a pcap header here (so the link, IP, transport and DNS decoders are reached
// directly); then both reports of a capture-only result. Seeds: testdata/fuzz/capture (written by
// tests/make_captures.py); replayed by the ctest test fuzz_replay_capture.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "dartdiag/analysis.h"
#include "capture/capture.h"
#include "dartdiag/error.h"
#include "dartdiag/report.h"
#include "fuzz_support.h"

namespace {

// Link types the decoder knows, and one it does not.
constexpr uint32_t kLinkTypes[] = {1, 113, 276, 101, 0, 108, 228, 229, 147};

void PutLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A little-endian microsecond pcap holding `frame` once, of the link type chosen by `selector`.
std::string OneFramePcap(uint8_t selector, std::string_view frame) {
  std::string out;
  PutLe32(out, 0xA1B2C3D4);
  PutLe32(out, 0x00040002);  // version 2.4
  PutLe32(out, 0);
  PutLe32(out, 0);
  PutLe32(out, 262144);
  PutLe32(out, kLinkTypes[selector % std::size(kLinkTypes)]);
  PutLe32(out, 1724728063);
  PutLe32(out, 0);
  PutLe32(out, static_cast<uint32_t>(frame.size()));
  PutLe32(out, static_cast<uint32_t>(frame.size()));
  out.append(frame);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dartdiag;
  const std::string_view input = fuzz::AsText(data, size);
  std::string bytes;
  if (HasCaptureMagic(input)) {
    bytes.assign(input);
  } else if (!input.empty()) {
    bytes = OneFramePcap(static_cast<uint8_t>(input[0]), input.substr(1));
  }
  Limits limits;
  limits.max_seconds = 5;
  Result result;
  try {
    result.capture = AnalyzeCaptureBytes(bytes, "fuzz.pcap", CaptureOptions{}, limits);
  } catch (const Error& e) {
    DARTDIAG_FUZZ_CHECK(e.code() == ExitCode::kUnreadable);
    DARTDIAG_FUZZ_CHECK(e.what()[0] != '\0');
    return 0;
  }
  const CaptureReport& c = *result.capture;
  DARTDIAG_FUZZ_CHECK(c.ip_packets + c.other_packets + c.undecodable == c.packets);
  DARTDIAG_FUZZ_CHECK(c.findings.size() >= 3);  // one per address family, at least one for the SWG
  uint64_t hash = 0;
  for (const CaptureFinding& f : c.findings) {
    hash = fuzz::Touch(f.summary, hash);
    for (const FrameRef& ref : f.evidence) {
      DARTDIAG_FUZZ_CHECK(ref.frame >= 1 && ref.frame <= c.packets);
      hash = fuzz::Touch(ref.text, hash);
    }
  }
  for (const DnsPath& p : c.dns) {
    DARTDIAG_FUZZ_CHECK(p.answered <= p.queries);
    DARTDIAG_FUZZ_CHECK(p.queries + p.retransmissions <= p.packets_sent);
  }
  fuzz::Consume(hash);

  result.input = {c.path, "capture", c.sha256};
  ExitCodeFor(result, Severity::kWarning);
  const std::string json = ToJson(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  DARTDIAG_FUZZ_CHECK(!json.empty());
  std::ostringstream streamed;  // the report as the command writes it: dump's bytes
  WriteJsonReport(result, ReportOptions{}, streamed);
  DARTDIAG_FUZZ_CHECK(streamed.str() == json + "\n");
  std::ostringstream text;
  WriteTextReport(result, ReportOptions{}, text);
  return 0;
}
