// The detectors and the pseudonym map of redaction. A text is rewritten in one pass: every
// detector proposes spans (a value to replace, or a service name or address to keep as it is),
// overlaps are settled (earliest first, then longest, then the detector's rank), and only the
// spans that win get a pseudonym, so numbering never counts a candidate that lost. Tested by
// redact_test.cc.
#include "report/redact.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "dartdiag/error.h"
#include "unexplained_collector.h"
#include "text_util.h"

namespace dartdiag {
namespace {

struct KindRow {
  PseudonymKind kind;
  std::string_view name;    // in the map file
  std::string_view prefix;  // of the pseudonym
  std::string_view suffix;
};
constexpr KindRow kKinds[] = {
    {PseudonymKind::kUser, "user", "user-", ""},
    {PseudonymKind::kHost, "host", "host-", ""},
    {PseudonymKind::kDomain, "domain", "domain-", ".example"},
    {PseudonymKind::kEmail, "email", "email-", ""},
    {PseudonymKind::kMac, "mac", "mac-", ""},
    {PseudonymKind::kIp, "ip", "ip-", ""},
    {PseudonymKind::kPublicIp, "public-ip", "public-ip-", ""},
    {PseudonymKind::kIp6, "ip6", "ip6-", ""},
    {PseudonymKind::kPublicIp6, "public-ip6", "public-ip6-", ""},
};

const KindRow& RowOf(PseudonymKind kind) {
  return *std::find_if(std::begin(kKinds), std::end(kKinds), [&](const KindRow& r) { return r.kind == kind; });
}

// Names of the service and reserved names: kept, with every name under them.
constexpr std::string_view kKeptDomains[] = {
    "opendns.com", "opendns.org", "umbrella.com", "cisco.com", "ciscoumbrella.com", "example", "example.com",
    "example.net", "example.org", "invalid",      "test",      "localhost",
};

// Top labels that make a dotted word a domain name in free text: generic ones and the names
// companies use inside their networks. Any other two-letter label is a country code, unless it is
// a common file extension.
constexpr std::string_view kTopLabels[] = {
    "com",      "net",      "org",  "edu",     "gov",         "mil",  "int",   "info",    "biz",    "name",    "pro",
    "io",       "ai",       "dev",  "cloud",   "online",      "site", "tech",  "xyz",     "local",  "lan",     "corp",
    "internal", "intranet", "home", "private", "localdomain", "arpa", "group", "company", "global", "network", "office",
};
constexpr std::string_view kTwoLetterExtensions[] = {"md", "sh", "py", "js", "cs", "db", "gz", "xz", "bz", "ps",
                                                     "pl", "rb", "go", "rs", "ts", "cc", "mm", "so", "vb"};

// Address blocks of the service (OpenDNS resolvers, SWG egress, registration), kept.
struct Block {
  std::string_view prefix;
  int bits;
};
constexpr Block kServiceBlocks[] = {
    {"208.67.216.0", 21}, {"146.112.0.0", 16}, {"155.190.0.0", 16}, {"151.186.0.0", 16},
    {"67.215.92.0", 24},  {"2620:119::", 32},  {"2620:171::", 32},
};
// Private, shared and link-local blocks: "ip-N" / "ip6-N" rather than "public-ip-N".
constexpr Block kPrivateBlocks[] = {
    {"10.0.0.0", 8},     {"172.16.0.0", 12}, {"192.168.0.0", 16}, {"100.64.0.0", 10},
    {"169.254.0.0", 16}, {"fc00::", 7},      {"fe80::", 10},
};
// Not anyone's: unspecified, loopback, multicast, broadcast. Kept.
constexpr Block kNobodysBlocks[] = {
    {"0.0.0.0", 8}, {"127.0.0.0", 8}, {"224.0.0.0", 4}, {"255.255.255.255", 32},
    {"::", 128},    {"::1", 128},     {"ff00::", 8},
};

// User folders that are not a person's.
constexpr std::string_view kSharedUserFolders[] = {"public", "default", "default user",  "all users",    "defaultuser0",
                                                   "shared", "guest",   "administrator", "systemprofile"};
// Words a learned value must not be (they would be replaced in pseudonyms or in the tool's own words).
constexpr std::string_view kNeverLearned[] = {"host", "user",     "domain",    "example", "email", "mac",    "public",
                                              "ip6",  "umbrella", "cisco",     "opendns", "dns",   "swg",    "ipv4",
                                              "ipv6", "local",    "localhost", "unknown", "none",  "system", "n/a"};

bool InBlock(const IpAddress& a, const Block& block) {
  const auto base = IpAddress::Parse(block.prefix);
  if (!base || base->family != a.family) return false;
  const int full = block.bits / 8, rest = block.bits % 8;
  if (!std::equal(a.bytes.begin(), a.bytes.begin() + full, base->bytes.begin())) return false;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (base->bytes[full] & mask);
}
template <size_t N>
bool InAny(const IpAddress& a, const Block (&blocks)[N]) {
  return std::any_of(std::begin(blocks), std::end(blocks), [&](const Block& b) { return InBlock(a, b); });
}

// What a learned value may not touch on either side: letters, digits, '_' and UTF-8. A hyphen
// or a dot is a boundary ("case-WKSTN-0042.zip" names the host WKSTN-0042).
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
}

// Letters and digits outside MaskMessage's placeholders.
size_t PlainAlnums(std::string_view masked) {
  size_t n = 0;
  for (size_t i = 0; i < masked.size(); ++i) {
    if (masked[i] == '<') {
      const size_t close = masked.find('>', i);
      if (close != std::string_view::npos) i = close;
      continue;
    }
    n += IsDigit(masked[i]) || (masked[i] >= 'a' && masked[i] <= 'z') || (masked[i] >= 'A' && masked[i] <= 'Z') ? 1 : 0;
  }
  return n;
}
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char At(std::string_view s, size_t i) { return i < s.size() ? s[i] : '\0'; }
char Before(std::string_view s, size_t i) { return i > 0 ? s[i - 1] : '\0'; }

template <size_t N>
bool IsOneOf(std::string_view value, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

std::vector<std::string_view> Labels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      labels.push_back(name.substr(start, i - start));
      start = i + 1;
    }
  }
  return labels;
}

bool IsTopLabel(std::string_view lower) {
  if (IsOneOf(lower, kTopLabels)) return true;
  return lower.size() == 2 && std::all_of(lower.begin(), lower.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
         !IsOneOf(lower, kTwoLetterExtensions);
}

// A version number that looks like an IPv4 address ("version 5.1.3.62", "v5.1.3.62").
bool FollowsVersionWord(std::string_view text, size_t begin) {
  std::string before = ToLower(text.substr(begin > 24 ? begin - 24 : 0, std::min<size_t>(begin, 24)));
  while (!before.empty() && (before.back() == ' ' || before.back() == ':' || before.back() == '=')) before.pop_back();
  if (before.ends_with("version") || before.ends_with("ver") || before.ends_with("build")) return true;
  return before.ends_with('v') && (before.size() == 1 || !IsAlnum(before[before.size() - 2]));
}

const RE2& Pattern(const char* text) {
  // Patterns live for the program; RE2 objects can be neither copied nor moved.
  static std::mutex mutex;
  static std::map<const char*, std::unique_ptr<const RE2>> compiled;
  const std::lock_guard lock(mutex);
  auto& slot = compiled[text];
  if (!slot) {
    RE2::Options options;
    options.set_log_errors(false);
    slot = std::make_unique<const RE2>(text, options);
  }
  return *slot;
}

constexpr const char* kEmailPattern =
    R"([A-Za-z0-9._%+-]+@(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])";
constexpr const char* kFqdnPattern =
    R"((?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?)";
constexpr const char* kMacPattern =
    R"([0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})";
constexpr const char* kIpv6Pattern = R"((?:[0-9A-Fa-f]{1,4})?(?::(?:[0-9A-Fa-f]{1,4})?){2,8}(?:\.[0-9]{1,3}){0,3})";
constexpr const char* kIpv4Pattern = R"([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})";
constexpr const char* kUserFolderPattern = R"((?i)(?:^|[\\/])(?:users|home|documents and settings)[\\/]+)";
constexpr const char* kPseudonymPattern =
    R"(email-[0-9]+@(?:domain-[0-9]+\.example|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)|domain-[0-9]+\.example|(?:public-)?ip6?-[0-9]+|host-[0-9]+|user-[0-9]+|mac-[0-9]+)";

// Each match of `pattern` in `text`: fn(begin, length).
template <typename Fn>
void ForEachMatch(const RE2& pattern, std::string_view text, Fn fn) {
  size_t pos = 0;
  re2::StringPiece match;
  while (pos <= text.size() &&
         pattern.Match(re2::StringPiece(text.data(), text.size()), pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t begin = static_cast<size_t>(match.data() - text.data());
    fn(begin, match.size());
    pos = begin + std::max<size_t>(match.size(), 1);
  }
}

// The user folder after "\Users\", "/Users/", "/home/" at `start`: up to the next separator
// (spaces allowed: "John Smith") when one follows on the line, else up to a space or quote.
std::string_view UserFolderAt(std::string_view text, size_t start) {
  size_t end = start;
  while (end < text.size() && text[end] != '\\' && text[end] != '/' && text[end] != '\n' && text[end] != '\r' &&
         end - start <= 64) {
    ++end;
  }
  std::string_view name = text.substr(start, end - start);
  const bool separated = end < text.size() && (text[end] == '\\' || text[end] == '/') && end - start <= 64;
  if (!separated) {
    const size_t stop = name.find_first_of(" \t\"'<>|:*?,;()[]{}");
    name = name.substr(0, stop);
  }
  if (name.find_first_of("\"<>|:*?") != std::string_view::npos) return {};
  return Trim(name);
}

bool IsSharedUserFolder(std::string_view name) {
  const std::string lower = ToLower(name);
  return name.empty() || name == "." || name == ".." || name.front() == '%' || name.front() == '<' ||
         name.front() == '$' || name.front() == '*' || IsOneOf(lower, kSharedUserFolders);
}

std::string MacKey(std::string_view mac) {
  std::string key;
  for (char c : mac) {
    if (IsHex(c)) key.push_back(ToLowerAscii(c));
  }
  return key;
}

uint64_t NumberOf(std::string_view pseudonym, std::string_view prefix) {
  uint64_t n = 0;
  for (size_t i = prefix.size(); i < pseudonym.size() && IsDigit(pseudonym[i]); ++i) n = n * 10 + (pseudonym[i] - '0');
  return n;
}

}  // namespace

std::string_view PseudonymKindName(PseudonymKind kind) { return RowOf(kind).name; }

struct Redactor::Span {
  enum class What { kKeep, kValue, kFqdn, kEmail };
  size_t begin = 0, end = 0;
  What what = What::kKeep;
  PseudonymKind kind = PseudonymKind::kHost;
  std::string key;  // kValue: the normalised value
  int rank = 0;     // the detector's place: the lower wins a tie
};

Redactor::Redactor() {
  for (const CaptureNetwork::Resolver& r : DefaultCaptureNetwork().resolvers) kept_addresses_.insert(r.address);
}

void Redactor::KeepAddress(const IpAddress& address) { kept_addresses_.insert(address); }
void Redactor::KeepName(std::string_view name) {
  std::string lower = ToLower(name);
  while (!lower.empty() && lower.back() == '.') lower.pop_back();
  if (!lower.empty()) kept_names_.insert(lower);
}

bool Redactor::IsKeptName(std::string_view lower_name) const {
  if (kept_names_.count(std::string(lower_name)) > 0) return true;
  for (std::string_view kept : kKeptDomains) {
    if (lower_name == kept || (lower_name.size() > kept.size() && lower_name.ends_with(kept) &&
                               lower_name[lower_name.size() - kept.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

bool Redactor::IsKeptAddress(const IpAddress& address) const {
  return kept_addresses_.count(address) > 0 || InAny(address, kServiceBlocks) || InAny(address, kNobodysBlocks);
}

std::string Redactor::Pseudonym(PseudonymKind kind, std::string_view key, std::string_view original) {
  const auto id = std::make_pair(kind, std::string(key));
  if (const auto it = index_.find(id); it != index_.end()) return entries_[it->second].pseudonym;
  const KindRow& row = RowOf(kind);
  const std::string pseudonym = fmt::format("{}{}{}", row.prefix, ++counters_[kind], row.suffix);
  index_.emplace(id, entries_.size());
  entries_.push_back({kind, std::string(original), pseudonym, false});
  return pseudonym;
}

std::string Redactor::FqdnPseudonym(std::string_view name) {
  std::string_view bare = name;
  while (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
  const std::string trailing(name.substr(bare.size()));
  const std::string lower = ToLower(bare);
  if (bare.empty() || IsKeptName(lower)) return std::string(name);
  const size_t dot = bare.find('.');
  if (dot == std::string_view::npos) return Pseudonym(PseudonymKind::kHost, lower, bare) + trailing;
  if (bare.find('.', dot + 1) == std::string_view::npos)
    return Pseudonym(PseudonymKind::kDomain, lower, bare) + trailing;
  const std::string host = Pseudonym(PseudonymKind::kHost, lower.substr(0, dot), bare.substr(0, dot));
  return host + "." + Pseudonym(PseudonymKind::kDomain, lower.substr(dot + 1), bare.substr(dot + 1)) + trailing;
}

std::string Redactor::EmailPseudonym(std::string_view address) {
  const std::string key = ToLower(address);
  if (const auto it = index_.find({PseudonymKind::kEmail, key}); it != index_.end())
    return entries_[it->second].pseudonym;
  // The whole domain of an address is one domain ("corp.acme.com"), as a host's is.
  const std::string_view domain_part = address.substr(address.rfind('@') + 1);
  const std::string lower_domain = ToLower(domain_part);
  const std::string domain = IsKeptName(lower_domain) ? std::string(domain_part)
                                                      : Pseudonym(PseudonymKind::kDomain, lower_domain, domain_part);
  const std::string pseudonym = fmt::format("email-{}@{}", ++counters_[PseudonymKind::kEmail], domain);
  index_.emplace(std::make_pair(PseudonymKind::kEmail, key), entries_.size());
  entries_.push_back({PseudonymKind::kEmail, std::string(address), pseudonym, false});
  return pseudonym;
}

void Redactor::Learn(PseudonymKind kind, std::string_view value, bool dns_name) {
  std::string lower = ToLower(Trim(value));
  while (dns_name && !lower.empty() && lower.back() == '.') lower.pop_back();
  if (lower.empty()) return;
  // Known now, so the same value in the map gets its pseudonym even if it is never replaced.
  if (dns_name) {
    FqdnPseudonym(lower);
  } else {
    Pseudonym(kind, lower, Trim(value));
    entries_[index_.at({kind, lower})].learned = true;
  }
  if (lower.size() < kMinLearnedLength || IsOneOf(lower, kNeverLearned) || IsKeptName(lower)) return;
  if (!learned_keys_.insert(std::string(dns_name ? "d:" : "v:") + lower).second) return;
  learned_.push_back({lower, lower, kind, dns_name});
  // The same value as an unexplained warning's template shows it ("WKSTN-<n>"): the same pseudonym.
  if (const std::string masked = ToLower(MaskMessage(lower));
      !dns_name && masked != lower && PlainAlnums(masked) >= kMinLearnedLength) {
    learned_.push_back({masked, lower, kind, false});
  }
  std::stable_sort(learned_.begin(), learned_.end(),
                   [](const Learned& a, const Learned& b) { return a.lower.size() > b.lower.size(); });
}

void Redactor::LearnUser(std::string_view name) {
  if (!IsSharedUserFolder(Trim(name))) Learn(PseudonymKind::kUser, name, false);
}
void Redactor::LearnHost(std::string_view name) {
  name = Trim(name);
  const size_t dot = name.find('.');
  if (dot != std::string_view::npos && dot > 0) {  // wevtutil writes the FQDN: its host, and the whole name
    Learn(PseudonymKind::kHost, name.substr(0, dot), false);
    Learn(PseudonymKind::kHost, name, true);
    return;
  }
  Learn(PseudonymKind::kHost, name, false);
}
void Redactor::LearnDomain(std::string_view name) { Learn(PseudonymKind::kDomain, name, false); }
void Redactor::LearnDnsName(std::string_view name) { Learn(PseudonymKind::kHost, name, true); }

void Redactor::LearnFrom(std::string_view text) {
  ForEachMatch(Pattern(kUserFolderPattern), text,
               [&](size_t begin, size_t length) { LearnUser(UserFolderAt(text, begin + length)); });
}

void Redactor::FindSpans(std::string_view text, std::vector<Span>& spans) const {
  using What = Span::What;
  ForEachMatch(Pattern(kEmailPattern), text, [&](size_t b, size_t n) {
    spans.push_back({b, b + n, What::kEmail, PseudonymKind::kEmail, "", 0});
  });
  ForEachMatch(Pattern(kUserFolderPattern), text, [&](size_t b, size_t n) {
    const std::string_view name = UserFolderAt(text, b + n);
    if (IsSharedUserFolder(name)) return;
    const size_t at = static_cast<size_t>(name.data() - text.data());
    spans.push_back({at, at + name.size(), What::kValue, PseudonymKind::kUser, ToLower(name), 1});
  });
  ForEachMatch(Pattern(kFqdnPattern), text, [&](size_t b, size_t n) {
    const std::string lower = ToLower(text.substr(b, n));
    const std::vector<std::string_view> labels = Labels(lower);
    if (IsKeptName(lower)) return spans.push_back({b, b + n, What::kKeep, PseudonymKind::kHost, "", 2});
    if (IsTopLabel(labels.back())) spans.push_back({b, b + n, What::kFqdn, PseudonymKind::kHost, "", 2});
  });
  ForEachMatch(Pattern(kMacPattern), text, [&](size_t b, size_t n) {
    const std::string_view mac = text.substr(b, n);
    const char sep = mac[2] == ':' || mac[2] == '-' ? mac[2] : '.';
    if (sep != '.' && std::count(mac.begin(), mac.end(), sep) != 5) return;
    if (IsHex(Before(text, b)) || Before(text, b) == ':' || Before(text, b) == '-' || IsHex(At(text, b + n))) return;
    if ((At(text, b + n) == sep || At(text, b + n) == ':') && IsHex(At(text, b + n + 1))) return;
    const std::string key = MacKey(mac);
    if (key == "000000000000" || key == "ffffffffffff") return;
    spans.push_back({b, b + n, What::kValue, PseudonymKind::kMac, key, 3});
  });
  ForEachMatch(Pattern(kIpv6Pattern), text, [&](size_t b, size_t n) {
    const char before = Before(text, b);
    if (IsAlnum(before) || before == ':' || before == '.' || before == '_') return;
    std::string_view candidate = text.substr(b, n);
    if (candidate.ends_with(':') && !candidate.ends_with("::")) candidate.remove_suffix(1);
    const char after = At(text, b + candidate.size());
    if (IsAlnum(after) || after == '_') return;
    const auto address = IpAddress::Parse(candidate);
    if (!address || address->family != 6) return;
    if (IsKeptAddress(*address))
      return spans.push_back({b, b + candidate.size(), What::kKeep, PseudonymKind::kIp6, "", 4});
    const PseudonymKind kind = InAny(*address, kPrivateBlocks) ? PseudonymKind::kIp6 : PseudonymKind::kPublicIp6;
    spans.push_back({b, b + candidate.size(), What::kValue, kind, address->ToString(), 4});
  });
  ForEachMatch(Pattern(kIpv4Pattern), text, [&](size_t b, size_t n) {
    if (IsDigit(Before(text, b)) || Before(text, b) == '.' || IsDigit(At(text, b + n))) return;
    if (At(text, b + n) == '.' && IsDigit(At(text, b + n + 1))) return;
    const auto address = IpAddress::Parse(text.substr(b, n));
    if (!address || FollowsVersionWord(text, b)) return;
    if (IsKeptAddress(*address)) return spans.push_back({b, b + n, What::kKeep, PseudonymKind::kIp, "", 5});
    const PseudonymKind kind = InAny(*address, kPrivateBlocks) ? PseudonymKind::kIp : PseudonymKind::kPublicIp;
    spans.push_back({b, b + n, What::kValue, kind, address->ToString(), 5});
  });
  if (learned_.empty()) return;
  const std::string lower = ToLower(text);
  for (const Learned& value : learned_) {
    for (size_t at = lower.find(value.lower); at != std::string::npos; at = lower.find(value.lower, at + 1)) {
      const size_t end = at + value.lower.size();
      if (IsWordByte(Before(text, at)) || IsWordByte(At(text, end))) continue;
      if (value.dns_name && (Before(text, at) == '.' || (At(text, end) == '.' && IsAlnum(At(text, end + 1))))) continue;
      spans.push_back({at, end, value.dns_name ? What::kFqdn : What::kValue, value.kind, value.key, 6});
    }
  }
}

std::string Redactor::Replacement(const Span& span, std::string_view text) {
  const std::string_view original = text.substr(span.begin, span.end - span.begin);
  switch (span.what) {
    case Span::What::kKeep: return std::string(original);
    case Span::What::kEmail: return EmailPseudonym(original);
    case Span::What::kFqdn: return FqdnPseudonym(original);
    case Span::What::kValue: return Pseudonym(span.kind, span.key, original);
  }
  return std::string(original);
}

std::string Redactor::Rewrite(std::string_view text) {
  std::vector<Span> spans;
  FindSpans(text, spans);
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end > b.end;
    return a.rank < b.rank;
  });
  std::string out;
  size_t pos = 0;
  for (const Span& span : spans) {
    if (span.begin < pos) continue;  // overlaps a span already taken
    out.append(text.substr(pos, span.begin - pos));
    out.append(Replacement(span, text));
    pos = span.end;
  }
  out.append(text.substr(pos));
  return out;
}

std::string Redactor::RewriteDnsName(std::string_view name) {
  if (name.find_first_of(" \t\r\n") != std::string_view::npos) return Rewrite(name);
  return FqdnPseudonym(name);
}

std::string Redactor::Restore(std::string_view text) const {
  std::map<std::string, std::string, std::less<>> originals;
  for (const Entry& e : entries_) originals.emplace(e.pseudonym, e.original);
  std::string out;
  size_t pos = 0;
  ForEachMatch(Pattern(kPseudonymPattern), text, [&](size_t b, size_t n) {
    if (IsWordByte(Before(text, b)) || IsDigit(At(text, b + n))) return;
    const auto it = originals.find(text.substr(b, n));
    if (it == originals.end() || b < pos) return;
    out.append(text.substr(pos, b - pos));
    out.append(it->second);
    pos = b + n;
  });
  out.append(text.substr(pos));
  return out;
}

std::string Redactor::MapJson() const {
  std::vector<const Entry*> sorted;
  for (const Entry& e : entries_) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) {
    const uint64_t na = NumberOf(a->pseudonym, RowOf(a->kind).prefix),
                   nb = NumberOf(b->pseudonym, RowOf(b->kind).prefix);
    return std::tie(a->kind, na) < std::tie(b->kind, nb);
  });
  nlohmann::ordered_json j;
  j["format"] = "dartdiag-redaction-map";
  j["version"] = 1;
  j["entries"] = nlohmann::ordered_json::array();
  for (const Entry* e : sorted) {
    nlohmann::ordered_json row;
    row["kind"] = PseudonymKindName(e->kind);
    row["pseudonym"] = e->pseudonym;
    row["original"] = e->original;
    if (e->learned) row["learned"] = true;
    j["entries"].push_back(std::move(row));
  }
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void Redactor::Save(const std::string& path) const {
  namespace fs = std::filesystem;
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    std::error_code ignored;
    fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write, ignored);
    out << MapJson();
    out.flush();
    if (!out) {
      fs::remove(temporary, ignored);
      throw Error(ExitCode::kUnreadable, fmt::format("{}: the redaction map could not be written", path));
    }
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    fs::remove(temporary, error);
    throw Error(ExitCode::kUnreadable, fmt::format("{}: the redaction map could not be written", path));
  }
}

void Redactor::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return;  // a new map
    throw Error(ExitCode::kUsage, fmt::format("{}: the redaction map cannot be read", path));
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto bad = [&](std::string_view why) {
    return Error(ExitCode::kUsage, fmt::format("{}: not a dartdiag redaction map ({})", path, why));
  };
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw bad("not a JSON object");
  if (j.value("format", "") != "dartdiag-redaction-map" || !j.contains("entries") || !j["entries"].is_array()) {
    throw bad("no \"format\": \"dartdiag-redaction-map\" and \"entries\" list");
  }
  for (const nlohmann::json& row : j["entries"]) {
    if (!row.is_object() || !row.contains("kind") || !row["kind"].is_string() || !row.contains("original") ||
        !row["original"].is_string() || !row.contains("pseudonym") || !row["pseudonym"].is_string()) {
      throw bad("an entry without kind, original and pseudonym strings");
    }
    const auto name = row["kind"].get<std::string>(), original = row["original"].get<std::string>(),
               pseudonym = row["pseudonym"].get<std::string>();
    const auto kind_row =
        std::find_if(std::begin(kKinds), std::end(kKinds), [&](const KindRow& r) { return r.name == name; });
    if (kind_row == std::end(kKinds)) throw bad(fmt::format("unknown kind '{}'", name));
    if (!pseudonym.starts_with(kind_row->prefix) || !IsDigit(At(pseudonym, kind_row->prefix.size()))) {
      throw bad(fmt::format("pseudonym '{}' is not a {} pseudonym", pseudonym, name));
    }
    std::string key = ToLower(original);
    if (kind_row->kind == PseudonymKind::kMac) key = MacKey(original);
    if (const auto ip = IpAddress::Parse(original); ip && name.find("ip") != std::string::npos) key = ip->ToString();
    const auto id = std::make_pair(kind_row->kind, key);
    if (index_.count(id) > 0) continue;
    index_.emplace(id, entries_.size());
    entries_.push_back({kind_row->kind, original, pseudonym, false});
    counters_[kind_row->kind] = std::max(counters_[kind_row->kind], NumberOf(pseudonym, kind_row->prefix));
    if (row.value("learned", false)) Learn(kind_row->kind, original, false);
  }
}

}  // namespace dartdiag
