// The canonical layout of `.orch` source (`orchestrator fmt`), printed from the AST:
//  - 2-space indentation, one statement per line, `{` on the header line;
//  - spaces around binary operators, `=>`, `=` and after `:` and `,`;
//  - argument lists, lists, records and `with` policies stay on one line when they fit in
//    100 columns, else one item per line with a trailing comma; long pipelines and
//    operator chains break after `|` or the operator;
//  - one blank line between declarations (runs of `use`/`server`/`import` lines keep the
//    author's grouping), blank lines inside bodies kept but collapsed to one;
//  - every comment is kept: own-line comments before the code that follows them, trailing
//    comments at the end of their line, `##` doc comments directly on their declaration;
//  - literals keep their spelling (`1e3`, `250ms`, string escapes); parentheses are
//    printed exactly where precedence needs them.
// Formatting is idempotent: Format(Parse(Format(x))) == Format(x).
#pragma once

#include <string>

#include "compiler/ast/ast.h"
#include "compiler/source/source.h"

namespace orch::compiler::format {

/// Layout options; the defaults are the canonical style.
struct FormatOptions {
  int width = 100;
  int indent = 2;
};

/// The canonical text of `file`, whose source text is `source` (read for literal spellings
/// and blank lines). Ends with exactly one newline (an empty file stays empty).
std::string FormatFile(const ast::File& file, const SourceFile& source, const FormatOptions& options = {});

}  // namespace orch::compiler::format
