// CallRecorder: an Observer that remembers when every tool call of a run started and
// ended (for `profile` and `run --trace-out`), and passes every event on to another
// observer (the progress view), so recording changes nothing the user sees.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/interp/observer.h"

namespace orch::trace {

/// One finished (or abandoned) tool call; times are from the start of the run.
struct CallRecord {
  uint64_t id = 0;
  std::string server;
  std::string tool;
  compiler::Span span;
  std::chrono::nanoseconds start{0};
  std::chrono::nanoseconds end{0};
  interp::CallOutcome outcome = interp::CallOutcome::kOk;
  int attempts = 1;
};

/// Everything recorded for one run.
struct Recording {
  std::vector<CallRecord> calls;  ///< in order of start
  std::chrono::nanoseconds total{0};
};

class CallRecorder final : public interp::Observer {
 public:
  /// `next` (may be null) receives every event too.
  explicit CallRecorder(interp::Observer* next);

  /// Starts the clock; calls before Start() are timed from construction.
  void Start();
  /// Stops the clock and returns what was recorded (calls still running end now).
  Recording Finish();

  void OnLog(const std::string& text, compiler::Span span) override;
  void OnCallStart(uint64_t call_id, const std::string& server, const std::string& tool, compiler::Span span) override;
  void OnCallProgress(uint64_t call_id, double progress, std::optional<double> total,
                      const std::string& message) override;
  void OnCallRetry(uint64_t call_id, int attempt, const std::string& error) override;
  void OnCallEnd(uint64_t call_id, interp::CallOutcome outcome, std::chrono::nanoseconds elapsed) override;
  bool WantsProgress() const override;
  void OnWarning(const std::string& text, compiler::Span span) override;

 private:
  std::chrono::nanoseconds Now() const;

  interp::Observer* next_;
  std::chrono::steady_clock::time_point origin_;
  std::mutex mutex_;
  std::map<uint64_t, CallRecord> running_;
  std::vector<CallRecord> done_;
};

}  // namespace orch::trace
