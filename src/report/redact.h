// Redaction: personal values (user names, host names, e-mail addresses, customer domains, MAC
// and IP addresses) replaced by stable pseudonyms ("user-1", "host-2", "domain-3.example",
// "ip-4"), the way `sos clean` obfuscates a report before it is shared. `Redactor` owns the
// detectors and the pseudonym map (which can be read from and written to a JSON file, so runs
// share it); redact_result.cc walks a Result with it. Tested by redact_test.cc.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "capture/capture.h"

namespace dartdiag {

// What a pseudonym stands for; each kind has its own counter and prefix (kPseudonymKinds).
enum class PseudonymKind : uint8_t {
  kUser,       // user-N: a user name (a user folder in a path, an event's user)
  kHost,       // host-N: a host name, or the first label of a host's FQDN
  kDomain,     // domain-N.example: a customer domain (what follows a host's first label)
  kEmail,      // email-N@<domain pseudonym>
  kMac,        // mac-N
  kIp,         // ip-N: a private, shared (100.64/10) or link-local IPv4 address
  kPublicIp,   // public-ip-N: any other IPv4 address that is not the service's
  kIp6,        // ip6-N: a unique-local or link-local IPv6 address
  kPublicIp6,  // public-ip6-N
};
std::string_view PseudonymKindName(PseudonymKind kind);  // "user", "host", ..., "public-ip6"

class Redactor {
 public:
  Redactor();

  // The map: read from a file written by Save (absent: nothing yet), so pseudonyms stay the same
  // across runs; Load throws Error(kUsage) for a file that is not such a map. Save writes it
  // whole (owner-only permissions, written beside and renamed), throws Error(kUnreadable).
  void Load(const std::string& path);
  void Save(const std::string& path) const;
  std::string MapJson() const;  // what Save writes

  // Values that stay as they are: SWG proxy addresses and the names that led to them.
  void KeepAddress(const IpAddress& address);
  void KeepName(std::string_view name);

  // Known positions. A value learned here is replaced wherever it appears later, as a word, in
  // any case (values shorter than kMinLearnedLength only where they were found).
  void LearnUser(std::string_view name);
  void LearnHost(std::string_view name);
  void LearnDomain(std::string_view name);   // a Windows (NetBIOS) domain: "CORP" of "CORP\alice"
  void LearnDnsName(std::string_view name);  // a name queried in DNS: all its labels are the customer's
  // Runs the position detectors (user folders in paths) over `text` and learns what they find.
  void LearnFrom(std::string_view text);

  // `text` with every personal value replaced: position detectors, free-text detectors (e-mail,
  // FQDN, MAC, IPv6, IPv4) and the learned values; service names and addresses stay.
  std::string Rewrite(std::string_view text);
  // A DNS name in a position that holds one (a query name): redacted even when its top label is
  // not a known top-level domain, a single label as a host.
  std::string RewriteDnsName(std::string_view name);

  // Pseudonyms in `text` replaced by the originals the map holds (the reverse of Rewrite).
  std::string Restore(std::string_view text) const;

  size_t size() const { return entries_.size(); }

  struct Entry {
    PseudonymKind kind;
    std::string original;   // as first seen
    std::string pseudonym;  // "host-3", "domain-1.example", "email-2@domain-1.example"
    bool learned = false;   // found at a known position: replaced wherever it appears as a word
  };
  const std::vector<Entry>& entries() const { return entries_; }

  static constexpr size_t kMinLearnedLength = 3;

 private:
  struct Span;
  void FindSpans(std::string_view text, std::vector<Span>& spans) const;
  std::string Replacement(const Span& span, std::string_view text);
  std::string Pseudonym(PseudonymKind kind, std::string_view key, std::string_view original);
  std::string FqdnPseudonym(std::string_view name);
  std::string EmailPseudonym(std::string_view address);
  bool IsKeptName(std::string_view lower_name) const;
  bool IsKeptAddress(const IpAddress& address) const;
  void Learn(PseudonymKind kind, std::string_view value, bool dns_name);

  std::vector<Entry> entries_;
  std::map<std::pair<PseudonymKind, std::string>, size_t> index_;  // (kind, key) -> entries_
  std::map<PseudonymKind, uint64_t> counters_;
  struct Learned {
    std::string lower;  // the text to find
    std::string key;    // of its entry
    PseudonymKind kind;
    bool dns_name;
  };
  std::vector<Learned> learned_;  // longest first
  std::set<std::string> learned_keys_;
  std::set<IpAddress> kept_addresses_;
  std::set<std::string> kept_names_;  // lower case
};

// A Redactor shared by the workers of a batch.
struct SharedRedactor {
  std::mutex mutex;
  Redactor redactor;
};

}  // namespace dartdiag
