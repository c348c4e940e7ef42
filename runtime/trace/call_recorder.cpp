// CallRecorder: timestamps per call id under a mutex; forwards everything to `next_`.
#include "runtime/trace/call_recorder.h"

#include <algorithm>

namespace orch::trace {

CallRecorder::CallRecorder(interp::Observer* next) : next_(next), origin_(std::chrono::steady_clock::now()) {}

void CallRecorder::Start() {
  std::lock_guard lock(mutex_);
  origin_ = std::chrono::steady_clock::now();
}

std::chrono::nanoseconds CallRecorder::Now() const { return std::chrono::steady_clock::now() - origin_; }

Recording CallRecorder::Finish() {
  std::lock_guard lock(mutex_);
  Recording r;
  r.total = Now();
  r.calls = done_;
  for (auto& [id, call] : running_) {
    call.end = r.total;
    call.outcome = interp::CallOutcome::kCancelled;
    r.calls.push_back(call);
  }
  std::sort(r.calls.begin(), r.calls.end(), [](const CallRecord& a, const CallRecord& b) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  });
  return r;
}

void CallRecorder::OnLog(const std::string& text, compiler::Span span) {
  if (next_) next_->OnLog(text, span);
}

void CallRecorder::OnCallStart(uint64_t call_id, const std::string& server, const std::string& tool,
                               compiler::Span span) {
  {
    std::lock_guard lock(mutex_);
    CallRecord& r = running_[call_id];
    r.id = call_id;
    r.server = server;
    r.tool = tool;
    r.span = span;
    r.start = Now();
  }
  if (next_) next_->OnCallStart(call_id, server, tool, span);
}

void CallRecorder::OnCallProgress(uint64_t call_id, double progress, std::optional<double> total,
                                  const std::string& message) {
  if (next_) next_->OnCallProgress(call_id, progress, total, message);
}

void CallRecorder::OnCallRetry(uint64_t call_id, int attempt, const std::string& error) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(call_id); it != running_.end()) it->second.attempts = attempt;
  }
  if (next_) next_->OnCallRetry(call_id, attempt, error);
}

void CallRecorder::OnCallEnd(uint64_t call_id, interp::CallOutcome outcome, std::chrono::nanoseconds elapsed) {
  {
    std::lock_guard lock(mutex_);
    auto it = running_.find(call_id);
    if (it != running_.end()) {
      it->second.end = Now();
      it->second.outcome = outcome;
      done_.push_back(std::move(it->second));
      running_.erase(it);
    }
  }
  if (next_) next_->OnCallEnd(call_id, outcome, elapsed);
}

bool CallRecorder::WantsProgress() const { return next_ && next_->WantsProgress(); }

void CallRecorder::OnWarning(const std::string& text, compiler::Span span) {
  if (next_) next_->OnWarning(text, span);
}

}  // namespace orch::trace
