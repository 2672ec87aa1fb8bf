// Typed span detectors for MaskMessage (see message_masks.h). Tested by unexplained_test.cc.
#include "message_masks.h"

#include <algorithm>
#include <array>

#include "text_util.h"

namespace dartdiag {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || IsDigit(c); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsBreak(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '|';
}
bool IsTrailingPunct(char c) { return c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '!' || c == '?'; }

// Length of the run from pos to the first break, without trailing punctuation.
size_t RunToBreak(std::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && !IsBreak(s[end])) ++end;
  while (end > pos && IsTrailingPunct(s[end - 1])) --end;
  return end - pos;
}

// Top-level domains that make a dotted name a host name rather than a file or a type name.
constexpr std::array<std::string_view, 30> kTopLevel = {
    "com", "net", "org", "io", "local", "lan", "corp", "internal", "home", "edu", "gov", "mil", "int", "biz", "info",
    "co", "us", "uk", "de", "fr", "nl", "jp", "cn", "tw", "au", "ca", "in", "eu", "ch", "se"};

bool IsTopLevel(std::string_view label) {
  if (label.size() < 2 || label.size() > 8) return false;
  return std::any_of(kTopLevel.begin(), kTopLevel.end(), [&](std::string_view t) { return EqualsIgnoreCase(label, t); });
}

}  // namespace

size_t UrlAt(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && IsAlpha(s[i]) && i - pos <= 10) ++i;
  if (i - pos < 2 || s.substr(i, 3) != "://") return 0;
  const size_t n = RunToBreak(s, pos);
  return n > i + 3 - pos ? n : 0;
}

size_t EmailAt(std::string_view s, size_t pos) {
  size_t i = pos;
  const auto local = [](char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
  while (i < s.size() && local(s[i])) ++i;
  if (i == pos || i >= s.size() || s[i] != '@') return 0;
  const size_t domain = ++i;
  size_t dots = 0, label = 0;
  while (i < s.size() && (IsAlnum(s[i]) || s[i] == '-' || (s[i] == '.' && label > 0))) {
    if (s[i] == '.') {
      ++dots;
      label = 0;
    } else {
      ++label;
    }
    ++i;
  }
  if (i > domain && s[i - 1] == '.') {  // a full stop after the address
    --i;
    --dots;
    label = 1;
  }
  return dots > 0 && label > 0 ? i - pos : 0;
}

size_t WindowsPathAt(std::string_view s, size_t pos) {
  const bool drive = pos + 2 < s.size() && IsAlpha(s[pos]) && s[pos + 1] == ':' && s[pos + 2] == '\\';
  const bool unc = pos + 2 < s.size() && s[pos] == '\\' && s[pos + 1] == '\\' && IsAlnum(s[pos + 2]);
  if (!drive && !unc) return 0;
  if (pos > 0 && (s[pos - 1] == '\'' || s[pos - 1] == '"')) {  // quoted: spaces are part of it
    const size_t close = s.find(s[pos - 1], pos);
    if (close != std::string_view::npos && close > pos + 3) return close - pos;
  }
  const size_t n = RunToBreak(s, pos);
  return n > 3 ? n : 0;
}

size_t HostAt(std::string_view s, size_t pos) {
  const char first = s[pos];
  for (std::string_view prefix : {"DESKTOP-", "LAPTOP-", "WIN-"}) {  // Windows default names
    if (first != prefix[0] || s.substr(pos, prefix.size()) != prefix) continue;
    size_t i = pos + prefix.size();
    while (i < s.size() && IsUpperAlnum(s[i])) ++i;
    const size_t tail = i - pos - prefix.size();
    if (tail >= 5 && tail <= 15 && (i == s.size() || !IsWordChar(s[i]))) {
      // DESKTOP-7Q2W9E.corp.example.com: the whole name
      if (i < s.size() && s[i] == '.') {
        if (const size_t more = HostAt(s, i + 1); more > 0) return i + 1 + more - pos;
      }
      return i - pos;
    }
  }
  if (!IsAlnum(s[pos])) return 0;
  size_t i = pos, labels = 0, last_begin = pos;
  while (true) {
    const size_t begin = i;
    while (i < s.size() && (IsAlnum(s[i]) || s[i] == '-')) ++i;
    if (i == begin || s[begin] == '-' || s[i - 1] == '-' || i - begin > 63) return 0;
    ++labels;
    last_begin = begin;
    if (i + 1 < s.size() && s[i] == '.' && IsAlnum(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (i < s.size() && (IsWordChar(s[i]) || s[i] == '@')) return 0;
  const std::string_view last = s.substr(last_begin, i - last_begin);
  if (labels < 2 || !std::all_of(last.begin(), last.end(), IsAlpha) || !IsTopLevel(last)) return 0;
  return i - pos;
}

}  // namespace dartdiag
