// Flags shared by the commands that analyse bundles (`dartdiag` and `dartdiag batch`): the caps
// of Limits and the rule pack. Internal header; tested through cli_test.cc and
// hostile_input_test.cc.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "messages.h"

#include "collect.h"
#include "dartdiag/rule_pack.h"

namespace dartdiag {

// Adds --max-bundle-bytes, --max-entry-bytes, --max-ratio, --max-entries, --max-depth,
// --max-line-bytes and --max-seconds, writing into `limits` (defaults shown in --help).
void AddLimitOptions(CLI::App& app, Limits& limits);

struct RulePackFlags {
  std::vector<std::string> rule_files;
  bool no_default_rules = false;
  std::string lang;    // --lang; empty: from the locale
  std::string locale;  // the caller's Terminal::locale
};

// Adds --rules FILE (repeatable), --no-default-rules and --lang.
void AddRulePackOptions(CLI::App& app, RulePackFlags& flags);

// Adds --log-tz OFFSET (validated: "+08:00", "-0530", "UTC").
void AddLogTzOption(CLI::App& app, std::string& log_tz);

struct RedactFlags {
  bool redact = false;
  std::string map;  // --redact-map FILE (implies --redact)
  bool enabled() const { return redact || !map.empty(); }
};

// Adds --redact and --redact-map FILE.
void AddRedactOptions(CLI::App& app, RedactFlags& flags);
// The language of the reports and rule texts: --lang (any form ParseLanguage reads; another value
// throws Error(kUsage) naming the languages), else the locale's, else "en". A tag such as "zh-TW".
std::string ChosenLanguage(const RulePackFlags& flags);
// The same as a Lang, for messages; English when --lang names no language (that is its own error).
Lang ReaderLanguage(const RulePackFlags& flags);

// Loads the embedded pack (unless disabled) and the --rules files. Throws Error(kUsage).
RulePack LoadRulePackFromFlags(const RulePackFlags& flags);

}  // namespace dartdiag
