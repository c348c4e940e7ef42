// Lowering the parser's flat CST into the AST (PEGTL-free, internal to compiler/parse).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/parse/cst.h"
#include "compiler/source/source.h"

namespace orch::compiler::parse {

/// Builds the AST of `file` from `tree`; `comments` are the [begin, end) offsets of every
/// comment. Reports literal-level errors (integer overflow, escapes, interpolation where a
/// plain string is needed, too-deep operator chains) into `sink`.
ast::File Lower(const CstTree& tree, const SourceFile& source, FileId file,
                const std::vector<std::pair<uint32_t, uint32_t>>& comments, DiagnosticSink& sink);

}  // namespace orch::compiler::parse
