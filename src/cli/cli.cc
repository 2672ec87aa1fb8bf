// The command line (CLI11): parse flags, load the rule pack, analyse, report, map to an exit
// code. One catch site for the unit of work. Tested by cli_test.cc and end_to_end_test.cc.
#include "cli/cli.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "dartdiag/analysis.h"
#include "dartdiag/error.h"
#include "log_time.h"
#include "log_types.h"
#include "dartdiag/report.h"
#include "cli/subcommands.h"
#include "cli/cli_options.h"
#include "cli/output_check.h"
#include "report/redact_result.h"
#include "messages.h"
#include "terminal_escape.h"

namespace dartdiag {
namespace {

constexpr const char* kExitCodeHelp = R"(Exit codes:
  0  analysed, nothing at or above --fail-on still failing at the end of the log
  1  verdicts at or above --fail-on that still hold at the end of the log (or are not known to
     have cleared); with --ever-failed, also those that cleared before the end
  2  the input could not be read (missing, empty, not an archive, corrupt, encrypted), or the
     report could not be written (a full disk, a closed pipe)
  3  usage or rule-pack error
  4  analysed but incomplete (no Umbrella log found, a log unreadable or with no event, a cap
     reached), nothing to report
A capture finding (DNS or SWG blocked: error) counts like a verdict for --fail-on.)";

struct CliOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  RulePackFlags rules;
  Limits limits;
  std::string fail_on = "warning";
  std::string color = "auto";
  std::vector<std::string> swg_ips;
  bool explain = false;
  bool ever_failed = false;
  bool brief = false;
  std::string log_tz;
  RedactFlags redact;
  std::string output;  // -o FILE; "" writes to standard output
};

// One line on stderr, in the reader's language, for results that analysed but cannot be trusted
// as complete.
void ReportIncomplete(const Result& result, ExitCode code, Lang lang, std::ostream& err) {
  const std::string why = InLanguage(IncompleteReason(result), IncompletePhrase(result), lang);
  const auto path = fmt::arg("path", result.input.path);
  std::string line;
  if (code == ExitCode::kUnreadable) {
    line = why.empty() ? Say(lang, Msg::kCliNoLogRead, path)
                       : Say(lang, Msg::kCliNoLogReadBecause, path, fmt::arg("why", why));
  } else if (code == ExitCode::kIncomplete && !result.has_logs() && result.input.kind != "capture") {
    std::string names;
    for (const LogType& t : LogTypes()) names += (names.empty() ? "" : ", ") + std::string(t.file_name);
    line = Say(lang, Msg::kCliNoLogFound, path, fmt::arg("names", names));
  } else if (code == ExitCode::kIncomplete) {
    line = Say(lang, Msg::kCliIncomplete, path, fmt::arg("why", why));
  }
  if (!line.empty()) err << EscapeForTerminal("dartdiag: " + line) << '\n';
}

// -o FILE: the report goes to a file (created or replaced); a file that cannot be opened or
// written is an Error (exit code 2), like a report that cannot be written to standard output.
void WriteReportFile(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot write the report: {}", path, std::strerror(errno)));
  write(file);
  file.flush();
  CheckWritten(file, "report to " + path);
  file.close();
  if (file.fail()) throw Error(ExitCode::kUnreadable, fmt::format("{}: cannot write the report", path));
}

// How reports and messages name standard input.
constexpr const char* kStdinName = "<stdin>";

// True for `dartdiag -`; "-" beside other inputs, or without a stream to read, is a usage error.
bool ReadsStandardInput(const CliOptions& cli, const Terminal& terminal) {
  if (std::find(cli.inputs.begin(), cli.inputs.end(), "-") == cli.inputs.end()) return false;
  if (cli.inputs.size() > 1) {
    throw Error(ExitCode::kUsage, "- (standard input) must be the only input (a capture is given with a bundle file)");
  }
  if (terminal.in == nullptr) throw Error(ExitCode::kUsage, "-: no standard input to read");
  return true;
}

int Run(const CliOptions& cli, std::ostream& out, std::ostream& err, const Terminal& terminal) {
  const bool from_stdin = ReadsStandardInput(cli, terminal);  // before the pack: usage first
  const RulePack pack = LoadRulePackFromFlags(cli.rules);

  ReportOptions report;
  report.fail_on = SeverityByName(cli.fail_on);
  report.color = cli.color == "always" || (cli.color == "auto" && terminal.stdout_is_tty && !terminal.no_color);
  report.explain = cli.explain;
  report.ever_failed = cli.ever_failed;
  report.brief = cli.brief;
  report.lang = ChosenLanguage(cli.rules);
  if (cli.brief && cli.format != "text") throw Error(ExitCode::kUsage, "--brief applies to the text format only");

  AnalyzeOptions options;
  options.inputs = cli.inputs;
  options.limits = cli.limits;
  options.capture.swg_ips = cli.swg_ips;
  if (cli.explain) options.explain = {"*"};
  if (!cli.log_tz.empty()) options.log_offset_minutes = ParseUtcOffset(cli.log_tz);
  std::optional<Redactor> redactor;
  if (cli.redact.enabled()) {
    redactor.emplace();
    if (!cli.redact.map.empty()) redactor->Load(cli.redact.map);  // a bad map stops the run before it starts
  }
  Result result = from_stdin ? AnalyzeStream(*terminal.in, kStdinName, options, pack) : Analyze(options, pack);
  const ExitCode code = ExitCodeFor(result, report.fail_on, cli.ever_failed);
  if (redactor) {  // the verdicts and the exit code are settled: only what the report shows changes
    RedactResult(result, *redactor);
    if (!cli.redact.map.empty()) redactor->Save(cli.redact.map);
  }
  const auto format = std::find_if(ReportFormats().begin(), ReportFormats().end(),
                                   [&](const ReportFormat& f) { return f.name == cli.format; });
  if (cli.output.empty()) {
    format->write(result, report, out);
    CheckWritten(out, "report");
  } else {
    WriteReportFile(cli.output, [&](std::ostream& file) { format->write(result, report, file); });
  }
  ReportIncomplete(result, code, ReaderLanguage(cli.rules), err);
  return static_cast<int>(code);
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Terminal& terminal) {
  for (const Subcommand& sub : Subcommands()) {
    if (!args.empty() && args[0] == sub.name) {
      try {
        return sub.run(std::vector<std::string>(args.begin() + 1, args.end()), out, err, terminal);
      } catch (const Error& e) {
        err << "dartdiag: " << EscapeLinesForTerminal(e.what()) << '\n';
        return static_cast<int>(e.code());
      }
    }
  }
  CLI::App app{"dartdiag: root-cause verdicts for Cisco Secure Client Umbrella problems from a DART bundle",
               "dartdiag"};
  std::string footer;
  if (!Subcommands().empty()) {
    footer = "Subcommands (dartdiag NAME --help for each):\n";
    for (const Subcommand& sub : Subcommands()) footer += fmt::format("  {:<10}{}\n", sub.name, sub.summary);
    footer += "\n";
  }
  app.footer(footer + kExitCodeHelp);
  app.set_version_flag("--version", std::string("dartdiag ") + std::string(ToolVersion()));
  CliOptions cli;
  cli.rules.locale = terminal.locale;
  std::vector<std::string> format_names;
  for (const ReportFormat& f : ReportFormats()) format_names.emplace_back(f.name);
  app.add_option("inputs", cli.inputs,
                 "A DART bundle zip, an unzipped bundle folder, or loose log files; and/or one packet capture "
                 "(pcap or pcapng, recognised by its magic bytes) taken on the PC's egress interface; or - alone "
                 "to read a bundle zip or a single log from standard input (held in memory, within the caps)")
      ->required();
  app.add_option("-f,--format", cli.format, "Output format")->check(CLI::IsMember(format_names))->capture_default_str();
  app.add_option("-o,--output", cli.output,
                 "Write the report to FILE (created or replaced) instead of standard output, in any format");
  AddRulePackOptions(app, cli.rules);
  app.add_option("--fail-on", cli.fail_on, "Lowest verdict severity that makes the exit code 1")
      ->check(CLI::IsMember({"error", "warning", "info", "never"}))
      ->capture_default_str();
  app.add_flag("--brief", cli.brief,
               "One line per protection and family: the state now, since when, the rule (exit code unchanged)");
  app.add_flag("--ever-failed", cli.ever_failed,
               "Verdicts whose problem cleared before the end of the log also make the exit code 1");
  AddLogTzOption(app, cli.log_tz);
  app.add_option("--color", cli.color, "Colour in the text report (NO_COLOR is honoured in auto)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("--swg-ip", cli.swg_ips,
                 "An SWG proxy address to follow in the capture (repeat the flag for more), when the capture holds "
                 "no DNS answer for the proxy name (nslookup swg-url-proxy-https-sse.sigproxy.qq.opendns.com)")
      ->allow_extra_args(false);  // one value each: the inputs after it stay inputs
  app.add_flag("--explain", cli.explain,
               "Also list the rules that almost fired: which conditions held, and the nearest misses");
  AddRedactOptions(app, cli.redact);
  AddLimitOptions(app, cli.limits);

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "dartdiag: " << e.what() << " (see --help)\n";
    return static_cast<int>(ExitCode::kUsage);
  }

  try {
    return Run(cli, out, err, terminal);
  } catch (const Error& e) {  // an input that cannot be read says so in the reader's language
    err << "dartdiag: " << EscapeLinesForTerminal(InLanguage(e.what(), e.phrase(), ReaderLanguage(cli.rules))) << '\n';
    return static_cast<int>(e.code());
  }
}

}  // namespace dartdiag
