#include "shell/progress_bar.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace basalt {

namespace {

// Quiet for statements that end quickly: most do.
constexpr auto kDelay = std::chrono::milliseconds(500);
constexpr auto kRedraw = std::chrono::milliseconds(100);

// "950", "12.3K", "4.5M", "1.2G".
std::string Count(uint64_t n) {
  if (n < 1000) return std::to_string(n);
  if (n < 1000000) return fmt::format("{:.1f}K", n / 1e3);
  if (n < 1000000000) return fmt::format("{:.1f}M", n / 1e6);
  return fmt::format("{:.1f}G", n / 1e9);
}

}  // namespace

std::string ProgressBar::Render(const ProgressFigures& figures, double seconds, int width) {
  const double fraction = std::clamp(figures.Fraction(), 0.0, 1.0);
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(static_cast<size_t>(width), ' ');
  std::string line = fmt::format("[{}] {:3.0f}%", bar, fraction * 100);
  if (figures.rows_estimated > 0) {
    line += fmt::format("  {} of {} rows", Count(figures.rows_scanned), Count(figures.rows_estimated));
  } else if (figures.rows_scanned > 0) {
    line += fmt::format("  {} rows", Count(figures.rows_scanned));
  }
  if (figures.instances_total > 0) {
    line += fmt::format("  {}/{} instances", figures.instances_done, figures.instances_total);
  }
  return line + fmt::format("  {:.1f} s", seconds);
}

ProgressBar::ProgressBar(std::function<ProgressFigures()> poll, std::ostream& out)
    : poll_(std::move(poll)), out_(out), thread_([this] { Loop(); }) {}

ProgressBar::~ProgressBar() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  done_cv_.notify_all();
  thread_.join();
  if (drawn_) out_ << "\r\033[K" << std::flush;  // erase the bar
}

void ProgressBar::Loop() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  if (done_cv_.wait_for(lock, kDelay, [&] { return done_; })) return;
  while (!done_) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ProgressFigures figures = poll_();
    // Statements without a query plan (COPY FROM, DDL) have nothing to show.
    if (figures.instances_total > 0 || figures.rows_scanned > 0) {
      out_ << "\r\033[K" << Render(figures, seconds) << std::flush;
      drawn_ = true;
    }
    done_cv_.wait_for(lock, kRedraw, [&] { return done_; });
  }
}

}  // namespace basalt
