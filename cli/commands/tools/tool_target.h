// OpenToolTarget: the first steps `tools show` and `tools call` share: build the server
// pool from the configuration (or the ad-hoc server), parse `SERVER/TOOL`, start the server,
// find the tool's definition.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/server_setup.h"
#include "runtime/mcp/server_pool.h"
#include "runtime/mcp/tool_ref.h"

namespace orch::cli::tools {

/// A started server and the tool named on the command line. The pool owns the server's
/// process, so it lives as long as the target.
struct ToolTarget {
  std::unique_ptr<mcp::ServerPool> pool;
  mcp::ToolRef ref;
  std::shared_ptr<mcp::ToolServer> server;
};

/// Opens the server of `tool` (written `server/tool`, `server.tool`, or a bare tool when
/// only one server is in play). On failure prints why and sets `*exit_code`.
std::optional<ToolTarget> OpenToolTarget(const CommandContext& context, const CLI::App& root,
                                         const ServerOptions& servers, const std::string& tool, int* exit_code);

/// The definition of the target's tool from the server's `tools/list`. When the server
/// fails, or has no such tool (the error then names a similar tool, or how to list them),
/// prints why and sets `*exit_code`.
std::optional<mcp::ToolInfo> LookUpTool(ToolTarget& target, int* exit_code);

}  // namespace orch::cli::tools
