// ServeHttp: the Streamable HTTP transport of the server side (see http_server.h).
#include "runtime/mcp/server/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "runtime/value/json.h"

namespace orch::mcp::server {
namespace {

std::atomic<bool> stop_requested{false};
extern "C" void OnStopSignal(int) { stop_requested = true; }

/// Messages for one POST, handed from the session's threads to the HTTP response.
struct Channel {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::string> messages;
  bool done = false;

  void Push(const std::string& message, bool final) {
    std::lock_guard lock(mutex);
    if (!message.empty()) messages.push_back(message);
    if (final) done = true;
    ready.notify_all();
  }
};

/// Answers with a `text/event-stream` that sends each message `channel` receives as an
/// SSE event until the channel is done; `keep_alive` lives as long as the stream.
void StreamEvents(httplib::Response& res, std::shared_ptr<Channel> channel, std::shared_ptr<const void> keep_alive) {
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider("text/event-stream", [channel, keep_alive](size_t, httplib::DataSink& sink) {
    std::unique_lock lock(channel->mutex);
    channel->ready.wait_for(lock, std::chrono::milliseconds(200),
                            [&] { return !channel->messages.empty() || channel->done; });
    while (!channel->messages.empty()) {
      std::string event = "event: message\ndata: " + channel->messages.front() + "\n\n";
      channel->messages.pop_front();
      if (!sink.write(event.data(), event.size())) return false;
    }
    if (channel->done) {
      sink.done();
      return true;
    }
    return sink.is_writable();
  });
}

std::string NewSessionId() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", random());
  return id;
}

bool OriginAllowed(const httplib::Request& req) {
  if (!req.has_header("Origin")) return true;
  std::string origin = req.get_header_value("Origin");
  for (const char* host : {"http://localhost", "http://127.0.0.1", "http://[::1]", "https://localhost",
                           "https://127.0.0.1"}) {
    std::string prefix = host;
    if (origin == prefix || origin.rfind(prefix + ":", 0) == 0) return true;
  }
  return false;
}

void JsonError(httplib::Response& res, int status, int code, const std::string& message) {
  res.status = status;
  res.set_content(ErrorResponse(Value(), code, message), "application/json");
}

class HttpServer {
 public:
  HttpServer(const ServerInfo& info, ToolProvider& provider) : info_(info), provider_(provider) {
    server_.Post("/mcp", [this](const httplib::Request& req, httplib::Response& res) { OnPost(req, res); });
    server_.Get("/mcp", [this](const httplib::Request& req, httplib::Response& res) { OnGet(req, res); });
    server_.Delete("/mcp", [this](const httplib::Request& req, httplib::Response& res) { OnDelete(req, res); });
  }

  ErrorOr<void> Run(const std::string& host, int port, const std::function<void(const std::string&)>& on_listening) {
    int bound = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
    if (bound <= 0) return MakeError("io", fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)", host, port));
    std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    on_listening(fmt::format("http://{}:{}/mcp", shown_host, bound));
    stop_requested = false;
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::thread watcher([this] {
      while (!stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      server_.stop();
    });
    server_.listen_after_bind();
    stop_requested = true;
    watcher.join();
    std::map<std::string, std::shared_ptr<Session>> sessions;
    {
      std::lock_guard lock(mutex_);
      sessions.swap(sessions_);
    }
    for (auto& [id, session] : sessions) session->Shutdown();
    EndStreams();
    return {};
  }

 private:
  void OnPost(const httplib::Request& req, httplib::Response& res) {
    if (!OriginAllowed(req)) return JsonError(res, 403, -32600, "requests from this origin are refused");
    if (req.has_header("MCP-Protocol-Version")) {
      const auto& supported = SupportedProtocolVersions();
      std::string version = req.get_header_value("MCP-Protocol-Version");
      if (std::find(supported.begin(), supported.end(), version) == supported.end()) {
        return JsonError(res, 400, -32600,
                         fmt::format("unsupported MCP-Protocol-Version `{}`; this server speaks {}", version,
                                     fmt::join(supported, ", ")));
      }
    }
    auto parsed = ParseJson(req.body);
    bool is_initialize = parsed && parsed->is_record() && parsed->Get("method") == Value("initialize");
    std::shared_ptr<Session> session;
    std::string session_id;
    if (is_initialize) {
      session_id = NewSessionId();
      session = std::make_shared<Session>(info_, provider_);
      std::lock_guard lock(mutex_);
      sessions_[session_id] = session;
    } else if (parsed) {
      if (!req.has_header("Mcp-Session-Id")) {
        return JsonError(res, 400, -32600, "missing Mcp-Session-Id header; send `initialize` first");
      }
      session_id = req.get_header_value("Mcp-Session-Id");
      std::lock_guard lock(mutex_);
      auto it = sessions_.find(session_id);
      if (it == sessions_.end()) return JsonError(res, 404, -32600, "unknown or ended session; initialize again");
      session = it->second;
    } else {
      // Unparsable text: the session answers with a parse error.
      session = std::make_shared<Session>(info_, provider_);
    }
    if (is_initialize) res.set_header("Mcp-Session-Id", session_id);

    auto channel = std::make_shared<Channel>();
    bool expects_reply = session->Handle(req.body, [channel](const std::string& message, bool final) {
      channel->Push(message, final);
    });
    if (!expects_reply) {
      res.status = 202;
      return;
    }
    std::string accept = req.get_header_value("Accept");
    bool sse = accept.find("text/event-stream") != std::string::npos;
    {
      std::unique_lock lock(channel->mutex);
      if (channel->done || !sse) {
        channel->ready.wait(lock, [&] { return channel->done; });
        // Without a stream only the response itself can be sent.
        if (channel->messages.empty()) {
          res.status = 202;
          return;
        }
        res.status = 200;
        res.set_content(channel->messages.back(), "application/json");
        return;
      }
    }
    res.status = 200;
    StreamEvents(res, channel, session);
  }

  void OnGet(const httplib::Request& req, httplib::Response& res) {
    if (!OriginAllowed(req)) return JsonError(res, 403, -32600, "requests from this origin are refused");
    if (!req.has_header("Mcp-Session-Id")) return JsonError(res, 400, -32600, "missing Mcp-Session-Id header");
    std::string session_id = req.get_header_value("Mcp-Session-Id");
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(mutex_);
      auto it = sessions_.find(session_id);
      if (it == sessions_.end()) return JsonError(res, 404, -32600, "unknown or ended session; initialize again");
      session = it->second;
    }
    if (!session->has_notifications()) {
      res.status = 405;
      res.set_header("Allow", "POST, DELETE");
      return;
    }
    if (req.get_header_value("Accept").find("text/event-stream") == std::string::npos) {
      return JsonError(res, 406, -32600, "the GET stream is text/event-stream; send `Accept: text/event-stream`");
    }
    // One stream per session: a new GET replaces (and ends) the previous one.
    auto channel = std::make_shared<Channel>();
    std::shared_ptr<Channel> previous;
    {
      std::lock_guard lock(mutex_);
      previous = streams_[session_id];
      streams_[session_id] = channel;
    }
    if (previous) previous->Push(std::string(), true);
    session->SetNotifier([channel](const std::string& message, bool) { channel->Push(message, false); });
    res.status = 200;
    StreamEvents(res, channel, nullptr);
  }

  /// Ends every GET stream (the server is stopping).
  void EndStreams() {
    std::map<std::string, std::shared_ptr<Channel>> streams;
    {
      std::lock_guard lock(mutex_);
      streams.swap(streams_);
    }
    for (auto& [id, channel] : streams) channel->Push(std::string(), true);
  }

  void OnDelete(const httplib::Request& req, httplib::Response& res) {
    if (!OriginAllowed(req)) return JsonError(res, 403, -32600, "requests from this origin are refused");
    if (!req.has_header("Mcp-Session-Id")) return JsonError(res, 400, -32600, "missing Mcp-Session-Id header");
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(mutex_);
      auto it = sessions_.find(req.get_header_value("Mcp-Session-Id"));
      if (it == sessions_.end()) return JsonError(res, 404, -32600, "unknown or ended session");
      session = it->second;
      sessions_.erase(it);
      if (auto stream = streams_.find(req.get_header_value("Mcp-Session-Id")); stream != streams_.end()) {
        stream->second->Push(std::string(), true);
        streams_.erase(stream);
      }
    }
    session->SetNotifier(nullptr);
    session->Shutdown();
    res.status = 204;
  }

  const ServerInfo& info_;
  ToolProvider& provider_;
  httplib::Server server_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
  /// The GET stream of each session that has one.
  std::map<std::string, std::shared_ptr<Channel>> streams_;
};

}  // namespace

ErrorOr<std::pair<std::string, int>> ParseListenAddress(const std::string& address) {
  std::string host = "127.0.0.1";
  std::string port_text = address;
  size_t colon = address.rfind(':');
  if (colon != std::string::npos) {
    host = address.substr(0, colon);
    port_text = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
  }
  bool digits = !port_text.empty() && port_text.size() <= 5 &&
                std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  int port = digits ? std::stoi(port_text) : -1;
  if (port < 0 || port > 65535) {
    return MakeError("usage", fmt::format("--http `{}`: expected HOST:PORT such as 127.0.0.1:8080 (port 0 picks a free one)",
                                          address));
  }
  return std::make_pair(host, port);
}

ErrorOr<void> ServeHttp(const ServerInfo& info, ToolProvider& provider, const std::string& address,
                        const std::function<void(const std::string& url)>& on_listening) {
  auto parsed = ParseListenAddress(address);
  if (!parsed) return parsed.error();
  HttpServer server(info, provider);
  return server.Run(parsed->first, parsed->second, on_listening);
}

}  // namespace orch::mcp::server
