// The template miner's accuracy on generated logs with known shapes (warning_log_generator.h),
// its cap and speed on logs where every line is unique, tokens and parameter classes.
#include "template_miner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "log_types.h"
#include "unexplained_collector.h"
#include "test_support.h"
#include "warning_log_generator.h"

namespace dartdiag {
namespace {

class Collect final : public EventSink {
 public:
  explicit Collect(size_t cap) : collector(cap) {}
  void OnEvent(const Event& event) override { collector.Observe(event, "gen.txt"); }
  void OnUnparsed(uint64_t, std::string_view) override {}
  UnexplainedCollector collector;
};

std::vector<WarningTemplate> Mine(const std::string& text, bool eventlog, uint64_t* uncounted = nullptr,
                                  size_t cap = kDefaultMaxWarningTemplates) {
  Collect sink(cap);
  ParseText(*LogTypeById(eventlog ? "umbrella-eventlog" : "csccumbrellaplugin"), text, sink);
  if (uncounted) *uncounted = sink.collector.uncounted();
  return sink.collector.Templates();
}

// Every shape's lines in exactly one template, whose text is the shape's template; nothing else.
void ExpectOneTemplatePerShape(const testing::GeneratedLog& log, const std::vector<WarningTemplate>& templates,
                               const std::string& what) {
  std::map<int, std::vector<const WarningTemplate*>> by_shape;
  for (const WarningTemplate& t : templates) {
    ASSERT_LT(t.example_line, log.shape_of_line.size()) << what;
    const int s = log.shape_of_line[t.example_line];
    ASSERT_GE(s, 0) << what << ": example line " << t.example_line << " is no record's first line";
    by_shape[s].push_back(&t);
  }
  EXPECT_EQ(templates.size(), log.shapes.size()) << what;
  for (size_t s = 0; s < log.shapes.size(); ++s) {
    const testing::Shape& shape = log.shapes[s];
    const auto found = by_shape.find(static_cast<int>(s));
    ASSERT_NE(found, by_shape.end()) << what << ": no template for shape " << s << " " << shape.Template();
    ASSERT_EQ(found->second.size(), 1u) << what << ": shape " << s << " split: " << found->second[0]->text << " | "
                                        << found->second[1]->text;
    const WarningTemplate& t = *found->second[0];
    // A template mixing two shapes would hold more lines than its shape (and the other fewer).
    EXPECT_EQ(t.count, log.lines_of_shape[s])
        << what << ": shape " << s << " " << shape.Template() << " got " << t.text;
    EXPECT_EQ(t.text, shape.Template()) << what << ": shape " << s << (shape.twin_of >= 0 ? " (a twin)" : "");
    EXPECT_EQ(t.source, shape.component) << what;
  }
}

TEST(TemplateMiner, FindsEveryKnownShapeAcrossSeedsAndK) {
  for (int k : {1, 3, 12, 25, 40}) {
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      const auto log = testing::GenerateWarningLog(seed * 7919 + static_cast<uint64_t>(k), k, 60 * k + 500);
      uint64_t uncounted = 99;
      const auto templates = Mine(log.text, false, &uncounted);
      EXPECT_EQ(uncounted, 0u);
      ExpectOneTemplatePerShape(log, templates, fmt::format("k={} seed={}", k, seed));
    }
  }
}

TEST(TemplateMiner, EventLogRecordsGroupedPerSource) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const auto log = testing::GenerateWarningLog(seed, 12, 1500, /*eventlog=*/true);
    uint64_t uncounted = 99;
    const auto templates = Mine(log.text, true, &uncounted);
    EXPECT_EQ(uncounted, 0u);
    ExpectOneTemplatePerShape(log, templates, fmt::format("event log seed={}", seed));
    for (const WarningTemplate& t : templates) EXPECT_TRUE(t.level == "Warning" || t.level == "Error") << t.level;
  }
}

TEST(TemplateMiner, ShapesThatDifferByOneConstantWordStayApart) {
  std::string text;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200; ++i) {
    const std::string user = testing::Param(testing::ParamKind::kUser, rng);
    text += fmt::format("2024-08-27 03:00:00 [1] [WARN] <  1> Sync: connection {} for user {} after {} ms\n",
                        i % 2 ? "refused" : "reset", user, i * 7);
  }
  const auto templates = Mine(text, false);
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[0].text, "connection refused for user <*> after <n> ms");
  EXPECT_EQ(templates[1].text, "connection reset for user <*> after <n> ms");
  EXPECT_EQ(templates[0].count, 100u);
}

TEST(TemplateMiner, SmallEnumerationsOfPlainWordsSplitLargerOnesDoNot) {
  const auto lines = [](int values) {
    std::string text;
    for (int i = 0; i < 120; ++i) {
      const char* words[] = {"idle", "active", "paused", "stopped", "draining", "failed"};
      text += fmt::format("2024-08-27 03:00:00 [1] [WARN] <  1> Broker: worker state {} at {}\n", words[i % values], i);
    }
    return text;
  };
  EXPECT_EQ(Mine(lines(2), false).size(), 2u);  // two words: maybe two constant shapes, kept apart
  EXPECT_EQ(Mine(lines(4), false).size(), 4u);
  const auto many = Mine(lines(6), false);
  ASSERT_EQ(many.size(), 1u);
  EXPECT_EQ(many[0].text, "worker state <*> at <n>");
}

TEST(TemplateMiner, AVariableWordAmongTheFirstTwoTokensDoesNotSplitTheShape) {
  // The prefix tree keys on the first two tokens: a user name there would give each user a branch,
  // a cluster and a template of its own.
  std::string text;
  std::mt19937_64 rng(9);
  for (int i = 0; i < 300; ++i) {
    const std::string user = testing::Param(testing::ParamKind::kUser, rng);
    text += fmt::format("2024-08-27 03:00:00 [1] [WARN] <  1> Auth: {} signed in from {} after {} tries\n", user,
                        testing::Param(testing::ParamKind::kIp, rng), i % 7);
    text += fmt::format("2024-08-27 03:00:01 [1] [WARN] <  1> Auth: session {} expired after {} ms idle\n",
                        testing::Param(testing::ParamKind::kUser, rng), i * 3);
  }
  const auto templates = Mine(text, false);
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[0].text, "<*> signed in from <ip> after <n> tries");
  EXPECT_EQ(templates[1].text, "session <*> expired after <n> ms idle");
  EXPECT_EQ(templates[0].count, 300u);
  EXPECT_EQ(templates[1].count, 300u);

  // A first word with a few values is a few constant shapes (twins), kept apart as elsewhere.
  text.clear();
  for (int i = 0; i < 120; ++i) {
    const char* first[] = {"Failed", "Unable", "Refused"};
    text += fmt::format("2024-08-27 03:00:00 [1] [WARN] <  1> Store: {} to open C:\\ProgramData\\x{}.db now\n",
                        first[i % 3], i);
  }
  std::set<std::string> texts;
  for (const WarningTemplate& t : Mine(text, false)) texts.insert(t.text);
  EXPECT_EQ(texts, (std::set<std::string>{"Failed to open <path> now", "Refused to open <path> now",
                                          "Unable to open <path> now"}));
}

TEST(TemplateMiner, TheShortcutPastTheTreeTakesOnlyWhatTheWalkWould) {
  // Two clusters in one leaf ("a b" and six tokens): the second's third position turns <*>, the
  // first gathers values until it matches "a b c y z w" fully, and wins the tie by coming first.
  // That message equals the last one ("a b 9 y z w") wherever the second cluster looks, but its
  // cluster is not alone in its leaf, so it must not be counted there.
  TemplateMiner miner;
  for (const char* m : {"a b c d e f", "a b 7 y z w", "a b 8 y z w", "a b c d e w", "a b c d z f", "a b c y e f",
                        "a b 9 y z w", "a b c y z w"}) {
    ASSERT_TRUE(miner.Add(0, m, {}));
  }
  std::map<std::string, uint64_t> counts;
  for (const MinedTemplate& t : miner.Templates()) counts[t.text] = t.count;
  EXPECT_EQ(counts, (std::map<std::string, uint64_t>{{"a b <*> y z w", 3},
                                                     {"a b c d e f", 1},
                                                     {"a b c d e w", 1},
                                                     {"a b c d z f", 1},
                                                     {"a b c y e f", 1},
                                                     {"a b c y z w", 1}}));
}

TEST(TemplateMiner, SameLogSameTemplatesSameOrder) {
  const auto log = testing::GenerateWarningLog(42, 20, 3000);
  const auto a = Mine(log.text, false), b = Mine(log.text, false);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].count, b[i].count);
    EXPECT_EQ(a[i].example_line, b[i].example_line);
    if (i > 0) {
      EXPECT_GE(a[i - 1].count, a[i].count);
    }
  }
}

TEST(TemplateMiner, EveryLineUniqueHitsTheCapCountsEveryLineAndStaysFast) {
  const int kLines = 60000;
  const std::string text = testing::GenerateUniqueLines(7, kLines);
  const auto start = std::chrono::steady_clock::now();
  uint64_t uncounted = 0;
  const auto templates = Mine(text, false, &uncounted, 1000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(templates.size(), 1000u);
  uint64_t counted = 0;
  for (const WarningTemplate& t : templates) counted += t.count;
  EXPECT_EQ(counted + uncounted, static_cast<uint64_t>(kLines));
  EXPECT_GT(uncounted, 0u);
  EXPECT_LT(seconds, 10.0) << "60,000 unique lines";  // generous: shared CI machines; about 0.1 s here
}

TEST(TemplateMiner, CapReportedInJsonAndText) {
  testing::TempDir dir;
  const auto file = dir.Write("csccumbrellaplugin.txt", testing::GenerateUniqueLines(3, 50));
  const auto json =
      nlohmann::json::parse(testing::Run({"--format", "json", "--max-warning-templates", "10", file.string()}).out);
  EXPECT_EQ(json["unexplained_warnings"]["templates"].size(), 10u);
  EXPECT_EQ(json["unexplained_warnings"]["max_templates"], 10);
  EXPECT_GT(json["unexplained_warnings"]["uncounted"].get<int>(), 0);
  const auto text = testing::Run({"--max-warning-templates", "10", file.string()});
  EXPECT_NE(text.out.find("the cap of 10 templates was reached; raise it with --max-warning-templates N"),
            std::string::npos)
      << text.out;
  const auto uncapped = nlohmann::json::parse(testing::Run({"--format", "json", file.string()}).out);
  EXPECT_EQ(uncapped["unexplained_warnings"]["uncounted"], 0);
  EXPECT_EQ(uncapped["unexplained_warnings"]["max_templates"], 1000);
}

// The obviously correct reference for one cluster: with every message known in advance, a
// position is <*> when its values include a parameter and are more than one, or are more than
// four plain words; each message's template is its tokens with those positions replaced.
std::map<std::string, uint64_t> ReferenceTemplates(const std::vector<std::string>& messages) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string_view> tokens;
  for (const std::string& m : messages) {
    const std::string masked = MaskMessage(m);
    Tokenize(masked, tokens);
    rows.emplace_back(tokens.begin(), tokens.end());
  }
  std::vector<bool> wild(rows[0].size());
  for (size_t p = 0; p < wild.size(); ++p) {
    std::set<std::string> values;
    bool parameter = false;
    for (const auto& row : rows) {
      values.insert(row[p]);
      parameter = parameter || LooksLikeParameter(row[p]);
    }
    wild[p] = values.size() > (parameter ? 1u : 4u);
  }
  std::map<std::string, uint64_t> out;
  for (const auto& row : rows) {
    std::string text;
    for (size_t p = 0; p < row.size(); ++p) text += (p ? " " : "") + (wild[p] ? std::string("<*>") : row[p]);
    ++out[text];
  }
  return out;
}

TEST(TemplateMiner, AgreesWithTheOfflineReferenceOnOneCluster) {
  const char* words[] = {"idle", "busy", "paused", "stopped", "draining", "failed", "queued"};
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    // Two word positions with 1 to 7 values each, and one parameter of a random kind.
    const size_t a = 1 + rng() % 7, b = 1 + rng() % 7;
    const auto kind = static_cast<testing::ParamKind>(rng() % static_cast<int>(testing::ParamKind::kCount));
    std::vector<std::string> messages;
    std::string text;
    for (int i = 0; i < 150; ++i) {
      messages.push_back(fmt::format("Worker pool {} {} for {} done", words[rng() % a], words[(rng() % b + 3) % 7],
                                     testing::Param(kind, rng)));
      text += "2024-08-27 03:00:00 [1] [WARN] <  1> Broker: " + messages.back() + "\n";
    }
    std::map<std::string, uint64_t> mined;
    for (const WarningTemplate& t : Mine(text, false)) mined[t.text] += t.count;
    EXPECT_EQ(mined, ReferenceTemplates(messages)) << "seed " << seed;
  }
}

struct TokenCase {
  const char* in;
  std::vector<std::string_view> tokens;
};

TEST(Tokenize, Table) {
  const TokenCase cases[] = {
      {"a  b\tc ", {"a", "b", "c"}},
      {"PAC for 'Microsoft Teams.exe' returned <hex>", {"PAC", "for", "'Microsoft Teams.exe'", "returned", "<hex>"}},
      {"can't open \"C:\\My Files\\x\", gave up", {"can't", "open", "\"C:\\My Files\\x\",", "gave", "up"}},
      {"unclosed 'quote here", {"unclosed", "'quote", "here"}},
      {"", {}},
  };
  std::vector<std::string_view> tokens;
  for (const TokenCase& c : cases) {
    Tokenize(c.in, tokens);
    EXPECT_EQ(tokens, c.tokens) << c.in;
  }
}

TEST(LooksLikeParameter, Table) {
  for (const char* word :
       {"refused", "Failed", "PAC", "OrgInfo", "(denied).", "e-mail", "can't", "-", "|", "HTTPRequest"}) {
    EXPECT_FALSE(LooksLikeParameter(word)) << word;
  }
  for (const char* param : {"<n>", "'chrome.exe'", "\"x\"", "abc<n>", "deadbeefcafe", "chrome.exe", "a/b", "x=1",
                            "qWeRtYuIoPzX", "DESKTOP-<n>Q"}) {
    EXPECT_TRUE(LooksLikeParameter(param)) << param;
  }
}

}  // namespace
}  // namespace dartdiag
