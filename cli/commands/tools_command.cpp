// `orchestrator tools`: inspect servers, call one tool from the shell, write the lock file.
#include "cli/command.h"
#include "cli/commands/tools/tools.h"

namespace orch::cli {

void RegisterToolsCommand(CLI::App& app, CommandContext& context) {
  auto* tools = app.add_subcommand("tools", "List, inspect and call the tools of MCP servers; write orchestrator.lock");
  tools->require_subcommand(1);
  tools::RegisterList(*tools, app, context);
  tools::RegisterShow(*tools, app, context);
  tools::RegisterCall(*tools, app, context);
  tools::RegisterLock(*tools, app, context);
}

}  // namespace orch::cli
