// Drain-style template mining with per-position value sets (see template_miner.h). Tested by
// template_miner_test.cc.
#include "template_miner.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <tuple>

namespace dartdiag {

namespace {

constexpr std::string_view kWild = "<*>";

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsHexLetter(char c) { return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsOpening(char c) { return c == '(' || c == '[' || c == '{'; }
bool IsClosing(char c) {
  return c == '.' || c == ',' || c == ':' || c == ';' || c == '!' || c == '?' || c == ')' || c == ']' || c == '}';
}

}  // namespace

namespace {
constexpr std::array<bool, 256> kSpace = [] {
  std::array<bool, 256> t{};
  t[' '] = t['\t'] = true;
  return t;
}();
bool IsSpaceAt(const char* p) { return kSpace[static_cast<unsigned char>(*p)]; }
}  // namespace

void Tokenize(std::string_view message, std::vector<std::string_view>& tokens) {
  tokens.clear();
  const char* p = message.data();
  const char* const end = p + message.size();
  while (true) {
    while (p < end && IsSpaceAt(p)) ++p;
    if (p == end) break;
    const char* q = p + 1;
    if (*p == '\'' || *p == '"') {
      if (const void* close = std::memchr(q, *p, static_cast<size_t>(end - q))) q = static_cast<const char*>(close) + 1;
    }
    // To the next space, four bytes a step (most tokens are words of a few letters).
    const auto space_in_four = [](const char* at) {  // no branch per byte
      return (static_cast<unsigned>(IsSpaceAt(at)) | static_cast<unsigned>(IsSpaceAt(at + 1)) |
              static_cast<unsigned>(IsSpaceAt(at + 2)) | static_cast<unsigned>(IsSpaceAt(at + 3))) != 0;
    };
    while (end - q >= 4 && !space_in_four(q)) q += 4;
    while (q < end && !IsSpaceAt(q)) ++q;
    tokens.emplace_back(p, static_cast<size_t>(q - p));
    p = q;
  }
}

bool LooksLikeParameter(std::string_view token) {
  if (token.empty()) return false;
  if (token.front() == '\'' || token.front() == '"') return true;  // a quoted value
  if (token.find('<') != std::string_view::npos) return true;      // holds a mask
  if (std::none_of(token.begin(), token.end(), [](char c) { return IsLetter(c) || (c >= '0' && c <= '9'); })) {
    return false;  // punctuation: "-", "|", "->"
  }
  while (!token.empty() && IsOpening(token.front())) token.remove_prefix(1);
  while (!token.empty() && IsClosing(token.back())) token.remove_suffix(1);
  if (token.empty() || token.size() > 40) return !token.empty();
  size_t humps = 0;
  bool hex = token.size() >= 8;
  for (size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (!IsLetter(c) && !((c == '-' || c == '_' || c == '\'') && i > 0 && i + 1 < token.size())) return true;
    humps += i > 0 && IsUpper(c) && !IsUpper(token[i - 1]);
    hex = hex && IsHexLetter(c);
  }
  return hex || humps >= 3;  // deadbeefcafe; random mixed case (a base64 token without digits)
}

namespace {

struct Position {
  std::vector<std::string> values;  // distinct values while not wild
  bool wild = false;
  bool parameter = false;  // some value looked like a parameter
};

struct Entry {
  std::vector<uint8_t> index;  // the value at each position (unused where wild)
  uint64_t count = 0;
  uint64_t first_sequence = 0, last_sequence = 0;
  std::string first_seen, last_seen;
  uint64_t example_file = 0, example_line = 0;
  std::string example;
  std::vector<uint64_t> tag_counts;  // by MinerSample::tag
};

void CountTag(Entry& entry, uint8_t tag) {
  if (entry.tag_counts.size() <= tag) entry.tag_counts.resize(size_t{tag} + 1);
  ++entry.tag_counts[tag];
}

void AppendKey(const std::vector<Position>& positions, const std::vector<uint8_t>& index, std::string& key) {
  key.clear();
  for (size_t p = 0; p < positions.size(); ++p) {
    if (!positions[p].wild) key.push_back(static_cast<char>(index[p]));
  }
}

// `into` absorbs `from`: counts add up, the first and last occurrences and the example stay those
// seen first and last.
void Merge(Entry& into, Entry&& from) {
  into.count += from.count;
  if (into.tag_counts.size() < from.tag_counts.size()) into.tag_counts.resize(from.tag_counts.size());
  for (size_t t = 0; t < from.tag_counts.size(); ++t) into.tag_counts[t] += from.tag_counts[t];
  if (from.first_sequence < into.first_sequence) {
    into.first_sequence = from.first_sequence;
    into.first_seen = std::move(from.first_seen);
    into.example_file = from.example_file;
    into.example_line = from.example_line;
    into.example = std::move(from.example);
  }
  if (from.last_sequence > into.last_sequence) {
    into.last_sequence = from.last_sequence;
    into.last_seen = std::move(from.last_seen);
  }
}

}  // namespace

struct TemplateMiner::Cluster {
  uint32_t group = 0;
  uint64_t version = 0;  // changes when entries merge (pointers to them no longer hold)
  std::vector<Position> positions;
  std::unordered_map<std::string, Entry> entries;  // key: value index at each position not wild
};

struct TemplateMiner::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::vector<Cluster*> clusters;  // at the leaves
  std::vector<Cluster*> below;     // at a root (group, token count): its clusters in the order made
};

TemplateMiner::TemplateMiner(MinerOptions options) : options_(options) {
  options_.word_values = std::clamp<size_t>(options_.word_values, 1, 200);
}
TemplateMiner::~TemplateMiner() = default;

TemplateMiner::Node* TemplateMiner::Leaf(uint32_t group, bool create, Node** root_node) {
  const uint64_t root_key = (uint64_t{group} << 32) | std::min<size_t>(tokens_.size(), 0xffffffffu);
  auto root = roots_.find(root_key);
  if (root == roots_.end()) {
    if (!create) return nullptr;
    root = roots_.emplace(root_key, std::make_unique<Node>()).first;
  }
  Node* node = root->second.get();
  *root_node = node;
  for (size_t d = 0; d < options_.prefix_tokens && d < tokens_.size(); ++d) {
    // Tokens that look like parameters are never keys: found as they are, or on the "<*>" branch.
    std::string_view key = tokens_[d];
    auto child = node->children.find(key);
    if (child == node->children.end() && LooksLikeParameter(key)) {
      key = kWild;
      child = node->children.find(key);
    }
    if (child == node->children.end() && node->children.size() >= options_.max_children) {
      key = kWild;  // a full node: new tokens share one branch
      child = node->children.find(key);
    }
    if (child == node->children.end()) {
      if (!create) return nullptr;
      child = node->children.emplace(std::string(key), std::make_unique<Node>()).first;
    }
    node = child->second.get();
  }
  return node;
}

// A word that varies among the first tokens (a user name first) would give each value a branch
// of its own, and so a cluster and a template of its own. So before a message starts a cluster, a
// cluster of the same group and token count under another branch takes it when every position
// past the prefix agrees (equal, or already varying); the prefix positions then gather values
// like any other, and turn <*> past `word_values` plain words. Messages of fewer than two tokens
// past the prefix keep their own branch: too little agrees to tell a shape. Only the first
// `max_children` clusters of the root are looked at, so a log of unique lines under a raised cap
// costs no more per line than a full node of the tree.
TemplateMiner::Cluster* TemplateMiner::SameButForPrefix(const Node& root) const {
  if (tokens_.size() < options_.prefix_tokens + 2) return nullptr;
  const size_t n = std::min(root.below.size(), options_.max_children);
  for (size_t i = 0; i < n; ++i) {
    Cluster* c = root.below[i];
    bool same = true;
    for (size_t p = options_.prefix_tokens; p < tokens_.size() && same; ++p) {
      const Position& pos = c->positions[p];
      same = pos.wild || pos.values.size() > 1 || pos.values[0] == tokens_[p];
    }
    if (same) return c;
  }
  return nullptr;
}

TemplateMiner::Cluster* TemplateMiner::BestCluster(Node& leaf) const {
  Cluster* best = nullptr;
  size_t best_equal = 0;
  const size_t needed = static_cast<size_t>(options_.similarity * static_cast<double>(tokens_.size()) + 0.999999);
  for (Cluster* c : leaf.clusters) {
    size_t equal = 0;
    for (size_t p = 0; p < tokens_.size(); ++p) {
      const Position& pos = c->positions[p];
      equal += pos.wild || pos.values.size() > 1 || pos.values[0] == tokens_[p];
    }
    if (equal >= needed && (best == nullptr || equal > best_equal)) {
      best = c;
      best_equal = equal;
    }
  }
  return best;
}

bool TemplateMiner::Add(uint32_t group, std::string_view masked, const MinerSample& sample) {
  // The same masked text as the group's last message goes where that one went: nothing of the
  // group's tree changed in between, and no new value can change its cluster.
  LastOfGroup* last = nullptr;
  if (group < kLastOfGroups) {
    if (group >= last_.size()) last_.resize(group + 1);
    last = &last_[group];
  }
  const bool last_holds = last && last->cluster && last->version == last->cluster->version;
  const auto count = [&](void* where) {
    Entry& entry = *static_cast<Entry*>(where);
    ++entry.count;
    CountTag(entry, sample.tag);
    entry.last_sequence = sequence_++;
    entry.last_seen.assign(sample.time);
  };
  if (last_holds && last->masked == masked) {
    count(last->entry);
    return true;
  }
  Tokenize(masked, tokens_);
  // Nor does a message whose tokens equal the last one's wherever the tree or its cluster looks
  // (the prefix tokens, the positions not <*>), when that cluster is alone in its leaf: the same
  // leaf, the same cluster (no other to compare), the same values, the same entry. Messages of a
  // shape with a parameter that is not masked (a user name, a quoted process) mostly go this way.
  if (last_holds && last->alone && SameWhereLooked(*last)) {
    count(last->entry);
    return true;
  }
  const bool room = entries_ < options_.max_templates;
  Node* root = nullptr;
  Node* leaf = Leaf(group, room, &root);
  Cluster* cluster = leaf ? BestCluster(*leaf) : nullptr;
  if (cluster == nullptr && room && leaf != nullptr) cluster = SameButForPrefix(*root);
  if (cluster == nullptr) {
    if (!room || leaf == nullptr) {
      ++uncounted_;
      return false;
    }
    auto made = std::make_unique<Cluster>();
    made->group = group;
    made->positions.resize(tokens_.size());
    for (size_t p = 0; p < tokens_.size(); ++p) {
      made->positions[p].values.emplace_back(tokens_[p]);
      made->positions[p].parameter = LooksLikeParameter(tokens_[p]);
    }
    cluster = made.get();
    leaf->clusters.push_back(cluster);
    root->below.push_back(cluster);
    clusters_.push_back(std::move(made));
  }
  // The value index of each position; a new value may turn its position wild.
  std::vector<uint8_t>& index = index_;
  index.assign(tokens_.size(), 0);
  bool widened = false;
  for (size_t p = 0; p < tokens_.size(); ++p) {
    Position& pos = cluster->positions[p];
    if (pos.wild) continue;
    const auto found = std::find(pos.values.begin(), pos.values.end(), tokens_[p]);
    if (found != pos.values.end()) {
      index[p] = static_cast<uint8_t>(found - pos.values.begin());
      continue;
    }
    pos.parameter = pos.parameter || LooksLikeParameter(tokens_[p]);
    pos.values.emplace_back(tokens_[p]);
    index[p] = static_cast<uint8_t>(pos.values.size() - 1);
    if (pos.values.size() > (pos.parameter ? 1 : options_.word_values)) {
      pos.wild = true;
      pos.values.clear();
      pos.values.shrink_to_fit();
      widened = true;
    }
  }
  if (widened) {  // entries that differed only at the widened positions become one
    ++cluster->version;
    std::unordered_map<std::string, Entry> merged;
    for (auto& [old_key, entry] : cluster->entries) {
      AppendKey(cluster->positions, entry.index, key_);
      auto [it, inserted] = merged.try_emplace(key_);
      if (inserted) {
        it->second = std::move(entry);
      } else {
        Merge(it->second, std::move(entry));
        --entries_;
      }
    }
    cluster->entries = std::move(merged);
  }
  AppendKey(cluster->positions, index, key_);
  auto it = cluster->entries.find(key_);
  if (it == cluster->entries.end()) {
    if (entries_ >= options_.max_templates) {
      ++uncounted_;
      return false;
    }
    Entry entry;
    entry.index = index;
    entry.first_sequence = sequence_;
    entry.first_seen = std::string(sample.time);
    entry.example_file = sample.file;
    entry.example_line = sample.line;
    entry.example = std::string(sample.raw);
    it = cluster->entries.emplace(key_, std::move(entry)).first;
    ++entries_;
  }
  Entry& entry = it->second;
  ++entry.count;
  CountTag(entry, sample.tag);
  entry.last_sequence = sequence_++;
  entry.last_seen.assign(sample.time);
  if (last) {
    last->masked.assign(masked);
    last->tokens.clear();
    for (std::string_view t : tokens_) {
      last->tokens.push_back({static_cast<uint32_t>(t.data() - masked.data()), static_cast<uint32_t>(t.size())});
    }
    last->cluster = cluster;
    last->alone = leaf->clusters.size() == 1 && leaf->clusters[0] == cluster;
    last->version = cluster->version;
    last->entry = &entry;  // unordered_map elements stay put until the cluster's entries merge
  }
  return true;
}

bool TemplateMiner::SameWhereLooked(const LastOfGroup& last) const {
  if (tokens_.size() != last.tokens.size()) return false;
  const std::vector<Position>& positions = last.cluster->positions;
  for (size_t p = 0; p < tokens_.size(); ++p) {
    if (p >= options_.prefix_tokens && positions[p].wild) continue;
    const auto [offset, size] = last.tokens[p];
    if (tokens_[p] != std::string_view(last.masked).substr(offset, size)) return false;
  }
  return true;
}

std::vector<MinedTemplate> TemplateMiner::Templates() const {
  std::map<std::pair<uint32_t, std::string>, Entry> by_text;  // equal texts of a group merged
  for (const auto& cluster : clusters_) {
    for (const auto& [key, entry] : cluster->entries) {
      std::string text;
      for (size_t p = 0; p < cluster->positions.size(); ++p) {
        if (p > 0) text.push_back(' ');
        const Position& pos = cluster->positions[p];
        text += pos.wild ? kWild : std::string_view(pos.values[entry.index[p]]);
      }
      auto [it, inserted] = by_text.try_emplace({cluster->group, std::move(text)});
      if (inserted) {
        it->second = entry;
      } else {
        Merge(it->second, Entry(entry));
      }
    }
  }
  std::vector<MinedTemplate> out;
  out.reserve(by_text.size());
  for (auto& [key, e] : by_text) {
    out.push_back({key.first, key.second, e.count, e.first_seen, e.last_seen, e.example_file, e.example_line, e.example,
                   e.tag_counts});
  }
  std::stable_sort(out.begin(), out.end(), [](const MinedTemplate& a, const MinedTemplate& b) {
    return std::tie(b.count, a.group, a.text) < std::tie(a.count, b.group, b.text);
  });
  return out;
}

}  // namespace dartdiag
