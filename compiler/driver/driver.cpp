// The pipeline driver. Each phase runs on every file that reached it cleanly: resolution
// after a clean parse, type checking after a clean resolution.
#include "compiler/driver/driver.h"

#include <filesystem>
#include <set>

#include <iostream>
#include <iterator>

#include "compiler/check/lock_catalog.h"
#include "compiler/driver/load.h"
#include "compiler/parse/parse.h"

namespace orch::compiler {

std::optional<ast::File> ParseSource(const SourceMap& sources, FileId file, DiagnosticSink& sink) {
  return Parse(sources, file, sink);
}

Compilation Compile(const std::vector<std::string>& paths, const CompileOptions& options) {
  Compilation c;
  for (const auto& path : paths) {
    CompiledFile out;
    out.path = path;
    std::optional<FileId> id;
    if (path == "-") {
      std::string text(std::istreambuf_iterator<char>(std::cin), {});
      id = AddSource("<stdin>", std::move(text), c.sources, c.diagnostics);
    } else {
      id = LoadSource(path, c.sources, c.diagnostics);
    }
    if (id) {
      out.file = *id;
      size_t errors_before = c.diagnostics.error_count();
      out.ast = Parse(c.sources, *id, c.diagnostics);
      bool parsed_cleanly = c.diagnostics.error_count() == errors_before;
      if (out.ast && options.stop_after >= Phase::kResolve) {
        out.imports = LoadImports(path, *out.ast, c.sources, c.diagnostics);
        // Names are resolved only in a file that parsed cleanly: a statement the parser
        // skipped would make every later use of its binding look undefined.
        if (parsed_cleanly) {
          std::vector<const ast::File*> program{&*out.ast};
          for (const ImportedFile& f : out.imports) {
            if (f.ast) program.push_back(&*f.ast);
          }
          size_t errors_before_resolve = c.diagnostics.error_count();
          out.resolved = resolve::Resolve(program, {options.configured_servers}, c.diagnostics);
          // Types are checked only over a program whose names all resolved, so one
          // mistake gives one message.
          if (options.stop_after >= Phase::kCheck && c.diagnostics.error_count() == errors_before_resolve) {
            auto catalog = options.catalog ? options.catalog
                                           : check::LoadToolCatalog(path, out.ast->span, c.diagnostics);
            out.checked = check::Check(program, *out.resolved, std::move(catalog), c.diagnostics);
          }
        }
      }
    }
    c.files.push_back(std::move(out));
  }
  c.diagnostics.SortByPosition();
  return c;
}

std::vector<const ast::File*> ProgramFiles(const Compilation& compilation) {
  std::vector<const ast::File*> files;
  std::set<std::string> seen;
  auto key = [](const std::string& path) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? path : canonical.string();
  };
  for (const CompiledFile& f : compilation.files) {
    if (!f.ast) continue;
    files.push_back(&*f.ast);
    seen.insert(key(f.path));
  }
  for (const CompiledFile& f : compilation.files) {
    for (const ImportedFile& imported : f.imports) {
      if (imported.ast && seen.insert(key(imported.path)).second) files.push_back(&*imported.ast);
    }
  }
  return files;
}

}  // namespace orch::compiler
