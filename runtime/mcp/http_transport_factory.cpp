// Configuration → HttpTransportOptions.
#include "runtime/mcp/http_transport_factory.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/mcp/http_transport.h"

namespace orch::mcp {

ErrorOr<std::unique_ptr<Transport>> MakeHttpTransport(const config::ServerConfig& server, const ClientOptions& options) {
  if (server.url.empty()) {
    return MakeError("config", fmt::format("server `{}` uses HTTP but has no `url`", server.name));
  }
  HttpTransportOptions http;
  http.url = server.url;
  http.headers = server.headers;
  // Establishing a TCP (and TLS) connection never legitimately takes as long as a slow tool.
  http.connect_timeout = std::min<std::chrono::milliseconds>(options.connect_timeout, std::chrono::seconds(30));
  http.send_timeout = server.timeout.value_or(options.default_timeout);
  http.max_message_bytes = options.max_message_bytes;
  return std::unique_ptr<Transport>(std::make_unique<HttpTransport>(std::move(http)));
}

}  // namespace orch::mcp
