// The built-in `std` tool server: in-process, no child process, and indistinguishable
// from any MCP server to a workflow (same tools/list shapes, same CallToolResult shapes).
// Its tools are listed in std_tools.def. File tools stay inside the working directory
// (no escape through `..`, absolute paths or symbolic links); `env` reads only variables
// allowed explicitly; `http_get` limits size and time.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "runtime/mcp/tool_server.h"

namespace orch::stdlib {

struct StdServerOptions {
  /// The folder file tools are confined to (default: the working directory).
  std::filesystem::path root;
  /// Environment variables `std.env` may read.
  std::set<std::string, std::less<>> allowed_env;
  /// Largest file `read_file` reads and largest body `http_get` accepts.
  size_t max_file_bytes = 256u << 20;
  size_t max_http_bytes = 10u << 20;
  /// `http_get` timeout when the call sets none.
  std::chrono::milliseconds http_timeout{30'000};
};

/// Creates the `std` server. Names in ORCHESTRATOR_ALLOW_ENV (comma-separated) are added
/// to `options.allowed_env`.
std::shared_ptr<mcp::ToolServer> MakeStdServer(StdServerOptions options);

}  // namespace orch::stdlib
