// The message catalogue's texts (messages.inc) and language names. Tested by messages_test.cc.
#include "messages.h"

#include <array>

#include <fmt/ranges.h>  // fmt::join

namespace dartdiag {
namespace {

constexpr MessageRow kRows[] = {
#define DARTDIAG_MESSAGE(id, en, en_one, zh) {Msg::id, #id, en, en_one, zh},
#include "messages.inc"
#undef DARTDIAG_MESSAGE
};
static_assert(std::size(kRows) == static_cast<size_t>(Msg::kCount));

constexpr std::array<LanguageInfo, 2> kLanguages = {{
    {Lang::kEn, "en", "en"},
    {Lang::kZhTw, "zh-TW", "zh-Hant-TW"},
}};

// Lower case, '_' as '-', the encoding and modifier of a POSIX locale cut ("zh_TW.UTF-8@x" -> "zh-tw").
std::string Normalise(std::string_view text) {
  text = text.substr(0, text.find_first_of(".@"));
  std::string tag;
  for (char c : text) {
    if (c == '_') c = '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    tag.push_back(c);
  }
  return tag;
}

}  // namespace

std::span<const LanguageInfo> Languages() { return kLanguages; }

const LanguageInfo& LanguageOf(Lang lang) { return kLanguages[static_cast<size_t>(lang)]; }

std::optional<Lang> ParseLanguage(std::string_view text) {
  const std::string tag = Normalise(text);
  if (tag == "en" || tag.starts_with("en-") || tag == "c" || tag == "posix") return Lang::kEn;
  if (tag == "zh-tw" || tag == "zh-hk" || tag == "zh-mo" || tag.starts_with("zh-hant")) return Lang::kZhTw;
  return std::nullopt;
}

std::string LanguageList() {
  std::vector<std::string_view> tags;
  for (const LanguageInfo& l : kLanguages) tags.push_back(l.tag);
  return fmt::format("{}", fmt::join(tags, ", "));
}

std::span<const MessageRow> Messages() { return kRows; }

std::string_view MessageText(Msg msg, Lang lang, uint64_t n) {
  const MessageRow& row = kRows[static_cast<size_t>(msg)];
  if (lang == Lang::kZhTw) return row.zh_tw;
  return n == 1 && !row.en_one.empty() ? row.en_one : row.en;
}

size_t DisplayColumns(std::string_view s) {
  size_t columns = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    columns += len >= 3 ? 2 : 1;  // CJK and full-width forms are three-byte UTF-8
    i += len;
  }
  return columns;
}

std::string PadColumns(std::string_view s, size_t width) {
  std::string out(s);
  const size_t columns = DisplayColumns(s);
  if (columns < width) out.append(width - columns, ' ');
  return out;
}

}  // namespace dartdiag
