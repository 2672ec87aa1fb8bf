// libpcap, loaded when a capture is first read rather than linked: a run without a capture does
// not pay for mapping and relocating libpcap and what it pulls in (D-Bus, systemd, libgcrypt, ...),
// which was most of the process start-up. Tested by capture_test.cc.
#pragma once

#include <pcap/pcap.h>

namespace dartdiag {
namespace capture {

// The libpcap functions the capture reader calls.
struct PcapLibrary {
  pcap_t* (*fopen_offline_with_tstamp_precision)(FILE*, u_int, char*) = nullptr;
  int (*datalink)(pcap_t*) = nullptr;
  int (*next_ex)(pcap_t*, struct pcap_pkthdr**, const u_char**) = nullptr;
  char* (*geterr)(pcap_t*) = nullptr;
  void (*close)(pcap_t*) = nullptr;
};

// Loads the library `name` ("libpcap.so.0.8") and resolves the functions; throws
// Error(kUnreadable) naming the library and what the dynamic loader said when it cannot.
PcapLibrary LoadPcapLibrary(const char* name);

// The process's libpcap: the first of the usual sonames that loads (DARTDIAG_LIBPCAP, when set,
// names the one to use), loaded once, on first use, thread-safe.
const PcapLibrary& Pcap();

}  // namespace capture
}  // namespace dartdiag
