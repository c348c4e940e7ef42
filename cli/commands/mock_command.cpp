// `orchestrator mock serve FIXTURE.yaml [--http ADDR]`: a pretend MCP server whose tools,
// schemas and answers come from a YAML fixture (runtime/mock/fixture.h), served on
// stdin/stdout or over Streamable HTTP. Exit 2 for a bad fixture or address.
#include <unistd.h>

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/commands/run/runner.h"
#include "cli/server_setup.h"
#include "runtime/mcp/server/http_server.h"
#include "runtime/mcp/server/session.h"
#include "runtime/mcp/server/stdio_server.h"
#include "runtime/mock/fixture.h"
#include "runtime/mock/mock_provider.h"
#include "orch_version.h"

namespace orch::cli {
namespace {

struct ServeOptions {
  std::string fixture;
  std::string http;
};

int RunServe(const ServeOptions& options) {
  auto fixture = mock::LoadFixture(options.fixture);
  if (!fixture) {
    PrintError(fixture.error().message);
    return kExitUsage;
  }
  mcp::server::ServerInfo info = fixture->server;
  if (info.version.empty()) info.version = ORCH_VERSION;
  mock::MockProvider provider(std::move(*fixture));
  if (!options.http.empty()) {
    auto served = mcp::server::ServeHttp(info, provider, options.http, [](const std::string& url) {
      std::cerr << fmt::format("listening on {}\n", url) << std::flush;
    });
    if (!served) {
      PrintError(served.error().message);
      return served.error().kind == "usage" ? kExitUsage : kExitServer;
    }
    return kExitOk;
  }
  mcp::server::Session session(info, provider);
  auto served = mcp::server::ServeStdio(session, STDIN_FILENO, STDOUT_FILENO);
  if (!served) {
    PrintError(served.error().message);
    return kExitServer;
  }
  return kExitOk;
}

}  // namespace

void RegisterMockCommand(CLI::App& app, CommandContext& context) {
  auto* mock = app.add_subcommand("mock", "Serve canned tool answers from a YAML fixture as an MCP server");
  mock->require_subcommand(1);
  auto* serve = mock->add_subcommand("serve", "Serve the tools of FIXTURE over stdio (or Streamable HTTP with --http)");
  auto options = std::make_shared<ServeOptions>();
  serve->add_option("FIXTURE", options->fixture, "The YAML fixture: tools, schemas and responses")
      ->required()
      ->type_name("FILE");
  serve->add_option("--http", options->http,
                    "Serve Streamable HTTP at HOST:PORT (path /mcp) instead of stdio; port 0 picks a free port, "
                    "printed on standard error")
      ->type_name("ADDR");
  serve->callback([&context, options] { context.exit_code = RunServe(*options); });

  auto* record = mock->add_subcommand(
      "record", "Run a workflow against a real server and write every call and answer to a fixture");
  auto run_args = std::make_shared<RunArgs>();
  record->add_option("--server", run_args->record_server, "The configured server to record")
      ->required()
      ->type_name("NAME");
  record->add_option("-o,--output", run_args->record_out, "The fixture to write (YAML)")->required()->type_name("FIXTURE");
  AddRunOptions(*record, *run_args);
  record->callback([&context, &app, run_args] { context.exit_code = RunWorkflow(*run_args, context, app); });
}

}  // namespace orch::cli
