// RpcConnection: the JSON-RPC 2.0 engine over one Transport. Many requests may be in
// flight at once, each matched to its response by id and bounded by its own timeout;
// `notifications/progress` is routed to the request that asked for it; a request the
// caller abandons (timeout or cancellation) is followed by `notifications/cancelled`.
// Requests the server sends back are answered on worker threads so a slow answer (an
// interactive prompt) never blocks the reading of responses. Protocol anomalies (non-JSON
// lines, unknown ids, over-long messages) are remembered and quoted in the error of the
// request they most likely broke.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "runtime/mcp/tool_server.h"
#include "runtime/mcp/transport.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::mcp {

/// Options for one request.
struct RequestOptions {
  /// Zero means the connection's default timeout.
  std::chrono::milliseconds timeout{0};
  /// Progress notifications for this request (adds `_meta.progressToken`).
  std::function<void(const Progress&)> on_progress;
  CancelToken cancel;
};

/// JSON-RPC error codes used in answers to the server.
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

/// Formats a duration for messages: "250ms", "5s", "1.5s", "2m", "1h".
std::string FormatDuration(std::chrono::milliseconds duration);

class RpcConnection {
 public:
  /// Answers a request from the server: the result, or an Error whose kind picks the
  /// JSON-RPC code ("not_found" → -32601, "invalid_params" → -32602, else -32603).
  using RequestHandler = std::function<ErrorOr<Value>(const std::string& method, const Value& params)>;
  using NotificationHandler = std::function<void(const std::string& method, const Value& params)>;
  /// Receives one line for the server's log (anomalies, dropped messages).
  using LogHandler = std::function<void(std::string_view line)>;

  /// `max_message_bytes` is only quoted in errors; the transport enforces it.
  RpcConnection(std::string server_name, std::unique_ptr<Transport> transport,
                std::chrono::milliseconds default_timeout, size_t max_message_bytes);
  ~RpcConnection();
  RpcConnection(const RpcConnection&) = delete;
  RpcConnection& operator=(const RpcConnection&) = delete;

  /// Starts the transport. Handlers are called from transport or worker threads.
  ErrorOr<void> Start(RequestHandler on_request, NotificationHandler on_notification, LogHandler on_log);

  /// Sends a request and waits for its result. Errors name the server and the method.
  ErrorOr<Value> Call(const std::string& method, const Value& params, const RequestOptions& options);

  /// Sends a notification.
  ErrorOr<void> Notify(const std::string& method, const Value& params);

  /// False once the transport has closed (the server exited) or Close() ran.
  bool alive() const;
  /// Why the connection closed, when it has.
  std::optional<Error> closed_reason() const;

  Transport& transport() { return *transport_; }

  /// Fails the requests still waiting, closes the transport, waits for worker threads.
  void Close();

 private:
  struct Pending;
  void OnMessage(std::string text);
  void OnOversized(size_t size, const std::string& head, const std::string& tail);
  void OnClosed(const Error& reason);
  void Complete(int64_t id, ErrorOr<Value> result);
  void Answer(Value id, std::string method, Value params);
  void NoteAnomaly(std::string what);

  std::string server_;
  std::unique_ptr<Transport> transport_;
  std::chrono::milliseconds default_timeout_;
  size_t max_message_bytes_;
  RequestHandler on_request_;
  NotificationHandler on_notification_;
  LogHandler on_log_;

  mutable std::mutex mutex_;  // guards the fields below
  std::unordered_map<int64_t, std::shared_ptr<Pending>> pending_;
  std::optional<Error> closed_;
  std::condition_variable closed_cv_;  // notified when closed_ is set
  std::string last_anomaly_;
  int workers_ = 0;
  std::condition_variable workers_done_;

  std::atomic<int64_t> next_id_{1};
  std::atomic<bool> closing_{false};
};

}  // namespace orch::mcp
