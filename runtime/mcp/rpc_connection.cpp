// RpcConnection implementation: id matching, deadlines, progress routing, cancellation
// and server-to-client requests, with every failure turned into an Error naming the server.
#include "runtime/mcp/rpc_connection.h"

#include <fmt/format.h>

#include <thread>

#include "runtime/value/json.h"

namespace orch::mcp {
namespace {

constexpr size_t kMaxQuotedBytes = 160;     // of a non-JSON line, in messages
constexpr size_t kMaxErrorMessage = 2000;   // of a server's error message

std::string Quote(std::string_view text, size_t limit = kMaxQuotedBytes) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else if (static_cast<unsigned char>(c) < 0x20) out += '?';
    else out += c;
  }
  if (text.size() > limit) out += fmt::format("… ({} bytes)", text.size());
  return out;
}

/// Finds `"id": <digits>` in a fragment of JSON text (used only for over-long messages
/// that cannot be parsed, to tell which request they answered).
std::optional<int64_t> FindId(std::string_view text) {
  size_t pos = 0;
  while ((pos = text.find("\"id\"", pos)) != std::string_view::npos) {
    size_t i = pos + 4;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] == ':') {
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      int64_t id = 0;
      size_t start = i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - start < 18) id = id * 10 + (text[i++] - '0');
      if (i > start) return id;
    }
    pos += 4;
  }
  return std::nullopt;
}

std::optional<int64_t> IdOf(const Value& id) {
  if (id.is_int()) return id.as_int();
  if (id.is_string()) {
    try {
      size_t used = 0;
      int64_t n = std::stoll(id.as_string(), &used);
      if (used == id.as_string().size()) return n;
    } catch (...) {
    }
  }
  return std::nullopt;
}

}  // namespace

std::string FormatDuration(std::chrono::milliseconds duration) {
  int64_t ms = duration.count();
  if (ms % 3'600'000 == 0 && ms > 0) return fmt::format("{}h", ms / 3'600'000);
  if (ms % 60'000 == 0 && ms > 0) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  if (ms > 1000) return fmt::format("{:.1f}s", ms / 1000.0);
  return fmt::format("{}ms", ms);
}

struct RpcConnection::Pending {
  std::string method;
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<ErrorOr<Value>> result;
  std::function<void(const Progress&)> on_progress;
};

RpcConnection::RpcConnection(std::string server_name, std::unique_ptr<Transport> transport,
                             std::chrono::milliseconds default_timeout, size_t max_message_bytes)
    : server_(std::move(server_name)),
      transport_(std::move(transport)),
      default_timeout_(default_timeout),
      max_message_bytes_(max_message_bytes) {}

RpcConnection::~RpcConnection() { Close(); }

ErrorOr<void> RpcConnection::Start(RequestHandler on_request, NotificationHandler on_notification, LogHandler on_log) {
  on_request_ = std::move(on_request);
  on_notification_ = std::move(on_notification);
  on_log_ = std::move(on_log);
  transport_->SetOversizedHandler(
      [this](size_t size, std::string head, std::string tail) { OnOversized(size, head, tail); });
  return transport_->Start([this](std::string text) { OnMessage(std::move(text)); },
                           [this](const Error& reason) { OnClosed(reason); });
}

bool RpcConnection::alive() const {
  std::lock_guard lock(mutex_);
  return !closed_.has_value();
}

std::optional<Error> RpcConnection::closed_reason() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void RpcConnection::NoteAnomaly(std::string what) {
  if (on_log_) on_log_(fmt::format("[orchestrator] protocol: {}", what));
  std::lock_guard lock(mutex_);
  last_anomaly_ = std::move(what);
}

ErrorOr<Value> RpcConnection::Call(const std::string& method, const Value& params, const RequestOptions& options) {
  int64_t id = next_id_++;
  auto pending = std::make_shared<Pending>();
  pending->method = method;
  pending->on_progress = options.on_progress;

  std::string message;
  message.reserve(128);
  message += R"({"jsonrpc":"2.0","id":)";
  message += std::to_string(id);
  message += R"(,"method":)";
  AppendJsonString(message, method);
  if (options.on_progress) {
    Record with_token = params.is_record() ? params.as_record() : Record{};
    Record meta = with_token.Find("_meta") && with_token.Find("_meta")->is_record() ? with_token.Find("_meta")->as_record() : Record{};
    meta.Set("progressToken", id);
    with_token.Set("_meta", Value(std::move(meta)));
    message += R"(,"params":)";
    AppendJson(message, Value(std::move(with_token)));
  } else if (!params.is_null()) {
    message += R"(,"params":)";
    AppendJson(message, params);
  }
  message += '}';

  {
    std::lock_guard lock(mutex_);
    if (closed_) return *closed_;
    last_anomaly_.clear();
    pending_.emplace(id, pending);
  }
  if (auto sent = transport_->Send(message); !sent) {
    std::unique_lock lock(mutex_);
    pending_.erase(id);
    // A write usually fails because the server just exited; its exit status and stderr
    // (reported by the transport moments later) say much more than "broken pipe".
    closed_cv_.wait_for(lock, std::chrono::seconds(2), [&] { return closed_.has_value(); });
    if (closed_ && closed_->kind == "transport") return *closed_;
    return sent.error();
  }

  CancelToken cancel = options.cancel;
  int cancel_id = cancel.OnCancel([pending] {
    std::lock_guard lock(pending->mutex);
    if (!pending->result) pending->result = ErrorOr<Value>(MakeError("cancelled", "cancelled"));
    pending->cv.notify_all();
  });
  auto timeout = options.timeout.count() > 0 ? options.timeout : default_timeout_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<ErrorOr<Value>> result;
  {
    std::unique_lock lock(pending->mutex);
    pending->cv.wait_until(lock, deadline, [&] { return pending->result.has_value(); });
    if (pending->result) result = std::move(*pending->result);
  }
  cancel.RemoveCallback(cancel_id);

  bool abandoned = !result || (!result->ok() && result->error().kind == "cancelled");
  std::string anomaly;
  {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
    anomaly = last_anomaly_;
  }
  if (abandoned) {
    // Tell the server to stop working on it (never for initialize, per the spec).
    if (method != "initialize" && alive()) {
      Record cancelled{{"requestId", id}, {"reason", result ? "cancelled by the caller" : "timed out"}};
      (void)Notify("notifications/cancelled", Value(std::move(cancelled)));
    }
    if (result) {
      return MakeError("cancelled", fmt::format("`{}` on server `{}` was cancelled", method, server_));
    }
    std::string text = fmt::format("server `{}` did not answer `{}` within {}", server_, method, FormatDuration(timeout));
    if (!anomaly.empty()) text += fmt::format("\n  = note: meanwhile it {}", anomaly);
    text += "\n  = help: raise the limit with `--timeout` or the server's `timeout:` setting";
    return MakeError("timeout", text);
  }
  return std::move(*result);
}

ErrorOr<void> RpcConnection::Notify(const std::string& method, const Value& params) {
  std::string message = R"({"jsonrpc":"2.0","method":)";
  AppendJsonString(message, method);
  if (!params.is_null()) {
    message += R"(,"params":)";
    AppendJson(message, params);
  }
  message += '}';
  return transport_->Send(message);
}

void RpcConnection::Complete(int64_t id, ErrorOr<Value> result) {
  std::shared_ptr<Pending> pending;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(id);
    if (it != pending_.end()) pending = it->second;
  }
  if (!pending) {
    NoteAnomaly(fmt::format("answered request id {}, which is not waiting for an answer", id));
    return;
  }
  std::lock_guard lock(pending->mutex);
  if (!pending->result) pending->result = std::move(result);
  pending->cv.notify_all();
}

void RpcConnection::OnMessage(std::string text) {
  auto parsed = ParseJson(text);
  if (!parsed) {
    NoteAnomaly(fmt::format("wrote a line that is not JSON-RPC: `{}` ({})", Quote(text), parsed.error().message));
    return;
  }
  const Value& message = *parsed;
  if (message.is_list()) {
    // JSON-RPC batches (2025-03-26): handle each element.
    for (const Value& item : message.as_list()) OnMessage(ToJson(item));
    return;
  }
  if (!message.is_record()) {
    NoteAnomaly(fmt::format("wrote JSON that is not a JSON-RPC message: `{}`", Quote(text)));
    return;
  }
  const Value* method = message.Find("method");
  const Value* id = message.Find("id");
  if (method != nullptr) {
    if (!method->is_string()) {
      NoteAnomaly(fmt::format("sent a message whose `method` is not a string: `{}`", Quote(text)));
      return;
    }
    Value params = message.Get("params");
    if (id != nullptr && !id->is_null()) {
      Answer(*id, method->as_string(), std::move(params));
      return;
    }
    if (method->as_string() == "notifications/progress") {
      const Value* token = params.Find("progressToken");
      std::optional<int64_t> request = token ? IdOf(*token) : std::nullopt;
      if (!request) return;
      std::shared_ptr<Pending> pending;
      {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(*request);
        if (it != pending_.end()) pending = it->second;
      }
      if (pending && pending->on_progress) {
        Progress progress;
        progress.progress = params.Get("progress").is_numeric() ? params.Get("progress").as_number() : 0;
        if (params.Get("total").is_numeric()) progress.total = params.Get("total").as_number();
        if (params.Get("message").is_string()) progress.message = params.Get("message").as_string();
        pending->on_progress(progress);
      }
      return;
    }
    if (on_notification_) on_notification_(method->as_string(), params);
    return;
  }
  std::optional<int64_t> request = id ? IdOf(*id) : std::nullopt;
  if (!request) {
    NoteAnomaly(fmt::format("sent a response without a usable id: `{}`", Quote(text)));
    return;
  }
  std::string method_name;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(*request);
    if (it != pending_.end()) method_name = it->second->method;
  }
  if (const Value* result = message.Find("result")) {
    Complete(*request, *result);
    return;
  }
  if (const Value* error = message.Find("error")) {
    int64_t code = error->Get("code").is_numeric() ? error->Get("code").as_int() : 0;
    std::string text_message = error->Get("message").is_string() ? error->Get("message").as_string() : "(no message)";
    if (text_message.size() > kMaxErrorMessage) {
      size_t full = text_message.size();
      text_message.resize(kMaxErrorMessage);
      text_message += fmt::format("… (message cut; {} bytes in total)", full);
    }
    std::string full = fmt::format("server `{}` answered `{}` with error {}: {}", server_,
                                   method_name.empty() ? "a request" : method_name, code, text_message);
    if (const Value* data = error->Find("data"); data && !data->is_null()) {
      full += fmt::format("\n  = note: error data: {}", Quote(ToJson(*data), 400));
    }
    Complete(*request, MakeError(code == kMethodNotFound ? "not_found" : "rpc", full));
    return;
  }
  Complete(*request, MakeError("protocol", fmt::format("server `{}` answered `{}` with neither `result` nor `error`: `{}`",
                                                       server_, method_name, Quote(text))));
}

void RpcConnection::OnOversized(size_t size, const std::string& head, const std::string& tail) {
  std::optional<int64_t> id = FindId(tail);
  if (!id) id = FindId(head);
  std::string method;
  if (id) {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(*id);
    if (it != pending_.end()) method = it->second->method;
  }
  if (!method.empty()) {
    Complete(*id, MakeError("protocol", fmt::format("server `{}` sent a {}-byte answer to `{}`, more than the limit of {} bytes; "
                                                    "it was discarded", server_, size, method,
                                                    max_message_bytes_)));
    return;
  }
  NoteAnomaly(fmt::format("sent a {}-byte message that was discarded for being too large", size));
}

void RpcConnection::OnClosed(const Error& reason) {
  std::unordered_map<int64_t, std::shared_ptr<Pending>> pending;
  {
    std::lock_guard lock(mutex_);
    if (!closed_) closed_ = reason;
    pending.swap(pending_);
  }
  closed_cv_.notify_all();
  for (auto& [id, p] : pending) {
    std::lock_guard lock(p->mutex);
    if (!p->result) {
      p->result = ErrorOr<Value>(MakeError(reason.kind, fmt::format("{}\n  = note: while waiting for `{}`", reason.message, p->method)));
    }
    p->cv.notify_all();
  }
}

void RpcConnection::Answer(Value id, std::string method, Value params) {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    ++workers_;
  }
  std::thread([this, id = std::move(id), method = std::move(method), params = std::move(params)] {
    ErrorOr<Value> result = on_request_ ? on_request_(method, params)
                                        : ErrorOr<Value>(MakeError("not_found", "method not supported"));
    std::string reply = R"({"jsonrpc":"2.0","id":)";
    AppendJson(reply, id);
    if (result) {
      reply += R"(,"result":)";
      AppendJson(reply, *result);
    } else {
      int code = result.error().kind == "not_found" ? kMethodNotFound
                 : result.error().kind == "invalid_params" ? kInvalidParams : kInternalError;
      reply += fmt::format(R"(,"error":{{"code":{},"message":)", code);
      AppendJsonString(reply, result.error().message);
      reply += '}';
    }
    reply += '}';
    (void)transport_->Send(reply);
    std::lock_guard lock(mutex_);
    if (--workers_ == 0) workers_done_.notify_all();
  }).detach();
}

void RpcConnection::Close() {
  if (closing_.exchange(true)) return;
  OnClosed(MakeError("transport", fmt::format("the connection to server `{}` was closed", server_)));
  {
    std::unique_lock lock(mutex_);
    workers_done_.wait(lock, [&] { return workers_ == 0; });
  }
  transport_->Close();
}

}  // namespace orch::mcp
