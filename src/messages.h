// The message catalogue: every label, headline, status word and count sentence of the human
// reports (text, HTML, batch text), by message id, in each language dartdiag speaks. Messages use
// fmt's named arguments ("{n} failures"); English has a singular form where it needs one.
// Language names are parsed here too (--lang). Tested by messages_test.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/args.h>
#include <fmt/format.h>

#include "dartdiag/diagnostic.h"
#include "dartdiag/error.h"
#include "dartdiag/phrase.h"

namespace dartdiag {

enum class Lang : uint8_t { kEn, kZhTw };

struct LanguageInfo {
  Lang lang;
  std::string_view tag;   // BCP 47, as the rule pack's translations are keyed ("en", "zh-TW")
  std::string_view html;  // the HTML lang attribute
};
std::span<const LanguageInfo> Languages();
const LanguageInfo& LanguageOf(Lang lang);

// "en", "EN", "en-US", "en_GB.UTF-8", "zh-TW", "zh_TW", "zh-tw", "zh_TW.UTF-8", "zh-Hant",
// "zh-HK" -> the language; nullopt for any other.
std::optional<Lang> ParseLanguage(std::string_view text);
// The tags of Languages(), comma-separated, for a usage error.
std::string LanguageList();

enum class Msg : uint16_t {
#define DARTDIAG_MESSAGE(id, en, en_one, zh) id,
#include "messages.inc"
#undef DARTDIAG_MESSAGE
  kCount
};

struct MessageRow {
  Msg msg;
  std::string_view id;      // the enumerator's name, for tests and error messages
  std::string_view en;      // English (plural form when `en_one` is set)
  std::string_view en_one;  // English for a count of one; "" when the same
  std::string_view zh_tw;   // Traditional Chinese (Taiwan)
};
std::span<const MessageRow> Messages();

// The message's text in `lang`, for a count `n` (English picks its singular for 1).
std::string_view MessageText(Msg msg, Lang lang, uint64_t n = 2);

// The catalogue's word for a capture finding's verdict id ("blocked-rst", ...); nullopt for an id
// it does not know (shown as it is).
std::optional<Msg> FindingVerdictMessage(std::string_view verdict);

// The catalogue's word for a level or severity name ("error", "warning", anything else: info).
Msg LevelMessage(std::string_view level);

// The message with its named arguments filled: Say(lang, Msg::kSeenFailures, fmt::arg("n", 3)).
// A message of the catalogue with an argument the caller did not give is a programming error,
// found by messages_test.cc; it throws fmt::format_error.
template <typename... Args>
std::string Say(Lang lang, Msg msg, Args&&... args) {
  return fmt::format(fmt::runtime(MessageText(msg, lang)), std::forward<Args>(args)...);
}
// The same for a count: the count is the argument `n`.
template <typename... Args>
std::string SayCount(Lang lang, Msg msg, uint64_t n, Args&&... args) {
  return fmt::format(fmt::runtime(MessageText(msg, lang, n)), fmt::arg("n", n), std::forward<Args>(args)...);
}

// Phrases (dartdiag/phrase.h): a message and its arguments kept in the report model, rendered by
// the writers in the reader's language. Build them with PhraseOf and Arg:
//   PhraseOf(Msg::kCaptureDnsBlocked, Arg("family", "IPv4"), Arg("n", 3), Arg("seen", describe_phrase))
// An argument named "n" is the count that picks English's singular.
PhraseArg Arg(std::string name, std::string_view text);
PhraseArg Arg(std::string name, uint64_t n);
PhraseArg Arg(std::string name, Phrase phrase);
PhraseArg Arg(std::string name, std::vector<Phrase> phrases, Msg join);  // joined by the message `join`
// A text of the model that may have a phrase (a diagnostic, an error): the phrase when it has one.
PhraseArg TextArg(std::string name, const std::string& text, const Phrase& phrase);
template <typename... Args>
Phrase PhraseOf(Msg msg, Args&&... args) {
  return Phrase{std::string(Messages()[static_cast<size_t>(msg)].id), {std::forward<Args>(args)...}};
}
// Every text argument of `phrase` and of the phrases nested in it (what the input said), for
// rewriting them (redaction, a duplicate's name).
void ForEachPhraseText(Phrase& phrase, const std::function<void(std::string&)>& fn);
// The message whose id is `id` ("kLogs"); nullopt for none.
std::optional<Msg> MessageById(std::string_view id);
// The phrase in `lang`; a phrase naming no message of the catalogue or missing an argument is a
// programming error (throws fmt::format_error, found by the tests).
std::string RenderPhrase(const Phrase& phrase, Lang lang);
// A text of the model in `lang`: its phrase rendered, or `english` as it is when it has no phrase
// (or the language is English, so English reports stay as they were built).
std::string InLanguage(const std::string& english, const Phrase& phrase, Lang lang);

// What the input stage and the capture reader build from a phrase: its English is the message
// (what JSON and single-bundle errors show), the phrase goes beside it for the human reports.
Error PhrasedError(ExitCode code, Phrase phrase);
Diagnostic PhrasedDiagnostic(std::string level, std::string code, std::string file, uint64_t line, Phrase phrase);
// "{path}: {what}", the shape of every error that names its input or entry.
Phrase OnPath(std::string path, Phrase what);

// A string padded with spaces to `width` terminal columns (CJK characters take two).
std::string PadColumns(std::string_view s, size_t width);
// The same, right-aligned (spaces before it).
std::string AlignColumns(std::string_view s, size_t width);
size_t DisplayColumns(std::string_view s);

}  // namespace dartdiag
