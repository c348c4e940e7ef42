// `orchestrator run FILE [WORKFLOW] [--arg k=v…] [--args-json JSON|-] [--json] [--dry-run]
// [--sequential] [--watch] …`: compile a file and execute one workflow. The options are parsed here;
// the work is cli/commands/run/runner.h (shared with `profile`).
#include <memory>

#include "cli/command.h"
#include "cli/commands/run/runner.h"

namespace orch::cli {

void RegisterRunCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("run", "Compile and run a workflow; prints its result");
  auto args = std::make_shared<RunArgs>();
  AddRunOptions(*cmd, *args);
  cmd->add_flag("--json", args->json, "Print the result as JSON (and diagnostics as JSON lines on stderr)");
  cmd->add_flag("--watch", args->watch,
                "Run again whenever the file or a file it imports changes, until Ctrl-C");
  cmd->add_flag("--dry-run", args->dry_run,
                "Print the execution plan (every call, the calls it needs, and whether it keeps program order) without running anything");
  cmd->callback([args, &context, &app] { context.exit_code = RunWorkflow(*args, context, app); });
}

}  // namespace orch::cli
