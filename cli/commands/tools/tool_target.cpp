// Opening the server of one tool for `tools show` and `tools call`; see tool_target.h.
#include "cli/commands/tools/tool_target.h"

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

}  // namespace orch::cli::tools
