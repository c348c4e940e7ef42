// Client implementation: lazy connection and restart, the initialize handshake with
// version negotiation, paginated listings, tool calls, and the client's answers to
// server-to-client requests and notifications.
#include "runtime/mcp/client.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>

#include "runtime/mcp/transport_factory.h"
#include "runtime/value/json.h"

namespace orch::mcp {
namespace {

constexpr int kMaxPages = 10'000;

std::string SafeFileName(std::string_view name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  if (out.empty() || out[0] == '.') out.insert(out.begin(), '_');
  return out;
}

/// `file://` URI of an absolute path (percent-encoding what a URI cannot hold).
std::string FileUri(const std::string& path) {
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

bool Hint(const ToolInfo& tool, std::string_view name) {
  const Value* hint = tool.annotations.Find(name);
  return hint != nullptr && hint->is_bool() && hint->as_bool();
}

}  // namespace

bool IsSupportedProtocolVersion(std::string_view version) {
  for (const char* v : kSupportedProtocolVersions) {
    if (version == v) return true;
  }
  return false;
}

Client::Client(config::ServerConfig server, ClientOptions options)
    : server_(std::move(server)), options_(std::move(options)) {
  if (server_.timeout) options_.default_timeout = *server_.timeout;
}

Client::~Client() { Close(); }

void Client::Log(std::string_view line) {
  std::lock_guard lock(log_mutex_);
  if (log_fd_ < 0) return;
  std::string text(line);
  text.push_back('\n');
  [[maybe_unused]] ssize_t n = write(log_fd_, text.data(), text.size());
}

ErrorOr<std::shared_ptr<RpcConnection>> Client::Connection() {
  // connect_mutex_ serialises connecting; mutex_ is held only briefly, because the
  // transport thread needs it (notifications) while `initialize` is in flight.
  {
    std::lock_guard lock(mutex_);  // fast path: already connected
    if (connection_ && connection_->alive()) return connection_;
  }
  std::lock_guard connect_lock(connect_mutex_);
  std::shared_ptr<RpcConnection> dead;
  {
    std::lock_guard lock(mutex_);
    if (connection_ && connection_->alive()) return connection_;
    // The server exited since the last call (or never started): start a fresh one.
    dead.swap(connection_);
    identity_.reset();
    tools_cache_.reset();
  }
  if (dead) dead->Close();
  {
    std::lock_guard log_lock(log_mutex_);
    if (log_fd_ < 0 && !options_.log_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(options_.log_dir, ec);
      std::string path = (std::filesystem::path(options_.log_dir) / (SafeFileName(server_.name) + ".log")).string();
      log_fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    }
  }
  auto transport = MakeTransport(server_, options_);
  if (!transport) return transport.error();
  auto connection = std::make_shared<RpcConnection>(server_.name, std::move(*transport), options_.default_timeout,
                                                    options_.max_message_bytes);
  auto started = connection->Start(
      [this](const std::string& method, const Value& params) { return HandleServerRequest(method, params); },
      [this](const std::string& method, const Value& params) { HandleNotification(method, params); },
      [this](std::string_view line) { Log(line); });
  if (!started) return started.error();

  Record capabilities;
  capabilities.Set("roots", Value(Record{{"listChanged", false}}));
  if (options_.on_elicitation) capabilities.Set("elicitation", Value(Record{{"form", Value(Record{})}}));
  if (options_.on_sampling) capabilities.Set("sampling", Value(Record{}));
  Record params;
  params.Set("protocolVersion", kSupportedProtocolVersions[0]);
  params.Set("capabilities", Value(std::move(capabilities)));
  params.Set("clientInfo", Value(Record{{"name", options_.client_name}, {"version", options_.client_version}}));
  RequestOptions init_options;
  init_options.timeout = std::max(options_.default_timeout, std::chrono::milliseconds(0));
  auto result = connection->Call("initialize", Value(std::move(params)), init_options);
  if (!result) {
    connection->Close();
    return result.error();
  }
  std::string version = result->Get("protocolVersion").is_string() ? result->Get("protocolVersion").as_string() : "";
  if (!IsSupportedProtocolVersion(version)) {
    connection->Close();
    return MakeError("protocol", fmt::format("server `{}` speaks MCP protocol version `{}`, which orchestrator does not "
                                             "support\n  = note: supported versions: {}",
                                             server_.name, version.empty() ? "(none given)" : version,
                                             fmt::join(kSupportedProtocolVersions, ", ")));
  }
  ServerIdentity identity;
  const Value info = result->Get("serverInfo");
  identity.name = info.Get("name").is_string() ? info.Get("name").as_string() : server_.name;
  identity.version = info.Get("version").is_string() ? info.Get("version").as_string() : "";
  identity.title = info.Get("title").is_string() ? info.Get("title").as_string() : "";
  identity.protocol_version = version;
  identity.capabilities = result->Get("capabilities");
  identity.instructions = result->Get("instructions").is_string() ? result->Get("instructions").as_string() : "";
  connection->transport().SetProtocolVersion(version);
  if (auto sent = connection->Notify("notifications/initialized", Value()); !sent) {
    connection->Close();
    return sent.error();
  }
  Log(fmt::format("[orchestrator] initialized: {} {} (protocol {})", identity.name, identity.version, version));
  std::lock_guard lock(mutex_);
  identity_ = std::move(identity);
  connection_ = connection;
  return connection;
}

ErrorOr<void> Client::Connect() {
  auto connection = Connection();
  if (!connection) return connection.error();
  return {};
}

ErrorOr<ServerIdentity> Client::Identity() {
  auto connection = Connection();
  if (!connection) return connection.error();
  std::lock_guard lock(mutex_);
  if (!identity_) return MakeError("transport", fmt::format("server `{}` stopped right after starting", server_.name));
  return *identity_;
}

ErrorOr<Value> Client::Request(const std::string& method, Value params, const RequestOptions& options) {
  auto connection = Connection();
  if (!connection) return connection.error();
  return (*connection)->Call(method, params, options);
}

ErrorOr<List> Client::ListAll(const std::string& method, const std::string& key) {
  List all;
  std::string cursor;
  std::set<std::string> seen;
  for (int page = 0; page < kMaxPages; ++page) {
    Record params;
    if (!cursor.empty()) params.Set("cursor", cursor);
    auto result = Request(method, Value(std::move(params)), {});
    if (!result) return result.error();
    const Value* items = result->Find(key);
    if (items == nullptr || !items->is_list()) {
      return MakeError("protocol", fmt::format("server `{}` answered `{}` without a `{}` list", server_.name, method, key));
    }
    for (const Value& item : items->as_list()) all.push_back(item);
    const Value* next = result->Find("nextCursor");
    if (next == nullptr || !next->is_string() || next->as_string().empty()) return all;
    cursor = next->as_string();
    if (!seen.insert(cursor).second) {
      return MakeError("protocol", fmt::format("server `{}` repeated the cursor `{}` while paging through `{}`",
                                               server_.name, cursor, method));
    }
  }
  return MakeError("protocol", fmt::format("server `{}` returned more than {} pages for `{}`", server_.name, kMaxPages, method));
}

ErrorOr<std::vector<ToolInfo>> Client::ListTools() {
  {
    std::lock_guard lock(mutex_);
    if (tools_cache_ && connection_ && connection_->alive()) return *tools_cache_;
  }
  auto items = ListAll("tools/list", "tools");
  if (!items) return items.error();
  std::vector<ToolInfo> tools;
  for (const Value& item : *items) {
    if (!item.is_record() || !item.Get("name").is_string()) {
      return MakeError("protocol", fmt::format("server `{}` listed a tool without a name: `{}`", server_.name,
                                               ToJson(item).substr(0, 200)));
    }
    tools.push_back(lock::ToolInfoFromJson(item));
  }
  std::lock_guard lock(mutex_);
  tools_cache_ = tools;
  return tools;
}

ErrorOr<List> Client::ListResources() { return ListAll("resources/list", "resources"); }

ErrorOr<List> Client::ListPrompts() { return ListAll("prompts/list", "prompts"); }

ErrorOr<void> Client::Ping() {
  auto result = Request("ping", Value(Record{}), {});
  if (!result) return result.error();
  return {};
}

ErrorOr<Value> Client::CallTool(const std::string& tool, const Value& arguments, const CallOptions& options) {
  Record params;
  params.Set("name", tool);
  params.Set("arguments", arguments.is_null() ? Value(Record{}) : arguments);
  RequestOptions request;
  request.timeout = options.timeout;
  request.on_progress = options.on_progress;
  request.cancel = options.cancel;
  Value params_value(std::move(params));
  auto result = Request("tools/call", params_value, request);
  if (!result && result.error().kind == "transport" && !options.cancel.cancelled()) {
    // The server died during the call. Retry once on a fresh server, but only when the
    // tool says repeating it is harmless.
    bool safe = false;
    {
      std::lock_guard lock(mutex_);
      if (tools_cache_) {
        for (const auto& info : *tools_cache_) {
          if (info.name == tool) safe = Hint(info, "readOnlyHint") || Hint(info, "idempotentHint");
        }
      }
    }
    if (safe) {
      Log(fmt::format("[orchestrator] retrying `{}` after the server stopped: {}", tool, result.error().message));
      auto retried = Request("tools/call", params_value, request);
      if (retried) return retried;
    }
  }
  if (!result) return result;
  if (!result->is_record()) {
    return MakeError("protocol", fmt::format("server `{}` answered `tools/call` for `{}` with {} instead of a result object",
                                             server_.name, tool, result->kind_name()));
  }
  return result;
}

ErrorOr<Value> Client::HandleServerRequest(const std::string& method, const Value& params) {
  if (method == "ping") return Value(Record{});
  if (method == "roots/list") {
    std::vector<std::string> roots = !server_.roots.empty() ? server_.roots : options_.roots;
    if (roots.empty()) {
      std::error_code ec;
      roots.push_back(std::filesystem::current_path(ec).string());
    }
    List list;
    for (const auto& root : roots) {
      std::string name = std::filesystem::path(root).filename().string();
      list.push_back(Value(Record{{"uri", FileUri(root)}, {"name", name.empty() ? root : name}}));
    }
    return Value(Record{{"roots", Value(std::move(list))}});
  }
  if (method == "elicitation/create") {
    if (!options_.on_elicitation) {
      Log("[orchestrator] declined an elicitation request: no answers are configured");
      return Value(Record{{"action", "decline"}});
    }
    return options_.on_elicitation(server_.name, params);
  }
  if (method == "sampling/createMessage") {
    if (!options_.on_sampling) {
      return MakeError("not_found", "sampling is not configured in orchestrator: no LLM endpoint is set up, "
                                    "so `sampling/createMessage` cannot be answered");
    }
    return options_.on_sampling(server_.name, params);
  }
  return MakeError("not_found", fmt::format("orchestrator does not handle `{}` requests", method));
}

void Client::HandleNotification(const std::string& method, const Value& params) {
  if (method == "notifications/message") {
    std::string level = params.Get("level").is_string() ? params.Get("level").as_string() : "info";
    std::string logger = params.Get("logger").is_string() ? params.Get("logger").as_string() : "";
    const Value data = params.Get("data");
    std::string text = data.is_string() ? data.as_string() : ToJson(data);
    if (text.size() > 4000) text = text.substr(0, 4000) + "…";
    Log(fmt::format("[{}]{}{} {}", level, logger.empty() ? "" : " ", logger, text));
    return;
  }
  if (method == "notifications/tools/list_changed") {
    std::lock_guard lock(mutex_);
    tools_cache_.reset();
    return;
  }
  Log(fmt::format("[orchestrator] notification `{}`", method));
}

void Client::Close() {
  std::shared_ptr<RpcConnection> connection;
  {
    std::lock_guard lock(mutex_);
    connection.swap(connection_);
    identity_.reset();
    tools_cache_.reset();
  }
  if (connection) connection->Close();
  std::lock_guard log_lock(log_mutex_);
  if (log_fd_ >= 0) close(log_fd_);
  log_fd_ = -1;
}

}  // namespace orch::mcp
