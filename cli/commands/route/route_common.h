// What the `route` subcommands share: the options that pick the catalog, strategy and
// state, opening a Router from them, and printing errors and notes the same way.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/server_setup.h"
#include "runtime/route/router.h"

namespace orch::cli::route {

/// Options every `route` subcommand accepts.
struct RouteOptions {
  std::string tools_file;                  // --tools CATALOG.json
  std::vector<std::string> pattern_files;  // --patterns FILE.yaml
  std::string strategy = "full";           // --strategy NAME
  bool no_feedback = false;                // --no-feedback
  bool no_state = false;                   // --no-state: no cache, no route.db
  std::string weights_file;                // --weights FILE.json
  bool live = false;                       // --live: ask the servers, ignore orchestrator.lock
  ServerOptions servers;                   // --stdio/--url/--name/--answers
};

/// Adds the shared options to `cmd`, bound to `options`.
void AddRouteOptions(CLI::App* cmd, RouteOptions& options);

/// Loads the catalog: `--tools FILE`; else the live servers with `--live` or an ad-hoc
/// `--stdio`/`--url` server; else `orchestrator.lock` of the project; else the configured
/// servers, live. `root` is the top-level app (for the server options).
ErrorOr<orch::route::Catalog> LoadRouteCatalog(const RouteOptions& options, const CommandContext& context,
                                               const CLI::App& root);

/// Opens the router for `options`; prints notes to stderr.
ErrorOr<std::unique_ptr<orch::route::Router>> OpenRouter(const RouteOptions& options, const GlobalOptions& global,
                                                         const orch::route::Catalog& catalog);

/// Prints `error: …` (and a help line when given) to stderr; returns the exit code to use.
int ReportError(const Error& error, const GlobalOptions& global, std::string_view help = {});

/// The exit code for an error kind: usage problems → 2, everything else → 1 or 3.
int RouteExitCode(const Error& error);

/// Registration of each route subcommand (defined in its own file).
void RegisterRouteQuery(CLI::App* route, CommandContext& context);
void RegisterRouteFeedback(CLI::App* route, CommandContext& context);
void RegisterRouteEval(CLI::App* route, CommandContext& context);
void RegisterRouteTune(CLI::App* route, CommandContext& context);

}  // namespace orch::cli::route
