// Building the ServerPool a command talks to: the configuration (`--config` or the search
// path), timeouts (`--timeout` overrides every configured timeout), the elicitation policy
// (`--answers`, a terminal prompt, or schema defaults), per-server logs under
// `.orchestrator/logs/`, and an optional ad-hoc server given on the command line
// (`--stdio "CMD ARGS…"` or `--url URL`), and the built-in `std` server. Shared by every
// command that calls servers.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/command.h"
#include "runtime/mcp/server_pool.h"

namespace orch::cli {

/// Command-line options about servers, added to a subcommand by AddServerOptions.
struct ServerOptions {
  std::string stdio_command;  ///< --stdio "CMD ARGS…"
  std::string url;            ///< --url URL
  std::string name;           ///< --name NAME for the ad-hoc server
  std::string answers_file;   ///< --answers FILE
};

/// Adds --stdio, --url, --name and --answers to `command`.
void AddServerOptions(CLI::App& command, ServerOptions& options);

/// The name of the ad-hoc server, or empty when the options give none.
std::string AdHocServerName(const ServerOptions& options);

/// Loads the configuration and builds the pool. `root` is the top-level app (to see
/// whether `--timeout` was given). Errors have kind "config" (exit 2) or "usage".
ErrorOr<std::unique_ptr<mcp::ServerPool>> MakeServerPool(const CommandContext& context, const CLI::App& root,
                                                        const ServerOptions& options);

/// Splits a command line the way a POSIX shell splits words (quotes and backslashes; no
/// expansion). An unterminated quote is an error of kind "usage".
ErrorOr<std::vector<std::string>> SplitCommandLine(std::string_view text);

/// Prints `error: MESSAGE` to stderr (message lines after the first are kept as written).
void PrintError(const std::string& message);

/// Exit code for a failed server operation: 2 for config/usage errors, else 3.
int ExitCodeFor(const Error& error);

}  // namespace orch::cli
