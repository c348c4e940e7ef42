// StdioTransport: an MCP server as a child process speaking newline-delimited JSON-RPC
// on its stdin/stdout (MCP "stdio" transport). The child runs in its own process group so
// that shutdown reaches launchers such as `npx` and their children. Its stderr is appended
// to a per-server log file and the last lines are kept for error messages. Incoming
// messages longer than the limit are discarded as they stream in (memory stays bounded).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/config/config.h"
#include "runtime/mcp/client_options.h"
#include "runtime/mcp/transport.h"

namespace orch::mcp {

class StdioTransport : public Transport {
 public:
  StdioTransport(config::ServerConfig server, const ClientOptions& options);
  ~StdioTransport() override;

  ErrorOr<void> Start(MessageHandler on_message, ClosedHandler on_closed) override;
  ErrorOr<void> Send(const std::string& message) override;
  void SetOversizedHandler(OversizedHandler handler) override { on_oversized_ = std::move(handler); }
  void Close() override;
  std::string Describe() const override { return server_.Describe(); }

  /// The last lines the server wrote to stderr (at most kStderrTailLines), oldest first.
  std::string StderrTail() const;
  /// Path of the log file, or empty when logging is off.
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }

  static constexpr size_t kStderrTailLines = 12;

 private:
  void ReadLoop();
  void HandleStdout(const char* data, size_t size);
  void HandleStderr(const char* data, size_t size);
  void FlushStderrLine();
  /// Waits for the child; returns "exited with status N" / "was killed by signal S".
  std::string Reap(bool force);
  void LogLine(std::string_view line);

  config::ServerConfig server_;
  size_t max_message_bytes_;
  std::chrono::milliseconds write_timeout_;
  std::string log_path_;
  int log_fd_ = -1;

  MessageHandler on_message_;
  ClosedHandler on_closed_;
  OversizedHandler on_oversized_;

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written by Close() to stop ReadLoop
  std::thread reader_;
  std::mutex send_mutex_;
  std::atomic<bool> closing_{false};
  std::atomic<bool> reaped_{false};
  int exit_status_ = 0;
  std::mutex close_mutex_;

  // Reader-thread state.
  std::string line_;           // the stdout line being assembled
  bool discarding_ = false;    // the current line is over the limit
  size_t discarded_size_ = 0;
  std::string discard_head_;
  std::string discard_tail_;
  std::string stderr_line_;
  size_t logged_bytes_ = 0;
  mutable std::mutex tail_mutex_;
  std::deque<std::string> stderr_tail_;
};

}  // namespace orch::mcp
