// libpcap loaded on first use (see pcap_library.h). Tested by capture_test.cc.
#include "capture/pcap_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "dartdiag/error.h"

namespace dartdiag {
namespace capture {
namespace {

// Debian and Ubuntu name the runtime libpcap.so.0.8, most other distributions libpcap.so.1.
constexpr const char* kSonames[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};

std::string LoaderError() {
  const char* why = dlerror();
  return why != nullptr ? why : "unknown error";
}

template <typename Fn>
void Resolve(void* handle, const char* library, const char* symbol, Fn& fn) {
  void* address = dlsym(handle, symbol);
  if (address == nullptr) {
    throw Error(ExitCode::kUnreadable,
                fmt::format("captures cannot be read: {} has no {} ({})", library, symbol, LoaderError()));
  }
  fn = reinterpret_cast<Fn>(address);
}

PcapLibrary LoadFirst() {
  if (const char* chosen = std::getenv("DARTDIAG_LIBPCAP"); chosen != nullptr && *chosen != '\0') {
    return LoadPcapLibrary(chosen);
  }
  std::string tried;
  for (const char* name : kSonames) {
    try {
      return LoadPcapLibrary(name);
    } catch (const Error& error) {
      if (tried.empty()) tried = error.what();
    }
  }
  throw Error(ExitCode::kUnreadable, tried);
}

}  // namespace

PcapLibrary LoadPcapLibrary(const char* name) {
  // Never unloaded: the process keeps libpcap once a capture was read.
  void* handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw Error(ExitCode::kUnreadable,
                fmt::format("captures cannot be read: libpcap ({}) does not load: {}", name, LoaderError()));
  }
  PcapLibrary library;
  Resolve(handle, name, "pcap_fopen_offline_with_tstamp_precision", library.fopen_offline_with_tstamp_precision);
  Resolve(handle, name, "pcap_datalink", library.datalink);
  Resolve(handle, name, "pcap_next_ex", library.next_ex);
  Resolve(handle, name, "pcap_geterr", library.geterr);
  Resolve(handle, name, "pcap_close", library.close);
  return library;
}

const PcapLibrary& Pcap() {
  static const PcapLibrary library = LoadFirst();
  return library;
}

}  // namespace capture
}  // namespace dartdiag
