// Loading source files: reads a file into the SourceMap after checking that it is a
// regular file and well-formed UTF-8 without NUL bytes (E0001-E0004).
#pragma once

#include <optional>
#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/source/source.h"

namespace orch::compiler {

/// Reads `path` into `sources`. Reports a directory (E0002), an unreadable file (E0001),
/// malformed UTF-8 (E0003, at the offending byte) or a NUL byte (E0004) into `sink`; in
/// those cases the file is not returned (the text is still added, for the caret).
std::optional<FileId> LoadSource(const std::string& path, SourceMap& sources, DiagnosticSink& sink);

/// Adds already-read `text` (e.g. stdin) under `display_path`, with the same checks.
std::optional<FileId> AddSource(const std::string& display_path, std::string text, SourceMap& sources,
                                DiagnosticSink& sink);

}  // namespace orch::compiler
