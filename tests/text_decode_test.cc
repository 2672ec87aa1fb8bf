// Decoding: BOMs, UTF-16 without BOM, odd byte counts, surrogates, line ends.
#include "text_decode.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace dartdiag {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  ForEachLine(text, [&](uint64_t number, std::string_view line) {
    lines.push_back(std::to_string(number) + ":" + std::string(line));
  });
  return lines;
}

TEST(Decode, Utf8PassesThroughWithoutCopy) {
  const std::string bytes = "abc\xff\n";
  const DecodedText d = Decode(bytes);
  EXPECT_EQ(d.encoding, Encoding::kUtf8);
  EXPECT_EQ(d.text.data(), bytes.data());
  EXPECT_EQ(d.text, bytes);
}

TEST(Decode, Utf8BomIsStripped) {
  const DecodedText d = Decode(
      "\xEF\xBB\xBF"
      "Date : 1");
  EXPECT_EQ(d.encoding, Encoding::kUtf8Bom);
  EXPECT_EQ(d.text, "Date : 1");
  EXPECT_EQ(EncodingName(d.encoding), "utf-8-bom");
}

TEST(Decode, Utf16LittleAndBigEndianWithBom) {
  const DecodedText le = Decode(testing::ToUtf16("Date : 08/27/2024\r\n", true));
  EXPECT_EQ(le.encoding, Encoding::kUtf16Le);
  EXPECT_EQ(le.text, "Date : 08/27/2024\r\n");
  const DecodedText be = Decode(testing::ToUtf16("Time : 06:41:22", false));
  EXPECT_EQ(be.encoding, Encoding::kUtf16Be);
  EXPECT_EQ(be.text, "Time : 06:41:22");
  EXPECT_EQ(be.invalid_units, 0u);
}

TEST(Decode, Utf16WithoutBomIsRecognisedByNulPattern) {
  const std::string with_bom = testing::ToUtf16("Date : 08/27/2024\nTime : 06:41:22\n", true);
  const DecodedText d = Decode(std::string_view(with_bom).substr(2));
  EXPECT_EQ(d.encoding, Encoding::kUtf16Le);
  EXPECT_EQ(d.text, "Date : 08/27/2024\nTime : 06:41:22\n");
}

TEST(Decode, Utf16NonAsciiAndSurrogatePairs) {
  // "未" U+672A, then U+1F600 as a surrogate pair, little endian.
  const std::string bytes("\xFF\xFE\x2A\x67\x3D\xD8\x00\xDE", 8);
  EXPECT_EQ(Decode(bytes).text, "\xE6\x9C\xAA\xF0\x9F\x98\x80");
}

TEST(Decode, Utf16OddByteCountAndLoneSurrogateBecomeReplacement) {
  const std::string odd = testing::ToUtf16("ab", true) + "c";
  const DecodedText d = Decode(odd);
  EXPECT_EQ(d.text, "ab\xEF\xBF\xBD");
  EXPECT_EQ(d.invalid_units, 1u);
  const DecodedText lone = Decode(std::string("\xFF\xFE\x00\xD8\x41\x00", 6));
  EXPECT_EQ(lone.text,
            "\xEF\xBF\xBD"
            "A");
  EXPECT_EQ(lone.invalid_units, 1u);
}

TEST(Decode, NulRunsAndStrayBomsAreSkippedAlsoAcrossChunks) {
  const std::string bom = "\xEF\xBB\xBF";
  const struct {
    std::string bytes, text;
    uint64_t nuls, boms;
  } cases[] = {
      {"a\n" + std::string(5, '\0') + "b\n", "a\nb\n", 5, 0},    // after a whole line: dropped
      {"a" + std::string(3, '\0') + "b\n", "a\nb\n", 3, 0},      // after part of one: ends it
      {std::string(4, '\0'), "", 4, 0},                          // nothing but NULs
      {bom + "a\n" + bom + "b" + bom + "c\n", "a\nbc\n", 0, 2},  // the first BOM is the encoding's
      {"a\n\xEF\xBB!", "a\n\xEF\xBB!", 0, 0},                    // a BOM's start is not a BOM
      {"a\n\xEF", "a\n\xEF", 0, 0},
  };
  for (const auto& c : cases) {
    const DecodedText whole = Decode(c.bytes);
    EXPECT_EQ(whole.text, c.text);
    EXPECT_EQ(whole.skipped_nuls, c.nuls);
    EXPECT_EQ(whole.skipped_boms, c.boms);
    for (size_t chunk = 1; chunk <= 3; ++chunk) {  // every split point of a BOM and a NUL run
      StreamDecoder decoder;
      std::string out;
      for (size_t i = 0; i < c.bytes.size(); i += chunk) decoder.Feed(std::string_view(c.bytes).substr(i, chunk), out);
      decoder.Finish(out);
      EXPECT_EQ(out, c.text) << chunk;
      EXPECT_EQ(decoder.skipped_nuls(), c.nuls);
      EXPECT_EQ(decoder.skipped_boms(), c.boms);
    }
  }
  // UTF-16: a NUL unit and a stray BOM unit likewise.
  const DecodedText utf16 =
      Decode(std::string("\xFF\xFE"
                         "a\0\0\0\xFF\xFE"
                         "b\0",
                         10));
  EXPECT_EQ(utf16.text, "a\nb");
}

// View gives the text Feed gives, chunk by chunk, over inputs past the sniffed start with NUL
// runs (after whole lines and inside them), stray BOMs and BOM starts split over chunks, other
// 0xEF characters, CJK text and UTF-16; a chunk it passes through is not copied.
TEST(Decode, ViewGivesWhatFeedGivesInEveryChunking) {
  const std::string head(1500, 'x');  // past the bytes the encoding is settled from
  const std::string bom = "\xEF\xBB\xBF";
  const std::string inputs[] = {
      head + "\nplain line\nanother\n",
      head + "\na" + std::string(3, '\0') + "b\n" + std::string(5, '\0') + "c\n",
      head + "\n" + bom + "a\n\xEF\xBB!\n\xEF" + "b\xEF\xBB",
      head + "\n\xE6\x9C\xAA\xE5\x8F\x97\xEF\xBC\x88\xEF\xBF\xBD\n",  // 未受（ and U+FFFD
      testing::ToUtf16(head + "\nline\n", true) + std::string("\0\0", 2) + testing::ToUtf16("b\n", true).substr(2),
  };
  for (const std::string& bytes : inputs) {
    for (const size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{64}, size_t{1000}, size_t{5000}}) {
      StreamDecoder fed, viewed;
      std::string fed_text, viewed_text, scratch;
      for (size_t i = 0; i < bytes.size(); i += chunk) {
        const std::string_view piece = std::string_view(bytes).substr(i, chunk);
        fed.Feed(piece, fed_text);
        viewed_text.append(viewed.View(piece, scratch));
      }
      fed.Finish(fed_text);
      scratch.clear();
      viewed.Finish(scratch);
      viewed_text += scratch;
      EXPECT_EQ(viewed_text, fed_text) << chunk;
      EXPECT_EQ(viewed.skipped_nuls(), fed.skipped_nuls());
      EXPECT_EQ(viewed.skipped_boms(), fed.skipped_boms());
      EXPECT_EQ(viewed.invalid_units(), fed.invalid_units());
    }
  }
  StreamDecoder decoder;
  std::string scratch;
  EXPECT_EQ(decoder.View(head, scratch), head);  // settles the encoding
  const std::string plain = "2024-08-27 00:00:00 [1] [INFO] <1> A: b\n";
  const std::string_view view = decoder.View(plain, scratch);
  EXPECT_EQ(view.data(), plain.data());
  EXPECT_EQ(view, plain);
}

TEST(ForEachLine, LfCrlfLoneCrAndNoFinalNewline) {
  EXPECT_EQ(Lines("a\nb\r\nc\rd"), (std::vector<std::string>{"1:a", "2:b", "3:c", "4:d"}));
  EXPECT_EQ(Lines("a\n\nb\n"), (std::vector<std::string>{"1:a", "2:", "3:b"}));
  EXPECT_TRUE(Lines("").empty());
  EXPECT_EQ(Lines(std::string("x\0y\n", 4)), (std::vector<std::string>{std::string("1:x\0y", 5)}));
}

}  // namespace
}  // namespace dartdiag
