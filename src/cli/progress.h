// A one-line progress bar for batch runs on stderr: bundles done/total, MB/s, ETA, the current
// bundle. Drawn only on a terminal and not with --quiet; redrawn at most a few times a second.
// Tested by batch_test.cc (the line's format, and nothing written when disabled).
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

#include "batch/batch.h"

namespace dartdiag {

// The line for `progress` in at most `width` columns, without line end, in `lang`.
std::string FormatProgress(const BatchProgress& progress, size_t width, Lang lang = Lang::kEn);

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool enabled, size_t width, Lang lang = Lang::kEn)
      : out_(out), enabled_(enabled), width_(width), lang_(lang) {}
  ~ProgressBar() { Clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(const BatchProgress& progress);
  void Clear();  // erases the line, before anything else is written to the terminal

 private:
  std::ostream& out_;
  bool enabled_;
  size_t width_;
  Lang lang_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// Columns of the terminal on stderr ($COLUMNS, else the tty's size, else 80).
size_t StderrColumns();

}  // namespace dartdiag
