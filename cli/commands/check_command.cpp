// `orchestrator check FILE…`: compile the files (a folder: every .orch file under it)
// without running anything and report diagnostics. `--json` prints them as one JSON array on stdout; `--emit ast` prints the
// AST dump of each file, `--emit ir` the IR, `--emit llvm` the optimised LLVM IR the JIT
// compiles (runtime/jit). Exit 0 when clean, 2 when any error was reported.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/compile_setup.h"
#include "cli/source_paths.h"
#include "compiler/ast/dump.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/build.h"
#include "compiler/ir/dump.h"
#include "runtime/jit/jit.h"

namespace orch::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  bool json = false;
  std::string emit;
};

int RunCheck(const CheckOptions& options, const GlobalOptions& global) {
  using namespace orch::compiler;
  CompileOptions compile;
  // `use NAME` is checked against the configured servers; `--emit ast` only parses.
  if (options.emit != "ast") {
    auto configured = CompileOptionsFromConfig(global);
    if (!configured) {
      std::cerr << fmt::format("error: {}\n", configured.error().message);
      return kExitUsage;
    }
    compile = std::move(*configured);
  } else {
    compile.stop_after = Phase::kParse;
  }
  auto files = SourceFilesOrReport(options.files);
  if (!files) return kExitUsage;
  Compilation c = Compile(*files, compile);

  if (options.emit == "ast") {
    for (const auto& f : c.files) {
      if (!f.ast) continue;
      if (c.files.size() > 1) std::cout << "# " << f.path << "\n";
      std::cout << ast::Dump(*f.ast, c.sources);
    }
  }
  if ((options.emit == "ir" || options.emit == "llvm") && c.ok()) {
    if (auto module = ir::BuildModule(compiler::ProgramFiles(c), c.diagnostics)) {
      if (options.emit == "ir") {
        std::cout << ir::DumpModule(*module, &c.sources);
      } else if (auto text = jit::EmitLlvmIr(*module)) {
        std::cout << *text;
      } else {
        std::cerr << fmt::format("error: {}\n", text.error().message);
        return kExitUsage;
      }
    }
  }
  std::vector<compiler::Diagnostic> diagnostics = c.diagnostics.diagnostics();
  for (auto& d : diagnostics) AddConfigNearFileHint(d, c.sources, global);
  if (options.json) {
    std::cout << RenderJsonArray(diagnostics, c.sources) << "\n";
  } else {
    RenderOptions render;
    render.color = UseColor(global, STDERR_FILENO);
    for (const auto& d : diagnostics) std::cerr << RenderHuman(d, c.sources, render);
  }
  std::string summary = Summary(diagnostics);
  if (!summary.empty()) std::cerr << summary << "\n";
  return c.ok() ? kExitOk : kExitUsage;
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Parse and check .orch files without running them");
  cmd->add_option("FILE", options->files, "Source files or folders to check (`-` reads standard input)")->required();
  cmd->add_flag("--json", options->json, "Print diagnostics as one JSON array on standard output");
  cmd->add_option("--emit", options->emit, "Also print an intermediate form: `ast` (the syntax tree), `ir` (the compiled workflows) or `llvm` (the LLVM IR of `run --jit`)")
      ->check(CLI::IsMember({"ast", "ir", "llvm"}));
  cmd->callback([&context, options] { context.exit_code = RunCheck(*options, context.global); });
}

}  // namespace orch::cli
