// `orchestrator graph FILE [WORKFLOW] [--format mermaid|dot] [-o FILE]`: compiles the file
// (like `check`) and prints its workflows as a picture: calls, their data dependencies,
// and the parallel groups, loops and branches around them (compiler/ir/graph.h).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/compile_setup.h"
#include "cli/write_file.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/build.h"
#include "compiler/ir/graph.h"

namespace orch::cli {
namespace {

struct GraphOptions {
  std::string file;
  std::string workflow;
  std::string format = "mermaid";
  std::string output;
};

int RunGraph(const GraphOptions& options, const GlobalOptions& global) {
  auto compile = CompileOptionsFromConfig(global);
  if (!compile) {
    std::cerr << fmt::format("error: {}\n", compile.error().message);
    return kExitUsage;
  }
  compiler::Compilation c = compiler::Compile({options.file}, *compile);
  if (!PrintDiagnostics(c.diagnostics.diagnostics(), c.sources, global)) return kExitUsage;
  compiler::DiagnosticSink sink;
  std::optional<ir::Module> module = ir::BuildModule(compiler::ProgramFiles(c), sink);
  if (!PrintDiagnostics(sink.diagnostics(), c.sources, global) || !module) return kExitUsage;

  uint32_t function = ir::kNone;
  if (!options.workflow.empty()) {
    function = module->FindFunction(options.workflow);
    if (function == ir::kNone) {
      std::vector<std::string> names;
      for (const auto& fn : module->functions) names.push_back(fn.name);
      std::cerr << fmt::format("error: `{}` has no workflow `{}`\n", options.file, options.workflow);
      if (auto similar = compiler::SuggestSimilar(options.workflow, names)) {
        std::cerr << fmt::format("  = help: did you mean `{}`?\n", *similar);
      } else if (!names.empty()) {
        std::cerr << fmt::format("  = note: its workflows: {}\n", fmt::join(names, ", "));
      }
      return kExitUsage;
    }
  }
  ir::GraphFormat format = options.format == "dot" ? ir::GraphFormat::kDot : ir::GraphFormat::kMermaid;
  std::string text = ir::RenderGraph(*module, function, format, &c.sources);
  if (options.output.empty() || options.output == "-") {
    std::cout << text;
    return kExitOk;
  }
  if (auto written = WriteFileAtomically(options.output, text); !written) {
    std::cerr << fmt::format("error: {}\n", written.error().message);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void RegisterGraphCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<GraphOptions>();
  auto* cmd = app.add_subcommand("graph", "Draw the workflows of a file as Mermaid or Graphviz DOT");
  cmd->add_option("FILE", options->file, "The .orch file")->required();
  cmd->add_option("WORKFLOW", options->workflow, "Only this workflow (default: every workflow of the file)");
  cmd->add_option("--format", options->format, "Output format: mermaid (Markdown, GitHub) or dot (Graphviz)")
      ->check(CLI::IsMember({"mermaid", "dot"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", options->output, "Write to this file instead of standard output")->type_name("FILE");
  cmd->callback([&context, options] { context.exit_code = RunGraph(*options, context.global); });
}

}  // namespace orch::cli
