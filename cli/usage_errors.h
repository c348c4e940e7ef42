// Usage errors that CLI11 words poorly, reworded in the project's diagnostic style.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace orch::cli {

/// After a failed parse of `app`: when the first leftover argument given to a command that
/// takes subcommands names none of them (`orchestrator bogus`, `orchestrator mock bogus`),
/// the full error text (`error: unknown subcommand ...` with a did-you-mean and a pointer
/// to that command's `--help`); otherwise nullopt.
std::optional<std::string> DescribeUnknownSubcommand(const CLI::App& app);

}  // namespace orch::cli
