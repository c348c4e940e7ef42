// Serving a Session over stdio: newline-delimited JSON-RPC on an input and output file
// descriptor (stdin/stdout for `mock serve`). Messages are written whole, one per line,
// under a lock, so concurrent tool calls never interleave their output.
#pragma once

#include "runtime/mcp/server/session.h"
#include "runtime/value/error_or.h"

namespace orch::mcp::server {

/// Reads messages from `in_fd` until end of input, answering on `out_fd`. At end of input
/// calls still running are waited for (their answers still go out). An error only when reading fails.
ErrorOr<void> ServeStdio(Session& session, int in_fd, int out_fd);

}  // namespace orch::mcp::server
