// Rule packs: JSON files that carry every detection pattern. The default pack
// (src/rules/default_rules.json) is embedded in the binary; `--rules FILE` adds rules or overrides
// rules with the same id. The language is documented in docs/rules.md. A loaded pack is handed to
// Analyze (analysis.h); its compiled contents (patterns, conditions, state models) are internal to
// the engine (src/rule_model.h). Tested by rule_pack_test.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dartdiag {

struct Link {
  std::string title;
  std::string url;
};

// What a packet capture can say about a rule's problem, as the rule declares it ("capture" in the
// pack): which capture check confirms or contradicts it, and the flow the problem needs open (the
// firewall request). Empty `check`: no capture check covers the rule.
struct CaptureRef {
  std::string check;                   // one of CaptureCheckNames()
  std::vector<uint16_t> ports;         // firewall request: destination ports to allow
  std::vector<std::string> protocols;  // "tcp", "udp"
};

// The capture checks a rule can name, each implemented by the capture stage:
//   dns-blocked           no answer on port 53 (and 443) from the family's resolvers
//   dns-unencrypted-only  answers on 53 only, none on 443
//   dns-443-blocked       no answer on 443
//   swg-blocked           TCP to an SWG proxy address reset, refused by ICMP or unanswered
std::span<const std::string_view> CaptureCheckNames();

struct Rule;
struct StateModel;

// A loaded, validated and compiled pack. Its members are complete types only inside the engine
// (src/rule_model.h); to everyone else a pack is a value to load, move and pass to Analyze.
struct RulePack {
  RulePack();
  RulePack(RulePack&&) noexcept;
  RulePack& operator=(RulePack&&) noexcept;
  ~RulePack();

  std::vector<Rule> rules;
  std::vector<StateModel> models;
  const StateModel* FindModel(std::string_view id) const;
};

struct RuleSource {
  std::string name;  // file path, or "<default rules>" for the embedded pack
  std::string text;
  // The embedded pack only (DefaultRuleSource): its text is part of the program and is checked by
  // the tests, so the first pass over the JSON text that guards against hostile packs is skipped.
  bool embedded = false;
};

// Parses, validates and compiles the sources in order; a later rule with an existing id replaces
// it. Throws Error(kUsage) listing every problem, one per line, as "FILE: /json/path: problem".
// Human texts (title, summary, root_cause, remediation steps, notes) are a string or an object of
// translations by language tag ({"en": ..., "zh-TW": ...}, "en" required); `lang` picks one,
// falling back to English.
RulePack LoadRulePack(const std::vector<RuleSource>& sources, const std::string& lang = "en");

// The language to use: `requested` when given, else one from a POSIX locale value such as
// LC_ALL, LC_MESSAGES or LANG ("zh_TW.UTF-8" -> "zh-TW"), else "en".
std::string ChooseLanguage(const std::string& requested, const std::string& locale);

// The embedded default pack.
RuleSource DefaultRuleSource();

// Reads a rule file from disk; throws Error(kUsage) naming it when it cannot be read.
RuleSource ReadRuleSource(const std::string& path);

}  // namespace dartdiag
