// HttpTransport: the MCP "Streamable HTTP" transport (specification revision 2025-11-25,
// basic/transports), built on libcurl's multi interface.
//
// Every message the client sends is one POST to the server's endpoint. The server answers a
// request with either one JSON document or a Server-Sent Events stream that carries the
// response (and any requests or notifications the server sends meanwhile); it answers a
// notification or a response with 202 Accepted. The transport captures the session id from
// the initialize answer and repeats it, sends the negotiated protocol version, opens the
// optional GET stream for server-initiated messages once the session is initialized, resumes
// a broken event stream with GET + `Last-Event-ID` after the server's `retry` delay, and ends
// the session with DELETE on Close.
//
// One I/O thread drives all transfers, so any number of requests can be in flight and idle
// connections are reused. Send never blocks on the network: an HTTP-level failure of a
// request (server unreachable, HTTP error status, stream lost for good) comes back to the
// JSON-RPC engine as a JSON-RPC error response carrying that request's id, with a message
// that names the URL and says what happened.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/mcp/transport.h"

namespace orch::mcp {

/// How to reach one Streamable HTTP server.
struct HttpTransportOptions {
  /// The MCP endpoint, e.g. "http://127.0.0.1:3001/mcp".
  std::string url;
  /// Extra request headers from the configuration (e.g. {"Authorization", "Bearer …"}).
  /// Their values never appear in error messages.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Time allowed to establish a connection.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Time allowed for a POST that carries a notification or response (answered with 202),
  /// and for the DELETE on Close. Requests have no transport deadline: the engine's
  /// per-request timeout applies, and its `notifications/cancelled` aborts the transfer.
  std::chrono::milliseconds send_timeout{60'000};
  /// Largest single message (JSON body or one SSE event) accepted from the server.
  size_t max_message_bytes = 64u << 20;
  /// Reconnection delay when a stream breaks and the server gave no `retry:` value.
  std::chrono::milliseconds default_retry{1'000};
  /// Consecutive reconnection attempts without receiving anything before giving up.
  int max_reconnect_attempts = 5;
  /// Open the optional GET stream for server-initiated messages after initialization.
  bool listen_stream = true;
};

class HttpTransport final : public Transport {
 public:
  explicit HttpTransport(HttpTransportOptions options);
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  /// Starts the I/O thread. Fails only for a URL that is not http:// or https://; an
  /// unreachable server shows up as the error answer to the first request.
  ErrorOr<void> Start(MessageHandler on_message, ClosedHandler on_closed) override;
  /// Queues one JSON-RPC message for POSTing. Fails when the text is not a JSON-RPC
  /// message, is larger than the message limit, or the transport is closed.
  ErrorOr<void> Send(const std::string& message) override;
  /// Sends `MCP-Protocol-Version: version` on every later request.
  void SetProtocolVersion(const std::string& version) override;
  /// Ends the session (DELETE, bounded by send_timeout and at most 2 s), aborts every
  /// transfer and joins the I/O thread. Idempotent.
  void Close() override;
  /// The endpoint URL.
  std::string Describe() const override;

  /// The session id the server assigned, or "" before initialization / without sessions.
  std::string session_id() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace orch::mcp
