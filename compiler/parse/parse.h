// The parser's public, PEGTL-free API: source text in, AST and syntax diagnostics out.
#pragma once

#include <optional>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/source/source.h"

namespace orch::compiler {

/// Parses file `file` of `sources`, reporting syntax errors (E01xx) into `sink`.
/// Recovers at statement and declaration level, so several errors are reported per file
/// and the returned AST holds every declaration and statement that parsed; a statement
/// with an error is left out. Returns nullopt only when nothing could be recovered.
std::optional<ast::File> Parse(const SourceMap& sources, FileId file, DiagnosticSink& sink);

}  // namespace orch::compiler
