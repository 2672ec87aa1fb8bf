// `dartdiag rules list|show|check|lint`: the rule catalogue and the rule writer's tools on the
// command line, as text, Markdown or JSON. Tested by rule_tools_test.cc.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_options.h"
#include "dartdiag/error.h"
#include "rule_tools.h"
#include "cli/subcommands.h"

namespace dartdiag {
namespace {

using nlohmann::ordered_json;

ordered_json RuleSummaryJson(const Rule& rule) {
  return {{"id", rule.id},         {"protection", rule.protection}, {"severity", SeverityName(rule.severity)},
          {"status", rule.status}, {"title", rule.title},           {"source", rule.source}};
}

void List(const RulePack& pack, const std::string& format, std::ostream& out) {
  if (format == "json") {
    ordered_json list = ordered_json::array();
    for (const Rule& rule : pack.rules) list.push_back(RuleSummaryJson(rule));
    out << list.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
    return;
  }
  if (format == "markdown") {
    out << "| id | protection | severity | status | title |\n|---|---|---|---|---|\n";
    for (const Rule& r : pack.rules) {
      out << fmt::format("| `{}` | {} | {} | {} | {} |\n", r.id, r.protection, SeverityName(r.severity), r.status,
                         r.title);
    }
    return;
  }
  // The same columns as the other formats: id, protection, severity, status, title.
  size_t width = 2, status_width = 6;
  for (const Rule& r : pack.rules) {
    width = std::max(width, r.id.size());
    status_width = std::max(status_width, r.status.size());
  }
  out << fmt::format("{:<{}}  {:<10}  {:<8}  {:<{}}  {}\n", "ID", width, "PROTECTION", "SEVERITY", "STATUS",
                     status_width, "TITLE");
  for (const Rule& r : pack.rules) {
    out << fmt::format("{:<{}}  {:<10}  {:<8}  {:<{}}  {}\n", r.id, width, r.protection, SeverityName(r.severity),
                       r.status, status_width, r.title);
  }
}

void Show(const RulePack& pack, const Rule& rule, const std::string& format, std::ostream& out) {
  const std::string conditions = DescribeCondition(pack, rule);
  std::vector<std::string> match, no_match;
  for (const Example& e : rule.examples) {
    std::string text;
    for (const std::string& line : e.lines) text += (text.empty() ? "" : "\n") + line;
    (e.should_match ? match : no_match).push_back(text);
  }
  if (format == "json") {
    ordered_json j = RuleSummaryJson(rule);
    j["conditions"] = conditions;
    j["summary"] = rule.summary;
    j["root_cause"] = rule.root_cause;
    j["remediation"] = rule.remediation;
    j["links"] = ordered_json::array();
    for (const Link& l : rule.links) j["links"].push_back({{"title", l.title}, {"url", l.url}});
    j["examples"] = {{"match", match}, {"no_match", no_match}};
    out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
    return;
  }
  const bool md = format == "markdown";
  const auto heading = [&](std::string_view title) {
    out << (md ? fmt::format("\n### {}\n\n", title) : fmt::format("\n{}:\n", title));
  };
  const auto block = [&](const std::string& text) {
    if (md) {
      out << "```\n" << text << (text.ends_with('\n') ? "" : "\n") << "```\n";
    } else {
      std::string indented;
      for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        indented += "  " + text.substr(pos, end - pos) + "\n";
        pos = end + 1;
      }
      out << indented;
    }
  };
  out << (md ? fmt::format("## `{}`: {}\n\n", rule.id, rule.title) : fmt::format("{}: {}\n", rule.id, rule.title));
  out << fmt::format("Protection: {}; status shown: {}; severity: {}; from: {}\n", rule.protection, rule.status,
                     SeverityName(rule.severity), rule.source);
  heading("When");
  block(conditions);
  heading("Summary");
  block(rule.summary);
  heading("Root cause");
  block(rule.root_cause);
  heading("Remediation");
  for (size_t i = 0; i < rule.remediation.size(); ++i)
    out << fmt::format("{}{}. {}\n", md ? "" : "  ", i + 1, rule.remediation[i]);
  heading("Links");
  for (const Link& l : rule.links) {
    out << fmt::format("{}{}\n", md ? "- " : "  ", l.title.empty() ? l.url : l.title + ": " + l.url);
  }
  const auto examples = [&](const std::vector<std::string>& list) {
    for (const std::string& e : list) {
      if (md) {
        block(e);
        continue;
      }
      std::string bulleted = "- ";
      for (char c : e) bulleted += c == '\n' ? std::string("\n  ") : std::string(1, c);
      block(bulleted);
    }
  };
  heading("Examples that must match");
  examples(match);
  heading("Examples that must not match");
  examples(no_match);
}

int Check(const RulePack& pack, const std::string& format, std::ostream& out) {
  const std::vector<ExampleResult> results = CheckExamples(pack);
  int failed_rules = 0;
  ordered_json json = ordered_json::array();
  for (const Rule& rule : pack.rules) {
    std::vector<const ExampleResult*> mine;
    for (const ExampleResult& r : results) {
      if (r.rule == rule.id) mine.push_back(&r);
    }
    const bool ok =
        !mine.empty() && std::all_of(mine.begin(), mine.end(), [](const ExampleResult* r) { return r->passed(); });
    failed_rules += !ok;
    ordered_json failures = ordered_json::array();
    if (format != "json")
      out << fmt::format("{}  {}  {} example{}\n", ok ? "PASS" : "FAIL", rule.id, mine.size(),
                         mine.size() == 1 ? "" : "s");
    if (mine.empty() && format != "json") out << "      no examples\n";
    for (const ExampleResult* r : mine) {
      if (r->passed()) continue;
      const std::string why = r->should_match ? "should fire, did not" : "should not fire, did";
      failures.push_back({{"example", r->json_path}, {"problem", why}});
      if (format != "json") out << fmt::format("      {}: {}\n", r->json_path, why);
    }
    json.push_back({{"rule", rule.id}, {"passed", ok}, {"examples", mine.size()}, {"failures", failures}});
  }
  if (format == "json") {
    out << json.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
  } else {
    out << fmt::format("{} rule{}: {} passed, {} failed\n", pack.rules.size(), pack.rules.size() == 1 ? "" : "s",
                       pack.rules.size() - failed_rules, failed_rules);
  }
  return failed_rules == 0 ? 0 : 1;
}

int Lint(const std::vector<RuleSource>& sources, const std::string& format, std::ostream& out) {
  const std::vector<LintFinding> findings = LintRuleSources(sources);
  if (format == "json") {
    ordered_json json = ordered_json::array();
    for (const LintFinding& f : findings)
      json.push_back({{"file", f.file}, {"path", f.json_path}, {"message", f.message}});
    out << json.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
  } else {
    for (const LintFinding& f : findings) {
      out << fmt::format("{}: {}{}\n", f.file, f.json_path.empty() ? "" : f.json_path + ": ", f.message);
    }
    out << fmt::format("{} finding{}\n", findings.size(), findings.size() == 1 ? "" : "s");
  }
  return findings.empty() ? 0 : 1;
}

}  // namespace

int RunRulesCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal) {
  CLI::App app{"The rule catalogue and tools for rule writers", "dartdiag rules"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok; 1 a failing example or a lint finding; 3 usage or rule-pack error.");
  std::string format = "text";
  RulePackFlags flags;
  flags.locale = terminal.locale;
  std::string id;
  std::vector<std::string> files;
  const std::vector<std::string> formats = {"text", "markdown", "json"};
  auto* list = app.add_subcommand("list", "List the rules: id, protection, severity, title");
  auto* show = app.add_subcommand("show", "Show one rule: conditions in words, remediation, links, examples");
  auto* check = app.add_subcommand("check", "Run every rule's examples; FILE alone, else the default pack");
  auto* lint = app.add_subcommand("lint", "Lint rule pack files (the default pack when none is given)");
  for (CLI::App* sub : {list, show, check, lint}) {
    sub->add_option("-f,--format", format, "Output format")->check(CLI::IsMember(formats))->capture_default_str();
  }
  for (CLI::App* sub : {list, show}) AddRulePackOptions(*sub, flags);
  show->add_option("id", id, "Rule id")->required();
  check->add_option("files", files, "Rule pack files");
  lint->add_option("files", files, "Rule pack files");
  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "dartdiag rules: " << e.what() << " (see --help)\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  std::vector<RuleSource> sources;
  for (const std::string& file : files) sources.push_back(ReadRuleSource(file));
  if (sources.empty()) sources.push_back(DefaultRuleSource());

  if (*lint) return Lint(sources, format, out);
  if (*check) return Check(LoadRulePack(sources), format, out);
  const RulePack pack = LoadRulePackFromFlags(flags);
  if (*list) {
    List(pack, format, out);
    return 0;
  }
  for (const Rule& rule : pack.rules) {
    if (rule.id == id) {
      Show(pack, rule, format, out);
      return 0;
    }
  }
  throw Error(ExitCode::kUsage, fmt::format("no rule with id '{}' (see dartdiag rules list)", id));
}

}  // namespace dartdiag
