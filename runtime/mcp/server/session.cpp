// Session: JSON-RPC dispatch and the MCP lifecycle on the server side (see session.h).
#include "runtime/mcp/server/session.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <thread>

#include "compiler/diagnostics/diagnostic.h"
#include "runtime/value/json.h"

namespace orch::mcp::server {
namespace {

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

/// Syslog severities as MCP names them, least severe first.
constexpr std::array<std::string_view, 8> kLevels = {"debug",    "info",  "notice", "warning",
                                                     "error",    "critical", "alert", "emergency"};

int LevelIndex(std::string_view level) {
  auto it = std::find(kLevels.begin(), kLevels.end(), level);
  return it == kLevels.end() ? -1 : static_cast<int>(it - kLevels.begin());
}

std::string Response(const Value& id, const Value& result) {
  return ToJson(Value(Record{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}));
}

std::string Notification(std::string_view method, const Value& params) {
  return ToJson(Value(Record{{"jsonrpc", "2.0"}, {"method", std::string(method)}, {"params", params}}));
}

bool IsValidId(const Value& id) { return id.is_string() || id.is_int() || id.is_number(); }

Value DescribeTool(const ToolDescriptor& tool) {
  Record record{{"name", tool.name}};
  if (!tool.title.empty()) record.Set("title", tool.title);
  if (!tool.description.empty()) record.Set("description", tool.description);
  record.Set("inputSchema", tool.input_schema.is_null() ? Value(Record{{"type", "object"}}) : tool.input_schema);
  if (!tool.output_schema.is_null()) record.Set("outputSchema", tool.output_schema);
  if (!tool.annotations.is_null()) record.Set("annotations", tool.annotations);
  return Value(std::move(record));
}

}  // namespace

std::string ErrorResponse(const Value& id, int code, std::string_view message, const Value& data) {
  Record error{{"code", code}, {"message", std::string(message)}};
  if (!data.is_null()) error.Set("data", data);
  return ToJson(Value(Record{{"jsonrpc", "2.0"}, {"id", id}, {"error", Value(std::move(error))}}));
}

/// One running tools/call.
struct Session::Call {
  std::mutex mutex;
  std::condition_variable wake;
  bool cancelled = false;
};

class Session::CallContext : public ToolCallContext {
 public:
  CallContext(Session& session, std::shared_ptr<Call> call, Value progress_token, Reply reply)
      : session_(session), call_(std::move(call)), progress_token_(std::move(progress_token)), reply_(std::move(reply)) {}

  bool Cancelled() const override {
    std::lock_guard lock(call_->mutex);
    return call_->cancelled;
  }
  bool SleepFor(std::chrono::milliseconds duration) override {
    std::unique_lock lock(call_->mutex);
    return !call_->wake.wait_for(lock, duration, [&] { return call_->cancelled; });
  }
  void Progress(double progress, std::optional<double> total, const std::string& message) override {
    if (progress_token_.is_null() || Cancelled()) return;
    Record params{{"progressToken", progress_token_}, {"progress", progress}};
    if (total) params.Set("total", *total);
    if (!message.empty()) params.Set("message", message);
    reply_(Notification("notifications/progress", Value(std::move(params))), false);
  }
  void Log(const std::string& level, const Value& data) override {
    if (!session_.LevelPasses(level) || Cancelled()) return;
    reply_(Notification("notifications/message", Value(Record{{"level", level}, {"data", data}})), false);
  }

 private:
  Session& session_;
  std::shared_ptr<Call> call_;
  Value progress_token_;
  Reply reply_;
};

Session::Session(ServerInfo info, ToolProvider& provider) : info_(std::move(info)), provider_(provider) {
  tools_subscription_ = provider_.SubscribeToolsChanged([this] {
    Reply notifier;
    {
      std::lock_guard lock(mutex_);
      if (!initialized_) return;
      notifier = notifier_;
    }
    if (notifier) notifier(Notification("notifications/tools/list_changed", Value(Record{})), false);
  });
}

Session::~Session() {
  if (tools_subscription_ >= 0) provider_.Unsubscribe(tools_subscription_);
  Shutdown();
}

void Session::SetNotifier(Reply notifier) {
  std::lock_guard lock(mutex_);
  notifier_ = std::move(notifier);
}

std::string Session::protocol_version() const {
  std::lock_guard lock(mutex_);
  return protocol_version_;
}

void Session::Shutdown() {
  std::unique_lock lock(mutex_);
  for (auto& [id, call] : calls_) {
    std::lock_guard call_lock(call->mutex);
    call->cancelled = true;
    call->wake.notify_all();
  }
  calls_done_.wait(lock, [&] { return calls_.empty(); });
}

void Session::WaitIdle() {
  std::unique_lock lock(mutex_);
  calls_done_.wait(lock, [&] { return calls_.empty(); });
}

bool Session::LevelPasses(const std::string& level) const {
  std::lock_guard lock(mutex_);
  return LevelIndex(level) >= log_threshold_;
}

bool Session::Handle(std::string_view text, Reply reply) {
  auto parsed = ParseJson(text);
  if (!parsed) {
    reply(ErrorResponse(Value(), kParseError, "parse error: " + parsed.error().message), true);
    return true;
  }
  const Value& message = *parsed;
  if (message.is_list()) {
    reply(ErrorResponse(Value(), kInvalidRequest, "batches are not supported: send one JSON-RPC message at a time"),
          true);
    return true;
  }
  if (!message.is_record() || message.Get("jsonrpc") != Value("2.0")) {
    reply(ErrorResponse(Value(), kInvalidRequest, "expected a JSON-RPC 2.0 object with \"jsonrpc\": \"2.0\""), true);
    return true;
  }
  const Value* method = message.Find("method");
  const Value* id = message.Find("id");
  if (method == nullptr) {
    // A response to a request of ours (we send none) or junk: nothing to answer.
    if (id != nullptr && (message.Find("result") != nullptr || message.Find("error") != nullptr)) return false;
    reply(ErrorResponse(id != nullptr && IsValidId(*id) ? *id : Value(), kInvalidRequest,
                        "expected a `method` (request or notification) or a `result`/`error` (response)"),
          true);
    return true;
  }
  if (!method->is_string()) {
    reply(ErrorResponse(id != nullptr && IsValidId(*id) ? *id : Value(), kInvalidRequest,
                        fmt::format("`method` must be a string, found {}", method->kind_name())),
          true);
    return true;
  }
  Value params = message.Get("params");
  if (!params.is_null() && !params.is_record()) {
    if (id == nullptr) return false;
    reply(ErrorResponse(IsValidId(*id) ? *id : Value(), kInvalidRequest,
                        fmt::format("`params` must be an object, found {}", params.kind_name())),
          true);
    return true;
  }
  if (id == nullptr) {
    HandleNotification(method->as_string(), params);
    return false;
  }
  if (!IsValidId(*id)) {
    reply(ErrorResponse(Value(), kInvalidRequest, fmt::format("`id` must be a string or a number, found {}",
                                                              id->kind_name())),
          true);
    return true;
  }
  HandleRequest(*id, method->as_string(), params, reply);
  return true;
}

void Session::HandleNotification(const std::string& method, const Value& params) {
  if (method == "notifications/initialized") {
    std::lock_guard lock(mutex_);
    initialized_ = true;
  } else if (method == "notifications/cancelled") {
    Value request_id = params.Get("requestId");
    std::lock_guard lock(mutex_);
    auto it = calls_.find(CanonicalJson(request_id));
    if (it == calls_.end()) return;
    std::lock_guard call_lock(it->second->mutex);
    it->second->cancelled = true;
    it->second->wake.notify_all();
  }
  // Other notifications (roots/list_changed, progress, ...) need no action from us.
}

Value Session::Initialize(const Value& params) {
  std::string requested = params.Get("protocolVersion").is_string() ? params.Get("protocolVersion").as_string() : "";
  const auto& supported = SupportedProtocolVersions();
  std::string version =
      std::find(supported.begin(), supported.end(), requested) != supported.end() ? requested : supported.front();
  {
    std::lock_guard lock(mutex_);
    protocol_version_ = version;
  }
  Record server_info{{"name", info_.name}, {"version", info_.version.empty() ? "0" : info_.version}};
  Record result{{"protocolVersion", version},
                {"capabilities", Value(Record{{"tools", Value(Record{{"listChanged", tools_subscription_ >= 0}})},
                                              {"logging", Value(Record{})}})},
                {"serverInfo", Value(std::move(server_info))}};
  if (!info_.instructions.empty()) result.Set("instructions", info_.instructions);
  return Value(std::move(result));
}

void Session::HandleRequest(const Value& id, const std::string& method, const Value& params, const Reply& reply) {
  if (method == "initialize") {
    reply(Response(id, Initialize(params)), true);
  } else if (method == "ping") {
    reply(Response(id, Value(Record{})), true);
  } else if (method == "tools/list") {
    std::vector<ToolDescriptor> tools = provider_.ListTools();
    size_t start = 0;
    if (const Value* cursor = params.Find("cursor"); cursor != nullptr && !cursor->is_null()) {
      bool ok = cursor->is_string() && !cursor->as_string().empty() &&
                std::all_of(cursor->as_string().begin(), cursor->as_string().end(), ::isdigit) &&
                cursor->as_string().size() < 10;
      if (ok) start = std::stoul(cursor->as_string());
      if (!ok || start > tools.size()) {
        reply(ErrorResponse(id, kInvalidParams, fmt::format("unknown cursor {}", ToJson(*cursor))), true);
        return;
      }
    }
    size_t end = info_.page_size == 0 ? tools.size() : std::min(tools.size(), start + info_.page_size);
    List listed;
    for (size_t i = start; i < end; ++i) listed.push_back(DescribeTool(tools[i]));
    Record result{{"tools", Value(std::move(listed))}};
    if (end < tools.size()) result.Set("nextCursor", std::to_string(end));
    reply(Response(id, Value(std::move(result))), true);
  } else if (method == "tools/call") {
    StartToolCall(id, params, reply);
  } else if (method == "logging/setLevel") {
    Value level = params.Get("level");
    int index = level.is_string() ? LevelIndex(level.as_string()) : -1;
    if (index < 0) {
      reply(ErrorResponse(id, kInvalidParams,
                          fmt::format("unknown logging level {}; expected one of debug, info, notice, warning, "
                                      "error, critical, alert, emergency",
                                      ToJson(level))),
            true);
      return;
    }
    {
      std::lock_guard lock(mutex_);
      log_threshold_ = index;
    }
    reply(Response(id, Value(Record{})), true);
  } else {
    reply(ErrorResponse(id, kMethodNotFound, fmt::format("method `{}` not found", method)), true);
  }
}

void Session::StartToolCall(const Value& id, const Value& params, const Reply& reply) {
  Value name = params.Get("name");
  if (!name.is_string()) {
    reply(ErrorResponse(id, kInvalidParams, "tools/call needs `name`, the tool's name as a string"), true);
    return;
  }
  Value arguments = params.Get("arguments");
  if (arguments.is_null()) arguments = Value(Record{});
  if (!arguments.is_record()) {
    reply(ErrorResponse(id, kInvalidParams,
                        fmt::format("`arguments` must be an object, found {}", arguments.kind_name())),
          true);
    return;
  }
  std::vector<ToolDescriptor> tools = provider_.ListTools();
  if (std::none_of(tools.begin(), tools.end(), [&](const ToolDescriptor& t) { return t.name == name.as_string(); })) {
    std::vector<std::string> names;
    for (const ToolDescriptor& t : tools) names.push_back(t.name);
    auto similar = compiler::SuggestSimilar(name.as_string(), names);
    reply(ErrorResponse(id, kInvalidParams,
                        similar ? fmt::format("unknown tool `{}`; did you mean `{}`?", name.as_string(), *similar)
                                : fmt::format("unknown tool `{}`", name.as_string())),
          true);
    return;
  }
  auto call = std::make_shared<Call>();
  std::string key = CanonicalJson(id);
  {
    std::lock_guard lock(mutex_);
    if (calls_.count(key) != 0) {
      reply(ErrorResponse(id, kInvalidRequest, fmt::format("request id {} is already in use by a running call", key)),
            true);
      return;
    }
    calls_[key] = call;
  }
  Value progress_token = params.Get("_meta").Get("progressToken");
  std::thread([this, id, key, call, name = name.as_string(), arguments, progress_token, reply] {
    CallContext context(*this, call, progress_token, reply);
    ToolOutcome outcome = provider_.CallTool(name, arguments, context);
    // A cancelled call gets no response (the client has stopped waiting for it).
    if (!context.Cancelled()) {
      if (outcome.error) {
        reply(ErrorResponse(id, outcome.error->code, outcome.error->message, outcome.error->data), true);
      } else {
        reply(Response(id, outcome.result), true);
      }
    } else {
      reply(std::string(), true);  // ends the request's stream without a message
    }
    std::lock_guard lock(mutex_);
    calls_.erase(key);
    calls_done_.notify_all();
  }).detach();
}

}  // namespace orch::mcp::server
