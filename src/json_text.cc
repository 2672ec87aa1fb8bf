// The JSON text check (json_text.h): a recursive-descent reader that builds nothing, bounded by
// the depth it is given. Tested by json_text_test.cc.
#include "json_text.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace dartdiag {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The length of the well-formed UTF-8 sequence at text[pos] (Unicode table 3-7), 0 if none.
size_t Utf8Length(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u; };
  const auto in = [](unsigned c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
  const unsigned b0 = byte(0), b1 = byte(1);
  if (b0 < 0x80) return 1;
  if (in(b0, 0xC2, 0xDF)) return in(b1, 0x80, 0xBF) ? 2 : 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED) hi = 0x9F;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  if (in(b0, 0xE0, 0xEF)) return in(b1, lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  if (in(b0, 0xF0, 0xF4)) return in(b1, lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_'; }

// A token quoted for a message: cut at 24 characters; the checker only quotes ASCII tokens.
std::string Quoted(std::string_view token) {
  return fmt::format("'{}{}'", token.substr(0, 24), token.size() > 24 ? "..." : "");
}

class Checker {
 public:
  // nlohmann_json reads a NUL byte outside a string as the end of the text, and so does this check
  // (inside a string, the cut leaves it without its closing quote: rejected either way).
  Checker(std::string_view text, int max_depth) : text_(text.substr(0, text.find('\0'))), max_depth_(max_depth) {}

  std::optional<JsonTextProblem> Run() {
    if (text_.starts_with(kBom)) start_ = pos_ = kBom.size();
    SkipSpace();
    if (pos_ == text_.size()) {
      Fail(pos_, "no JSON value (the text is empty)");
      return problem_;
    }
    if (!Value(0)) return problem_;
    SkipSpace();
    if (pos_ < text_.size()) Fail(pos_, fmt::format("unexpected {} after the end of the JSON value", Found()));
    return problem_;
  }

 private:
  bool Value(int depth) {
    if (pos_ == text_.size()) return Fail(pos_, "the text ends where a value should be");
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (depth >= max_depth_) {
        Fail(pos_, fmt::format("arrays and objects nest deeper than {} levels", max_depth_));
        problem_->too_deep = true;
        return false;
      }
      return c == '{' ? Object(depth + 1) : Array(depth + 1);
    }
    if (c == '"') return String();
    if (c == '-' || IsDigit(c)) return Number();
    if (IsWordChar(c)) return Word();
    return Fail(pos_, fmt::format("expected a value (an object, array, string, number, true, false or null), found {}",
                                  Found()));
  }

  bool Object(int depth) {
    ++pos_;
    SkipSpace();
    if (At('}')) return ++pos_, true;
    for (bool first = true;; first = false) {
      if (!At('"')) {
        return Fail(pos_, fmt::format("expected a quoted key{}, found {}", first ? " or '}'" : " after ','", Found()));
      }
      if (!String()) return false;
      SkipSpace();
      if (!At(':')) return Fail(pos_, fmt::format("expected ':' after the key, found {}", Found()));
      ++pos_;
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (At('}')) return ++pos_, true;
      if (!At(',')) return Fail(pos_, fmt::format("expected ',' or '}}' after a member, found {}", Found()));
      ++pos_;
      SkipSpace();
    }
  }

  bool Array(int depth) {
    ++pos_;
    SkipSpace();
    if (At(']')) return ++pos_, true;
    for (;;) {
      if (!Value(depth)) return false;
      SkipSpace();
      if (At(']')) return ++pos_, true;
      if (!At(',')) return Fail(pos_, fmt::format("expected ',' or ']' after an element, found {}", Found()));
      ++pos_;
      SkipSpace();
    }
  }

  bool String() {
    const size_t start = pos_++;
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') return ++pos_, true;
      if (c < 0x20) return Fail(pos_, fmt::format("a control character (U+{:04X}) in a string must be escaped", c));
      if (c == '\\') {
        if (!Escape()) return false;
      } else if (c >= 0x80) {
        const size_t length = Utf8Length(text_, pos_);
        if (length == 0) return Fail(pos_, fmt::format("invalid UTF-8 in a string (byte 0x{:02X})", c));
        pos_ += length;
      } else {
        ++pos_;
      }
    }
    return Fail(start, "a string has no closing quote");
  }

  // A backslash escape at pos_; \u escapes of surrogates must come as a high-low pair.
  bool Escape() {
    if (pos_ + 1 == text_.size()) return Fail(pos_, "a string ends inside an escape");
    const char e = text_[pos_ + 1];
    if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) return pos_ += 2, true;
    if (e != 'u') {
      const std::string shown =
          e > 0x20 && e < 0x7F ? std::string(1, e) : fmt::format("x{:02X}", static_cast<unsigned char>(e));
      return Fail(
          pos_,
          fmt::format("invalid escape in a string (\\{}; valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", shown));
    }
    const std::optional<unsigned> unit = Hex4(pos_ + 2);
    if (!unit) return Fail(pos_, "\\u must be followed by 4 hex digits");
    if (*unit >= 0xDC00 && *unit <= 0xDFFF) {
      return Fail(pos_, fmt::format("\\u{:04X} is a low surrogate without a high one before it", *unit));
    }
    if (*unit >= 0xD800 && *unit <= 0xDBFF) {
      const std::optional<unsigned> low = text_.substr(pos_ + 6, 2) == "\\u" ? Hex4(pos_ + 8) : std::nullopt;
      if (!low || *low < 0xDC00 || *low > 0xDFFF) {
        return Fail(
            pos_, fmt::format("\\u{:04X} is a high surrogate without a low one (\\uDC00 to \\uDFFF) after it", *unit));
      }
      pos_ += 6;
    }
    pos_ += 6;
    return true;
  }

  std::optional<unsigned> Hex4(size_t at) const {
    if (at + 4 > text_.size()) return std::nullopt;
    unsigned value = 0;
    for (size_t i = at; i < at + 4; ++i) {
      const char c = text_[i];
      const int digit = IsDigit(c)               ? c - '0'
                        : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                        : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                 : -1;
      if (digit < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    return value;
  }

  bool Number() {
    const size_t start = pos_;
    const auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      return pos_ > from;
    };
    const auto malformed = [&] {
      const auto in_token = [&](char c) { return IsWordChar(c) || c == '+' || c == '-' || c == '.'; };
      while (pos_ < text_.size() && in_token(text_[pos_])) ++pos_;
      return Fail(start, fmt::format("malformed number {}", Quoted(text_.substr(start, pos_ - start))));
    };
    if (At('-')) ++pos_;
    if (At('0')) {
      ++pos_;
      if (pos_ < text_.size() && IsDigit(text_[pos_])) return malformed();
    } else if (!digits()) {
      return malformed();
    }
    if (At('.')) {
      ++pos_;
      if (!digits()) return malformed();
    }
    if (At('e') || At('E')) {
      ++pos_;
      if (At('+') || At('-')) ++pos_;
      if (!digits()) return malformed();
    }
    // nlohmann_json reads numbers too large for a 64-bit integer as doubles, and refuses infinity.
    const std::string token(text_.substr(start, pos_ - start));
    if (!std::isfinite(std::strtod(token.c_str(), nullptr))) {
      return Fail(start, fmt::format("the number {} is out of range", Quoted(token)));
    }
    return true;
  }

  bool Word() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word == "true" || word == "false" || word == "null") return true;
    return Fail(start,
                fmt::format("unexpected word {} (strings need double quotes; the literals are true, false and null)",
                            Quoted(word)));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::string_view(" \t\n\r").find(text_[pos_]) != std::string_view::npos) ++pos_;
  }

  bool At(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  // What is at pos_, for a message: never a raw byte outside printable ASCII.
  std::string Found() const {
    if (pos_ == text_.size()) return "the end of the text";
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c > 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
    return fmt::format("byte 0x{:02X}", c);
  }

  bool Fail(size_t at, std::string what) {
    JsonTextProblem problem;
    size_t line_start = start_;
    for (size_t i = start_; i < at; ++i) {
      if (text_[i] == '\n') {
        ++problem.line;
        line_start = i + 1;
      }
    }
    for (size_t i = line_start; i < at; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++problem.column;
    }
    problem.what = std::move(what);
    problem_ = std::move(problem);
    return false;
  }

  std::string_view text_;
  const int max_depth_;
  size_t start_ = 0;  // past the BOM
  size_t pos_ = 0;
  std::optional<JsonTextProblem> problem_;
};

}  // namespace

std::optional<JsonTextProblem> CheckJsonText(std::string_view text, int max_depth) {
  return Checker(text, max_depth).Run();
}

}  // namespace dartdiag
