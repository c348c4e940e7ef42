// The live and plain progress views of `run`.
#include "cli/commands/run/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

namespace orch::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string FormatDuration(std::chrono::nanoseconds d) {
  double ms = std::chrono::duration<double, std::milli>(d).count();
  if (ms < 1) return fmt::format("{:.2f}ms", ms);
  if (ms < 1000) return fmt::format("{:.0f}ms", ms);
  return fmt::format("{:.2f}s", ms / 1000);
}

std::string Where(const compiler::SourceMap& sources, compiler::Span span) {
  if (!span.valid() || span.file >= sources.size()) return "";
  const auto& file = sources.file(span.file);
  auto lc = file.Locate(span.begin);
  return fmt::format("{}:{}", file.path(), lc.line);
}

void Write(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

/// Plain lines, one event per line.
class PlainView final : public ProgressView {
 public:
  PlainView(const compiler::SourceMap& sources, bool per_call) : sources_(sources), per_call_(per_call) {}

  void OnLog(const std::string& text, compiler::Span span) override { Write(fmt::format("log: {}\n", text)); }
  bool WantsProgress() const override { return false; }
  void OnWarning(const std::string& text, compiler::Span span) override {
    Write(fmt::format("warning: {}\n", text));
  }
  void OnCallStart(uint64_t id, const std::string& server, const std::string& tool, compiler::Span span) override {
    if (!per_call_) return;
    std::lock_guard lock(mutex_);
    names_[id] = fmt::format("{}.{}", server, tool);
  }
  void OnCallRetry(uint64_t id, int attempt, const std::string& error) override {
    Write(fmt::format("retry: attempt {} after: {}\n", attempt, error));
  }
  void OnCallEnd(uint64_t id, interp::CallOutcome outcome, std::chrono::nanoseconds elapsed) override {
    if (!per_call_) return;
    std::string name;
    {
      std::lock_guard lock(mutex_);
      name = names_[id];
      names_.erase(id);
    }
    static constexpr const char* kStates[] = {"ok", "failed", "cached", "cancelled"};
    Write(fmt::format("{} {} {}\n", kStates[static_cast<int>(outcome)], name, FormatDuration(elapsed)));
  }

 private:
  const compiler::SourceMap& sources_;
  bool per_call_;
  std::mutex mutex_;
  std::map<uint64_t, std::string> names_;
};

/// A redrawn block of running calls under the permanent lines.
class LiveView final : public ProgressView {
 public:
  LiveView(const compiler::SourceMap& sources, bool color) : sources_(sources), color_(color) {
    ticker_ = std::thread([this] { Tick(); });
  }
  ~LiveView() override { Finish(); }

  void Finish() override {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
      Clear();
    }
    cv_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    if (done_ > kShownCalls) Write(fmt::format("{} calls finished in {}\n", done_, FormatDuration(Clock::now() - start_)));
  }

  void OnLog(const std::string& text, compiler::Span span) override { Permanent(fmt::format("log: {}", text)); }
  void OnWarning(const std::string& text, compiler::Span span) override {
    Permanent(fmt::format("{}warning{}: {}", Yellow(), Reset(), text));
  }
  void OnCallStart(uint64_t id, const std::string& server, const std::string& tool, compiler::Span span) override {
    std::lock_guard lock(mutex_);
    Running& r = running_[id];
    r.name = fmt::format("{}.{}", server, tool);
    r.where = Where(sources_, span);
    r.started = Clock::now();
    Redraw();
  }
  void OnCallProgress(uint64_t id, double progress, std::optional<double> total, const std::string& message) override {
    std::lock_guard lock(mutex_);
    auto it = running_.find(id);
    if (it == running_.end()) return;
    it->second.progress = progress;
    it->second.total = total;
    it->second.message = message;
    Redraw();
  }
  void OnCallRetry(uint64_t id, int attempt, const std::string& error) override {
    Permanent(fmt::format("{}retry{} attempt {} after: {}", Yellow(), Reset(), attempt, error));
  }
  void OnCallEnd(uint64_t id, interp::CallOutcome outcome, std::chrono::nanoseconds elapsed) override {
    std::lock_guard lock(mutex_);
    auto it = running_.find(id);
    if (it == running_.end()) return;
    ++done_;
    bool failed = outcome == interp::CallOutcome::kFailed;
    // Show the first calls, and later only the ones worth attention.
    if (done_ <= kShownCalls || failed || elapsed > std::chrono::seconds(1)) {
      static constexpr const char* kMarks[] = {"✓", "✗", "↺", "⊘"};
      std::string mark = kMarks[static_cast<int>(outcome)];
      std::string colored = failed ? Red() + mark + Reset() : Green() + mark + Reset();
      lines_.push_back(fmt::format("{} {:<32} {:>8}  {}{}{}", colored, it->second.name, FormatDuration(elapsed), Dim(),
                                   it->second.where, Reset()));
    }
    running_.erase(it);
    Redraw();
  }

 private:
  static constexpr uint64_t kShownCalls = 20;
  struct Running {
    std::string name, where, message;
    Clock::time_point started;
    double progress = -1;
    std::optional<double> total;
  };

  std::string Green() const { return color_ ? "\x1b[32m" : ""; }
  std::string Red() const { return color_ ? "\x1b[31m" : ""; }
  std::string Yellow() const { return color_ ? "\x1b[33m" : ""; }
  std::string Dim() const { return color_ ? "\x1b[2m" : ""; }
  std::string Reset() const { return color_ ? "\x1b[0m" : ""; }

  void Permanent(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
    Redraw();
  }

  /// Erases the live block (mutex held).
  void Clear() {
    std::string out;
    for (int i = 0; i < drawn_; ++i) out += "\x1b[1A\x1b[2K";
    drawn_ = 0;
    Write(out);
  }

  /// Prints pending permanent lines and redraws the live block (mutex held).
  void Redraw() {
    if (stopped_) {
      for (auto& l : lines_) Write(l + "\n");
      lines_.clear();
      return;
    }
    std::string out;
    for (int i = 0; i < drawn_; ++i) out += "\x1b[1A\x1b[2K";
    for (auto& l : lines_) out += l + "\n";
    lines_.clear();
    static constexpr const char* kSpinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    int shown = 0;
    auto now = Clock::now();
    for (const auto& [id, r] : running_) {
      if (shown == 8) break;
      std::string state;
      if (r.total && *r.total > 0) {
        int filled = static_cast<int>(20 * std::clamp(r.progress / *r.total, 0.0, 1.0));
        std::string bar;
        for (int i = 0; i < filled; ++i) bar += "█";
        state = fmt::format("[{}{}] {:.0f}/{:.0f}", bar, std::string(static_cast<size_t>(20 - filled), ' '),
                            r.progress, *r.total);
      } else if (r.progress >= 0) {
        state = fmt::format("{:.0f}", r.progress);
      }
      out += fmt::format("{} {:<32} {:>8}  {} {}\n", kSpinner[tick_ % 10], r.name, FormatDuration(now - r.started),
                         state, r.message);
      ++shown;
    }
    if (running_.size() > 8) out += fmt::format("  … and {} more running\n", running_.size() - 8);
    drawn_ = shown + (running_.size() > 8 ? 1 : 0);
    Write(out);
  }

  void Tick() {
    std::unique_lock lock(mutex_);
    while (!stopped_) {
      cv_.wait_for(lock, std::chrono::milliseconds(100));
      if (stopped_) break;
      ++tick_;
      if (!running_.empty()) Redraw();
    }
  }

  const compiler::SourceMap& sources_;
  bool color_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread ticker_;
  bool stopped_ = false;
  std::map<uint64_t, Running> running_;
  std::vector<std::string> lines_;
  int drawn_ = 0;
  uint64_t tick_ = 0;
  uint64_t done_ = 0;
  Clock::time_point start_ = Clock::now();
};

class SilentView final : public ProgressView {
 public:
  bool WantsProgress() const override { return false; }
};

}  // namespace

std::unique_ptr<ProgressView> ProgressView::Make(ProgressMode mode, const compiler::SourceMap& sources, bool color) {
  switch (mode) {
    case ProgressMode::kLive: return std::make_unique<LiveView>(sources, color);
    case ProgressMode::kPlain: return std::make_unique<PlainView>(sources, true);
    case ProgressMode::kLogsOnly: return std::make_unique<PlainView>(sources, false);
    case ProgressMode::kNone: return std::make_unique<SilentView>();
  }
  return std::make_unique<SilentView>();
}

}  // namespace orch::cli
