// `orchestrator fmt FILE… [--check] [--stdout]`: rewrite files (a folder: every .orch file
// under it) in the canonical layout (compiler/format/format.h). `-` formats standard input
// to standard output, as `--stdout` does for files. A file with syntax errors is left
// untouched (exit 2, with the diagnostics); `--check` changes nothing and exits 1 naming
// the files that are not formatted.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli/command.h"
#include "cli/source_paths.h"
#include "cli/write_file.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/load.h"
#include "compiler/format/format.h"
#include "compiler/parse/parse.h"

namespace orch::cli {
namespace {

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
  bool to_stdout = false;
};

enum class Outcome { kUnchanged, kChanged, kError };

void PrintDiagnostics(const compiler::DiagnosticSink& sink, const compiler::SourceMap& sources,
                      const GlobalOptions& global) {
  compiler::RenderOptions render;
  render.color = UseColor(global, STDERR_FILENO);
  for (const auto& d : sink.diagnostics()) std::cerr << compiler::RenderHuman(d, sources, render);
}

Outcome FormatOne(const std::string& path, const FmtOptions& options, const GlobalOptions& global) {
  using namespace orch::compiler;
  SourceMap sources;
  DiagnosticSink sink;
  std::optional<FileId> id;
  bool is_stdin = path == "-";
  if (is_stdin) {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    id = AddSource("<stdin>", std::move(text), sources, sink);
  } else {
    id = LoadSource(path, sources, sink);
  }
  std::optional<ast::File> file;
  if (id) file = Parse(sources, *id, sink);
  if (!id || !file || sink.has_errors()) {
    PrintDiagnostics(sink, sources, global);
    std::cerr << fmt::format("error: `{}` was not formatted because it has errors\n", is_stdin ? "<stdin>" : path);
    return Outcome::kError;
  }
  const std::string& original = sources.file(*id).text();
  std::string formatted = format::FormatFile(*file, sources.file(*id));

  // Never write what the parser would reject: that would be a formatter bug.
  SourceMap check_sources;
  DiagnosticSink check_sink;
  FileId check_id = check_sources.Add(is_stdin ? "<stdin>" : path, formatted);
  if (!Parse(check_sources, check_id, check_sink) || check_sink.has_errors()) {
    std::cerr << fmt::format(
        "error: internal formatter error: the formatted `{}` would not parse, so it was left unchanged\n"
        "  = help: please report this with the file attached\n",
        is_stdin ? "<stdin>" : path);
    return Outcome::kError;
  }

  bool changed = formatted != original;
  if (is_stdin || options.to_stdout) {
    if (!options.check) std::cout << formatted;
    if (options.check && changed) std::cout << (is_stdin ? "<stdin>" : path) << "\n";
    return changed ? Outcome::kChanged : Outcome::kUnchanged;
  }
  if (!changed) return Outcome::kUnchanged;
  if (options.check) {
    std::cout << path << "\n";
    return Outcome::kChanged;
  }
  if (auto written = WriteFileAtomically(path, formatted); !written) {
    std::cerr << fmt::format("error: {}\n", written.error().message);
    return Outcome::kError;
  }
  return Outcome::kChanged;
}

int RunFmt(const FmtOptions& options, const GlobalOptions& global) {
  auto files = SourceFilesOrReport(options.files);
  if (!files) return kExitUsage;
  bool error = false;
  bool would_change = false;
  for (const std::string& path : *files) {
    Outcome outcome = FormatOne(path, options, global);
    error = error || outcome == Outcome::kError;
    would_change = would_change || outcome == Outcome::kChanged;
  }
  std::cout.flush();
  if (error) return kExitUsage;
  if (options.check && would_change) return kExitWorkflowFailed;
  return kExitOk;
}

}  // namespace

void RegisterFmtCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<FmtOptions>();
  auto* cmd = app.add_subcommand("fmt", "Rewrite .orch files in the canonical layout");
  cmd->add_option("FILE", options->files, "Files or folders to format in place (`-` formats standard input to standard output)")
      ->required();
  cmd->add_flag("--check", options->check,
                "Change nothing; list the files that are not formatted and exit 1 if there are any");
  cmd->add_flag("--stdout", options->to_stdout,
                "Print the formatted text to standard output instead of rewriting the files");
  cmd->callback([&context, options] { context.exit_code = RunFmt(*options, context.global); });
}

}  // namespace orch::cli
