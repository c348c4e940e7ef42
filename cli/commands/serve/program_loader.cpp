// LoadServedProgram: compile → IR → tool descriptions → WorkflowRun; see program_loader.h.
#include "cli/commands/serve/program_loader.h"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands/run/profile_report.h"
#include "cli/compile_setup.h"
#include "cli/jit_setup.h"
#include "compiler/ir/build.h"
#include "stdlib/runner/workflow_run.h"

namespace orch::cli {
namespace {

/// Everything one version of the served program keeps alive. Members are destroyed in
/// reverse order: the run (and its servers) before the IR and the compilation it uses.
struct ProgramState {
  compiler::Compilation compilation;
  std::optional<ir::Module> module;
  std::unique_ptr<jit::CompiledProgram> compiled;
  std::unique_ptr<stdlib::WorkflowRun> run;
};

}  // namespace

LoadedProgram LoadServedProgram(const ServeArgs& args, const CommandContext& context,
                                const CLI::App& root) {
  LoadedProgram loaded;
  auto compile_options = CompileOptionsFromConfig(context.global);
  if (!compile_options) {
    PrintError(compile_options.error().message);
    loaded.exit_code = kExitUsage;
    loaded.files = {args.file};
    return loaded;
  }
  auto state = std::make_shared<ProgramState>();
  state->compilation = compiler::Compile({args.file}, *compile_options);
  for (const auto& file : state->compilation.files) {
    loaded.files.push_back(file.path);
    for (const auto& imported : file.imports) loaded.files.push_back(imported.path);
  }
  if (loaded.files.empty()) loaded.files.push_back(args.file);
  PrintDiagnostics(state->compilation.diagnostics.diagnostics(), state->compilation.sources,
                   context.global);
  if (!state->compilation.ok()) {
    loaded.exit_code = kExitUsage;
    return loaded;
  }

  // The main file first, then what it imports (their workflows are callable, not served).
  compiler::DiagnosticSink build_sink;
  state->module = ir::BuildModule(compiler::ProgramFiles(state->compilation), build_sink);
  if (build_sink.has_errors() || !state->module) {
    PrintDiagnostics(build_sink.diagnostics(), state->compilation.sources, context.global);
    loaded.exit_code = kExitUsage;
    return loaded;
  }

  auto program = std::make_shared<serve::ServedProgram>();
  program->tools = serve::DescribeWorkflows(state->compilation.files.front(), *state->module);
  if (program->tools.empty()) {
    PrintError(fmt::format(
        "`{}` has no workflow to serve\n"
        "  = help: add `workflow NAME(…) {{ … }}` at the top level (names starting with `_` "
        "are not served)",
        args.file));
    loaded.exit_code = kExitUsage;
    return loaded;
  }

  if (args.jit) {
    state->compiled = CompileWithJit(*state->module, false);
    if (!state->compiled) {
      loaded.exit_code = kExitUsage;
      return loaded;
    }
  }

  ServerOptions server_options;
  server_options.answers_file = args.answers_file;
  auto pool = MakeServerPool(context, root, server_options);
  if (!pool) {
    PrintError(pool.error().message);
    loaded.exit_code = ExitCodeFor(pool.error());
    return loaded;
  }
  stdlib::RunOptions options;
  options.sequential = args.sequential;
  options.disk_cache = !args.no_cache;
  if (state->compiled) options.native = &state->compiled->native();
  options.allowed_env.insert(args.allow_env.begin(), args.allow_env.end());
  auto run = stdlib::WorkflowRun::Prepare(*state->module, std::move(*pool), options, nullptr);
  if (!run) {
    PrintError(run.error().message);
    loaded.exit_code = run.error().kind == "config" ? kExitUsage : kExitServer;
    return loaded;
  }
  state->run = std::move(*run);

  stdlib::WorkflowRun* runner = state->run.get();
  program->run = [runner](uint32_t entry, std::vector<std::optional<Value>> call_args,
                          interp::Observer* observer, const mcp::CancelToken& cancel) {
    return runner->RunIsolated(entry, std::move(call_args), observer, cancel);
  };
  const compiler::SourceMap* sources = &state->compilation.sources;
  program->locate = [sources](compiler::Span span) { return LocationText(*sources, span); };
  program->owner = state;
  loaded.program = std::move(program);
  return loaded;
}

}  // namespace orch::cli
