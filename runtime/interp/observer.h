// Observer: what a running workflow reports as it goes (log lines, each tool call's start,
// progress and end). `run` renders these as live progress on a TTY or plain log lines;
// tests record them. Called from worker threads: implementations must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "compiler/source/source.h"

namespace orch::interp {

/// How one tool call ended.
enum class CallOutcome : uint8_t { kOk, kFailed, kCached, kCancelled };

class Observer {
 public:
  virtual ~Observer() = default;
  /// A `log` statement ran.
  virtual void OnLog(const std::string& text, compiler::Span span) {}
  /// A tool call started; `call_id` is unique within the run.
  virtual void OnCallStart(uint64_t call_id, const std::string& server, const std::string& tool,
                           compiler::Span span) {}
  /// The server reported progress for a running call.
  virtual void OnCallProgress(uint64_t call_id, double progress, std::optional<double> total,
                              const std::string& message) {}
  /// A call is being retried after `error` (attempt counts from 2).
  virtual void OnCallRetry(uint64_t call_id, int attempt, const std::string& error) {}
  /// A tool call finished.
  virtual void OnCallEnd(uint64_t call_id, CallOutcome outcome, std::chrono::nanoseconds elapsed) {}
  /// False when OnCallProgress does nothing (saves setting up a callback per call).
  virtual bool WantsProgress() const { return true; }
  /// A non-fatal problem worth telling the user (e.g. a cache that could not be opened).
  virtual void OnWarning(const std::string& text, compiler::Span span) {}
};

}  // namespace orch::interp
