// A stable, readable text dump of the AST, one node per line with its span as
// `@line:col-line:col`: what `orchestrator check --emit ast` prints and what the parse
// goldens compare.
#pragma once

#include <string>

#include "compiler/ast/ast.h"
#include "compiler/source/source.h"

namespace orch::compiler::ast {

/// The dump of `file`; spans are rendered with `sources`.
std::string Dump(const File& file, const SourceMap& sources);
/// The dump of one expression (for tests).
std::string Dump(const Expr& expr, const SourceMap& sources);

}  // namespace orch::compiler::ast
