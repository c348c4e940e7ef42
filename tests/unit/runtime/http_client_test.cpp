// The product's MCP client over Streamable HTTP: a `transport: http` server configuration
// goes through MakeTransport to the HttpTransport, and the client initializes, lists and
// calls tools (with progress streamed over SSE) against an in-process cpp-httplib server.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/config/config.h"
#include "runtime/mcp/client.h"
#include "runtime/mcp/http_message.h"
#include "runtime/mcp/transport_factory.h"
#include "runtime/value/json.h"

using namespace std::chrono_literals;

namespace {

// A minimal MCP server: one `add` tool whose answer streams a progress notification first.
class AddServer {
 public:
  AddServer() {
    server_.Post("/mcp", [this](const httplib::Request& req, httplib::Response& res) { OnPost(req, res); });
    server_.Get("/mcp", [](const httplib::Request&, httplib::Response& res) { res.status = 405; });
    server_.Delete("/mcp", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Mcp-Session-Id") == "add-session") ++deletes;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i) std::this_thread::sleep_for(5ms);
  }
  ~AddServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }

  std::atomic<int> deletes{0};
  std::mutex mutex;
  std::vector<std::string> protocol_headers;

 private:
  void OnPost(const httplib::Request& req, httplib::Response& res) {
    auto parsed = orch::ParseJson(req.body);
    REQUIRE(parsed.ok());
    const orch::Value& msg = *parsed;
    std::string method = msg.Get("method").is_string() ? msg.Get("method").as_string() : "";
    if (method == "initialize") {
      res.set_header("Mcp-Session-Id", "add-session");
      res.set_content(R"({"jsonrpc":"2.0","id":)" + orch::ToJson(msg.Get("id")) +
                          R"(,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},)"
                          R"("serverInfo":{"name":"add-server","version":"2.0.0"}}})",
                      "application/json");
      return;
    }
    if (req.get_header_value("Mcp-Session-Id") != "add-session") {
      res.status = 400;
      return;
    }
    {
      std::lock_guard lock(mutex);
      protocol_headers.push_back(req.get_header_value("MCP-Protocol-Version"));
    }
    if (!msg.Find("id")) {
      res.status = 202;
      return;
    }
    std::string id = orch::ToJson(msg.Get("id"));
    if (method == "tools/list") {
      res.set_content(R"({"jsonrpc":"2.0","id":)" + id +
                          R"(,"result":{"tools":[{"name":"add","description":"Adds","inputSchema":{"type":"object",)"
                          R"("properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}}]}})",
                      "application/json");
      return;
    }
    if (method == "tools/call") {
      orch::Value args = msg.Get("params").Get("arguments");
      double sum = args.Get("a").as_number() + args.Get("b").as_number();
      orch::Value token = msg.Get("params").Get("_meta").Get("progressToken");
      std::string events;
      if (!token.is_null()) {
        events += R"(data: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":)" +
                  orch::ToJson(token) + R"(,"progress":1,"total":2}})" "\n\n";
      }
      events += R"(id: r1)" "\n" R"(data: {"jsonrpc":"2.0","id":)" + id +
                R"(,"result":{"content":[{"type":"text","text":")" + std::to_string(static_cast<int>(sum)) +
                R"("}]}})" "\n\n";
      res.set_chunked_content_provider("text/event-stream", [events](size_t, httplib::DataSink& sink) {
        sink.write(events.data(), events.size());
        sink.done();
        return true;
      });
      return;
    }
    res.set_content(R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":{}})", "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

orch::config::ServerConfig HttpServer(const std::string& url) {
  orch::config::ServerConfig server;
  server.name = "web";
  server.transport = orch::config::TransportKind::kHttp;
  server.url = url;
  return server;
}

orch::mcp::ClientOptions QuietOptions() {
  orch::mcp::ClientOptions options;
  options.log_dir = "";
  options.default_timeout = 10s;
  options.connect_timeout = 10s;
  return options;
}

}  // namespace

TEST_CASE("mcp client initializes, lists and calls tools over streamable http") {
  AddServer server;
  orch::mcp::Client client(HttpServer(server.Url()), QuietOptions());
  auto identity = client.Identity();
  REQUIRE_MESSAGE(identity.ok(), identity.error().message);
  CHECK(identity->name == "add-server");
  CHECK(identity->protocol_version == "2025-06-18");

  auto tools = client.ListTools();
  REQUIRE_MESSAGE(tools.ok(), tools.error().message);
  REQUIRE(tools->size() == 1);
  CHECK((*tools)[0].name == "add");

  std::vector<double> progress;
  orch::mcp::CallOptions call;
  call.on_progress = [&](const orch::mcp::Progress& p) { progress.push_back(p.progress); };
  auto result = client.CallTool("add", orch::Value(orch::Record{{"a", 2}, {"b", 40}}), call);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(result->Get("content").as_list()[0].Get("text").as_string() == "42");
  CHECK(progress == std::vector<double>{1});
  client.Close();

  CHECK(server.deletes == 1);
  std::lock_guard lock(server.mutex);
  REQUIRE_FALSE(server.protocol_headers.empty());
  for (const auto& header : server.protocol_headers) CHECK(header == "2025-06-18");
}

TEST_CASE("mcp client reports an unreachable http server as an error naming the url") {
  orch::mcp::Client client(HttpServer("http://127.0.0.1:9/mcp"), QuietOptions());
  auto tools = client.ListTools();
  REQUIRE_FALSE(tools.ok());
  CHECK(tools.error().message.find("http://127.0.0.1:9/mcp") != std::string::npos);
}

TEST_CASE("an http server without a url is a configuration error") {
  auto transport = orch::mcp::MakeTransport(HttpServer(""), QuietOptions());
  REQUIRE_FALSE(transport.ok());
  CHECK(transport.error().kind == "config");
  CHECK(transport.error().message == "server `web` uses HTTP but has no `url`");
}
