// Ctrl-C handling for `run`: the first SIGINT/SIGTERM calls `on_interrupt` (which
// cancels the run; in-flight calls send `notifications/cancelled`), a second one exits
// at once with status 130. A signal handler writes to a pipe; a watcher thread reacts.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace orch::cli {

class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> on_interrupt);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  /// True once a signal arrived.
  bool interrupted() const { return interrupted_.load(); }

 private:
  std::function<void()> on_interrupt_;
  std::atomic<bool> interrupted_{false};
  std::thread thread_;
  int pipe_[2] = {-1, -1};
};

}  // namespace orch::cli
