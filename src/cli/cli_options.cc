// Flags shared by the analysing commands: caps and rule packs. Tested through cli_test.cc and
// hostile_input_test.cc.
#include "cli/cli_options.h"

#include "log_time.h"

#include "dartdiag/error.h"
#include "rule_model.h"
#include "messages.h"

namespace dartdiag {

void AddLimitOptions(CLI::App& app, Limits& limits) {
  const std::string group = "Caps (hostile input)";
  app.add_option("--max-bundle-bytes", limits.max_bundle_bytes,
                 "Uncompressed bytes read per bundle, all entries (e.g. 8GiB)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-entry-bytes", limits.max_entry_bytes, "Uncompressed bytes of one log or nested zip")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-ratio", limits.max_ratio, "Compression ratio of one entry (uncompressed:compressed)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-entries", limits.max_entries, "Entries per archive, files per folder")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-depth", limits.max_depth, "Zips inside zips opened")
      ->check(CLI::Range(0, 16))
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-line-bytes", limits.max_line_bytes, "Longer lines are cut (and counted)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-seconds", limits.max_seconds, "Wall time per bundle")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-kept-events", limits.max_kept_events,
                 "Events the condition rules' patterns matched, kept for evaluation (about 4 bytes each per rule "
                 "that keeps it); later matches are not evaluated and the result is incomplete")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-warning-templates", limits.max_warning_templates,
                 "Unexplained-warning templates kept; warnings of further templates are counted as uncounted")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
}

void AddRulePackOptions(CLI::App& app, RulePackFlags& flags) {
  // One value per --rules (repeat the flag for more), so positionals after it stay positionals.
  app.add_option("--rules", flags.rule_files, "A rule pack file that adds or overrides rules (repeat for more)")
      ->allow_extra_args(false);
  app.add_flag("--no-default-rules", flags.no_default_rules, "Do not load the embedded default rule pack");
  app.add_option("--lang", flags.lang,
                 "Language of the reports and the rules' texts: en or zh-TW (also zh_TW, zh-tw, zh_TW.UTF-8); "
                 "default from the locale (LC_ALL, LC_MESSAGES, LANG), else English")
      ->check([](const std::string& value) {
        return ParseLanguage(value)
                   ? std::string()
                   : "'" + value + "' is not a language dartdiag speaks (languages: " + LanguageList() + ")";
      });
}

void AddLogTzOption(CLI::App& app, std::string& log_tz) {
  app.add_option("--log-tz", log_tz,
                 "The PC's UTC offset (+08:00, -05:30, UTC) for logs that state local time with no zone: every time "
                 "in the report then carries it, and a capture (UTC) is placed against the logs")
      ->check([](const std::string& value) {
        return ParseUtcOffset(value) ? std::string()
                                     : "'" + value + "' is not a UTC offset such as +08:00, -05:30 or UTC";
      });
}

void AddRedactOptions(CLI::App& app, RedactFlags& flags) {
  app.add_flag("--redact", flags.redact,
               "Replace user and host names, e-mail addresses, customer domains, MAC and IP addresses (not the "
               "service's) in the report by stable pseudonyms (host-1, user-2, ip-3, domain-1.example)");
  app.add_option("--redact-map", flags.map,
                 "With --redact (implied): read the pseudonym map from FILE if it exists, extend it and write it back "
                 "(JSON, owner-only), so several reports share pseudonyms; the map translates them back")
      ->type_name("FILE");
}

Lang ReaderLanguage(const RulePackFlags& flags) {
  const std::optional<Lang> lang = ParseLanguage(flags.lang.empty() ? flags.locale : flags.lang);
  return lang.value_or(Lang::kEn);
}

std::string ChosenLanguage(const RulePackFlags& flags) {
  if (!flags.lang.empty()) {
    const std::optional<Lang> lang = ParseLanguage(flags.lang);
    if (!lang) {
      throw Error(ExitCode::kUsage,
                  "--lang " + flags.lang + ": not a language dartdiag speaks (languages: " + LanguageList() + ")");
    }
    return std::string(LanguageOf(*lang).tag);
  }
  const std::optional<Lang> from_locale = ParseLanguage(flags.locale);  // another locale: English
  return std::string(LanguageOf(from_locale.value_or(Lang::kEn)).tag);
}

RulePack LoadRulePackFromFlags(const RulePackFlags& flags) {
  std::vector<RuleSource> sources;
  if (!flags.no_default_rules) sources.push_back(DefaultRuleSource());
  for (const std::string& file : flags.rule_files) sources.push_back(ReadRuleSource(file));
  RulePack pack = LoadRulePack(sources, ChosenLanguage(flags));
  if (pack.rules.empty()) throw Error(ExitCode::kUsage, "no rules to evaluate (--no-default-rules without --rules)");
  return pack;
}

}  // namespace dartdiag
