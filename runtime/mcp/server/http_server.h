// Serving MCP over Streamable HTTP (cpp-httplib) at `http://HOST:PORT/mcp`:
//  - POST carries one JSON-RPC message. `initialize` opens a session (answered with an
//    `Mcp-Session-Id` header); every later POST must carry that id (missing: 400, unknown
//    or ended: 404). Requests are answered with JSON, or with an SSE stream when the answer
//    is not ready at once and the client accepts `text/event-stream` (progress and log
//    notifications then precede the response). Notifications and responses get 202.
//  - `MCP-Protocol-Version`, when sent, must be a version this server speaks (else 400).
//  - GET answers 405 (this server sends nothing outside a request's stream).
//  - DELETE ends the session, cancelling its running calls.
//  - A browser `Origin` other than localhost is refused (403), against DNS rebinding.
#pragma once

#include <functional>
#include <string>

#include "runtime/mcp/server/session.h"
#include "runtime/value/error_or.h"

namespace orch::mcp::server {

/// Splits "HOST:PORT" (or just "PORT", meaning 127.0.0.1). Errors have kind "usage".
ErrorOr<std::pair<std::string, int>> ParseListenAddress(const std::string& address);

/// Serves until SIGINT or SIGTERM. `on_listening` receives the URL once bound (port 0 is
/// replaced by the port the system picked). Errors: kind "usage" for a bad address,
/// "io" when the address cannot be bound.
ErrorOr<void> ServeHttp(const ServerInfo& info, ToolProvider& provider, const std::string& address,
                        const std::function<void(const std::string& url)>& on_listening);

}  // namespace orch::mcp::server
