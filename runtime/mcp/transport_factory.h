// MakeTransport: the one place that turns a ServerConfig into a Transport. stdio servers
// get a StdioTransport; HTTP servers get the Streamable HTTP transport (until it lands,
// a clear error saying HTTP is not available in this build).
#pragma once

#include <functional>
#include <memory>

#include "runtime/config/config.h"
#include "runtime/mcp/client_options.h"
#include "runtime/mcp/transport.h"

namespace orch::mcp {

/// Builds (but does not start) the transport for `server`.
ErrorOr<std::unique_ptr<Transport>> MakeTransport(const config::ServerConfig& server, const ClientOptions& options);

}  // namespace orch::mcp
