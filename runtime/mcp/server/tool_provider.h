// ToolProvider: what an MCP server exposes as tools. The server core (session.h) speaks
// the protocol; a provider only lists tools and runs one call. The mock server
// (runtime/mock/) is one provider; `serve` will plug workflows in the same way.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/value/value.h"

namespace orch::mcp::server {

/// One tool as `tools/list` describes it.
struct ToolDescriptor {
  std::string name;
  std::string title;        ///< empty: omitted
  std::string description;  ///< empty: omitted
  Value input_schema;       ///< a JSON Schema object; null means `{"type":"object"}`
  Value output_schema;      ///< null: omitted
  Value annotations;        ///< null: omitted
};

/// A JSON-RPC error a tool call answers with instead of a result.
struct RpcError {
  int code = -32603;
  std::string message;
  Value data;  ///< null: omitted
};

/// The answer to one tools/call: a CallToolResult record, or a JSON-RPC error.
struct ToolOutcome {
  Value result;
  std::optional<RpcError> error;
};

/// Handed to a provider for the length of one call: cancellation, progress and logging.
class ToolCallContext {
 public:
  virtual ~ToolCallContext() = default;
  /// True once the client cancelled the call (or the session ended).
  virtual bool Cancelled() const = 0;
  /// Sleeps up to `duration`; returns false early when the call is cancelled.
  virtual bool SleepFor(std::chrono::milliseconds duration) = 0;
  /// Sends `notifications/progress` when the client asked for progress; else nothing.
  virtual void Progress(double progress, std::optional<double> total, const std::string& message) = 0;
  /// Sends `notifications/message` when `level` passes the client's logging level.
  virtual void Log(const std::string& level, const Value& data) = 0;
};

/// The tools a server offers. Both methods may be called from several threads at once.
class ToolProvider {
 public:
  virtual ~ToolProvider() = default;
  /// Every tool, in the order `tools/list` pages through them.
  virtual std::vector<ToolDescriptor> ListTools() = 0;
  /// Runs `name` (known to ListTools) with `arguments` (a record).
  virtual ToolOutcome CallTool(const std::string& name, const Value& arguments, ToolCallContext& context) = 0;

  /// Registers `callback` to run whenever the tool list changes (`serve --watch` reloading
  /// a file); returns an id for Unsubscribe, or -1 when this provider's list never changes.
  /// Once Unsubscribe returns, the callback is not running and will not run again.
  virtual int SubscribeToolsChanged(std::function<void()> callback) { return -1; }
  virtual void Unsubscribe(int id) {}
};

}  // namespace orch::mcp::server
