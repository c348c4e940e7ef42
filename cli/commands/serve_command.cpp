// `orchestrator serve FILE [--http ADDR] [--watch]`: an MCP server whose tools are the
// file's workflows (runtime/serve/), on stdin/stdout or over Streamable HTTP. With
// `--watch`, the file and its imports are reloaded when they change: a version that
// checks replaces the served one (clients get `notifications/tools/list_changed` when the
// tool list differs); one that does not keeps the old version serving and its diagnostics
// go to standard error. Exit 2 when the file does not check at start or the address is
// bad, 3 when the address cannot be bound.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "cli/commands/serve/program_loader.h"
#include "cli/server_setup.h"
#include "orch_version.h"
#include "runtime/mcp/server/http_server.h"
#include "runtime/mcp/server/session.h"
#include "runtime/mcp/server/stdio_server.h"
#include "runtime/serve/workflow_provider.h"
#include "runtime/watch/file_watcher.h"

namespace orch::cli {
namespace {

std::string ToolNames(const serve::ServedProgram& program) {
  std::vector<std::string> names;
  for (const auto& tool : program.tools) names.push_back(tool.descriptor.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

/// Reloads the served file whenever it (or an import) changes, until stopped.
class Reloader {
 public:
  /// `watcher` took its baseline before the first load; `files` are what that load read.
  Reloader(const ServeArgs& args, const CommandContext& context, const CLI::App& root,
           serve::WorkflowProvider& provider, watch::FileWatcher watcher, std::vector<std::string> files)
      : args_(args), context_(context), root_(root), provider_(provider), watcher_(std::move(watcher)) {
    watcher_.Update(std::move(files));
    thread_ = std::thread([this] { Loop(); });
  }
  ~Reloader() {
    stop_ = true;
    thread_.join();
  }

 private:
  void Loop() {
    while (watcher_.WaitForChange([this] { return stop_.load(); })) {
      std::cerr << fmt::format("{} changed; reloading\n", args_.file) << std::flush;
      LoadedProgram loaded = LoadServedProgram(args_, context_, root_);
      watcher_.Update(loaded.files);
      if (!loaded.program) {
        std::cerr << fmt::format("{} does not load; still serving the previous version\n",
                                 args_.file)
                  << std::flush;
        continue;
      }
      bool changed = provider_.Replace(loaded.program);
      std::cerr << fmt::format("reloaded {}: {} ({})\n", args_.file, ToolNames(*loaded.program),
                               changed ? "tool list changed" : "same tools")
                << std::flush;
    }
  }

  const ServeArgs& args_;
  const CommandContext& context_;
  const CLI::App& root_;
  serve::WorkflowProvider& provider_;
  watch::FileWatcher watcher_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

int RunServe(const ServeArgs& args, const CommandContext& context, const CLI::App& root) {
  if (!args.http.empty()) {
    // A bad address is a usage error before anything is compiled or started.
    if (auto address = mcp::server::ParseListenAddress(args.http); !address) {
      PrintError(address.error().message);
      return kExitUsage;
    }
  }
  // Baseline before the first load, so an edit made while it compiles is not missed.
  watch::FileWatcher baseline({args.file});
  LoadedProgram loaded = LoadServedProgram(args, context, root);
  if (!loaded.program) return loaded.exit_code;
  std::cerr << fmt::format("serving {} from {}\n", ToolNames(*loaded.program), args.file)
            << std::flush;

  serve::WorkflowProvider provider(loaded.program);
  loaded.program.reset();
  std::unique_ptr<Reloader> reloader;
  if (args.watch)
    reloader = std::make_unique<Reloader>(args, context, root, provider, std::move(baseline), loaded.files);

  mcp::server::ServerInfo info;
  info.name = "orchestrator-serve";
  info.version = ORCH_VERSION;
  info.instructions = fmt::format(
      "Tools are the workflows of {}; each runs a typed workflow of MCP tool calls.", args.file);
  int code = kExitOk;
  if (!args.http.empty()) {
    auto served = mcp::server::ServeHttp(info, provider, args.http, [](const std::string& url) {
      std::cerr << fmt::format("listening on {}\n", url) << std::flush;
    });
    if (!served) {
      PrintError(served.error().message);
      code = served.error().kind == "usage" ? kExitUsage : kExitServer;
    }
  } else {
    mcp::server::Session session(info, provider);
    auto served = mcp::server::ServeStdio(session, STDIN_FILENO, STDOUT_FILENO);
    if (!served) {
      PrintError(served.error().message);
      code = kExitServer;
    }
  }
  reloader.reset();
  return code;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the workflows of a file as MCP tools (stdio, or Streamable HTTP)");
  auto args = std::make_shared<ServeArgs>();
  cmd->add_option("FILE", args->file, "The .orch file whose workflows become tools")->required();
  cmd->add_option("--http", args->http,
                  "Serve Streamable HTTP at HOST:PORT (path /mcp) instead of stdio; port 0 picks a "
                  "free port, "
                  "printed on standard error")
      ->type_name("ADDR");
  cmd->add_flag(
      "--watch", args->watch,
      "Reload when the file or a file it imports changes; a version that does not check keeps the "
      "previous one serving");
  cmd->add_flag("--sequential", args->sequential,
                "Run every step of a workflow in program order, one at a time");
  cmd->add_option("--allow-env", args->allow_env,
                  "Let `std.env` read this environment variable (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_flag("--jit", args->jit,
                "Compile the workflows to machine code with LLVM (as `run --jit`), at start and at every reload");
  cmd->add_flag("--no-cache", args->no_cache,
                "Keep `with { cache: … }` results in memory only, not in .orchestrator/");
  cmd->add_option("--answers", args->answers_file,
                  "Answers for servers' elicitation requests (JSON or YAML file); without it they "
                  "get defaults")
      ->type_name("FILE");
  cmd->callback([args, &context, &app] { context.exit_code = RunServe(*args, context, app); });
}

}  // namespace orch::cli
