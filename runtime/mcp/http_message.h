// What the HTTP transport needs to know about a JSON-RPC message without handing it to the
// engine: is it a request, a notification or a response, what is its method, and which id
// does it carry. Incoming messages are only peeked at (simdjson on-demand, no Value tree),
// since the engine parses them fully anyway.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orch::mcp {

/// The shape of one JSON-RPC message.
struct JsonRpcShape {
  enum class Kind { kRequest, kNotification, kResponse };
  Kind kind = Kind::kNotification;
  /// The method of a request or notification.
  std::string method;
  /// The id as canonical JSON text (`7`, `"abc"`); "" when the message has none.
  std::string id;
  /// For `notifications/cancelled`: the id of the request being cancelled, as canonical JSON.
  std::string cancelled_id;
};

/// The shape of `json`, or nullopt when it is not a JSON object (a batch array, garbage).
std::optional<JsonRpcShape> PeekJsonRpc(std::string_view json);

/// A JSON-RPC error response for `id_json` (canonical JSON text of the id) with code -32000,
/// the given message, and `data: {transport: "http", httpStatus}` when http_status is not 0.
std::string MakeTransportErrorResponse(const std::string& id_json, const std::string& message, long http_status);

}  // namespace orch::mcp
