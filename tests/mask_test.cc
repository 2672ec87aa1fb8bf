// MaskMessage against its slow reference (mask_reference.h, the masker before the one-scan
// rewrite): the same output on messages of every parameter kind the warning generator knows, on
// messages glued from fragments that sit at the edges of each mask (separators, prefixes of
// addresses and ids, quotes, trailing punctuation), and on random bytes.
#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "unexplained_collector.h"
#include "mask_reference.h"
#include "warning_log_generator.h"

namespace dartdiag {
namespace {

// Pieces that start, end or almost make a mask, and the characters between them.
constexpr std::string_view kFragments[] = {"0x",
                                           "0X",
                                           "0x1f",
                                           "0xZZ",
                                           "x",
                                           "a1",
                                           "1a",
                                           "deadbeef",
                                           "deadbeef01",
                                           "DEADBEEF-",
                                           "27cc",
                                           "cafe",
                                           "f00d",
                                           "{",
                                           "}",
                                           "{0A1B2C3D-1111-2222-3333-444455556666}",
                                           "0a1b2c3d-1111-2222-3333-444455556666",
                                           "0a1b2c3d-1111-",
                                           "12345678-",
                                           "1.2.3.4",
                                           "1.2.3",
                                           "256.1.1.1",
                                           "1234.5.6.7",
                                           "10.0.0.5:443",
                                           "::",
                                           "::1",
                                           "fe80::1",
                                           "2620:119:35::35",
                                           "a:b:c:d:e:f:1:2",
                                           "1:2:3:4:5:6:7:8",
                                           "abcde:1::",
                                           "dead::beef:",
                                           ":",
                                           "::::",
                                           "-",
                                           "--",
                                           "-1",
                                           "-0",
                                           "-12a",
                                           "5-6",
                                           "https://",
                                           "http://a",
                                           "hxxp://",
                                           "ftp://x.y/z?q=1.",
                                           "mailto:",
                                           "ab://",
                                           "abcdefghijkl://x",
                                           "@",
                                           "a@b",
                                           "a@b.c",
                                           "jane.doe+x@mail.acme-corp.com",
                                           "x@y.",
                                           "@y.com",
                                           "a@-b.com",
                                           "C:\\",
                                           "C:\\x",
                                           "c:\\Program Files\\a b.exe",
                                           "\\\\",
                                           "\\\\fs01\\share$",
                                           "\\\\-x",
                                           "C:",
                                           "D:\\a\\b.",
                                           "DESKTOP-",
                                           "DESKTOP-7Q2W9E",
                                           "DESKTOP-ABCDEFGHIJKLMNOP",
                                           "LAPTOP-AB12C",
                                           "WIN-ABCDE.corp.local",
                                           "WIN-abcde",
                                           "ws12.corp.example.com",
                                           "a.co",
                                           "b.com",
                                           "acme-corp.local",
                                           "-x.com",
                                           "x-.com",
                                           "a..com",
                                           "file.txt",
                                           "System.Net",
                                           "chrome.exe",
                                           "x.COM",
                                           "host.info",
                                           "y.internal",
                                           "_",
                                           "__1",
                                           "abc_123",
                                           "retry2",
                                           "08:00",
                                           "03:07:43",
                                           "'",
                                           "\"",
                                           "(",
                                           ")",
                                           ",",
                                           ";",
                                           ".",
                                           "=",
                                           "+",
                                           "/",
                                           "<",
                                           ">",
                                           "|",
                                           "!",
                                           "?"};

constexpr std::string_view kGlue[] = {" ", " ", " ", "", "", "\t", ".", ":", "-", "'", ", ", "  "};

std::string Glued(std::mt19937_64& rng) {
  std::string out;
  const size_t n = 1 + rng() % 10;
  for (size_t i = 0; i < n; ++i) {
    if (rng() % 4 == 0) {
      out += testing::Param(static_cast<testing::ParamKind>(rng() % static_cast<int>(testing::ParamKind::kCount)), rng);
    } else {
      out += kFragments[rng() % std::size(kFragments)];
    }
    out += kGlue[rng() % std::size(kGlue)];
  }
  return out;
}

// Bytes from an alphabet rich in the characters masks look at.
std::string Noise(std::mt19937_64& rng) {
  static constexpr std::string_view kAlphabet = "0123456789abcdefxXgzAFZ_-.:@\\/{}'\" \t,;()<>=+%!?|";
  std::string out;
  const size_t n = rng() % 40;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(rng() % 50 ? kAlphabet[rng() % kAlphabet.size()]
                             : static_cast<char>(rng()));  // some bytes of any value
  }
  return out;
}

TEST(MaskMessage, AgreesWithTheReferenceOnEveryParameterKind) {
  std::mt19937_64 rng(11);
  std::string out;
  for (int i = 0; i < 20000; ++i) {
    const auto kind = static_cast<testing::ParamKind>(i % static_cast<int>(testing::ParamKind::kCount));
    const std::string param = testing::Param(kind, rng);
    for (const std::string& message : {param, "before " + param + " after.", "(" + param + "):", "x='" + param + "'"}) {
      MaskMessage(message, out);
      ASSERT_EQ(out, testing::ReferenceMaskMessage(message)) << message;
    }
  }
}

TEST(MaskMessage, AgreesWithTheReferenceOnGluedFragments) {
  std::mt19937_64 rng(12);
  std::string out;
  for (int i = 0; i < 150000; ++i) {
    const std::string message = Glued(rng);
    MaskMessage(message, out);
    ASSERT_EQ(out, testing::ReferenceMaskMessage(message)) << message;
  }
}

TEST(MaskMessage, AgreesWithTheReferenceOnNoise) {
  std::mt19937_64 rng(13);
  std::string out;
  for (int i = 0; i < 150000; ++i) {
    const std::string message = Noise(rng);
    MaskMessage(message, out);
    ASSERT_EQ(out, testing::ReferenceMaskMessage(message)) << message;
  }
}

// The GUID detector reads its 36 bytes at fixed offsets: every byte of a braced and a bare GUID
// replaced by each byte class it could meet (another hex digit, a letter past 'f', a dash, '_',
// a brace, a blank), dropped, or doubled, and the GUID cut at every length, at the end of a
// message and inside one, give the reference's output.
TEST(MaskMessage, AgreesWithTheReferenceOnEveryOneByteChangeOfAGuid) {
  std::string out;
  size_t compared = 0;
  const auto check = [&](const std::string& message) {
    MaskMessage(message, out);
    ASSERT_EQ(out, testing::ReferenceMaskMessage(message)) << message;
    ++compared;
  };
  for (const std::string guid : {"{0A1B2C3D-1111-2222-3333-444455556666}", "0a1b2c3d-1111-2222-3333-444455556666"}) {
    std::vector<std::string> variants = {guid};
    for (size_t i = 0; i < guid.size(); ++i) {
      for (const char c : std::string_view("9aFgG-_{} .x"))
        variants.push_back(guid.substr(0, i) + c + guid.substr(i + 1));
      variants.push_back(guid.substr(0, i) + guid.substr(i + 1));
      variants.push_back(guid.substr(0, i + 1) + guid.substr(i));
      variants.push_back(guid.substr(0, i));
    }
    for (const std::string& v : variants) {
      for (const std::string& message : {v, "id " + v, "id " + v + " x", "(" + v + ")", v + "a", v + "}", v + "-"}) {
        check(message);
      }
    }
  }
  EXPECT_GT(compared, 7000u);
}

}  // namespace
}  // namespace dartdiag
