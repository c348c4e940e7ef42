// The compilation pipeline shared by `check`, `fmt`, `run`, `test` and `serve`:
// load → parse → resolve → check, each phase a pure function reporting into one sink.
// The driver returns structures; it never prints or exits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/check.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/imports.h"
#include "compiler/resolve/resolve.h"
#include "compiler/source/source.h"

namespace orch::compiler {

/// How far to take a compilation.
enum class Phase : uint8_t {
  kParse,    ///< load and parse only (fmt, --emit ast)
  kResolve,  ///< + name resolution
  kCheck,    ///< + type checking (the default for `check`)
};

struct CompileOptions {
  Phase stop_after = Phase::kCheck;
  /// Names of the configured servers (for `use`); `std` is always known.
  std::vector<std::string> configured_servers;
  /// The tool schemas calls are typed against. When null, the driver reads the
  /// `orchestrator.lock` next to each root file (or in the current directory).
  std::shared_ptr<const check::ToolCatalog> catalog;
};

/// One input file and its AST (absent when the file could not be loaded; partial when
/// the parser recovered from errors).
struct CompiledFile {
  std::string path;
  FileId file = kNoFile;
  std::optional<ast::File> ast;
  /// Every file it imports, transitively (loaded from Phase::kResolve on).
  std::vector<ImportedFile> imports;
  /// The name-resolution side table over `ast` and `imports`; absent when the phase did
  /// not run (stopped earlier, or the file had syntax errors).
  std::optional<resolve::ResolvedModule> resolved;
  /// The type checker's side tables; absent when the phase did not run (stopped earlier,
  /// or resolution failed).
  std::optional<check::CheckResult> checked;
};

/// Everything a compilation produced. Diagnostics are sorted by position per file.
struct Compilation {
  SourceMap sources;
  std::vector<CompiledFile> files;
  DiagnosticSink diagnostics;
  bool ok() const { return !diagnostics.has_errors(); }
};

/// Every parsed file of the program, in the order ir::BuildModule expects: the files
/// compiled, then the files they import (each file once), so workflows declared in an
/// imported file can be called.
std::vector<const ast::File*> ProgramFiles(const Compilation& compilation);

/// Runs the pipeline over `paths` ("-" reads standard input) up to `options.stop_after`.
Compilation Compile(const std::vector<std::string>& paths, const CompileOptions& options = {});

/// Parses one file already in `sources` (for callers that loaded text themselves).
std::optional<ast::File> ParseSource(const SourceMap& sources, FileId file, DiagnosticSink& sink);

}  // namespace orch::compiler
