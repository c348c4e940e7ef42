// Opening the server of one tool for `tools show` and `tools call`; see tool_target.h.
#include "cli/commands/tools/tool_target.h"

#include <fmt/format.h>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::cli::tools {

std::optional<ToolTarget> OpenToolTarget(const CommandContext& context, const CLI::App& root,
                                         const ServerOptions& servers, const std::string& tool, int* exit_code) {
  auto pool = MakeServerPool(context, root, servers);
  if (!pool) {
    PrintError(pool.error().message);
    *exit_code = ExitCodeFor(pool.error());
    return std::nullopt;
  }
  std::string adhoc = AdHocServerName(servers);
  auto ref = mcp::ParseToolRef(tool, adhoc.empty() ? (*pool)->Names() : std::vector<std::string>{adhoc});
  if (!ref) {
    PrintError(ref.error().message);
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  auto server = (*pool)->Get(ref->server);
  if (!server) {
    PrintError(server.error().message);
    *exit_code = ExitCodeFor(server.error());
    return std::nullopt;
  }
  return ToolTarget{std::move(*pool), std::move(*ref), std::move(*server)};
}

std::optional<mcp::ToolInfo> LookUpTool(ToolTarget& target, int* exit_code) {
  auto tools = target.server->ListTools();
  if (!tools) {
    PrintError(tools.error().message);
    *exit_code = kExitServer;
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& tool : *tools) {
    if (tool.name == target.ref.tool) return tool;
    names.push_back(tool.name);
  }
  std::string message = fmt::format("server `{}` has no tool `{}`", target.ref.server, target.ref.tool);
  if (auto similar = compiler::SuggestSimilar(target.ref.tool, names)) {
    message += fmt::format("\n  = help: did you mean `{}`?", *similar);
  } else {
    message += fmt::format("\n  = help: `orchestrator tools list --server {}` shows its tools", target.ref.server);
  }
  PrintError(message);
  *exit_code = kExitUsage;
  return std::nullopt;
}

}  // namespace orch::cli::tools
