// The analysis pipeline for one bundle, written down once. Tested by end_to_end_test.cc.
#include "dartdiag/analysis.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cctype>
#include <istream>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archive.h"
#include "collect.h"
#include "capture/capture.h"
#include "log_time.h"
#include "messages.h"
#include "log_types.h"
#include "rule_engine.h"
#include "text_decode.h"
#include "state_tracker.h"
#include "matcher_index.h"
#include "near_miss.h"
#include "unexplained_collector.h"

namespace dartdiag {
namespace {

constexpr size_t kMaxSampleLength = 200;

std::vector<size_t> ExplainedRules(const AnalyzeOptions& options, const RulePack& pack);

// Receives log bytes from the input stage and runs decode -> parse -> rules on each.
class Pipeline final : public CollectSink, public EventSink {
 public:
  Pipeline(const AnalyzeOptions& options, const RulePack& pack, Result& result)
      : options_(options),
        engine_(pack),
        unexplained_(options.limits.max_warning_templates),
        states_(pack),
        result_(result) {
    if (!options.explain.empty()) near_misses_.emplace(pack, ExplainedRules(options, pack));
    engine_.SetMaxKept(options.limits.max_kept_events);
    // One matching pass per event serves the rule engine and the state models: their slots
    // joined in one index, the models' from the first word after the engine's.
    std::vector<const Matcher*> slots = engine_.matchers();
    engine_words_ = (slots.size() + 63) / 64;
    state_words_ = (states_.matchers().size() + 63) / 64;
    slots.resize(engine_words_ * 64, nullptr);
    slots.insert(slots.end(), states_.matchers().begin(), states_.matchers().end());
    index_ = std::make_unique<MatcherIndex>(slots);
  }

  void BeginLog(const std::string& path, LogTypeId log) override {
    if (recalling_) {
      file_index_ = recall_files_++;
    } else {
      file_index_ = result_.files.size();
      FileReport report;
      report.path = path;
      report.parser = GetLogType(log).id;
      result_.files.push_back(std::move(report));
      paths_.push_back(path);
      logs_seen_.insert(log);
    }
    samples_ = 0;
    decoder_ = StreamDecoder();
    splitter_.emplace(options_.limits.max_line_bytes);
    parser_ = GetLogType(log).make_parser(log, *this);
    parser_->SetMaxRecordBytes(options_.limits.max_line_bytes);
  }

  void LogBytes(std::string_view chunk) override {  // decode -> split -> parse -> rules
    if (!recalling_) result_.files[file_index_].bytes += chunk.size();
    const std::string_view text = decoder_.View(chunk, utf8_);
    splitter_->Feed(text, [this](uint64_t number, std::string_view line, bool) { parser_->Line(number, line); });
  }

  void EndLog(const std::string& error, const Phrase& why) override {
    utf8_.clear();
    decoder_.Finish(utf8_);
    const auto feed = [this](uint64_t number, std::string_view line, bool) { parser_->Line(number, line); };
    splitter_->Feed(utf8_, feed);
    splitter_->Finish(feed);
    const ParseStats stats = parser_->Finish();
    parser_.reset();
    if (recalling_) return;

    FileReport& file = result_.files[file_index_];
    const std::string path = file.path;
    file.error = error;
    file.error_phrase = why;
    file.lines = stats.lines;
    file.events = stats.events;
    file.last_time = ends_.Of(file_index_).time;
    file.unparsed_lines = stats.unparsed;
    if (stats.lines > 0 || error.empty()) file.encoding = EncodingName(decoder_.encoding());
    if (!error.empty() && file.bytes > 0) {
      Diagnose("warning", "log-read-in-part", path, 0,
               PhraseOf(Msg::kDiagReadInPart, Arg("n", stats.lines), TextArg("error", error, why)));
    } else if (!error.empty()) {
      result_.diagnostics.push_back({"warning", "unreadable-log", path, 0, error, why});
    } else if (stats.lines == 0) {
      Diagnose("warning", "empty-log", path, 0, PhraseOf(Msg::kDiagEmptyLog));
    } else if (stats.events == 0) {
      Diagnose("warning", "no-events", path, 0, PhraseOf(Msg::kDiagNoEvents));
    }
    if (decoder_.skipped_nuls() > 0 || decoder_.skipped_boms() > 0) {
      Diagnose(
          "info", "nul-or-bom-skipped", path, 0,
          PhraseOf(Msg::kDiagNulOrBom, Arg("nuls", decoder_.skipped_nuls()), Arg("boms", decoder_.skipped_boms())));
    }
    if (decoder_.invalid_units() > 0) {
      Diagnose("warning", "invalid-encoding", path, 0,
               PhraseOf(Msg::kDiagInvalidEncoding, Arg("n", decoder_.invalid_units()), Arg("encoding", file.encoding)));
    }
    if (splitter_->cut_lines() > 0) {
      Diagnose(
          "warning", "line-cut", path, 0,
          PhraseOf(Msg::kDiagLinesCut, Arg("n", splitter_->cut_lines()), Arg("cap", options_.limits.max_line_bytes)));
    }
    if (stats.cut_records > 0) {
      Diagnose("warning", "line-cut", path, 0,
               PhraseOf(Msg::kDiagRecordsCut, Arg("n", stats.cut_records), Arg("cap", options_.limits.max_line_bytes)));
    }
    if (stats.unparsed > samples_) {
      Diagnose("info", "unparsed-lines", path, 0,
               PhraseOf(Msg::kDiagMoreUnparsed, Arg("n", stats.unparsed - samples_)));
    }
  }

  // A diagnostic whose message is a phrase of the catalogue (English in `message`, for JSON).
  void Diagnose(std::string level, std::string code, std::string file, uint64_t line, Phrase phrase) {
    result_.diagnostics.push_back(
        PhrasedDiagnostic(std::move(level), std::move(code), std::move(file), line, std::move(phrase)));
  }

  void OnCapHit(CapHit hit) override {
    if (!recalling_) result_.integrity.push_back(std::move(hit));
  }

  void OnMember(Member member) override {
    if (!recalling_) result_.members.push_back(std::move(member));
  }
  void OnDiagnostic(Diagnostic diagnostic) override {
    if (!recalling_) result_.diagnostics.push_back(std::move(diagnostic));
  }

  void OnEvent(const Event& event) override {
    if (recalling_) {  // the same events in the same order: the engine's arrival count
      if (wanted_.count(++recall_seq_) > 0) engine_.Recall(OwnedEvent::From(event, file_index_, recall_seq_));
      return;
    }
    FileReport& file = result_.files[file_index_];
    if (file.first_time.empty()) file.first_time = event.time;
    ends_.Note(event, file_index_);
    const std::span<const uint64_t> matched = index_->Match(event);
    const bool observed = states_.Observe(event, file_index_, matched.subspan(engine_words_, state_words_));
    if (near_misses_) near_misses_->Observe(event, paths_[file_index_]);
    if (!engine_.Observe(event, file_index_, matched.first(engine_words_)) && !observed) {
      unexplained_.Observe(event, paths_[file_index_]);
    }
    if (engine_.kept_capped() && !kept_cap_reported_) {
      kept_cap_reported_ = true;
      result_.integrity.push_back(MakeCapHit(paths_[file_index_], "kept-events", options_.limits.max_kept_events,
                                             PhraseOf(Msg::kCapWhyKeptEvents)));
    }
  }

  // For redaction only (Result::identities): distinct values, bounded.
  void OnIdentity(IdentityKind kind, std::string_view value) override {
    if (recalling_) return;
    constexpr size_t kMaxIdentities = 256;
    if (value.empty() || value.size() > 256 || result_.identities.size() >= kMaxIdentities) return;
    std::pair<IdentityKind, std::string> identity{kind, std::string(value)};
    if (std::find(result_.identities.begin(), result_.identities.end(), identity) == result_.identities.end()) {
      result_.identities.push_back(std::move(identity));
    }
  }

  void OnUnparsed(uint64_t line, std::string_view text) override {
    if (recalling_ || samples_ >= options_.max_unparsed_samples) return;
    ++samples_;
    std::string sample(text.substr(0, kMaxSampleLength));
    std::replace(sample.begin(), sample.end(), '\0', ' ');
    Diagnose("info", "unparsed-line", paths_[file_index_], line,
             PhraseOf(Msg::kDiagLineNotRecognised, Arg("line", sample)));
  }

  // Condition rules' verdicts and state rules' verdicts, problems that still hold first, then by
  // severity, then in pack order.
  std::vector<Verdict> Verdicts(const RulePack& pack) const {
    std::vector<Verdict> verdicts = engine_.Finish(paths_, ends_);
    std::vector<Verdict> from_states = states_.Verdicts(paths_, ends_);
    verdicts.insert(verdicts.end(), std::make_move_iterator(from_states.begin()),
                    std::make_move_iterator(from_states.end()));
    const auto rank = [&](const Verdict& v) {
      const auto rule =
          std::find_if(pack.rules.begin(), pack.rules.end(), [&](const Rule& r) { return r.id == v.rule; });
      return std::make_tuple(!DrivesExitCode(v), -static_cast<int>(v.severity), rule - pack.rules.begin(), v.group);
    };
    std::stable_sort(verdicts.begin(), verdicts.end(),
                     [&](const Verdict& a, const Verdict& b) { return rank(a) < rank(b); });
    return verdicts;
  }
  // Reads the input again through `recollect` (which returns false when it cannot: standard input
  // is read once) and hands the engine the texts it noted as missing. Nothing else of the report
  // changes: files, diagnostics, cap hits and counts come from the first read. Returns whether
  // the input was read again; an error in the second read leaves the texts missing.
  template <typename Recollect>
  bool RecallMissingTexts(Recollect&& recollect) {
    wanted_ = engine_.missing_texts();
    engine_.ForgetMissing();
    recalling_ = true;
    recall_seq_ = 0;
    recall_files_ = 0;
    bool read = false;
    try {
      read = recollect(static_cast<CollectSink&>(*this));
    } catch (const std::exception&) {
      read = false;
    }
    recalling_ = false;
    parser_.reset();
    return read;
  }
  const UnexplainedCollector& unexplained() const { return unexplained_; }
  const RuleEngine& engine() const { return engine_; }
  const StateTracker& states() const { return states_; }
  const std::vector<std::string>& paths() const { return paths_; }
  const LogEnds& ends() const { return ends_; }
  const NearMissFinder* near_misses() const { return near_misses_ ? &*near_misses_ : nullptr; }
  const std::set<LogTypeId>& logs_seen() const { return logs_seen_; }

 private:
  const AnalyzeOptions& options_;
  RuleEngine engine_;
  UnexplainedCollector unexplained_;
  StateTracker states_;
  std::unique_ptr<MatcherIndex> index_;  // the engine's slots, then the state models'
  size_t engine_words_ = 0, state_words_ = 0;
  std::optional<NearMissFinder> near_misses_;  // only when explaining
  Result& result_;
  std::vector<std::string> paths_;  // file index -> path, for evidence
  LogEnds ends_;                    // file index -> where it ends (Logs section, verdicts' log_end)
  std::set<LogTypeId> logs_seen_;
  size_t file_index_ = 0;
  size_t samples_ = 0;
  // The log being read: decoder, line splitter and parser, fed chunk by chunk.
  StreamDecoder decoder_;
  std::optional<LineSplitter> splitter_;
  std::unique_ptr<LineParser> parser_;
  std::string utf8_;
  bool kept_cap_reported_ = false;
  // A second read for texts the engine did not keep (RecallMissingTexts).
  bool recalling_ = false;
  std::set<uint64_t> wanted_;
  uint64_t recall_seq_ = 0;
  size_t recall_files_ = 0;
};

// Indices of the rules AnalyzeOptions::explain names ("*": all of them).
std::vector<size_t> ExplainedRules(const AnalyzeOptions& options, const RulePack& pack) {
  std::vector<size_t> rules;
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    const bool all = !options.explain.empty() && options.explain.front() == "*";
    if (all || std::find(options.explain.begin(), options.explain.end(), pack.rules[r].id) != options.explain.end()) {
      rules.push_back(r);
    }
  }
  return rules;
}

}  // namespace

bool Result::has_logs() const {
  return std::any_of(files.begin(), files.end(), [](const FileReport& f) { return f.error.empty() || f.bytes > 0; });
}

bool Result::complete() const { return IncompleteReason(*this).empty(); }

namespace {

// IncompleteReason and IncompletePhrase: the reason in English and in the catalogue's words (an
// empty phrase when the text it quotes has none).
struct Reason {
  std::string text;
  Phrase phrase;
};

Reason IncompleteBecause(const Result& result) {
  if (result.capture && !result.capture->complete()) return {result.capture->error, result.capture->error_phrase};
  if (!result.integrity.empty()) return {result.integrity.front().message, result.integrity.front().phrase};
  for (const FileReport& f : result.files) {
    if (f.error.empty()) continue;
    if (f.bytes == 0) return {f.error, f.error_phrase};
    return {fmt::format("{}: read in part: {}", f.path, f.error),
            PhraseOf(Msg::kErrReadInPart, Arg("path", f.path), TextArg("error", f.error, f.error_phrase))};
  }
  for (const Diagnostic& d : result.diagnostics) {
    if (d.code != "unreadable-folder") continue;
    return {fmt::format("{}: {}", d.file, d.message), d.phrase.empty() ? Phrase{} : OnPath(d.file, d.phrase)};
  }
  if (!result.has_logs()) return {"no Umbrella log found", PhraseOf(Msg::kErrNoLogFound)};
  for (const FileReport& f : result.files) {
    if (f.events == 0) {
      return {fmt::format("{}: no event in the log (empty, or no line recognised)", f.path),
              PhraseOf(Msg::kErrNoEvent, Arg("path", f.path))};
    }
  }
  return {};
}

}  // namespace

std::string IncompleteReason(const Result& result) { return IncompleteBecause(result).text; }

Phrase IncompletePhrase(const Result& result) { return IncompleteBecause(result).phrase; }

namespace {

// Verdicts and explanations of what the pipeline has read.
void Evaluate(const AnalyzeOptions& options, const RulePack& pack, const Pipeline& pipeline, Result& result) {
  result.verdicts = pipeline.Verdicts(pack);
  result.explanations.clear();
  if (const NearMissFinder* misses = pipeline.near_misses()) {  // explain
    for (size_t r : ExplainedRules(options, pack)) {
      RuleExplanation e{pack.rules[r].id, pack.rules[r].title,
                        pack.rules[r].state ? pipeline.states().Trace(r, pipeline.paths(), pipeline.ends())
                                            : pipeline.engine().Trace(r, pipeline.paths()),
                        misses->For(r)};
      // Nearest misses only for wanted event patterns that did not hold in some group.
      std::erase_if(e.near_misses, [&](const NearMiss& miss) {
        return std::none_of(e.groups.begin(), e.groups.end(),
                            [&](const GroupTrace& g) {
                              return std::any_of(g.nodes.begin(), g.nodes.end(), [&](const NodeTrace& n) {
                                return !n.held && !n.negated && n.label == miss.pattern;
                              });
                            }) &&
               !e.groups.empty();
      });
      const bool listed = options.explain.front() != "*" || (!e.fired() && e.best_held() > 0);
      if (listed) result.explanations.push_back(std::move(e));
    }
  }
}

// The pipeline for one bundle; `collect` runs the input stage into the pipeline, `recollect` runs
// it again to recall evidence texts the engine did not keep (false: the input cannot be read again).
template <typename Collect, typename Recollect>
Result RunPipeline(const AnalyzeOptions& options, const RulePack& pack, Collect&& collect, Recollect&& recollect) {
  Result result;
  Pipeline pipeline(options, pack, result);
  result.input = collect(pipeline);           // open input, find logs; each log: decode, parse, match
  Evaluate(options, pack, pipeline, result);  // evaluate rules and state models
  if (!pipeline.engine().missing_texts().empty() && pipeline.RecallMissingTexts(recollect)) {
    Evaluate(options, pack, pipeline, result);
  }
  result.unexplained = pipeline.unexplained().Templates();  // warnings no rule used
  result.unexplained_uncounted = pipeline.unexplained().uncounted();
  result.unexplained_cap = pipeline.unexplained().max_templates();
  for (const Rule& rule : pack.rules) {  // coverage
    const auto seen = [&](const Matcher& m) { return pipeline.logs_seen().count(m.log) > 0; };
    const std::vector<Matcher>& reads = PatternsRead(pack, rule);
    const bool present = std::any_of(reads.begin(), reads.end(), seen);
    (present ? result.rules_evaluated : result.rules_not_evaluated).push_back(rule.id);
  }
  std::stable_sort(result.files.begin(), result.files.end(),
                   [](const FileReport& a, const FileReport& b) { return PathBefore(a.path, b.path); });
  std::stable_sort(result.members.begin(), result.members.end(),
                   [](const Member& a, const Member& b) { return PathBefore(a.path, b.path); });
  return result;
}

}  // namespace

namespace {

// A folder or a zip (by its magic bytes): a bundle of its own, as opposed to a loose log file.
bool IsWholeBundle(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return true;
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, sizeof head);
  return in.gcount() == sizeof head && HasZipMagic(std::string_view(head, sizeof head));
}

}  // namespace

Result Analyze(const AnalyzeOptions& options, const RulePack& pack) {
  for (const std::string& input : options.inputs) RequireRegularFileOrFolder(input);  // never block on a FIFO
  std::vector<std::string> bundle, captures;  // a capture is recognised by its magic bytes
  for (const std::string& input : options.inputs) (IsCaptureFile(input) ? captures : bundle).push_back(input);
  // Several bundles would merge into one report where nobody can tell which laptop is broken.
  std::vector<std::string> whole;
  std::copy_if(bundle.begin(), bundle.end(), std::back_inserter(whole), IsWholeBundle);
  if (whole.size() > 1) {
    throw Error(ExitCode::kUsage,
                fmt::format("{}: several bundles on one command line; each gets its own report with: dartdiag batch {}",
                            fmt::join(whole, ", "), fmt::join(whole, " ")));
  }
  if (captures.size() > 1) {
    throw Error(ExitCode::kUsage, fmt::format("{}: one packet capture at a time (merge them with mergecap first)",
                                              fmt::join(captures, ", ")));
  }
  if (captures.empty() && !options.capture.swg_ips.empty()) {
    throw Error(ExitCode::kUsage, "--swg-ip applies to a packet capture, and none was given");
  }
  std::optional<CaptureReport> capture;
  if (!captures.empty()) capture = AnalyzeCapture(captures.front(), options.capture, options.limits);
  Result result = RunPipeline(
      options, pack,
      [&](CollectSink& sink) {
        if (bundle.empty() && capture) return InputInfo{capture->path, "capture", capture->sha256};
        const bool known = !options.input_sha256.empty() && bundle.size() == 1;
        return CollectInputs(bundle, options.limits, sink,
                             known ? std::optional<std::string>(options.input_sha256) : std::nullopt);
      },
      [&](CollectSink& sink) {  // the digest came from the first read
        if (bundle.empty()) return false;
        CollectInputs(bundle, options.limits, sink, std::string());
        return true;
      });
  if (options.log_offset_minutes) ApplyLogOffset(result, *options.log_offset_minutes);  // one time line
  if (capture) {  // place the capture against the logs in time, then mark each log verdict against it
    if (!bundle.empty()) capture->timing = PlaceCapture(result, *capture);
    CheckVerdictsAgainstCapture(*capture, result.verdicts);
    result.diagnostics.insert(result.diagnostics.end(), capture->diagnostics.begin(), capture->diagnostics.end());
    result.capture = std::move(capture);
  }
  return result;
}

Result AnalyzeZipBytes(std::string bytes, const std::string& display_path, const AnalyzeOptions& options,
                       const RulePack& pack) {
  // The bytes are kept for a second read (RecallMissingTexts); the first walk reads a copy.
  Result result = RunPipeline(
      options, pack,
      [&](CollectSink& sink) {
        const bool known = !options.input_sha256.empty();
        return CollectZipBytes(bytes, display_path, options.limits, sink,
                               known ? std::optional<std::string>(options.input_sha256) : std::nullopt);
      },
      [&](CollectSink& sink) {  // the digest came from the first read
        CollectZipBytes(std::move(bytes), display_path, options.limits, sink, std::string());
        return true;
      });
  if (options.log_offset_minutes) ApplyLogOffset(result, *options.log_offset_minutes);
  return result;
}

Result AnalyzeStream(std::istream& in, const std::string& display_path, const AnalyzeOptions& options,
                     const RulePack& pack) {
  constexpr size_t kHeadBytes = 16 * 1024;  // enough to recognise a log by content
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (HasCaptureMagic(head)) {
    throw Error(ExitCode::kUsage,
                fmt::format("{}: a packet capture is read from a file: save it and name the file", display_path));
  }
  Result result = RunPipeline(
      options, pack,
      [&](CollectSink& sink) { return CollectStream(std::move(head), in, display_path, options.limits, sink); },
      [](CollectSink&) { return false; });  // standard input is read once
  if (options.log_offset_minutes) ApplyLogOffset(result, *options.log_offset_minutes);
  return result;
}

ExitCode ExitCodeFor(const Result& result, std::optional<Severity> fail_on, bool ever_failed) {
  const bool findings = fail_on && std::any_of(result.verdicts.begin(), result.verdicts.end(), [&](const Verdict& v) {
                          return v.severity >= *fail_on && DrivesExitCode(v, ever_failed);
                        });
  const std::optional<Severity> capture = result.capture ? result.capture->MostSevere() : std::nullopt;
  if (findings || (fail_on && capture && *capture >= *fail_on)) return ExitCode::kFindings;
  if (result.input.kind == "capture") return result.capture->complete() ? ExitCode::kOk : ExitCode::kIncomplete;
  if (!result.has_logs() && (!result.files.empty() || !result.integrity.empty())) return ExitCode::kUnreadable;
  if (!result.complete() || (result.capture && !result.capture->complete())) return ExitCode::kIncomplete;
  return ExitCode::kOk;
}

}  // namespace dartdiag
