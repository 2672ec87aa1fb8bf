// Duplicate bundles in a batch: the index of SHA-256 digests already claimed by a worker, the
// bounded cache of reports kept for duplicates, the copy of a report for a duplicate, and the
// collector's resolution of duplicates (batch_collect.h). Tested by batch_collect_test.cc and
// batch_test.cc (duplicates, and a zero-byte cache that forces re-analysis).
#include <nlohmann/json.hpp>

#include "batch/batch_collect.h"

namespace dartdiag {
namespace {

constexpr uint64_t kRowOverheadBytes = 256;  // paths, counters and verdict briefs, roughly

uint64_t RowBytes(const BatchRow& row) {
  uint64_t bytes = kRowOverheadBytes + row.report.size() + row.error.size();
  for (const VerdictBrief& v : row.verdicts) bytes += v.rule.size() + v.first_seen.size() + v.last_seen.size() + 32;
  return bytes;
}

// `text` with a leading `from` path replaced by `to`, when `from` is the whole text or is followed
// by ": " (a message about it) or "!/" (an entry inside it).
std::string Rebase(const std::string& text, const std::string& from, const std::string& to) {
  if (!text.starts_with(from)) return text;
  const std::string_view rest = std::string_view(text).substr(from.size());
  if (rest.empty() || rest.starts_with(": ") || rest.starts_with("!/")) return to + std::string(rest);
  return text;
}

void RebaseAll(nlohmann::ordered_json& json, const std::string& from, const std::string& to) {
  if (json.is_string()) {
    json = Rebase(json.get<std::string>(), from, to);
  } else if (json.is_structured()) {
    for (auto& child : json) RebaseAll(child, from, to);
  }
}

}  // namespace

bool DedupIndex::Claim(const std::string& sha256) {
  const std::lock_guard lock(mutex_);
  return claimed_.insert(sha256).second;
}

void ReportCache::Put(const BatchRow& row) {
  const uint64_t bytes = RowBytes(row);
  if (row.sha256.empty() || bytes > budget_ || rows_.count(row.sha256) > 0) return;
  while (used_ + bytes > budget_ && !order_.empty()) {
    used_ -= RowBytes(rows_.at(order_.front()));
    rows_.erase(order_.front());
    order_.pop_front();
  }
  used_ += bytes;
  rows_.emplace(row.sha256, row);
  order_.push_back(row.sha256);
}

const BatchRow* ReportCache::Find(const std::string& sha256) const {
  const auto it = rows_.find(sha256);
  return it == rows_.end() ? nullptr : &it->second;
}

BatchRow CopyForDuplicate(const BatchRow& original, const BatchRow& duplicate) {
  BatchRow row = original;
  row.key = duplicate.key;
  row.parts = duplicate.parts;
  row.bundle = duplicate.bundle;
  row.attachment = duplicate.attachment;
  row.seconds = duplicate.seconds;
  row.bytes = duplicate.bytes;
  row.duplicate_of.clear();
  if (original.bundle == duplicate.bundle) return row;
  row.error = Rebase(row.error, original.bundle, duplicate.bundle);
  ForEachPhraseText(row.error_phrase,
                    [&](std::string& text) { text = Rebase(text, original.bundle, duplicate.bundle); });
  auto report = nlohmann::ordered_json::parse(row.report);
  RebaseAll(report, original.bundle, duplicate.bundle);
  row.report = report.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return row;
}

DuplicateResolver::Outcome DuplicateResolver::Resolve(Finished f) {
  Outcome out;
  const std::string sha = f.row.sha256;
  if (f.duplicate) {
    if (const BatchRow* original = cache_.Find(sha)) {
      out.rows.push_back(ForDuplicate(*original, std::move(f.row)));
    } else if (analysed_.count(sha) == 0) {
      parked_[sha].push_back(std::move(f.row));
    } else {  // its original's report was dropped from the cache: analyse it after all
      f.item.analyse_duplicate = true;
      out.reanalyse = std::move(f.item);
    }
    return out;
  }
  if (!sha.empty()) {
    analysed_.insert(sha);
    cache_.Put(f.row);
  }
  std::vector<BatchRow> waiting;
  if (const auto it = parked_.find(sha); !sha.empty() && it != parked_.end()) {
    waiting = std::move(it->second);
    parked_.erase(it);
  }
  out.rows.reserve(1 + waiting.size());
  out.rows.push_back(std::move(f.row));
  for (BatchRow& duplicate : waiting) out.rows.push_back(ForDuplicate(out.rows.front(), std::move(duplicate)));
  return out;
}

// A duplicate's names are redacted here, once its original's analysis has taught the map the names
// inside the bundle (the worker that found it a duplicate may have run first).
BatchRow DuplicateResolver::ForDuplicate(const BatchRow& original, BatchRow duplicate) const {
  RedactRowNames(redact_, duplicate);
  return CopyForDuplicate(original, duplicate);
}

void DuplicateResolver::Label(BatchRow& row) {
  if (row.sha256.empty()) return;
  const auto [it, first] = first_written_.emplace(row.sha256, row.bundle);
  if (!first) row.duplicate_of = it->second;
}

}  // namespace dartdiag
