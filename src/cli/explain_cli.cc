// `dartdiag explain RULE INPUT...`: each condition of one rule, whether it held per group, the
// events that satisfied it, and for a rule that did not fire the nearest misses.
// Tested by explain_test.cc.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_options.h"
#include "dartdiag/analysis.h"
#include "dartdiag/error.h"
#include "rule_model.h"
#include "dartdiag/report.h"
#include "cli/subcommands.h"
#include "cli/output_check.h"

namespace dartdiag {

int RunExplainCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                  const Terminal& terminal) {
  CLI::App app{"Explain why one rule fired or did not on a bundle", "dartdiag explain"};
  app.footer("Exit codes: 0 the rule fired; 1 it did not; 2 the input could not be read; 3 usage or rule-pack error.");
  std::string rule_id, format = "text", color = "auto";
  std::vector<std::string> inputs;
  RulePackFlags flags;
  flags.locale = terminal.locale;
  Limits limits;
  app.add_option("rule", rule_id, "Rule id (see dartdiag rules list)")->required();
  app.add_option("inputs", inputs, "A DART bundle zip, an unzipped bundle folder, or loose log files")->required();
  app.add_option("-f,--format", format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  app.add_option("--color", color, "Colour in the text output")->check(CLI::IsMember({"auto", "always", "never"}));
  AddRulePackOptions(app, flags);
  AddLimitOptions(app, limits);
  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "dartdiag explain: " << e.what() << " (see --help)\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  const RulePack pack = LoadRulePackFromFlags(flags);
  if (std::none_of(pack.rules.begin(), pack.rules.end(), [&](const Rule& r) { return r.id == rule_id; })) {
    throw Error(ExitCode::kUsage, fmt::format("no rule with id '{}' (see dartdiag rules list)", rule_id));
  }
  AnalyzeOptions options;
  options.inputs = inputs;
  options.limits = limits;
  options.explain = {rule_id};
  const Result result = Analyze(options, pack);
  if (format == "json") {
    out << ToJson(result)["explanations"][0].dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << '\n';
  } else {
    ReportOptions report;
    report.color = color == "always" || (color == "auto" && terminal.stdout_is_tty && !terminal.no_color);
    report.lang = ChosenLanguage(flags);  // the explanation's words in the language of the rules' texts
    WriteExplanations(result, report, out);
  }
  CheckWritten(out, "report");
  if (!result.has_logs()) return static_cast<int>(ExitCode::kUnreadable);
  return result.explanations.at(0).fired() ? 0 : 1;
}

}  // namespace dartdiag
