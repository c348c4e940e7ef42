// `orchestrator profile FILE [WORKFLOW] [--runs N] [--trace-out FILE] …`: runs a workflow
// like `run` (same options) with every call recorded, and prints where the time went
// instead of the result (cli/commands/run/profile_report.h).
#include <memory>

#include "cli/command.h"
#include "cli/number_option.h"
#include "cli/commands/run/runner.h"

namespace orch::cli {

void RegisterProfileCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("profile", "Run a workflow and report per-step timings, concurrency and the critical path");
  auto args = std::make_shared<RunArgs>();
  args->profile = true;
  AddRunOptions(*cmd, *args);
  cmd->add_option("--runs", args->runs, "Run it N times and report the median and spread")
      ->type_name("N")
      ->check(WholeNumberBetween(1, 1000))
      ->capture_default_str();
  cmd->callback([args, &context, &app] { context.exit_code = RunWorkflow(*args, context, app); });
}

}  // namespace orch::cli
