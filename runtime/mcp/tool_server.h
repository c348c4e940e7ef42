// ToolServer: what the interpreter calls to list and call tools, whether the server is
// a remote MCP server (mcp::Client over stdio or HTTP) or in-process (the built-in `std`
// server). Implementations must be safe to call from several threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compiler/lock/lock_file.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::mcp {

using lock::ToolInfo;

/// Who a server is, after `initialize`.
struct ServerIdentity {
  std::string name;        ///< serverInfo.name
  std::string version;     ///< serverInfo.version
  std::string title;       ///< serverInfo.title (may be empty)
  std::string protocol_version;  ///< The negotiated MCP revision, e.g. "2025-11-25".
  Value capabilities;      ///< The server's capabilities record, as sent.
  std::string instructions;  ///< Optional usage instructions from the server.
};

/// One progress notification for a running call.
struct Progress {
  double progress = 0;
  std::optional<double> total;
  std::string message;
};

/// A cancellation flag shared between the caller and a running call. Copies share state.
/// Cancel() runs the registered callbacks once (on the cancelling thread).
class CancelToken {
 public:
  CancelToken();

  /// Requests cancellation; idempotent.
  void Cancel();
  bool cancelled() const;

  /// Registers `callback` to run on Cancel(); runs it now when already cancelled.
  /// Returns an id for RemoveCallback. Callbacks must not call back into this token.
  int OnCancel(std::function<void()> callback);
  void RemoveCallback(int id);

 private:
  struct State {
    std::mutex mutex;
    std::atomic<bool> cancelled{false};
    int next_id = 0;
    std::vector<std::pair<int, std::function<void()>>> callbacks;
  };
  std::shared_ptr<State> state_;
};

/// Options for one tool call.
struct CallOptions {
  /// Give up after this long; zero means the server's configured timeout.
  std::chrono::milliseconds timeout{0};
  /// Called for each progress notification (from a transport thread; keep it short).
  std::function<void(const Progress&)> on_progress;
  /// When cancelled, the call returns an Error of kind "cancelled" promptly and the server
  /// is sent `notifications/cancelled`.
  CancelToken cancel;
};

/// An MCP server as the rest of the program sees it.
class ToolServer {
 public:
  virtual ~ToolServer() = default;

  /// The name it is known by in the configuration / `use` declaration.
  virtual const std::string& name() const = 0;

  /// Identity and negotiated protocol version (connects first when needed).
  virtual ErrorOr<ServerIdentity> Identity() = 0;

  /// Every tool, all pages of `tools/list` joined. May be cached by the implementation.
  virtual ErrorOr<std::vector<ToolInfo>> ListTools() = 0;

  /// Calls a tool. On success returns the raw `CallToolResult` record
  /// (`content`, optional `structuredContent`, optional `isError`): a result with
  /// `isError: true` is still a success here, and the caller decides what it means.
  /// Errors (kinds "timeout", "cancelled", "transport", "protocol", "rpc") name the server.
  virtual ErrorOr<Value> CallTool(const std::string& tool, const Value& arguments, const CallOptions& options) = 0;

  /// Stops the server (no-op for in-process servers). Further calls may restart it.
  virtual void Close() {}
};

}  // namespace orch::mcp
