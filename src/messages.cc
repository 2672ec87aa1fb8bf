// The message catalogue's texts (messages.inc) and language names. Tested by messages_test.cc.
#include "messages.h"

#include <array>
#include <charconv>

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

std::optional<Msg> FindingVerdictMessage(std::string_view verdict) {
  static constexpr std::pair<std::string_view, Msg> kWords[] = {
      {"blocked", Msg::kFindingBlocked},          {"unencrypted-only", Msg::kFindingUnencryptedOnly},
      {"reachable", Msg::kFindingReachable},      {"inconclusive", Msg::kFindingInconclusive},
      {"not-seen", Msg::kFindingNotSeen},         {"blocked-rst", Msg::kFindingBlockedRst},
      {"blocked-icmp", Msg::kFindingBlockedIcmp}, {"blocked-silent", Msg::kFindingBlockedSilent}};
  for (const auto& [word, msg] : kWords) {
    if (word == verdict) return msg;
  }
  return std::nullopt;
}

std::string_view MessageText(Msg msg, Lang lang, uint64_t n) {
  const MessageRow& row = kRows[static_cast<size_t>(msg)];
  if (lang == Lang::kZhTw) return row.zh_tw;
  return n == 1 && !row.en_one.empty() ? row.en_one : row.en;
}

PhraseArg Arg(std::string name, std::string_view text) { return {std::move(name), std::string(text), {}, {}}; }

PhraseArg Arg(std::string name, uint64_t n) { return {std::move(name), std::to_string(n), {}, {}}; }

PhraseArg Arg(std::string name, Phrase phrase) { return {std::move(name), "", {std::move(phrase)}, {}}; }

PhraseArg Arg(std::string name, std::vector<Phrase> phrases, Msg join) {
  return {std::move(name), "", std::move(phrases), std::string(kRows[static_cast<size_t>(join)].id)};
}

Msg LevelMessage(std::string_view level) {
  return level == "error" ? Msg::kLevelError : level == "warning" ? Msg::kLevelWarning : Msg::kLevelInfo;
}

PhraseArg TextArg(std::string name, const std::string& text, const Phrase& phrase) {
  return phrase.empty() ? Arg(std::move(name), text) : Arg(std::move(name), phrase);
}

void ForEachPhraseText(Phrase& phrase, const std::function<void(std::string&)>& fn) {
  for (PhraseArg& arg : phrase.args) {
    fn(arg.text);
    for (Phrase& p : arg.phrases) ForEachPhraseText(p, fn);
  }
}

std::optional<Msg> MessageById(std::string_view id) {
  for (const MessageRow& row : kRows) {
    if (row.id == id) return row.msg;
  }
  return std::nullopt;
}

std::string RenderPhrase(const Phrase& phrase, Lang lang) {
  const std::optional<Msg> msg = MessageById(phrase.msg);
  if (!msg) throw fmt::format_error("no message " + phrase.msg);
  uint64_t n = 2;
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  for (const PhraseArg& arg : phrase.args) {
    std::string value = arg.text;
    if (!arg.phrases.empty()) {
      const std::optional<Msg> join = arg.join.empty() ? std::nullopt : MessageById(arg.join);
      const std::string_view separator = join ? MessageText(*join, lang) : std::string_view();
      for (size_t i = 0; i < arg.phrases.size(); ++i) {
        if (i > 0) value += separator;
        value += RenderPhrase(arg.phrases[i], lang);
      }
    }
    if (arg.name == "n") std::from_chars(value.data(), value.data() + value.size(), n);
    args.push_back(fmt::arg(arg.name.c_str(), std::move(value)));
  }
  return fmt::vformat(MessageText(*msg, lang, n), args);
}

std::string InLanguage(const std::string& english, const Phrase& phrase, Lang lang) {
  return lang == Lang::kEn || phrase.empty() ? english : RenderPhrase(phrase, lang);
}

Error PhrasedError(ExitCode code, Phrase phrase) {
  std::string message = RenderPhrase(phrase, Lang::kEn);
  return Error(code, message, std::move(phrase));
}

Diagnostic PhrasedDiagnostic(std::string level, std::string code, std::string file, uint64_t line, Phrase phrase) {
  std::string message = RenderPhrase(phrase, Lang::kEn);
  return {std::move(level), std::move(code), std::move(file), line, std::move(message), std::move(phrase)};
}

Phrase OnPath(std::string path, Phrase what) {
  return PhraseOf(Msg::kOnPath, Arg("path", path), Arg("what", std::move(what)));
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

std::string AlignColumns(std::string_view s, size_t width) {
  const size_t columns = DisplayColumns(s);
  return std::string(columns < width ? width - columns : 0, ' ').append(s);
}

}  // namespace dartdiag
