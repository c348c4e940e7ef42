// Import loading: the files a program imports, found relative to the importing file,
// loaded and parsed once each (depth first), with cycles reported along their whole chain.
// Part of the driver: it strings load and parse together; resolution then sees the root
// file and its imports as one namespace.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/source/source.h"

namespace orch::compiler {

/// One imported file: its display path (relative to the working directory when the root
/// was), and its AST (absent when it could not be loaded).
struct ImportedFile {
  std::string path;
  FileId file = kNoFile;
  std::optional<ast::File> ast;
};

/// Loads every file `root` (read from `root_path`; "-" means standard input, whose
/// imports are relative to the working directory) imports, transitively. A file that
/// cannot be loaded is reported at its `import` declaration; an import that leads back to
/// a file on the current chain is reported as E0208 with the chain. Each file appears once.
std::vector<ImportedFile> LoadImports(const std::string& root_path, const ast::File& root, SourceMap& sources,
                                      DiagnosticSink& sink);

}  // namespace orch::compiler
