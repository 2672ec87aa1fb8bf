// The JSON text check (src/json_text.cc): located messages, the depth bound, and agreement with
// nlohmann_json on which texts are JSON (generated texts, as re2 tests its engines).
#include "json_text.h"

#include <gtest/gtest.h>

#include <random>

#include <nlohmann/json.hpp>

namespace dartdiag {
namespace {

std::string Where(std::string_view text, int max_depth = 64) {
  const auto problem = CheckJsonText(text, max_depth);
  if (!problem) return "ok";
  return std::to_string(problem->line) + ":" + std::to_string(problem->column) + " " + problem->what;
}

TEST(JsonText, ProblemsAreLocatedAndWorded) {
  EXPECT_EQ(Where(R"({"rules": [1, 2.5e3, -0, "\u00e9\ud83d\ude00", true, null]})"), "ok");
  EXPECT_EQ(Where("\xEF\xBB\xBF{}"), "ok");
  EXPECT_EQ(Where(""), "1:1 no JSON value (the text is empty)");
  EXPECT_EQ(Where("{oops"), "1:2 expected a quoted key or '}', found 'o'");
  EXPECT_EQ(Where("{\n  \"a\": 1,\n  \"b\" 2\n}"), "3:7 expected ':' after the key, found '2'");
  EXPECT_EQ(Where(R"({"a": 1,})"), "1:9 expected a quoted key after ',', found '}'");
  EXPECT_EQ(Where(R"({"a": 1 "b": 2})"), "1:9 expected ',' or '}' after a member, found '\"'");
  EXPECT_EQ(Where("[1, 2"), "1:6 expected ',' or ']' after an element, found the end of the text");
  EXPECT_EQ(Where("[01]"), "1:2 malformed number '01'");
  EXPECT_EQ(Where("[1e400]"), "1:2 the number '1e400' is out of range");
  EXPECT_EQ(Where("{\"a\": yes}"),
            "1:7 unexpected word 'yes' (strings need double quotes; the literals are true, false and null)");
  EXPECT_EQ(Where("{} x"), "1:4 unexpected 'x' after the end of the JSON value");
  EXPECT_EQ(Where("\"abc"), "1:1 a string has no closing quote");
  EXPECT_EQ(Where("\"a\nb\""), "1:3 a control character (U+000A) in a string must be escaped");
  EXPECT_EQ(Where(R"(["\q"])"),
            "1:3 invalid escape in a string (\\q; valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
  EXPECT_EQ(Where(R"(["\ud800x"])"), "1:3 \\uD800 is a high surrogate without a low one (\\uDC00 to \\uDFFF) after it");
  // Columns count characters: "é" is one.
  EXPECT_EQ(Where("[\"\xC3\xA9\", ?]"),
            "1:7 expected a value (an object, array, string, number, true, false or null), found '?'");
  // No raw byte outside printable ASCII reaches a message.
  EXPECT_EQ(Where("[\"a\xFF\"]"), "1:4 invalid UTF-8 in a string (byte 0xFF)");
  EXPECT_EQ(Where("[\xFF]"),
            "1:2 expected a value (an object, array, string, number, true, false or null), found byte 0xFF");
  EXPECT_EQ(Where("[\"\xED\xA0\x80\"]"), "1:3 invalid UTF-8 in a string (byte 0xED)");  // an encoded surrogate
}

TEST(JsonText, DepthIsBoundedWithoutRecursingPastIt) {
  EXPECT_EQ(Where("[[[]]]", 3), "ok");
  EXPECT_EQ(Where("[[[[]]]]", 3), "1:4 arrays and objects nest deeper than 3 levels");
  const auto deep = CheckJsonText(std::string(200000, '['), 128);
  ASSERT_TRUE(deep);
  EXPECT_TRUE(deep->too_deep);
  EXPECT_EQ(deep->column, 129u);
}

// Texts built from JSON fragments and stray bytes: the check and nlohmann_json must agree on every
// one (a depth large enough never to matter here).
TEST(JsonText, AgreesWithNlohmannOnGeneratedTexts) {
  const std::vector<std::string> pieces = {"{",
                                           "}",
                                           "[",
                                           "]",
                                           ",",
                                           ":",
                                           " ",
                                           "\n",
                                           "\"",
                                           "\"k\"",
                                           "\"\\u00e9\"",
                                           "\\",
                                           "\\u",
                                           "d83d",
                                           "\\ude00",
                                           "0",
                                           "01",
                                           "-",
                                           "1.5",
                                           "e",
                                           "E+",
                                           "1e999",
                                           "18446744073709551615",
                                           "true",
                                           "tru",
                                           "null",
                                           "x",
                                           "\xC3\xA9",
                                           "\xC3",
                                           "\xFF",
                                           "\xEF\xBB\xBF",
                                           "\xED\xA0\x80",
                                           "\xF4\x90\x80\x80",
                                           "\t",
                                           std::string(1, '\0'),
                                           "/",
                                           "\\n"};
  std::mt19937 random(17);
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    const size_t count = 1 + random() % 10;
    for (size_t p = 0; p < count; ++p) text += pieces[random() % pieces.size()];
    const bool ours = !CheckJsonText(text, 1000).has_value();
    const bool theirs = nlohmann::json::accept(text);
    accepted += ours;
    ASSERT_EQ(ours, theirs) << "text: " << testing::PrintToString(text);
  }
  EXPECT_GT(accepted, 100);  // the generator reaches valid texts, not only broken ones
}

}  // namespace
}  // namespace dartdiag
