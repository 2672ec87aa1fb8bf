// Template mining for unexplained warnings, in the family of Drain (He et al., ICWS 2017): a
// masked message is split into tokens and routed through a fixed-depth prefix tree (group, token
// count, the first tokens; tokens that look like parameters go to a "<*>" branch) to a leaf of
// clusters; it joins the most similar cluster of the leaf (share of equal tokens, positions that
// vary counting as equal) or starts one; before it starts one, a cluster of the same group and
// token count under another branch takes the message when all positions past the prefix agree (a
// varying first word does not split a shape). Unlike Drain, a position does not turn into <*> on its
// first difference: a cluster remembers the values each position took, and a position becomes
// <*> once it took two values that look like parameters (digits, quotes, dots, placeholders,
// random mixed case) or more than `word_values` plain words. Until then its values split the
// cluster's templates, so shapes that differ by one constant word stay apart; small enumerations
// of plain words (four users) may split too. One pass, deterministic for the same input order;
// memory is bounded by a cap on templates (the entries of all clusters): past it, messages of new
// templates are counted as uncounted. Tested by template_miner_test.cc against generated logs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dartdiag {

struct MinerOptions {
  size_t max_templates = 1000;
  size_t prefix_tokens = 2;   // tree depth below the token count
  size_t max_children = 100;  // a node with more children routes new tokens to "<*>"
  double similarity = 0.4;    // least share of equal tokens to join a cluster
  size_t word_values = 4;     // plain words a position may take before it becomes <*>
};

// One occurrence, as the caller wants it remembered.
struct MinerSample {
  std::string_view time;
  uint64_t file = 0;  // the caller's file index
  uint64_t line = 0;
  std::string_view raw;
  uint8_t tag = 0;  // caller-defined (the level), counted per template
};

struct MinedTemplate {
  uint32_t group = 0;
  std::string text;  // tokens joined by one space, "<*>" where the position varies
  uint64_t count = 0;
  std::string first_seen, last_seen;
  uint64_t example_file = 0, example_line = 0;
  std::string example;
  std::vector<uint64_t> tag_counts;  // occurrences by MinerSample::tag
};

// Splits a masked message into tokens at spaces and tabs; a token that opens with a quote runs to
// its closing quote ('Microsoft Teams.exe' is one token).
void Tokenize(std::string_view message, std::vector<std::string_view>& tokens);

// True for a token that looks like a parameter rather than a word of the message's text.
bool LooksLikeParameter(std::string_view token);

class TemplateMiner {
 public:
  explicit TemplateMiner(MinerOptions options = {});
  ~TemplateMiner();
  TemplateMiner(const TemplateMiner&) = delete;
  TemplateMiner& operator=(const TemplateMiner&) = delete;

  // Adds one masked message of caller-defined group `group`; false when it fell past the cap.
  bool Add(uint32_t group, std::string_view masked, const MinerSample& sample);
  // Templates by count (most first), then group, then text; equal texts of a group merged.
  std::vector<MinedTemplate> Templates() const;
  uint64_t uncounted() const { return uncounted_; }
  void CountUncounted() { ++uncounted_; }        // a message the caller turned away at the cap
  size_t templates() const { return entries_; }  // entries now held (at most max_templates)
  const MinerOptions& options() const { return options_; }

  struct Cluster;
  struct Node;

 private:
  Node* Leaf(uint32_t group, bool create, Node** root);
  Cluster* BestCluster(Node& leaf) const;
  Cluster* SameButForPrefix(const Node& root) const;  // a cluster under another branch, or null

  MinerOptions options_;
  std::map<uint64_t, std::unique_ptr<Node>> roots_;  // (group, token count) -> node
  std::vector<std::unique_ptr<Cluster>> clusters_;
  size_t entries_ = 0;
  uint64_t uncounted_ = 0;
  uint64_t sequence_ = 0;
  std::vector<std::string_view> tokens_;  // the message being added
  std::vector<uint8_t> index_;            // its value index at each position
  // Per group (the first kLastOfGroups), where its last message went, for repeats of it.
  struct LastOfGroup {
    std::string masked;
    std::vector<std::pair<uint32_t, uint32_t>> tokens;  // offset and size in `masked`
    Cluster* cluster = nullptr;
    bool alone = false;  // the only cluster of its leaf
    uint64_t version = 0;
    void* entry = nullptr;
  };
  bool SameWhereLooked(const LastOfGroup& last) const;  // tokens_ against `last`
  static constexpr uint32_t kLastOfGroups = 4096;
  std::vector<LastOfGroup> last_;
  std::string key_;
};

}  // namespace dartdiag
