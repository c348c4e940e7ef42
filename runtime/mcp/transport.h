// Transport: a two-way pipe of JSON-RPC messages between this client and one MCP server.
// Implementations: stdio (a child process, newline-delimited JSON) and Streamable HTTP
// (POST per message, JSON or SSE answers, an optional GET stream). The JSON-RPC engine
// above it matches ids, applies timeouts and answers server-to-client requests.
#pragma once

#include <functional>
#include <string>

#include "runtime/value/error_or.h"

namespace orch::mcp {

/// Called with each complete JSON-RPC message (one JSON text) the server sent.
/// Called from a transport-owned thread; must not block for long.
using MessageHandler = std::function<void(std::string message)>;
/// Called once when the transport can no longer deliver messages (server exited, stream
/// broke for good). The Error says why, naming the server.
using ClosedHandler = std::function<void(const Error& reason)>;

/// Called instead of MessageHandler for a message longer than the transport's limit
/// (ClientOptions::max_message_bytes): its size and its first and last bytes, so the engine
/// can tell which request it answered. The message itself is discarded, not buffered.
using OversizedHandler = std::function<void(size_t size, std::string head, std::string tail)>;

class Transport {
 public:
  virtual ~Transport() = default;

  /// Connects (starts the process, or checks nothing for HTTP) and begins delivering
  /// messages to `on_message`. Returns an error when the server cannot be reached.
  virtual ErrorOr<void> Start(MessageHandler on_message, ClosedHandler on_closed) = 0;

  /// Sends one JSON-RPC message. Must be safe to call from several threads at once.
  virtual ErrorOr<void> Send(const std::string& message) = 0;

  /// Tells the transport the negotiated protocol version (HTTP sends it as a header).
  virtual void SetProtocolVersion(const std::string& version) {}

  /// Installs the handler for over-long messages (before Start). Transports that cannot
  /// bound a message's size may ignore it.
  virtual void SetOversizedHandler(OversizedHandler handler) {}

  /// Shuts the connection down gracefully, then forcibly; idempotent; no callbacks after it returns.
  virtual void Close() = 0;

  /// Human description for error messages, e.g. "stdio: npx -y server-memory" or "http://127.0.0.1:3001/mcp".
  virtual std::string Describe() const = 0;
};

}  // namespace orch::mcp
