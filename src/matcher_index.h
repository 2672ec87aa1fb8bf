// The rule engine's event matching, compiled once per rule pack (internal header): which event
// patterns ("slots") an event matches, as a bitmask, at the cost of about one regex pass per
// field instead of one per pattern, and usually none: for each log type and field, the distinct
// patterns that slots place on that field form one stage. A stage of a few plain-text patterns
// compares them directly; otherwise a literal prefilter (the atoms RE2's FilteredRE2 derives,
// found in one pass over the value) sits in front of a single RE2 or an RE2::Set matched once,
// and plain-text candidates skip RE2. Stages run cheapest field first and stop as soon as no
// slot can match any more.
// Tested by matcher_index_test.cc (against RE2 itself) and every end-to-end test.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include "dartdiag/event.h"
#include "rule_model.h"

namespace dartdiag {

// A pattern that is plain text, decided without a regex: `(?i)`? `^`? `\b`? (a literal, or
// `(a|b|...)` / `(?:a|b|...)` of literals) `\b`? `$`?, where a literal holds ASCII letters,
// digits, spaces and escaped punctuation. Most rule patterns are of this shape.
struct LiteralPattern {
  std::vector<std::string> alternatives;  // lowercase when `fold`
  bool fold = false;                      // (?i)
  bool anchor_start = false, anchor_end = false;
  bool boundary_start = false, boundary_end = false;

  // nullopt when `pattern` is not of the shape above.
  static std::optional<LiteralPattern> Parse(std::string_view pattern);
  // What RE2::PartialMatch(value, pattern) says, or nullopt when only RE2 can tell (a case-folded
  // pattern on a value with non-ASCII bytes, whose Unicode case folding this does not model).
  std::optional<bool> Matches(std::string_view value) const;

 private:
  bool Find(std::string_view value) const;  // comparing ASCII case only, when `fold`
};

class MatcherIndex {
 public:
  // `slots[s]` is the pattern of slot s; it must outlive the index. A null slot never matches
  // (padding, so that slot lists joined in one index each start at a word).
  explicit MatcherIndex(const std::vector<const Matcher*>& slots);

  // The slots whose pattern matches `event`: bit s of word s / 64. Valid until the next call.
  std::span<const uint64_t> Match(const Event& event);
  size_t words() const { return words_; }

 private:
  struct Stage {  // one field of one log type's events
    FieldId field = FieldId::kCount;
    std::vector<uint64_t> needs;                          // slots with a pattern on this field
    std::vector<const re2::RE2*> patterns;                // distinct patterns
    std::vector<std::optional<LiteralPattern>> literals;  // per pattern, when it is plain text
    bool all_literal = false;                             // few patterns, all plain text: no prefilter, no RE2
    std::vector<uint64_t> pattern_slots;                  // per pattern, the slots that use it (words_ each)
    std::unique_ptr<re2::RE2::Set> set;                   // when there are several patterns
    // Literal prefilter (RE2's FilteredRE2): a pattern can match only when its atoms (lowercase
    // literals) occur in the value, compared ignoring ASCII case. No `filter`: no prefilter.
    std::unique_ptr<re2::FilteredRE2> filter;
    std::vector<std::string> atoms;
    std::array<uint64_t, 256> starting{};                       // per byte, the atoms it starts (either case);
                                                                // kNonAscii for bytes >= 0x80
    std::array<uint64_t, 256> second{};                         // per byte, the atoms whose second byte it is (either
                                                                // case), plus the one-byte atoms
    uint64_t single = 0;                                        // one-byte atoms
    std::vector<int> unfiltered;                                // patterns that pass whatever the atoms
    std::unordered_map<uint64_t, std::vector<int>> potentials;  // atoms found -> patterns
    // The stage's answers for the values it met last, by a hash of the value: a log repeats the
    // same few messages and components (each probe cycle writes the same lines), so most values
    // are answered by one compare of the whole value. Each value has two places; a new one takes
    // the place used longer ago, so two values that share a place do not push each other out.
    struct Remembered {
      std::string value;
      std::vector<uint64_t> hit;  // words_ of slots
      uint64_t used = 0;          // the stage's `uses` when last met; 0: empty
    };
    std::vector<Remembered> remembered;  // kRemembered entries once used
    uint64_t uses = 0;
  };
  struct LogIndex {
    std::vector<uint64_t> slots;  // slots of this log type
    std::vector<Stage> stages;
  };

  static void BuildPrefilter(Stage& stage);
  // ORs into hit_ the slots of the patterns of `stage` that match `value`: remembered, or matched
  // (MatchPatterns) and remembered.
  void MatchStage(Stage& stage, std::string_view value);
  void MatchPatterns(Stage& stage, std::string_view value);
  // Pattern p of `stage` on `value`: plain text compared directly, else RE2.
  static bool MatchOne(const Stage& stage, size_t p, std::string_view value);
  // The patterns of `stage` that may match `value`; nullptr when the prefilter cannot tell (no
  // atoms, or a non-ASCII value, whose case folding it does not model).
  const std::vector<int>* Prefilter(Stage& stage, std::string_view value);

  size_t words_;
  std::vector<LogIndex> logs_;  // by LogTypeId
  std::vector<uint64_t> mask_, hit_;
  std::vector<int> set_hits_;
  std::vector<int> found_atoms_, uncached_;
};

}  // namespace dartdiag
