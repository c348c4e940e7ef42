// MakeTransport: stdio servers become StdioTransport; HTTP servers the Streamable HTTP
// transport. The HTTP branch is the http transport's single hook into this file.
#include "runtime/mcp/transport_factory.h"

#include <fmt/format.h>

#include "runtime/mcp/http_transport_factory.h"
#include "runtime/mcp/stdio_transport.h"

namespace orch::mcp {

ErrorOr<std::unique_ptr<Transport>> MakeTransport(const config::ServerConfig& server, const ClientOptions& options) {
  switch (server.transport) {
    case config::TransportKind::kStdio:
      if (server.command.empty()) {
        return MakeError("config", fmt::format("server `{}` has no `command` to start", server.name));
      }
      return std::unique_ptr<Transport>(std::make_unique<StdioTransport>(server, options));
    case config::TransportKind::kHttp:
      return MakeHttpTransport(server, options);
  }
  return MakeError("config", fmt::format("server `{}` has an unknown transport", server.name));
}

}  // namespace orch::mcp
