// Rendering diagnostics: human (rustc-like, optional colour), short (one line, for logs)
// and JSON (for editors and CI).
#pragma once

#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::compiler {

struct RenderOptions {
  bool color = false;
};

/// `path:line:col: error[E0101]: message`, the source line, carets, notes and `help:` lines.
std::string RenderHuman(const Diagnostic& d, const SourceMap& sources, const RenderOptions& options = {});
/// One line: `path:line:col: error[E0101]: message`.
std::string RenderShort(const Diagnostic& d, const SourceMap& sources);
/// One JSON object (no trailing newline).
std::string RenderJson(const Diagnostic& d, const SourceMap& sources);
/// All diagnostics as a JSON array.
std::string RenderJsonArray(const std::vector<Diagnostic>& ds, const SourceMap& sources);
/// "2 errors, 1 warning" style summary, or "" when there is nothing to say.
std::string Summary(const std::vector<Diagnostic>& ds);

}  // namespace orch::compiler
