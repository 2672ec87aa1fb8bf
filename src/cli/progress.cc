// The batch progress bar (see progress.h). Tested by batch_test.cc.
#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "messages.h"
#include "terminal_escape.h"

namespace dartdiag {
namespace {

constexpr size_t kBarWidth = 20;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

// The UTF-8 character that starts at byte `at` of `s`.
std::string_view Character(std::string_view s, size_t at) {
  size_t end = at + 1;
  while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
  return s.substr(at, end - at);
}

std::string Duration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

std::string FormatProgress(const BatchProgress& p, size_t width, Lang lang) {
  const double fraction =
      p.total == 0 ? 0.0 : std::min(1.0, static_cast<double>(p.done) / static_cast<double>(p.total));
  const auto filled = static_cast<size_t>(fraction * kBarWidth);
  std::string bar(kBarWidth + 2, '.');
  bar.front() = '[';
  bar.back() = ']';
  bar.replace(1, filled, filled, '#');

  const double mb = static_cast<double>(p.bytes_done) / 1e6;
  const double rate = p.elapsed > 0 ? mb / p.elapsed : 0.0;
  // ETA from bytes when sizes are known (bundles differ in size), else from bundle counts.
  std::string eta = "--:--";
  if (p.bytes_total > 0 && p.bytes_done > 0 && p.elapsed > 0) {
    const double left = static_cast<double>(p.bytes_total > p.bytes_done ? p.bytes_total - p.bytes_done : 0);
    eta = Duration(left / (static_cast<double>(p.bytes_done) / p.elapsed));
  } else if (p.done > 0 && p.elapsed > 0) {
    eta = Duration(static_cast<double>(p.total - std::min(p.total, p.done)) * p.elapsed / static_cast<double>(p.done));
  }
  std::string line =
      Say(lang, Msg::kBatchProgress, fmt::arg("bar", bar), fmt::arg("done", p.done), fmt::arg("total", p.total),
          fmt::arg("rate", fmt::format("{:.1f}", rate)), fmt::arg("eta", eta));
  const size_t columns = DisplayColumns(line);
  if (columns >= width) {  // cut at a character, by columns
    size_t end = 0;
    for (size_t used = 0; end < line.size() && used + DisplayColumns(Character(line, end)) < width;) {
      used += DisplayColumns(Character(line, end));
      end += Character(line, end).size();
    }
    return line.substr(0, end);
  }

  // The current bundle in what is left, its start cut off when too long.
  const size_t room = width - 1 - columns;
  if (!p.current.empty() && room > 5) {
    std::string current = EscapeForTerminal(p.current);
    if (current.size() > room - 2) {
      size_t cut = current.size() - (room - 5);
      while (cut < current.size() && (static_cast<unsigned char>(current[cut]) & 0xC0) == 0x80) ++cut;  // UTF-8
      current = "..." + current.substr(cut);
    }
    line += "  " + current;
  }
  return line;
}

void ProgressBar::Update(const BatchProgress& progress) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < kRedrawInterval) return;
  last_ = now;
  out_ << '\r' << FormatProgress(progress, width_, lang_) << "\x1b[K" << std::flush;
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  out_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

size_t StderrColumns() {
  if (const char* columns = std::getenv("COLUMNS")) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n > 20) return static_cast<size_t>(n);
  }
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

}  // namespace dartdiag
