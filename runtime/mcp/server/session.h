// Session: the server side of one MCP connection. Takes each JSON-RPC message the client
// sent, answers it, and runs tool calls on their own threads so several run at once and
// any can be cancelled. Transport-neutral: stdio_server.h and http_server.h feed it.
//
// Protocol handled: initialize (version negotiation), notifications/initialized, ping,
// tools/list (cursor pagination), tools/call (progress, logging, cancellation),
// logging/setLevel, notifications/cancelled. Batches are rejected (-32600), unknown methods
// answer -32601, unparsable text -32700, a malformed message -32600.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mcp/server/tool_provider.h"

namespace orch::mcp::server {

/// Protocol versions this server speaks, newest first.
inline const std::vector<std::string>& SupportedProtocolVersions() {
  static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return versions;
}

/// How the server presents itself and pages its tool list.
struct ServerInfo {
  std::string name = "orchestrator";
  std::string version;
  std::string instructions;  ///< empty: omitted
  /// Tools per tools/list page; 0 lists every tool in one page.
  size_t page_size = 0;
};

/// Delivers one outgoing JSON-RPC message. `final` is true for the response that ends the
/// request it was handed with (HTTP closes that request's stream after it). An empty
/// `message` with `final` set ends a request that gets no response (it was cancelled).
using Reply = std::function<void(const std::string& message, bool final)>;

class Session {
 public:
  Session(ServerInfo info, ToolProvider& provider);
  /// Cancels calls still running and waits for their threads.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Handles one message (one JSON text). Everything it causes (the response, progress,
  /// log messages) goes to `reply`, possibly later and from another thread. Returns true
  /// when a response will follow (a request), false for notifications and responses.
  bool Handle(std::string_view text, Reply reply);

  /// Where messages that answer no request go (`notifications/tools/list_changed`): stdio's
  /// output, or HTTP's GET stream. Until set (or when set to null) they are dropped.
  void SetNotifier(Reply notifier);

  /// Cancels every running call and waits until none is left.
  void Shutdown();
  /// Waits until no call is running (without cancelling any).
  void WaitIdle();

  /// True when the session may send messages outside any request (its provider's tool
  /// list can change), so HTTP offers a GET stream for them.
  bool has_notifications() const { return tools_subscription_ >= 0; }

  /// The negotiated protocol version; empty before `initialize`.
  std::string protocol_version() const;

 private:
  struct Call;
  class CallContext;

  void HandleRequest(const Value& id, const std::string& method, const Value& params, const Reply& reply);
  void HandleNotification(const std::string& method, const Value& params);
  Value Initialize(const Value& params);
  void StartToolCall(const Value& id, const Value& params, const Reply& reply);
  bool LevelPasses(const std::string& level) const;

  ServerInfo info_;
  ToolProvider& provider_;
  mutable std::mutex mutex_;
  std::condition_variable calls_done_;
  std::string protocol_version_;
  bool initialized_ = false;
  int log_threshold_ = 0;  ///< index into the syslog levels; messages below it are dropped
  Reply notifier_;
  /// The provider's subscription id for tool list changes; -1 when its list never changes.
  int tools_subscription_ = -1;
  /// Running calls by canonical request id.
  std::map<std::string, std::shared_ptr<Call>> calls_;
};

/// A JSON-RPC error response text (`id` null when the request's id is unknown).
std::string ErrorResponse(const Value& id, int code, std::string_view message, const Value& data = Value());

}  // namespace orch::mcp::server
