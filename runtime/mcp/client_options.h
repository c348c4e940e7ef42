// ClientOptions: the policies an MCP client applies to every server it talks to: who it
// says it is, timeouts, limits, where server logs go, and how it answers the requests a
// server may send back (roots, elicitation, sampling).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::mcp {

/// Answers an `elicitation/create` request from `server`: returns the ElicitResult
/// record (`{action: "accept"|"decline"|"cancel", content?}`) or an Error that is sent
/// back to the server as a JSON-RPC error.
using ElicitationHandler = std::function<ErrorOr<Value>(const std::string& server, const Value& params)>;

/// Answers a `sampling/createMessage` request; returns the CreateMessageResult record.
using SamplingHandler = std::function<ErrorOr<Value>(const std::string& server, const Value& params)>;

struct ClientOptions {
  std::string client_name = "orchestrator";
  std::string client_version = "0.1.0";
  /// Timeout for a request when the call does not set its own.
  std::chrono::milliseconds default_timeout = std::chrono::seconds(60);
  /// How long `initialize` may take (server start-up included).
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(60);
  /// Largest single message accepted from a server; a bigger one fails the request it
  /// answers (or the connection, when it cannot be attributed) with a clear error.
  size_t max_message_bytes = size_t{64} << 20;
  /// Directory for per-server stderr/log files; empty disables log files.
  std::string log_dir = ".orchestrator/logs";
  /// Roots for `roots/list` (absolute paths); empty means the working directory.
  std::vector<std::string> roots;
  /// Policy for `elicitation/create`; unset declines every request with a clear message.
  ElicitationHandler on_elicitation;
  /// Policy for `sampling/createMessage`; unset answers "sampling is not configured".
  SamplingHandler on_sampling;
};

}  // namespace orch::mcp
