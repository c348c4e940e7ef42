// What every subcommand shares: global options, exit codes, and the registration signature.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace orch::cli {

/// Stable exit codes (DESIGN.md §6), documented in orchestrator(1).
enum ExitCode : int {
  kExitOk = 0,
  kExitWorkflowFailed = 1,
  kExitUsage = 2,
  kExitServer = 3,
  kExitTestFailed = 4,
  kExitInterrupted = 130,
};

/// Options accepted before any subcommand.
struct GlobalOptions {
  std::string config_file;         // --config FILE
  std::string timeout = "60s";     // --timeout DURATION, for any single request
  std::string color = "auto";      // --color auto|always|never
};

/// Handed to every command at registration; the command's callback sets `exit_code`.
struct CommandContext {
  GlobalOptions global;
  int exit_code = kExitOk;
};

/// True when diagnostics written to stderr should be coloured (TTY, no NO_COLOR, --color).
bool UseColor(const GlobalOptions& global, int fd);

}  // namespace orch::cli
