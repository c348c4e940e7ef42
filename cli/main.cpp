// The `orchestrator` entry point: global options, the subcommand table, exit codes.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/command.h"
#include "cli/usage_errors.h"
#include "orch_version.h"
#include "runtime/jit/jit.h"

namespace orch::cli {
#define ORCH_COMMAND(Register) void Register(CLI::App& app, CommandContext& context);
#include "cli/commands/commands.def"

bool UseColor(const GlobalOptions& global, int fd) {
  if (global.color == "always") return true;
  if (global.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fd) != 0;
}
}  // namespace orch::cli

int main(int argc, char** argv) {
  using namespace orch::cli;
  CLI::App app{"orchestrator: compile, run, test and serve typed workflows over MCP tools"};
  app.name("orchestrator");
  // A callback, so only `--version` loads the JIT module to describe it.
  app.set_version_flag("--version", [] {
    std::string jit = "not built (configure with LLVM 14 to enable --jit)";
    if (orch::jit::BuiltWithJit()) {
      auto backend = orch::jit::BackendDescription();
      jit = backend ? *backend : "unavailable: " + backend.error().message;
    }
    return std::string("orchestrator ") + ORCH_VERSION + " (commit " + ORCH_GIT_COMMIT + ")\njit: " + jit;
  });
  app.require_subcommand(1);
  app.fallthrough();

  CommandContext context;
  app.add_option("--config", context.global.config_file, "Server configuration file (orchestrator.yaml or .mcp.json)");
  app.add_option("--timeout", context.global.timeout, "Timeout for any single server request (e.g. 30s, 2m)")
      ->capture_default_str();
  app.add_option("--color", context.global.color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();

#define ORCH_COMMAND(Register) Register(app, context);
#include "cli/commands/commands.def"

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      if (auto message = DescribeUnknownSubcommand(app)) {
        std::cerr << *message;
        return kExitUsage;
      }
    }
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return context.exit_code;
}
