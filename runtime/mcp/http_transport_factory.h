// MakeHttpTransport: turns a configured `transport: http` server into an HttpTransport,
// mapping the configuration (url, headers, timeout) and the client's limits onto the
// transport's options. Called from MakeTransport (transport_factory.cpp).
#pragma once

#include <memory>

#include "runtime/config/config.h"
#include "runtime/mcp/client_options.h"
#include "runtime/mcp/transport.h"

namespace orch::mcp {

/// The Streamable HTTP transport for `server` (not started yet), or a config error when
/// the server has no url.
ErrorOr<std::unique_ptr<Transport>> MakeHttpTransport(const config::ServerConfig& server, const ClientOptions& options);

}  // namespace orch::mcp
