// `orchestrator route QUERY`: rank the tools for a plain-language request, and the
// `feedback`, `eval` and `tune` subcommands (cli/commands/route/). Parsing and output only.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/commands/route/route_common.h"

namespace orch::cli {

void RegisterRouteCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("route", "Rank the tools of all configured servers for a plain-language request");
  cmd->footer(
      "Exit status 1 when no tool matches confidently. See orchestrator-route(1).");
  route::RegisterRouteQuery(cmd, context);
  route::RegisterRouteFeedback(cmd, context);
  route::RegisterRouteEval(cmd, context);
  route::RegisterRouteTune(cmd, context);
}

}  // namespace orch::cli
