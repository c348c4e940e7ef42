// Streamable HTTP on libcurl's multi interface: one I/O thread owns every transfer
// ("exchange"), so Send only queues and wakes it. Exchanges are POSTs (one per message), the
// listening GET stream, resumption GETs for a POST stream that broke before its response
// came, and the DELETE that ends the session. Reconnections wait in a timer list; the loop
// sleeps in curl_multi_poll until a socket is ready, a timer is due, or Send/Close wakes it.
#include "runtime/mcp/http_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/mcp/http_message.h"
#include "runtime/mcp/sse_parser.h"
#include "runtime/value/json.h"

namespace orch::mcp {
namespace {

using Clock = std::chrono::steady_clock;

// Error bodies are kept only for the message they may carry.
constexpr size_t kMaxErrorBodyBytes = 16 * 1024;
// The DELETE on Close never holds the caller up longer than this.
constexpr auto kMaxCloseWait = std::chrono::milliseconds(2'000);
// Longest time POSTs wait for the listening GET stream to be answered after initialization.
constexpr auto kListenGateWait = std::chrono::milliseconds(2'000);
// Reconnection of the listening stream backs off up to this when the server set no retry.
constexpr auto kMaxListenBackoff = std::chrono::milliseconds(30'000);

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// The server's own words from an error body: a JSON-RPC error message, else the text itself.
std::string ServerSays(const std::string& body) {
  auto parsed = ParseJson(body);
  if (parsed.ok()) {
    const Value* error = parsed->Find("error");
    // JSON-RPC: {"error": {"message": …}}; OAuth: {"error": "invalid_token", "error_description": …}.
    const Value* message = error ? error->Find("message") : parsed->Find("message");
    if (message && message->is_string()) return message->as_string();
    const Value* description = parsed->Find("error_description");
    if (error && error->is_string()) {
      if (description && description->is_string()) return error->as_string() + ": " + description->as_string();
      return error->as_string();
    }
  }
  std::string_view text = Trim(body);
  if (text.size() > 300) return std::string(text.substr(0, 300)) + "…";
  return std::string(text);
}

// libcurl's description of `code`, starting lowercase as our messages do.
std::string CurlError(CURLcode code) {
  std::string text = curl_easy_strerror(code);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

class HttpTransport::Impl {
 public:
  explicit Impl(HttpTransportOptions options) : options_(std::move(options)) {}
  ~Impl() { Close(); }

  ErrorOr<void> Start(MessageHandler on_message, ClosedHandler on_closed);
  ErrorOr<void> Send(const std::string& message);
  void SetProtocolVersion(const std::string& version) {
    std::lock_guard lock(mutex_);
    protocol_version_ = version;
  }
  void Close();
  std::string Describe() const { return options_.url; }
  std::string session_id() const {
    std::lock_guard lock(mutex_);
    return session_id_;
  }

 private:
  enum class Kind { kPost, kListen, kResume, kDelete };

  // One HTTP request and what came back so far. Owned by the I/O thread.
  struct Exchange {
    Impl* impl = nullptr;
    Kind kind = Kind::kPost;
    CURL* easy = nullptr;
    curl_slist* header_list = nullptr;
    std::string body;          // the POSTed message
    std::string method;        // its JSON-RPC method, "" for responses
    std::string request_id;    // id of the request whose answer this exchange carries, or ""
    bool sent_session = false; // the request carried Mcp-Session-Id
    // Response.
    long status = 0;
    std::string content_type;
    bool body_started = false;
    bool is_sse = false;
    std::string json_body;
    std::string error_body;
    std::optional<Error> failure;  // set by a callback that aborted the transfer
    SseParser sse;
    // Stream continuity across reconnections.
    bool answered = false;
    bool progressed = false;       // received an event on this connection
    int attempts = 0;              // reconnections in a row without progress
    std::string last_event_id;
    bool has_last_event_id = false;
    std::optional<long> retry_ms;

    explicit Exchange(size_t max_event_bytes) : sse(max_event_bytes) {}
  };
  using ExchangePtr = std::unique_ptr<Exchange>;

  struct Delayed {
    Clock::time_point due;
    ExchangePtr exchange;
  };

  void Loop();
  void StartExchange(ExchangePtr exchange);
  void Release(Exchange* exchange);
  void FinishPost(ExchangePtr exchange, CURLcode code);
  void FinishStream(ExchangePtr exchange, CURLcode code);
  void Reconnect(ExchangePtr exchange, const std::string& why);
  void StartListening();
  void CancelRequest(const std::string& request_id);
  void Deliver(Exchange& exchange, std::string message);
  void FailRequest(const Exchange& exchange, const std::string& message, long http_status);
  void ReportClosed(const Error& reason);
  std::string RequestLabel(const Exchange& exchange) const;

  static size_t OnHeader(char* data, size_t size, size_t count, void* user);
  static size_t OnBody(char* data, size_t size, size_t count, void* user);
  size_t HandleBody(Exchange& exchange, std::string_view chunk);

  HttpTransportOptions options_;
  MessageHandler on_message_;
  ClosedHandler on_closed_;

  mutable std::mutex mutex_;
  std::condition_variable delete_done_cv_;
  std::string session_id_;
  std::string protocol_version_;
  std::deque<ExchangePtr> queued_;          // from Send, waiting for the I/O thread
  std::vector<std::string> cancelled_;      // request ids whose transfers should stop
  bool started_ = false;
  bool closing_ = false;                    // Close began: no new sends, no reconnections
  bool stop_ = false;                       // the I/O thread should tear down and exit
  bool delete_done_ = false;
  std::atomic<bool> deliver_{true};
  std::atomic<bool> closed_reported_{false};

  CURLM* multi_ = nullptr;
  std::thread thread_;
  // I/O thread only.
  std::map<CURL*, ExchangePtr> active_;
  std::vector<Delayed> delayed_;
  bool listening_ = false;
  // The listening gate: servers send requests unrelated to a POST (elicitation from inside a
  // tool, for instance) only on the GET stream, and drop them when it is not open yet. So
  // once `notifications/initialized` goes out, later POSTs wait until the GET stream's
  // answer has arrived (or failed, or kListenGateWait passed).
  bool gate_closed_ = false;
  bool open_gate_ = false;  // set by callbacks; the loop opens the gate
  Clock::time_point gate_deadline_;
  std::deque<ExchangePtr> held_;
};

// ---- Public surface --------------------------------------------------------------------

ErrorOr<void> HttpTransport::Impl::Start(MessageHandler on_message, ClosedHandler on_closed) {
  if (!StartsWithNoCase(options_.url, "http://") && !StartsWithNoCase(options_.url, "https://")) {
    return MakeError("config", fmt::format("server url `{}` is not an http:// or https:// url", options_.url));
  }
  std::lock_guard lock(mutex_);
  if (started_) return MakeError("transport", fmt::format("transport to {} was already started", options_.url));
  GlobalInitOnce();
  multi_ = curl_multi_init();
  if (!multi_) return MakeError("transport", "cannot initialise libcurl");
  // Idle connections are kept for reuse; HTTP/2 servers get requests multiplexed.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 32L);
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
  return {};
}

ErrorOr<void> HttpTransport::Impl::Send(const std::string& message) {
  if (message.size() > options_.max_message_bytes) {
    return MakeError("protocol", fmt::format("message of {} bytes is larger than the limit of {} bytes",
                                             message.size(), options_.max_message_bytes));
  }
  auto shape = PeekJsonRpc(message);
  if (!shape) return MakeError("protocol", "cannot send a message that is not a JSON-RPC object");
  auto exchange = std::make_unique<Exchange>(options_.max_message_bytes);
  exchange->impl = this;
  exchange->kind = Kind::kPost;
  exchange->body = message;
  exchange->method = shape->method;
  if (shape->kind == JsonRpcShape::Kind::kRequest) exchange->request_id = shape->id;
  {
    std::lock_guard lock(mutex_);
    if (!started_) return MakeError("transport", fmt::format("transport to {} is not started", options_.url));
    if (closing_) return MakeError("transport", fmt::format("transport to {} is closed", options_.url));
    // A new initialize starts a new session (also after the old one expired).
    if (shape->method == "initialize") session_id_.clear();
    if (shape->method == "notifications/cancelled" && !shape->cancelled_id.empty()) {
      cancelled_.push_back(shape->cancelled_id);
    }
    queued_.push_back(std::move(exchange));
    curl_multi_wakeup(multi_);  // under the lock: Close may not free multi_ meanwhile
  }
  return {};
}

void HttpTransport::Impl::Close() {
  std::unique_lock lock(mutex_);
  if (!started_) return;
  if (!closing_) {
    closing_ = true;
    deliver_ = false;
    if (!session_id_.empty()) {
      auto exchange = std::make_unique<Exchange>(options_.max_message_bytes);
      exchange->impl = this;
      exchange->kind = Kind::kDelete;
      queued_.push_back(std::move(exchange));
    } else {
      delete_done_ = true;
    }
  }
  if (thread_.get_id() == std::this_thread::get_id()) {
    stop_ = true;  // closing from a callback: the loop exits once the callback returns
    return;
  }
  if (!thread_.joinable()) return;  // closed before
  curl_multi_wakeup(multi_);
  delete_done_cv_.wait_for(lock, std::min<std::chrono::milliseconds>(kMaxCloseWait, options_.send_timeout),
                           [this] { return delete_done_; });
  stop_ = true;
  curl_multi_wakeup(multi_);
  lock.unlock();
  thread_.join();
  lock.lock();
  curl_multi_cleanup(multi_);
  multi_ = nullptr;
}

// ---- The I/O loop ------------------------------------------------------------------------

void HttpTransport::Impl::Loop() {
  while (true) {
    std::deque<ExchangePtr> fresh;
    std::vector<std::string> cancelled;
    {
      std::lock_guard lock(mutex_);
      if (stop_) break;
      fresh.swap(queued_);
      cancelled.swap(cancelled_);
    }
    for (auto& exchange : fresh) {
      if (exchange->kind == Kind::kPost && gate_closed_) {
        held_.push_back(std::move(exchange));
      } else {
        StartExchange(std::move(exchange));
      }
    }
    for (const auto& id : cancelled) CancelRequest(id);

    auto now = Clock::now();
    for (size_t i = 0; i < delayed_.size();) {
      if (delayed_[i].due <= now) {
        ExchangePtr exchange = std::move(delayed_[i].exchange);
        delayed_.erase(delayed_.begin() + static_cast<long>(i));
        StartExchange(std::move(exchange));
      } else {
        ++i;
      }
    }

    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode code = msg->data.result;
      auto it = active_.find(easy);
      if (it == active_.end()) continue;
      ExchangePtr exchange = std::move(it->second);
      active_.erase(it);
      curl_multi_remove_handle(multi_, easy);
      Exchange* raw = exchange.get();
      if (raw->kind == Kind::kPost) {
        FinishPost(std::move(exchange), code);
      } else if (raw->kind == Kind::kDelete) {
        Release(raw);
        std::lock_guard lock(mutex_);
        delete_done_ = true;
        delete_done_cv_.notify_all();
      } else {
        FinishStream(std::move(exchange), code);
      }
    }

    now = Clock::now();
    if (gate_closed_ && (open_gate_ || now >= gate_deadline_)) {
      gate_closed_ = false;
      std::deque<ExchangePtr> held;
      held.swap(held_);
      for (auto& exchange : held) StartExchange(std::move(exchange));
      curl_multi_perform(multi_, &running);
    }
    open_gate_ = false;

    int timeout_ms = 1000;
    if (gate_closed_) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(gate_deadline_ - now).count();
      timeout_ms = std::clamp<int>(static_cast<int>(wait), 0, timeout_ms);
    }
    for (const auto& d : delayed_) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(d.due - now).count();
      timeout_ms = std::clamp<int>(static_cast<int>(wait), 0, timeout_ms);
    }
    curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
  }
  for (auto& [easy, exchange] : active_) {
    curl_multi_remove_handle(multi_, easy);
    Release(exchange.get());
  }
  active_.clear();
  for (auto& d : delayed_) Release(d.exchange.get());
  delayed_.clear();
  held_.clear();
  std::lock_guard lock(mutex_);
  queued_.clear();
  delete_done_ = true;
  delete_done_cv_.notify_all();
}

void HttpTransport::Impl::StartExchange(ExchangePtr exchange) {
  CURL* easy = curl_easy_init();
  if (!easy) {
    FailRequest(*exchange, fmt::format("cannot create an HTTP request to {}", options_.url), 0);
    return;
  }
  exchange->easy = easy;
  if (exchange->kind == Kind::kPost && exchange->method == "notifications/initialized" && options_.listen_stream &&
      !listening_) {
    gate_closed_ = true;
    gate_deadline_ = Clock::now() + kListenGateWait;
  }
  curl_slist* headers = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (!session_id_.empty() && exchange->method != "initialize") {
      headers = curl_slist_append(headers, ("Mcp-Session-Id: " + session_id_).c_str());
      exchange->sent_session = true;
    }
    if (!protocol_version_.empty() && exchange->method != "initialize") {
      headers = curl_slist_append(headers, ("MCP-Protocol-Version: " + protocol_version_).c_str());
    }
  }
  switch (exchange->kind) {
    case Kind::kPost:
      headers = curl_slist_append(headers, "Content-Type: application/json");
      headers = curl_slist_append(headers, "Accept: application/json, text/event-stream");
      headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, exchange->body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(exchange->body.size()));
      if (exchange->request_id.empty()) {
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.send_timeout.count()));
      }
      break;
    case Kind::kListen:
    case Kind::kResume:
      headers = curl_slist_append(headers, "Accept: text/event-stream");
      if (exchange->has_last_event_id) {
        headers = curl_slist_append(headers, ("Last-Event-ID: " + exchange->last_event_id).c_str());
      }
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
      break;
    case Kind::kDelete:
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
      curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                       static_cast<long>(std::min<std::chrono::milliseconds>(options_.send_timeout, kMaxCloseWait).count()));
      break;
  }
  for (const auto& [name, value] : options_.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  exchange->header_list = headers;
  curl_easy_setopt(easy, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "orchestrator");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, exchange.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Impl::OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, exchange.get());
  curl_multi_add_handle(multi_, easy);
  active_.emplace(easy, std::move(exchange));
}

void HttpTransport::Impl::Release(Exchange* exchange) {
  if (exchange->easy) curl_easy_cleanup(exchange->easy);
  exchange->easy = nullptr;
  if (exchange->header_list) curl_slist_free_all(exchange->header_list);
  exchange->header_list = nullptr;
}

void HttpTransport::Impl::CancelRequest(const std::string& request_id) {
  for (auto it = active_.begin(); it != active_.end(); ++it) {
    if (it->second->request_id == request_id && it->second->kind != Kind::kDelete) {
      curl_multi_remove_handle(multi_, it->first);
      Release(it->second.get());
      active_.erase(it);
      break;
    }
  }
  std::erase_if(delayed_, [&](Delayed& d) {
    if (d.exchange->request_id != request_id) return false;
    Release(d.exchange.get());
    return true;
  });
}

// ---- Callbacks (on the I/O thread, inside curl_multi_perform) -----------------------------

size_t HttpTransport::Impl::OnHeader(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new status line (after a 100 Continue or a redirect) starts a new header block.
    exchange.status = 0;
    exchange.content_type.clear();
    size_t space = line.find(' ');
    if (space != std::string_view::npos) exchange.status = std::strtol(line.data() + space + 1, nullptr, 10);
    return line.size();
  }
  if (Trim(line).empty() && exchange.kind == Kind::kListen && exchange.status >= 200) {
    exchange.impl->open_gate_ = true;  // the GET stream's answer is in: held POSTs may go
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  std::string_view name = Trim(line.substr(0, colon));
  std::string_view value = Trim(line.substr(colon + 1));
  if (StartsWithNoCase(name, "content-type") && name.size() == 12) {
    exchange.content_type = std::string(value);
  } else if (StartsWithNoCase(name, "mcp-session-id") && name.size() == 14) {
    Impl& impl = *exchange.impl;
    if (exchange.kind == Kind::kPost && exchange.method == "initialize" && exchange.status >= 200 &&
        exchange.status < 300 && !value.empty()) {
      std::lock_guard lock(impl.mutex_);
      impl.session_id_ = std::string(value);
    }
  }
  return line.size();
}

size_t HttpTransport::Impl::OnBody(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  return exchange.impl->HandleBody(exchange, std::string_view(data, size * count));
}

size_t HttpTransport::Impl::HandleBody(Exchange& exchange, std::string_view chunk) {
  constexpr size_t kAbort = 0;  // returning a short count makes libcurl fail the transfer
  if (!exchange.body_started) {
    exchange.body_started = true;
    exchange.is_sse = StartsWithNoCase(exchange.content_type, "text/event-stream");
  }
  if (exchange.status < 200 || exchange.status >= 300) {
    size_t room = kMaxErrorBodyBytes - std::min(kMaxErrorBodyBytes, exchange.error_body.size());
    exchange.error_body.append(chunk.substr(0, std::min(room, chunk.size())));
    return chunk.size();
  }
  if (!exchange.is_sse) {
    if (exchange.json_body.size() + chunk.size() > options_.max_message_bytes) {
      exchange.failure = MakeError("protocol", fmt::format("the answer from {} is larger than the limit of {} bytes",
                                                           options_.url, options_.max_message_bytes));
      return kAbort;
    }
    exchange.json_body.append(chunk);
    return chunk.size();
  }
  auto fed = exchange.sse.Feed(chunk, [&](SseEvent event) {
    exchange.progressed = true;
    if (event.data.empty()) return;  // priming events carry only an id and a retry
    if (event.type != "message") return;
    Deliver(exchange, std::move(event.data));
  });
  if (exchange.sse.has_last_event_id()) {
    exchange.has_last_event_id = true;
    exchange.last_event_id = exchange.sse.last_event_id();
    exchange.progressed = true;
  }
  if (exchange.sse.retry_ms()) exchange.retry_ms = exchange.sse.retry_ms();
  if (!fed.ok()) {
    exchange.failure = MakeError("protocol", fmt::format("{}: {}", options_.url, fed.error().message));
    return kAbort;
  }
  return chunk.size();
}

void HttpTransport::Impl::Deliver(Exchange& exchange, std::string message) {
  auto shape = PeekJsonRpc(message);
  if (shape && shape->kind == JsonRpcShape::Kind::kResponse && !shape->id.empty()) {
    // A response may come on another stream than its request's (a resumed or the listening
    // one): whichever exchange waited for it stops waiting.
    if (shape->id == exchange.request_id) exchange.answered = true;
    for (auto& [easy, other] : active_) {
      if (other->request_id == shape->id) other->answered = true;
    }
    std::erase_if(delayed_, [&](Delayed& d) {
      if (d.exchange->request_id != shape->id) return false;
      Release(d.exchange.get());
      return true;
    });
  }
  if (deliver_) on_message_(std::move(message));
}

// ---- Completion -----------------------------------------------------------------------------

std::string HttpTransport::Impl::RequestLabel(const Exchange& exchange) const {
  if (exchange.method.empty()) return fmt::format("request {}", exchange.request_id);
  return fmt::format("request {} (`{}`)", exchange.request_id, exchange.method);
}

void HttpTransport::Impl::FinishPost(ExchangePtr exchange, CURLcode code) {
  Release(exchange.get());
  Exchange& ex = *exchange;
  bool is_request = !ex.request_id.empty();
  if (ex.method == "notifications/initialized") {
    if (!ex.failure && ex.status >= 200 && ex.status < 300) {
      StartListening();
    } else {
      open_gate_ = true;
    }
  }
  if (ex.failure) {
    if (is_request) FailRequest(ex, ex.failure->message, 0);
    return;
  }
  if (ex.status == 0) {
    // No HTTP answer at all (refused, unresolvable, timed out): the server is gone, which
    // ends every request waiting on it, not only this one.
    ReportClosed(MakeError("transport", fmt::format("cannot reach MCP server at {}: {}", options_.url, CurlError(code))));
    return;
  }
  if (ex.status == 404 && ex.sent_session) {
    {
      std::lock_guard lock(mutex_);
      session_id_.clear();
    }
    std::string message = fmt::format(
        "the MCP session with {} expired (HTTP 404 Not Found); the server must be initialized again", options_.url);
    ReportClosed(MakeError("transport", message));
    return;
  }
  if (ex.status < 200 || ex.status >= 300) {
    std::string says = ServerSays(ex.error_body);
    std::string message;
    if (ex.status == 401 || ex.status == 403) {
      message = fmt::format("MCP server at {} refused the request: HTTP {}{}{}; if it needs a token, set it in "
                            "the server's `headers` configuration", options_.url, ex.status,
                            says.empty() ? "" : ": ", says);
    } else {
      message = fmt::format("MCP server at {} answered {} with HTTP {}{}{}", options_.url,
                            is_request ? RequestLabel(ex) : fmt::format("`{}`", ex.method.empty() ? "response" : ex.method),
                            ex.status, says.empty() ? "" : ": ", says);
    }
    if (is_request) FailRequest(ex, message, ex.status);
    return;
  }
  if (ex.is_sse) {
    if (is_request && !ex.answered) {
      Reconnect(std::move(exchange), code == CURLE_OK ? "the server ended the event stream"
                                                      : fmt::format("the event stream broke ({})", CurlError(code)));
    }
    return;
  }
  if (code != CURLE_OK) {
    if (is_request) {
      FailRequest(ex, fmt::format("the answer from {} to {} broke off: {}", options_.url, RequestLabel(ex),
                                  CurlError(code)), ex.status);
    }
    return;
  }
  // 202 Accepted (or an empty 200). A body sent back for a notification or response has
  // nothing in it the client is waiting for (the spec wants 202 with no body), so it is dropped.
  if (ex.json_body.empty() || !is_request) return;
  std::string_view body = Trim(ex.json_body);
  if (!body.empty() && body.front() == '[') {
    // A JSON-RPC batch (protocol 2025-03-26): deliver its messages one by one.
    auto batch = ParseJson(body);
    if (batch.ok() && batch->is_list()) {
      for (const Value& item : batch->as_list()) Deliver(ex, ToJson(item));
      return;
    }
  }
  if (!PeekJsonRpc(body)) {
    if (is_request) {
      FailRequest(ex, fmt::format("MCP server at {} answered {} with a body that is not JSON (Content-Type `{}`): {}",
                                  options_.url, RequestLabel(ex), ex.content_type, ServerSays(ex.json_body)),
                  ex.status);
    }
    return;
  }
  Deliver(ex, std::string(body));
}

void HttpTransport::Impl::FinishStream(ExchangePtr exchange, CURLcode code) {
  Release(exchange.get());
  Exchange& ex = *exchange;
  if (ex.kind == Kind::kListen) {
    open_gate_ = true;
    if (ex.status == 405 || (ex.status >= 400 && ex.status < 500)) {
      listening_ = false;  // the server offers no GET stream (405) or refuses one: fine
      return;
    }
  }
  if (ex.failure) {
    if (ex.kind == Kind::kResume) FailRequest(ex, ex.failure->message, 0);
    return;
  }
  if (ex.kind == Kind::kResume && ex.answered) return;
  if (code == CURLE_OK && (ex.status < 200 || ex.status >= 300)) {
    if (ex.kind == Kind::kResume) {
      FailRequest(ex, fmt::format("the event stream for {} from {} broke and the server refused to resume it "
                                  "(HTTP {}{}{})", RequestLabel(ex), options_.url, ex.status,
                                  ex.error_body.empty() ? "" : ": ", ServerSays(ex.error_body)),
                  ex.status);
    }
    return;
  }
  Reconnect(std::move(exchange), code == CURLE_OK ? "the server ended the event stream"
                                                  : fmt::format("the event stream broke ({})", CurlError(code)));
}

void HttpTransport::Impl::Reconnect(ExchangePtr exchange, const std::string& why) {
  Exchange& old = *exchange;
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
  }
  bool resuming_request = old.kind != Kind::kListen;
  if (resuming_request && !old.has_last_event_id) {
    FailRequest(old, fmt::format("{} before the response to {} arrived, and sent no event id to resume from ({})",
                                 why, RequestLabel(old), options_.url), 0);
    return;
  }
  int attempts = old.progressed ? 1 : old.attempts + 1;
  if (attempts > options_.max_reconnect_attempts) {
    if (resuming_request) {
      FailRequest(old, fmt::format("{} before the response to {} arrived; gave up after {} reconnection attempts to {}",
                                   why, RequestLabel(old), options_.max_reconnect_attempts, options_.url), 0);
    } else {
      listening_ = false;
    }
    return;
  }
  std::chrono::milliseconds delay = options_.default_retry;
  if (old.retry_ms) {
    delay = std::chrono::milliseconds(*old.retry_ms);
  } else if (!resuming_request) {
    delay = std::min<std::chrono::milliseconds>(options_.default_retry * (1 << std::min(attempts - 1, 5)),
                                                 kMaxListenBackoff);
  }
  auto next = std::make_unique<Exchange>(options_.max_message_bytes);
  next->impl = this;
  next->kind = resuming_request ? Kind::kResume : Kind::kListen;
  next->method = old.method;
  next->request_id = old.request_id;
  next->attempts = attempts;
  next->last_event_id = old.last_event_id;
  next->has_last_event_id = old.has_last_event_id;
  next->retry_ms = old.retry_ms;
  delayed_.push_back(Delayed{Clock::now() + delay, std::move(next)});
}

void HttpTransport::Impl::StartListening() {
  if (!options_.listen_stream || listening_) {
    open_gate_ = true;
    return;
  }
  listening_ = true;
  auto exchange = std::make_unique<Exchange>(options_.max_message_bytes);
  exchange->impl = this;
  exchange->kind = Kind::kListen;
  StartExchange(std::move(exchange));
}

void HttpTransport::Impl::FailRequest(const Exchange& exchange, const std::string& message, long http_status) {
  if (exchange.request_id.empty() || exchange.answered || !deliver_) return;
  on_message_(MakeTransportErrorResponse(exchange.request_id, message, http_status));
}

void HttpTransport::Impl::ReportClosed(const Error& reason) {
  if (closed_reported_.exchange(true) || !deliver_) return;
  if (on_closed_) on_closed_(reason);
}

// ---- HttpTransport ----------------------------------------------------------------------

HttpTransport::HttpTransport(HttpTransportOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpTransport::~HttpTransport() = default;
ErrorOr<void> HttpTransport::Start(MessageHandler on_message, ClosedHandler on_closed) {
  return impl_->Start(std::move(on_message), std::move(on_closed));
}
ErrorOr<void> HttpTransport::Send(const std::string& message) { return impl_->Send(message); }
void HttpTransport::SetProtocolVersion(const std::string& version) { impl_->SetProtocolVersion(version); }
void HttpTransport::Close() { impl_->Close(); }
std::string HttpTransport::Describe() const { return impl_->Describe(); }
std::string HttpTransport::session_id() const { return impl_->session_id(); }

}  // namespace orch::mcp
