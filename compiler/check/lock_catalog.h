// Finding and reading `orchestrator.lock` for the checker: the lock next to the source file
// wins, then the one in the current directory. The result is the tool catalog the checker
// types calls against (always including the built-in `std` server).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "compiler/check/tool_catalog.h"
#include "compiler/diagnostics/diagnostic.h"

namespace orch::compiler::check {

/// The lock file `check` uses for `source_path`: `<dir of source>/orchestrator.lock`, else
/// `./orchestrator.lock`; nullopt when neither exists (or the source is standard input and
/// the current directory has none).
std::optional<std::string> FindLockFile(const std::string& source_path);

/// The catalog for a program whose root file is `source_path`. A lock that exists but cannot
/// be read or parsed is reported (E0323, at `span`) and treated as empty.
std::shared_ptr<const ToolCatalog> LoadToolCatalog(const std::string& source_path, Span span,
                                                   DiagnosticSink& sink);

}  // namespace orch::compiler::check
