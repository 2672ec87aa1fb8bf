// Event matching (src/matcher_index.cc): plain-text patterns decided without RE2, the literal
// prefilter and the whole index, each checked against RE2 itself on the same inputs.
#include "matcher_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace dartdiag {
namespace {

bool Re2Says(const std::string& pattern, std::string_view value) {
  const re2::RE2 re(pattern);
  EXPECT_TRUE(re.ok()) << pattern;
  return re2::RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), re);
}

TEST(LiteralPattern, ShapesOfTheDefaultPackAreRecognised) {
  for (const char* pattern :
       {"(?i)dns protection", "^checking reachability\\b", "rejected all candidate resolvers for port 53\\b",
        "^(checking reachability|probing)\\b", "^53$", "(?i)TCP handshake to SWG Proxy URL was not successful",
        "^(?:ipv4|ipv6)$", "\\bport 443\\b", "a\\.b\\(c\\)", "x y_z-1"}) {
    EXPECT_TRUE(LiteralPattern::Parse(pattern).has_value()) << pattern;
  }
  const auto group = LiteralPattern::Parse("(?i)^(Checking|probing)\\b");
  ASSERT_TRUE(group);
  EXPECT_EQ(group->alternatives, (std::vector<std::string>{"checking", "probing"}));
  EXPECT_TRUE(group->fold && group->anchor_start && group->boundary_end);
  EXPECT_FALSE(group->anchor_end || group->boundary_start);
}

TEST(LiteralPattern, AnythingElseIsLeftToRe2) {
  for (const char* pattern :
       {"a.b",   "ab*",    "a+",   "a?", "[ab]",  "a{2}",     "\\d+", "\\s", "\\x41",       "\\Qa.b\\E", "a|b",
        "^a|b$", "(a)(b)", "(a|)", "()", "(?s)a", "(?P<n>a)", "^$",   "",    "caf\xc3\xa9", "a\\",       "(?i)(?i)a"}) {
    EXPECT_FALSE(LiteralPattern::Parse(pattern).has_value()) << pattern;
  }
}

// Every decision the literal path takes agrees with RE2, on hand-picked and random values:
// case variants, word boundaries at both ends, non-ASCII bytes (the Kelvin sign folds to k in
// RE2), invalid UTF-8, empty values.
TEST(LiteralPattern, AgreesWithRe2) {
  std::vector<std::string> patterns = {"(?i)dns protection",
                                       "^checking reachability\\b",
                                       "port 53\\b",
                                       "\\bport 53",
                                       "^(checking|probing)\\b",
                                       "^53$",
                                       "(?i)^(ok|k)$",
                                       "(?i)sk",
                                       "_a\\b",
                                       "\\b-a-\\b",
                                       "(?:ab|b)$",
                                       "a\\$",
                                       "(?i)\\bK\\b"};
  std::vector<std::string> values = {"",
                                     "DNS Protection",
                                     "dns protectio",
                                     "xdns PROTECTIONx",
                                     "Checking reachability",
                                     "checking reachability using port 53",
                                     "checking reachabilityX",
                                     "probing",
                                     "port 53",
                                     "port 530",
                                     "port 53.",
                                     "sport 53",
                                     "53",
                                     "053",
                                     "53\n",
                                     "\xe2\x84\xaa",
                                     "o\xe2\x84\xaa",
                                     "\xc5\xbfk",
                                     "s\xe2\x84\xaa",
                                     "_a",
                                     "b_a",
                                     "_ab",
                                     "-a-",
                                     "x-a-x",
                                     " -a- ",
                                     "ab",
                                     "b",
                                     "bab",
                                     "a$",
                                     "a",
                                     "\xff\xfe port 53",
                                     "K",
                                     "k!",
                                     "\xc3\xa9K\xc3\xa9"};
  std::mt19937 random(7);  // deterministic
  const std::vector<std::string> pieces = {"a",        "b",    "k",    "K",        "s",    "S",       "o",
                                           " ",        "_",    "-",    "5",        "3",    "$",       "\xe2\x84\xaa",
                                           "\xc5\xbf", "\xff", "\xc3", "\xe2\x84", "port", "port 53", "ok"};
  for (int i = 0; i < 3000; ++i) {
    std::string value;
    for (int n = std::uniform_int_distribution<int>(0, 6)(random); n > 0; --n) {
      value += pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(random)];
    }
    values.push_back(value);
  }
  size_t decided = 0, deferred = 0;
  for (const std::string& pattern : patterns) {
    const auto literal = LiteralPattern::Parse(pattern);
    ASSERT_TRUE(literal) << pattern;
    for (const std::string& value : values) {
      if (const auto matches = literal->Matches(value)) {
        ++decided;
        EXPECT_EQ(*matches, Re2Says(pattern, value)) << "pattern " << pattern << " value '" << value << "'";
      } else {
        ++deferred;
        const bool ascii = std::all_of(value.begin(), value.end(), [](char c) { return (c & 0x80) == 0; });
        EXPECT_TRUE(literal->fold && !ascii) << "only case folding on non-ASCII defers to RE2: " << pattern;
      }
    }
  }
  EXPECT_GT(decided, 20000u);  // plenty of decisions were compared
  EXPECT_GT(deferred, 0u);     // and non-ASCII values under (?i) did reach RE2
}

std::unique_ptr<Matcher> MakeMatcher(std::vector<std::pair<FieldId, std::string>> patterns) {
  auto matcher = std::make_unique<Matcher>();
  for (auto& [field, pattern] : patterns) {
    matcher->patterns.emplace_back(field, std::make_unique<const re2::RE2>(pattern));
  }
  return matcher;
}

// The index says for every slot what Matcher::Matches (one RE2 call per pattern) says: with few
// plain-text patterns per field (compared directly), many (the prefilter, then plain text or
// RE2 per candidate), and regex patterns mixed in (RE2::Set).
TEST(MatcherIndex, AgreesWithMatchingEachPatternOnItsOwn) {
  std::vector<std::unique_ptr<Matcher>> owned;
  owned.push_back(
      MakeMatcher({{FieldId::kComponent, "(?i)dns protection"}, {FieldId::kMessage, "^checking reachability\\b"}}));
  owned.push_back(
      MakeMatcher({{FieldId::kComponent, "(?i)dns protection"}, {FieldId::kMessage, "resolvers for port 53\\b"}}));
  owned.push_back(MakeMatcher({{FieldId::kMessage, "(?i)handshake .* not successful"}}));
  owned.push_back(MakeMatcher({{FieldId::kPort, "^53$"}}));
  owned.push_back(MakeMatcher({{FieldId::kLevel, "^(WARN|ERROR)$"}, {FieldId::kMessage, "timed? ?out"}}));
  for (int i = 0; i < 12; ++i) {  // more than the direct comparison takes: the prefilter path
    owned.push_back(MakeMatcher({{FieldId::kThread, "(?i)worker " + std::to_string(i) + "\\b"}}));
  }
  std::vector<const Matcher*> slots;
  for (const auto& m : owned) slots.push_back(m.get());
  MatcherIndex index(slots);

  const std::vector<std::string> components = {"DNS Protection(IPv4)", "dns protectio", "Proxy", "",
                                               "DNS PROTECTION\xe2\x84\xaa"};
  const std::vector<std::string> messages = {"checking reachability using port 53",
                                             "rejected all candidate resolvers for port 53",
                                             "rejected all candidate resolvers for port 530",
                                             "TCP Handshake to x was NOT successful",
                                             "connection timed out",
                                             "timeout",
                                             "Checking reachability",
                                             ""};
  const std::vector<std::string> levels = {"WARN", "ERROR", "INFO", "warn"};
  const std::vector<std::string> ports = {"53", "443", ""};
  const std::vector<std::string> threads = {"worker 1", "Worker 11", "worker 12", "worker 1x", "\xc3\xa9worker 3", "w"};
  size_t events = 0, hits = 0;
  for (const auto& component : components) {
    for (const auto& message : messages) {
      for (const auto& level : levels) {
        for (const auto& port : ports) {
          for (const auto& thread : threads) {
            Event event;
            event.Set(FieldId::kComponent, component);
            event.Set(FieldId::kMessage, message);
            event.Set(FieldId::kLevel, level);
            event.Set(FieldId::kPort, port);
            event.Set(FieldId::kThread, thread);
            const std::span<const uint64_t> bits = index.Match(event);
            for (size_t s = 0; s < slots.size(); ++s) {
              const bool expected = slots[s]->Matches(event);
              hits += expected ? 1 : 0;
              ASSERT_EQ(((bits[s / 64] >> (s % 64)) & 1) != 0, expected)
                  << "slot " << s << " component '" << component << "' message '" << message << "' level " << level
                  << " port " << port << " thread '" << thread << "'";
            }
            ++events;
          }
        }
      }
    }
  }
  EXPECT_EQ(events, 5u * 8 * 4 * 3 * 6);
  EXPECT_GT(hits, events / 2);  // the patterns do match, so agreement is not all "no"
}

// A stage remembers its answers for the values it met last, found by a hash of the value. Values
// of one length that share their first, middle and last eight bytes and differ in between, values
// past the longest remembered, and values met again after others took their place must each get
// their own answer, in any order.
TEST(MatcherIndex, RememberedAnswersAreTheValuesOwn) {
  std::vector<std::unique_ptr<Matcher>> owned;
  owned.push_back(MakeMatcher({{FieldId::kMessage, "port 53\\b"}}));
  owned.push_back(MakeMatcher({{FieldId::kMessage, "(?i)middle"}}));
  std::vector<const Matcher*> slots;
  for (const auto& m : owned) slots.push_back(m.get());
  MatcherIndex index(slots);

  std::vector<std::string> messages;
  const std::string head = "AAAAAAAA", tail = "ZZZZZZZZ";
  for (const char* inner : {"xx port 53 xx", "xx port 54 xx", "xx MIDDLE xx", "xx middl  xx", "xxxxxxxxxxxxx"}) {
    // Same length, same first, middle and last eight bytes: the inner words sit in between.
    messages.push_back(head + inner + std::string(20, 'm') + inner + tail);
  }
  for (size_t n : {511u, 512u, 513u, 4096u}) {
    messages.push_back(std::string(n - 7, 'p') + "port 53");
    messages.push_back(std::string(n - 7, 'p') + "port 5x");
  }
  for (int i = 0; i < 300; ++i) messages.push_back("filler " + std::to_string(i) + (i % 7 == 0 ? " port 53" : ""));
  std::mt19937 random(11);
  size_t hits = 0;
  for (int round = 0; round < 4; ++round) {
    std::shuffle(messages.begin(), messages.end(), random);
    for (const std::string& message : messages) {
      Event event;
      event.Set(FieldId::kMessage, message);
      const std::span<const uint64_t> bits = index.Match(event);
      for (size_t s = 0; s < slots.size(); ++s) {
        const bool expected = slots[s]->Matches(event);
        hits += expected ? 1 : 0;
        ASSERT_EQ(((bits[0] >> s) & 1) != 0, expected) << "slot " << s << " message '" << message << "'";
      }
    }
  }
  EXPECT_GT(hits, 4u * 40);  // the patterns do match: agreement is not all "no"
}

}  // namespace
}  // namespace dartdiag
