// Client: one connection to one remote MCP server (stdio or Streamable HTTP), and the
// ToolServer the interpreter calls. It connects lazily on first use: starts the
// transport, negotiates the protocol version with `initialize`, sends
// `notifications/initialized`, then serves requests. Server-to-client requests (roots,
// elicitation, sampling, ping) are answered by the policies in ClientOptions. A server
// that exits is reported with its exit status; the next call starts it again.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/config/config.h"
#include "runtime/mcp/client_options.h"
#include "runtime/mcp/rpc_connection.h"
#include "runtime/mcp/tool_server.h"

namespace orch::mcp {

/// Protocol revisions this client speaks, newest first; the first is offered.
inline constexpr const char* kSupportedProtocolVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2026-07-28"};
/// True when `version` is one of kSupportedProtocolVersions.
bool IsSupportedProtocolVersion(std::string_view version);

class Client : public ToolServer {
 public:
  Client(config::ServerConfig server, ClientOptions options);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const std::string& name() const override { return server_.name; }
  const config::ServerConfig& server_config() const { return server_; }

  /// Connects and initializes if not connected yet. Idempotent and thread-safe.
  ErrorOr<void> Connect();

  ErrorOr<ServerIdentity> Identity() override;
  /// All pages of `tools/list`; cached after the first success until the server sends
  /// `notifications/tools/list_changed` or restarts.
  ErrorOr<std::vector<ToolInfo>> ListTools() override;
  ErrorOr<Value> CallTool(const std::string& tool, const Value& arguments, const CallOptions& options) override;

  /// All pages of `resources/list` (the `resources` arrays joined).
  ErrorOr<List> ListResources();
  /// All pages of `prompts/list`.
  ErrorOr<List> ListPrompts();
  /// Round-trips a `ping`.
  ErrorOr<void> Ping();

  /// Sends any request and waits for its result (connects first).
  ErrorOr<Value> Request(const std::string& method, Value params, const RequestOptions& options);

  /// Shuts the connection down; a later call reconnects.
  void Close() override;

 private:
  ErrorOr<std::shared_ptr<RpcConnection>> Connection();
  ErrorOr<List> ListAll(const std::string& method, const std::string& key);
  ErrorOr<Value> HandleServerRequest(const std::string& method, const Value& params);
  void HandleNotification(const std::string& method, const Value& params);
  /// Appends one line to the server's log file.
  void Log(std::string_view line);

  config::ServerConfig server_;
  ClientOptions options_;
  std::mutex connect_mutex_;  // held while connecting
  std::mutex mutex_;  // guards the fields below
  std::shared_ptr<RpcConnection> connection_;
  std::optional<ServerIdentity> identity_;
  std::optional<std::vector<ToolInfo>> tools_cache_;
  std::mutex log_mutex_;
  int log_fd_ = -1;
};

}  // namespace orch::mcp
