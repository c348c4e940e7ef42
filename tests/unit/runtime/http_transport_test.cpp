// HttpTransport against small in-process cpp-httplib servers on 127.0.0.1 that play the
// server side of Streamable HTTP, including its failure modes: dropped event streams,
// expired sessions, error statuses, oversized answers, a port nobody listens on.
#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/mcp/http_message.h"
#include "runtime/mcp/http_transport.h"
#include "runtime/value/json.h"

using orch::mcp::HttpTransport;
using orch::mcp::HttpTransportOptions;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// What the server saw of one request.
struct Seen {
  std::string method;
  std::string body;
  std::string session;
  std::string protocol_version;
  std::string accept;
  std::string content_type;
  std::string last_event_id;
  std::string authorization;
  Clock::time_point at;
};

// An httplib server on an ephemeral loopback port, recording every request.
class TestServer {
 public:
  TestServer() {
    server.set_logger([this](const httplib::Request& req, const httplib::Response&) { (void)req; });
  }
  ~TestServer() { Stop(); }

  void Run() {
    port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    thread = std::thread([this] { server.listen_after_bind(); });
    for (int i = 0; i < 200 && !server.is_running(); ++i) std::this_thread::sleep_for(5ms);
  }
  void Stop() {
    if (thread.joinable()) {
      server.stop();
      thread.join();
    }
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port) + "/mcp"; }

  void Record(const httplib::Request& req) {
    Seen s;
    s.method = req.method;
    s.body = req.body;
    s.session = req.get_header_value("Mcp-Session-Id");
    s.protocol_version = req.get_header_value("MCP-Protocol-Version");
    s.accept = req.get_header_value("Accept");
    s.content_type = req.get_header_value("Content-Type");
    s.last_event_id = req.get_header_value("Last-Event-ID");
    s.authorization = req.get_header_value("Authorization");
    s.at = Clock::now();
    std::lock_guard lock(mutex);
    seen.push_back(std::move(s));
  }
  std::vector<Seen> Requests() {
    std::lock_guard lock(mutex);
    return seen;
  }

  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::mutex mutex;
  std::vector<Seen> seen;
};

// Collects what the transport delivers.
struct Inbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> messages;
  std::vector<std::string> closed;

  orch::mcp::MessageHandler Handler() {
    return [this](std::string m) {
      std::lock_guard lock(mutex);
      messages.push_back(std::move(m));
      cv.notify_all();
    };
  }
  orch::mcp::ClosedHandler OnClosed() {
    return [this](const orch::Error& e) {
      std::lock_guard lock(mutex);
      closed.push_back(e.message);
      cv.notify_all();
    };
  }
  // Waits until the transport reported itself closed (or 10 s passed).
  std::vector<std::string> WaitClosed() {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, 10s, [&] { return !closed.empty(); });
    return closed;
  }
  // Waits until `n` messages arrived (or 10 s passed) and returns them.
  std::vector<std::string> WaitFor(size_t n, std::chrono::milliseconds limit = 10s) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, limit, [&] { return messages.size() >= n; });
    return messages;
  }
};

std::string Request(int id, const std::string& method) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method + R"(","params":{}})";
}
std::string Result(const std::string& id_json, const std::string& result = "{}") {
  return R"({"jsonrpc":"2.0","id":)" + id_json + R"(,"result":)" + result + "}";
}
std::string IdOf(const std::string& body) {
  auto shape = orch::mcp::PeekJsonRpc(body);
  return shape ? shape->id : "";
}
std::string MethodOf(const std::string& body) {
  auto shape = orch::mcp::PeekJsonRpc(body);
  return shape ? shape->method : "";
}
HttpTransportOptions Opts(std::string url) {
  HttpTransportOptions options;
  options.url = std::move(url);
  return options;
}

orch::Value Parse(const std::string& text) {
  auto v = orch::ParseJson(text);
  REQUIRE(v.ok());
  return *v;
}

// A well-behaved JSON-answering server with sessions: initialize assigns "s-1",
// notifications get 202, GET is not offered (405), DELETE ends the session.
void ServeJson(TestServer& ts) {
  ts.server.Post("/mcp", [&ts](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    std::string method = MethodOf(req.body);
    std::string id = IdOf(req.body);
    if (id.empty()) {
      res.status = 202;
      return;
    }
    if (method == "initialize") res.set_header("Mcp-Session-Id", "s-1");
    res.set_content(Result(id, R"({"echo":")" + method + R"("})"), "application/json");
  });
  ts.server.Get("/mcp", [&ts](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.status = 405;
  });
  ts.server.Delete("/mcp", [&ts](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.status = 200;
  });
}

}  // namespace

TEST_CASE("http transport posts each message with the streamable http headers and delivers json answers") {
  TestServer ts;
  ServeJson(ts);
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  CHECK(Parse(messages[0]).Get("result").Get("echo").as_string() == "initialize");
  CHECK(transport.session_id() == "s-1");
  transport.Close();
  auto seen = ts.Requests();
  REQUIRE(seen.size() >= 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].accept == "application/json, text/event-stream");
  CHECK(seen[0].content_type == "application/json");
  CHECK(seen[0].session.empty());
}

TEST_CASE("http transport repeats the session id and protocol version, tries the GET stream, and deletes the session on close") {
  TestServer ts;
  ServeJson(ts);
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  REQUIRE(inbox.WaitFor(1).size() == 1);
  transport.SetProtocolVersion("2025-11-25");
  REQUIRE(transport.Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").ok());
  REQUIRE(transport.Send(Request(2, "tools/list")).ok());
  REQUIRE(inbox.WaitFor(2).size() == 2);
  // The GET attempt follows the initialized notification; give it a moment to be made.
  for (int i = 0; i < 100; ++i) {
    bool got_get = false;
    for (const auto& s : ts.Requests()) got_get |= s.method == "GET";
    if (got_get) break;
    std::this_thread::sleep_for(10ms);
  }
  transport.Close();
  auto seen = ts.Requests();
  int posts_with_session = 0, gets = 0, deletes = 0;
  for (const auto& s : seen) {
    if (s.method == "POST" && MethodOf(s.body) != "initialize") {
      CHECK(s.session == "s-1");
      CHECK(s.protocol_version == "2025-11-25");
      ++posts_with_session;
    }
    if (s.method == "GET") {
      ++gets;
      CHECK(s.accept == "text/event-stream");
      CHECK(s.session == "s-1");
    }
    if (s.method == "DELETE") {
      ++deletes;
      CHECK(s.session == "s-1");
    }
  }
  CHECK(posts_with_session == 2);
  CHECK(gets == 1);  // 405: the server offers no GET stream, and the transport does not insist
  CHECK(deletes == 1);
  CHECK(inbox.closed.empty());
}

TEST_CASE("http transport holds requests after initialization until the GET stream is answered") {
  // Servers send requests unrelated to a POST only on the GET stream and drop them while
  // none is open, so a tools/call must not overtake the GET, even when the 202 for
  // `notifications/initialized` is slow.
  TestServer ts;
  ts.server.new_task_queue = [] { return new httplib::ThreadPool(8); };
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    std::string id = IdOf(req.body);
    if (MethodOf(req.body) == "initialize") {
      res.set_header("Mcp-Session-Id", "g-1");
      res.set_content(Result(id), "application/json");
      return;
    }
    if (id.empty()) {
      std::this_thread::sleep_for(150ms);
      res.status = 202;
      return;
    }
    res.set_content(Result(id), "application/json");
  });
  ts.server.Get("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      sink.write(": open\n\n", 9);
      std::this_thread::sleep_for(300ms);
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  REQUIRE(inbox.WaitFor(1).size() == 1);
  REQUIRE(transport.Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").ok());
  REQUIRE(transport.Send(Request(2, "tools/call")).ok());
  REQUIRE(inbox.WaitFor(2).size() == 2);
  // Once the GET stream is answered nothing is held any more (the gate's 2 s fallback
  // would make this wait far longer than the limit).
  REQUIRE(transport.Send(Request(3, "tools/list")).ok());
  CHECK(inbox.WaitFor(3, 1000ms).size() == 3);
  transport.Close();
  std::vector<std::string> order;
  for (const auto& seen : ts.Requests()) {
    if (seen.method == "GET") order.push_back("GET");
    if (seen.method == "POST") order.push_back(MethodOf(seen.body));
  }
  CHECK(order == std::vector<std::string>{"initialize", "notifications/initialized", "GET", "tools/call", "tools/list"});
}

TEST_CASE("http transport delivers every message of an event-stream answer in order") {
  TestServer ts;
  ts.server.Post("/mcp", [&ts](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    std::string id = IdOf(req.body);
    res.set_chunked_content_provider("text/event-stream", [id](size_t, httplib::DataSink& sink) {
      std::string progress = R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})";
      std::string events = ": hello\r\n\r\nid: a1\r\ndata: " + progress + "\r\n\r\n";
      sink.write(events.data(), events.size());
      std::this_thread::sleep_for(20ms);
      // The response, split across two data lines and two writes.
      std::string first = "event: message\nid: a2\ndata: {\"jsonrpc\":\"2.0\",\n";
      std::string second = "data: \"id\":" + id + ",\"result\":{\"ok\":true}}\n\n";
      sink.write(first.data(), first.size());
      std::this_thread::sleep_for(20ms);
      sink.write(second.data(), second.size());
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(5, "tools/call")).ok());
  auto messages = inbox.WaitFor(2);
  REQUIRE(messages.size() == 2);
  CHECK(Parse(messages[0]).Get("method").as_string() == "notifications/progress");
  CHECK(Parse(messages[1]).Get("id").as_int() == 5);
  CHECK(Parse(messages[1]).Get("result").Get("ok").as_bool());
  transport.Close();
}

TEST_CASE("http transport resumes a stream that ended before the response with GET and Last-Event-ID after the retry delay") {
  TestServer ts;
  std::atomic<int64_t> stream_closed_ns{0};
  std::string pending_id;
  std::mutex pending_mutex;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    {
      std::lock_guard lock(pending_mutex);
      pending_id = IdOf(req.body);
    }
    res.set_chunked_content_provider("text/event-stream", [&](size_t, httplib::DataSink& sink) {
      std::string prime = "id: ev-1\nretry: 300\ndata: \n\n";
      sink.write(prime.data(), prime.size());
      stream_closed_ns = Clock::now().time_since_epoch().count();
      sink.done();  // closes the connection without the response: the client must come back
      return true;
    });
  });
  ts.server.Get("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    if (req.get_header_value("Last-Event-ID") != "ev-1") {
      res.status = 405;
      return;
    }
    std::string id;
    {
      std::lock_guard lock(pending_mutex);
      id = pending_id;
    }
    res.set_chunked_content_provider("text/event-stream", [id](size_t, httplib::DataSink& sink) {
      std::string event = "id: ev-2\ndata: " + Result(id, R"({"resumed":true})") + "\n\n";
      sink.write(event.data(), event.size());
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(9, "tools/call")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  CHECK(Parse(messages[0]).Get("id").as_int() == 9);
  CHECK(Parse(messages[0]).Get("result").Get("resumed").as_bool());
  transport.Close();
  auto seen = ts.Requests();
  const Seen* resume = nullptr;
  for (const auto& s : seen) {
    if (s.method == "GET" && s.last_event_id == "ev-1") resume = &s;
  }
  REQUIRE(resume != nullptr);
  CHECK(resume->accept == "text/event-stream");
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      resume->at.time_since_epoch() - Clock::duration(stream_closed_ns.load()));
  CHECK(waited.count() >= 290);  // the server asked for 300 ms; never earlier
}

TEST_CASE("http transport does not resume a request whose response already came on the listening stream") {
  TestServer ts;
  std::mutex pending_mutex;
  std::condition_variable pending_cv;
  std::string pending_id;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    std::string id = IdOf(req.body);
    if (MethodOf(req.body) == "initialize") {
      res.set_header("Mcp-Session-Id", "s-9");
      res.set_content(Result(id), "application/json");
      return;
    }
    if (id.empty()) {
      res.status = 202;
      return;
    }
    {
      std::lock_guard lock(pending_mutex);
      pending_id = id;
    }
    pending_cv.notify_all();
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      std::string prime = "id: p1\nretry: 50\ndata: \n\n";
      sink.write(prime.data(), prime.size());
      std::this_thread::sleep_for(200ms);  // the answer goes out on the GET stream meanwhile
      sink.done();
      return true;
    });
  });
  ts.server.Get("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.set_chunked_content_provider("text/event-stream", [&](size_t offset, httplib::DataSink& sink) {
      std::unique_lock lock(pending_mutex);
      if (!pending_cv.wait_for(lock, 5s, [&] { return !pending_id.empty(); })) return false;
      std::string event = "data: " + Result(pending_id) + "\n\n";
      pending_id.clear();
      lock.unlock();
      sink.write(event.data(), event.size());
      std::this_thread::sleep_for(400ms);
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  REQUIRE(inbox.WaitFor(1).size() == 1);
  REQUIRE(transport.Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").ok());
  // Give the listening GET a moment to be opened before the request goes out.
  for (int i = 0; i < 100; ++i) {
    bool got_get = false;
    for (const auto& seen : ts.Requests()) got_get |= seen.method == "GET";
    if (got_get) break;
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(transport.Send(Request(2, "tools/call")).ok());
  auto messages = inbox.WaitFor(2);
  REQUIRE(messages.size() == 2);
  CHECK(Parse(messages[1]).Get("id").as_int() == 2);
  std::this_thread::sleep_for(400ms);  // past the POST stream's end and its 50 ms retry
  transport.Close();
  CHECK(inbox.WaitFor(3, 0ms).size() == 2);  // no error answer made up for request 2
  for (const auto& seen : ts.Requests()) CHECK(seen.last_event_id.empty());
}

TEST_CASE("http transport resumes after the connection breaks in the middle of an event stream") {
  TestServer ts;
  std::atomic<int> gets{0};
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      std::string event = "retry: 50\nid: 41\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\ndata: {\"trunc";
      sink.write(event.data(), event.size());
      return false;  // abort: the connection closes mid-event, without the final chunk
    });
  });
  ts.server.Get("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    ++gets;
    std::string last = req.get_header_value("Last-Event-ID");
    res.set_chunked_content_provider("text/event-stream", [last](size_t, httplib::DataSink& sink) {
      std::string event = "data: " + Result("3", "{\"after\":\"" + last + "\"}") + "\n\n";
      sink.write(event.data(), event.size());
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(3, "tools/call")).ok());
  auto messages = inbox.WaitFor(2);
  REQUIRE(messages.size() == 2);
  CHECK(Parse(messages[0]).Get("method").as_string() == "notifications/message");
  CHECK(Parse(messages[1]).Get("result").Get("after").as_string() == "41");
  CHECK(gets == 1);
  transport.Close();
}

TEST_CASE("http transport fails a request whose stream ends without a response or an event id to resume from") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      std::string event = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\n";
      sink.write(event.data(), event.size());
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(4, "tools/call")).ok());
  auto messages = inbox.WaitFor(2);
  REQUIRE(messages.size() == 2);
  auto error = Parse(messages[1]);
  CHECK(error.Get("id").as_int() == 4);
  std::string text = error.Get("error").Get("message").as_string();
  CHECK(text.find("before the response to request 4 (`tools/call`) arrived") != std::string::npos);
  CHECK(text.find("no event id to resume from") != std::string::npos);
  CHECK(text.find(ts.Url()) != std::string::npos);
  transport.Close();
}

TEST_CASE("http transport gives up resuming after the configured number of fruitless attempts") {
  TestServer ts;
  std::atomic<int> gets{0};
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      std::string event = "id: only\nretry: 10\ndata: \n\n";
      sink.write(event.data(), event.size());
      sink.done();
      return true;
    });
  });
  ts.server.Get("/mcp", [&](const httplib::Request&, httplib::Response& res) {
    ++gets;
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      sink.done();  // an empty stream: no progress at all
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport([&] { auto o = Opts(ts.Url()); o.max_reconnect_attempts = 3; return o; }());
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(6, "tools/call")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  std::string text = Parse(messages[0]).Get("error").Get("message").as_string();
  CHECK(text.find("gave up after 3 reconnection attempts") != std::string::npos);
  CHECK(gets == 3);
  transport.Close();
}

TEST_CASE("http transport reports an expired session (404) by closing with a clear reason") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    std::string id = IdOf(req.body);
    if (MethodOf(req.body) == "initialize") {
      res.set_header("Mcp-Session-Id", "old");
      res.set_content(Result(id), "application/json");
      return;
    }
    res.status = 404;
    res.set_content("session not found", "text/plain");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport([&] { auto o = Opts(ts.Url()); o.listen_stream = false; return o; }());
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  REQUIRE(inbox.WaitFor(1).size() == 1);
  REQUIRE(transport.Send(Request(2, "tools/list")).ok());
  auto closed = inbox.WaitClosed();
  REQUIRE(closed.size() == 1);
  CHECK(closed[0] == "the MCP session with " + ts.Url() +
                         " expired (HTTP 404 Not Found); the server must be initialized again");
  CHECK(inbox.WaitFor(2, 0ms).size() == 1);  // the closing reason answers request 2; no second message
  CHECK(transport.session_id().empty());
  transport.Close();
}

TEST_CASE("http transport turns an error status into an error answer quoting the server's json-rpc message") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    res.status = 400;
    res.set_content(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}})",
                    "application/json");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(7, "tools/list")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  std::string text = Parse(messages[0]).Get("error").Get("message").as_string();
  CHECK(text == "MCP server at " + ts.Url() +
                    " answered request 7 (`tools/list`) with HTTP 400: Bad Request: No valid session ID provided");
  transport.Close();
}

TEST_CASE("http transport explains an authorization failure and points at the headers setting") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
    res.set_content(R"({"error":"invalid_token","error_description":"Missing Authorization header"})", "application/json");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  std::string text = Parse(messages[0]).Get("error").Get("message").as_string();
  CHECK(text.find("HTTP 401: invalid_token: Missing Authorization header") != std::string::npos);
  CHECK(text.find("`headers`") != std::string::npos);
  transport.Close();
}

TEST_CASE("http transport sends configured headers and keeps their values out of errors") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    ts.Record(req);
    res.status = 500;
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(
      [&] { auto o = Opts(ts.Url()); o.headers = {{"Authorization", "Bearer sekrit-token"}}; return o; }());
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].find("sekrit") == std::string::npos);
  CHECK(messages[0].find("HTTP 500") != std::string::npos);
  REQUIRE(ts.Requests().size() == 1);
  CHECK(ts.Requests()[0].authorization == "Bearer sekrit-token");
  transport.Close();
}

TEST_CASE("http transport closes with an error naming the url when the server is unreachable") {
  // A port that was just free: bound to learn its number, then released unlistened.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  int port = ntohs(addr.sin_port);
  close(fd);
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/mcp";
  Inbox inbox;
  HttpTransport transport(Opts(url));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "initialize")).ok());
  auto closed = inbox.WaitClosed();
  REQUIRE(closed.size() == 1);
  CHECK(closed[0] == "cannot reach MCP server at " + url + ": couldn't connect to server");
  CHECK(inbox.WaitFor(1, 0ms).empty());
  transport.Close();
}

TEST_CASE("http transport rejects an answer larger than the message limit") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    res.set_content(Result(IdOf(req.body), "\"" + std::string(100000, 'x') + "\""), "application/json");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport([&] { auto o = Opts(ts.Url()); o.max_message_bytes = 4096; return o; }());
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "tools/call")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  CHECK(Parse(messages[0]).Get("error").Get("message").as_string().find("larger than the limit of 4096 bytes") !=
        std::string::npos);
  transport.Close();
}

TEST_CASE("http transport rejects a server-sent event larger than the message limit") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      std::string chunk = "data: " + std::string(3000, 'y');
      sink.write(chunk.data(), chunk.size());
      for (int i = 0; i < 4 && sink.is_writable(); ++i) sink.write(chunk.data() + 6, 3000);
      sink.done();
      return true;
    });
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport([&] { auto o = Opts(ts.Url()); o.max_message_bytes = 4096; return o; }());
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(1, "tools/call")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  std::string text = Parse(messages[0]).Get("error").Get("message").as_string();
  CHECK(text.find("server-sent event is larger than the limit of 4096 bytes") != std::string::npos);
  CHECK(text.find(ts.Url()) != std::string::npos);
  transport.Close();
}

TEST_CASE("http transport answers a request with an error when the body is not json") {
  TestServer ts;
  ts.server.Post("/mcp", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>maintenance</html>", "text/html");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(2, "tools/list")).ok());
  auto messages = inbox.WaitFor(1);
  REQUIRE(messages.size() == 1);
  CHECK(Parse(messages[0]).Get("error").Get("message").as_string() ==
        "MCP server at " + ts.Url() +
            " answered request 2 (`tools/list`) with a body that is not JSON (Content-Type `text/html`): "
            "<html>maintenance</html>");
  transport.Close();
}

TEST_CASE("http transport stops waiting for a request the engine cancelled") {
  TestServer ts;
  std::atomic<bool> cancel_seen{false};
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    if (MethodOf(req.body) == "notifications/cancelled") {
      cancel_seen = true;
      res.status = 202;
      return;
    }
    std::this_thread::sleep_for(600ms);  // a slow tool that answers anyway
    res.set_content(Result(IdOf(req.body)), "application/json");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  REQUIRE(transport.Send(Request(8, "tools/call")).ok());
  std::this_thread::sleep_for(100ms);
  REQUIRE(transport.Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":8}})").ok());
  CHECK(inbox.WaitFor(1, 1200ms).empty());  // the late answer is not delivered: its transfer was aborted
  CHECK(cancel_seen);
  transport.Close();
}

TEST_CASE("http transport keeps many requests in flight at once") {
  TestServer ts;
  // Each handler holds its answer until 8 requests are in the server at once (or, when they
  // never are, until a deadline), so the check below does not depend on machine load.
  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0, most = 0;
  bool gave_up = false;
  ts.server.new_task_queue = [] { return new httplib::ThreadPool(16); };
  ts.server.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::unique_lock lock(mutex);
      most = std::max(most, ++in_flight);
      changed.notify_all();
      if (!changed.wait_for(lock, 5s, [&] { return most >= 8 || gave_up; })) gave_up = true;
      --in_flight;
    }
    res.set_content(Result(IdOf(req.body)), "application/json");
  });
  ts.Run();
  Inbox inbox;
  HttpTransport transport(Opts(ts.Url()));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) CHECK(transport.Send(Request(t * 4 + i + 1, "tools/call")).ok());
    });
  }
  for (auto& s : senders) s.join();
  auto messages = inbox.WaitFor(16);
  CHECK(messages.size() == 16);
  {
    std::lock_guard lock(mutex);
    CHECK(most >= 8);  // sequential sending would never overlap
  }
  transport.Close();
}

TEST_CASE("http transport refuses to send after close and before start") {
  HttpTransport idle(Opts("http://127.0.0.1:1/mcp"));
  CHECK_FALSE(idle.Send(Request(1, "ping")).ok());
  Inbox inbox;
  HttpTransport transport(Opts("http://127.0.0.1:1/mcp"));
  REQUIRE(transport.Start(inbox.Handler(), inbox.OnClosed()).ok());
  transport.Close();
  transport.Close();  // idempotent
  auto sent = transport.Send(Request(1, "ping"));
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().message.find("closed") != std::string::npos);
  CHECK_FALSE(transport.Send("not json").ok());
}

TEST_CASE("http transport rejects a url that is not http") {
  HttpTransport transport(Opts("ftp://example.org/mcp"));
  auto started = transport.Start([](std::string) {}, [](const orch::Error&) {});
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().message == "server url `ftp://example.org/mcp` is not an http:// or https:// url");
}

TEST_CASE("json-rpc peeking tells requests, notifications and responses apart") {
  using Kind = orch::mcp::JsonRpcShape::Kind;
  auto request = orch::mcp::PeekJsonRpc(R"({"jsonrpc":"2.0","id":"a\"b","method":"tools/call","params":{"x":[1,{"y":2}]}})");
  REQUIRE(request);
  CHECK(request->kind == Kind::kRequest);
  CHECK(request->id == R"("a\"b")");
  CHECK(request->method == "tools/call");
  auto cancel = orch::mcp::PeekJsonRpc(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"reason":"x","requestId":12}})");
  REQUIRE(cancel);
  CHECK(cancel->kind == Kind::kNotification);
  CHECK(cancel->cancelled_id == "12");
  auto response = orch::mcp::PeekJsonRpc(R"({"result":{"method":"no"},"id":12,"jsonrpc":"2.0"})");
  REQUIRE(response);
  CHECK(response->kind == Kind::kResponse);
  CHECK(response->id == "12");
  CHECK_FALSE(orch::mcp::PeekJsonRpc("[1,2]"));
  CHECK_FALSE(orch::mcp::PeekJsonRpc("garbage"));
}
