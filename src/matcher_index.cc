// Event matching compiled per rule pack (see matcher_index.h).
// Tested by matcher_index_test.cc (against RE2 itself) and every end-to-end test.
#include "matcher_index.h"

#include "text_util.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>

namespace dartdiag {
namespace {

// Stages run in this order: fields that are short in every log first, the message next, so the
// cheap tests rule most events out before a long field is scanned; last the fields a parser
// derives from the message on demand (plugin port and candidates), so few events pay for them.
constexpr std::array<int, kFieldCount> kFieldCost = {
    /*level*/ 2,    /*thread*/ 3, /*pid*/ 4,   /*component*/ 9,   /*source*/ 8,    /*event_id*/ 5,
    /*message*/ 12, /*family*/ 1, /*port*/ 13, /*candidates*/ 14, /*fail_open*/ 6, /*cmode*/ 7,
    /*tmode*/ 7,
};

bool Intersects(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  for (size_t w = 0; w < a.size(); ++w) {
    if (a[w] & b[w]) return true;
  }
  return false;
}

void Set(std::vector<uint64_t>& words, size_t offset, size_t slot) {
  words[offset + slot / 64] |= uint64_t{1} << (slot % 64);
}

// Atoms shorter than this are not worth a search of their own (RE2's own default is 3).
constexpr int kMinAtomLength = 2;

constexpr uint64_t kNonAscii = uint64_t{1} << 63;  // atoms use bits 0..62
constexpr size_t kMaxRememberedCombinations = 1024;

bool IsAscii(std::string_view s) {
  uint64_t high = 0;  // eight bytes at a time
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, s.data() + i, 8);
    high |= word;
  }
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]);
  return (high & 0x8080808080808080u) == 0;
}

// Stages with at most this many patterns, all plain text, compare each directly: a few searches
// cost less than a prefilter pass. More patterns go through the prefilter.
constexpr size_t kMaxDirectLiterals = 8;

// RE2's \b: ASCII word characters only.
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsBoundary(std::string_view value, size_t pos) {
  const bool before = pos > 0 && IsWordByte(value[pos - 1]);
  const bool after = pos < value.size() && IsWordByte(value[pos]);
  return before != after;
}

// The pieces of a pattern that LiteralPattern::Parse understands.
struct Token {
  enum Kind { kChar, kCaret, kDollar, kBoundary, kOpen, kClose, kBar, kOther } kind;
  char c = 0;
};

std::vector<Token> Tokenize(std::string_view p) {
  std::vector<Token> tokens;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (static_cast<unsigned char>(c) >= 0x80) return {{Token::kOther}};
    switch (c) {
      case '\\': {
        if (i + 1 >= p.size()) return {{Token::kOther}};
        const char next = p[++i];
        if (next == 'b') {
          tokens.push_back({Token::kBoundary});
        } else if (static_cast<unsigned char>(next) < 0x80 && std::ispunct(static_cast<unsigned char>(next))) {
          tokens.push_back({Token::kChar, next});
        } else {
          return {{Token::kOther}};  // \d, \s, \x41, \Q...: a class or an escape of its own
        }
        break;
      }
      case '^': tokens.push_back({Token::kCaret}); break;
      case '$': tokens.push_back({Token::kDollar}); break;
      case '|': tokens.push_back({Token::kBar}); break;
      case ')': tokens.push_back({Token::kClose}); break;
      case '(':
        if (p.substr(i + 1, 2) == "?:") {
          i += 2;
        } else if (p.substr(i + 1, 1) == "?") {
          return {{Token::kOther}};  // flags or a named group
        }
        tokens.push_back({Token::kOpen});
        break;
      case '.':
      case '*':
      case '+':
      case '?':
      case '[':
      case ']':
      case '{':
      case '}': return {{Token::kOther}};
      default: tokens.push_back({Token::kChar, c});
    }
  }
  return tokens;
}

}  // namespace

std::optional<LiteralPattern> LiteralPattern::Parse(std::string_view pattern) {
  LiteralPattern literal;
  if (pattern.starts_with("(?i)")) {
    literal.fold = true;
    pattern.remove_prefix(4);
  }
  const std::vector<Token> tokens = Tokenize(pattern);
  size_t i = 0, end = tokens.size();
  const auto take_first = [&](Token::Kind kind) {
    const bool taken = i < end && tokens[i].kind == kind;
    i += taken ? 1 : 0;
    return taken;
  };
  const auto take_last = [&](Token::Kind kind) {
    const bool taken = end > i && tokens[end - 1].kind == kind;
    end -= taken ? 1 : 0;
    return taken;
  };
  literal.anchor_start = take_first(Token::kCaret);
  literal.boundary_start = take_first(Token::kBoundary);
  literal.anchor_end = take_last(Token::kDollar);
  literal.boundary_end = take_last(Token::kBoundary);
  const bool group = end - i >= 2 && tokens[i].kind == Token::kOpen && tokens[end - 1].kind == Token::kClose;
  if (group) {
    ++i;
    --end;
  }
  std::string text;
  for (; i <= end; ++i) {
    if (i == end || tokens[i].kind == Token::kBar) {
      if (text.empty()) return std::nullopt;
      literal.alternatives.push_back(std::move(text));
      text.clear();
      if (i < end && !group) return std::nullopt;  // a|b at the top: anchors would bind to one side
      continue;
    }
    if (tokens[i].kind != Token::kChar) return std::nullopt;
    text += literal.fold ? ToLowerAscii(tokens[i].c) : tokens[i].c;
  }
  return literal;
}

std::optional<bool> LiteralPattern::Matches(std::string_view value) const {
  // An ASCII case-insensitive match is a match for RE2 too (its Unicode folding only adds
  // characters); only a miss on a value with non-ASCII bytes is left to RE2.
  const bool found = Find(value);
  if (!found && fold && !IsAscii(value)) return std::nullopt;
  return found;
}

bool LiteralPattern::Find(std::string_view value) const {
  const auto equal_at = [&](const std::string& text, size_t pos) {
    if (!fold) return value.compare(pos, text.size(), text) == 0;
    for (size_t k = 0; k < text.size(); ++k) {
      if (ToLowerAscii(value[pos + k]) != text[k]) return false;
    }
    return true;
  };
  const auto holds_at = [&](const std::string& text, size_t pos) {
    return equal_at(text, pos) && (!boundary_start || IsBoundary(value, pos)) &&
           (!boundary_end || IsBoundary(value, pos + text.size()));
  };
  for (const std::string& text : alternatives) {
    if (text.size() > value.size()) continue;
    const size_t last = value.size() - text.size();
    if (anchor_start || anchor_end) {
      if (anchor_start && anchor_end && last != 0) continue;
      if (holds_at(text, anchor_start ? 0 : last)) return true;
      continue;
    }
    if (!fold) {
      for (size_t pos = value.find(text); pos != std::string_view::npos; pos = value.find(text, pos + 1)) {
        if (holds_at(text, pos)) return true;
      }
      continue;
    }
    const char first = text[0];
    const bool letter = first >= 'a' && first <= 'z';  // then c | 0x20 == first only for its two cases
    for (size_t pos = 0; pos <= last; ++pos) {
      const char c = value[pos];
      if ((letter ? static_cast<char>(c | 0x20) == first : c == first) && holds_at(text, pos)) return true;
    }
  }
  return false;
}

void MatcherIndex::BuildPrefilter(Stage& stage) {
  auto filter = std::make_unique<re2::FilteredRE2>(kMinAtomLength);
  for (const re2::RE2* re : stage.patterns) {
    int id = 0;
    if (filter->Add(re->pattern(), re->options(), &id) != re2::RE2::NoError) return;
  }
  std::vector<std::string> atoms;
  filter->Compile(&atoms);
  // The prefilter lowercases with Unicode case folding; values are compared ignoring ASCII case
  // only, so it is used only when every atom is ASCII (and, at match time, the value too).
  if (atoms.empty() || atoms.size() > 63 ||
      !std::all_of(atoms.begin(), atoms.end(), [](const std::string& a) { return !a.empty() && IsAscii(a); })) {
    return;
  }
  for (size_t c = 0x80; c < 0x100; ++c) stage.starting[c] = kNonAscii;
  const auto mark = [](std::array<uint64_t, 256>& table, char c, size_t a) {
    const auto byte = static_cast<unsigned char>(c);
    table[byte] |= uint64_t{1} << a;
    if (byte >= 'a' && byte <= 'z') table[byte - 32u] |= uint64_t{1} << a;
  };
  for (size_t a = 0; a < atoms.size(); ++a) {
    mark(stage.starting, atoms[a][0], a);
    if (atoms[a].size() > 1) {
      mark(stage.second, atoms[a][1], a);
    } else {
      stage.single |= uint64_t{1} << a;
    }
  }
  for (uint64_t& bits : stage.second) bits |= stage.single;
  filter->AllPotentials({}, &stage.unfiltered);
  stage.atoms = std::move(atoms);
  stage.filter = std::move(filter);
}

const std::vector<int>* MatcherIndex::Prefilter(Stage& stage, std::string_view value) {
  if (stage.filter == nullptr) return nullptr;
  uint64_t found = 0;
  const char* data = value.data();
  const size_t size = value.size();
  for (size_t i = 0; i < size; ++i) {
    const uint64_t starting = stage.starting[static_cast<unsigned char>(data[i])];
    if (starting == 0) continue;
    if (starting == kNonAscii) return nullptr;
    // The byte after must be the atom's second: most false starts end here, without a compare.
    const uint64_t follows = i + 1 < size ? stage.second[static_cast<unsigned char>(data[i + 1])] : stage.single;
    for (uint64_t bits = starting & ~found & follows; bits != 0; bits &= bits - 1) {
      const auto a = static_cast<size_t>(__builtin_ctzll(bits));
      const std::string& atom = stage.atoms[a];
      if (atom.size() > size - i) continue;
      size_t k = 1;  // the first byte matched through the table
      while (k < atom.size() && ToLowerAscii(data[i + k]) == atom[k]) ++k;
      if (k == atom.size()) found |= uint64_t{1} << a;
    }
  }
  if (found == 0) return &stage.unfiltered;
  auto it = stage.potentials.find(found);
  if (it == stage.potentials.end()) {  // each combination of atoms asks FilteredRE2 once
    found_atoms_.clear();
    for (size_t a = 0; a < stage.atoms.size(); ++a) {
      if ((found >> a) & 1) found_atoms_.push_back(static_cast<int>(a));
    }
    std::vector<int> potential;
    stage.filter->AllPotentials(found_atoms_, &potential);
    if (stage.potentials.size() >= kMaxRememberedCombinations) {  // hostile variety: no memo
      uncached_ = std::move(potential);
      return &uncached_;
    }
    it = stage.potentials.emplace(found, std::move(potential)).first;
  }
  return &it->second;
}

MatcherIndex::MatcherIndex(const std::vector<const Matcher*>& slots)
    : words_(std::max<size_t>(1, (slots.size() + 63) / 64)), mask_(words_), hit_(words_) {
  for (size_t s = 0; s < slots.size(); ++s) {
    if (slots[s] == nullptr) continue;
    const Matcher& matcher = *slots[s];
    if (matcher.log >= logs_.size()) logs_.resize(matcher.log + size_t{1});
    LogIndex& log = logs_[matcher.log];
    if (log.slots.empty()) log.slots.assign(words_, 0);
    Set(log.slots, 0, s);
    for (const auto& pattern : matcher.patterns) {
      const FieldId field = pattern.first;  // named copies: clang 14 cannot capture bindings
      const re2::RE2* re = pattern.second.get();
      // A slot with two patterns on one field (not expressible in JSON, but possible in a
      // Matcher) gets the second one in a further stage of the same field.
      auto stage = std::find_if(log.stages.begin(), log.stages.end(), [&](const Stage& st) {
        return st.field == field && !((st.needs[s / 64] >> (s % 64)) & 1);
      });
      if (stage == log.stages.end()) {
        stage = log.stages.emplace(log.stages.end());
        stage->field = field;
        stage->needs.assign(words_, 0);
      }
      Set(stage->needs, 0, s);
      auto same = std::find_if(stage->patterns.begin(), stage->patterns.end(),
                               [&](const re2::RE2* p) { return p->pattern() == re->pattern(); });
      if (same == stage->patterns.end()) {
        stage->patterns.push_back(re);
        stage->pattern_slots.resize(stage->pattern_slots.size() + words_, 0);
        same = stage->patterns.end() - 1;
      }
      Set(stage->pattern_slots, static_cast<size_t>(same - stage->patterns.begin()) * words_, s);
    }
  }
  for (LogIndex& log : logs_) {
    std::stable_sort(log.stages.begin(), log.stages.end(), [](const Stage& a, const Stage& b) {
      return kFieldCost[static_cast<size_t>(a.field)] < kFieldCost[static_cast<size_t>(b.field)];
    });
    for (Stage& stage : log.stages) {
      for (const re2::RE2* re : stage.patterns) {
        const re2::RE2::Options& o = re->options();
        const bool plain_options = o.encoding() == re2::RE2::Options::EncodingUTF8 && !o.posix_syntax() &&
                                   !o.literal() && o.case_sensitive() && !o.longest_match();
        stage.literals.push_back(plain_options ? LiteralPattern::Parse(re->pattern()) : std::nullopt);
      }
      stage.all_literal =
          stage.patterns.size() <= kMaxDirectLiterals &&
          std::all_of(stage.literals.begin(), stage.literals.end(), [](const auto& l) { return l.has_value(); });
      if (stage.all_literal) continue;
      BuildPrefilter(stage);
      if (stage.patterns.size() < 2) continue;
      auto set = std::make_unique<re2::RE2::Set>(stage.patterns.front()->options(), re2::RE2::UNANCHORED);
      bool ok = true;
      for (const re2::RE2* re : stage.patterns) ok = ok && set->Add(re->pattern(), nullptr) >= 0;
      if (ok && set->Compile()) stage.set = std::move(set);  // else each pattern on its own
    }
  }
}

bool MatcherIndex::MatchOne(const Stage& stage, size_t p, std::string_view value) {
  if (const std::optional<LiteralPattern>& literal = stage.literals[p]) {
    if (const std::optional<bool> matches = literal->Matches(value)) return *matches;
  }
  return re2::RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *stage.patterns[p]);
}

namespace {

constexpr size_t kRemembered = 64;          // values per stage
constexpr size_t kLongestRemembered = 512;  // longer values are matched every time

// The hash by which `value` is remembered, of all of it (the value is compared in full on a hit
// too). Values met in turn often differ in one byte ("Dns Protection IPv4 State Machine" and
// "...IPv6..."): a hash of a few pieces of them, or one whose last step keeps low bits that a
// byte's difference never reaches, would give both the same places.
uint64_t RememberedHash(std::string_view value) {
  constexpr uint64_t kMul = 0xff51afd7ed558ccdULL;
  const size_t size = value.size();
  const char* data = value.data();
  uint64_t h = size * 0x9e3779b97f4a7c15ULL;
  size_t at = 0;
  for (; at + 8 <= size; at += 8) {
    uint64_t word;
    std::memcpy(&word, data + at, 8);
    h = (h ^ word) * kMul;
  }
  if (at < size) {
    uint64_t word = 0;
    if (size >= 8) {
      std::memcpy(&word, data + size - 8, 8);  // the last eight bytes, overlapping those before
    } else {
      for (; at < size; ++at) word = word << 8 | static_cast<unsigned char>(data[at]);
    }
    h = (h ^ word) * kMul;
  }
  // Murmur3's finaliser: every bit reaches the few kept (a product carries differences upwards only).
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

void MatcherIndex::MatchStage(Stage& stage, std::string_view value) {
  if (value.size() > kLongestRemembered) {
    MatchPatterns(stage, value);
    return;
  }
  if (stage.remembered.empty()) stage.remembered.resize(kRemembered);
  const uint64_t h = RememberedHash(value);
  Stage::Remembered& a = stage.remembered[h % kRemembered];
  Stage::Remembered& b = stage.remembered[(h >> 32) % kRemembered];
  ++stage.uses;
  for (Stage::Remembered* r : {&a, &b}) {
    if (r->used != 0 && r->value == value) {
      r->used = stage.uses;
      for (size_t w = 0; w < words_; ++w) hit_[w] |= r->hit[w];
      return;
    }
  }
  // hit_ holds no other stage's slots here (Match clears it per stage): it is this stage's answer.
  MatchPatterns(stage, value);
  Stage::Remembered& r = a.used <= b.used ? a : b;  // an empty place, or the one met longer ago
  r.value.assign(value);
  r.hit.assign(hit_.begin(), hit_.end());
  r.used = stage.uses;
}

void MatcherIndex::MatchPatterns(Stage& stage, std::string_view value) {
  const re2::StringPiece text(value.data(), value.size());
  const auto add = [&](size_t p) {
    for (size_t w = 0; w < words_; ++w) hit_[w] |= stage.pattern_slots[p * words_ + w];
  };
  if (stage.all_literal) {
    for (size_t p = 0; p < stage.patterns.size(); ++p) {
      if (MatchOne(stage, p, value)) add(p);
    }
    return;
  }
  if (const std::vector<int>* candidates = Prefilter(stage, value)) {  // patterns whose atoms occur
    for (int p : *candidates) {
      if (MatchOne(stage, static_cast<size_t>(p), value)) add(static_cast<size_t>(p));
    }
    return;
  }
  if (stage.set != nullptr) {
    re2::RE2::Set::ErrorInfo error{};
    // Most events match none: ask yes/no first, which needs no list of indices.
    if (!stage.set->Match(text, nullptr, &error)) {
      if (error.kind == re2::RE2::Set::kNoError) return;
    } else if (stage.set->Match(text, &set_hits_, &error)) {
      for (int p : set_hits_) add(static_cast<size_t>(p));
      return;
    } else if (error.kind == re2::RE2::Set::kNoError) {
      return;
    }
    // The set's DFA ran out of memory: match the patterns one by one (RE2 falls back to NFA).
  }
  for (size_t p = 0; p < stage.patterns.size(); ++p) {
    if (MatchOne(stage, p, value)) add(p);
  }
}

std::span<const uint64_t> MatcherIndex::Match(const Event& event) {
  if (event.log >= logs_.size() || logs_[event.log].slots.empty()) {
    std::fill(mask_.begin(), mask_.end(), 0);
    return mask_;
  }
  LogIndex& log = logs_[event.log];
  // A word or two: loops, where std::copy and std::fill call memmove and memset.
  for (size_t w = 0; w < words_; ++w) mask_[w] = log.slots[w];
  for (Stage& stage : log.stages) {
    if (!Intersects(mask_, stage.needs)) continue;
    for (size_t w = 0; w < words_; ++w) hit_[w] = 0;
    MatchStage(stage, event.Get(stage.field));
    bool any = false;
    for (size_t w = 0; w < words_; ++w) {
      mask_[w] &= ~stage.needs[w] | hit_[w];
      any = any || mask_[w] != 0;
    }
    if (!any) break;
  }
  return mask_;
}

}  // namespace dartdiag
