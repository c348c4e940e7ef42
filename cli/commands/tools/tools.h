// The `orchestrator tools` subcommands, one file each; registered by tools_command.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace orch::cli::tools {

void RegisterList(CLI::App& tools, const CLI::App& root, CommandContext& context);
void RegisterShow(CLI::App& tools, const CLI::App& root, CommandContext& context);
void RegisterCall(CLI::App& tools, const CLI::App& root, CommandContext& context);
void RegisterLock(CLI::App& tools, const CLI::App& root, CommandContext& context);

}  // namespace orch::cli::tools
