// WriteFileAtomically: how every command writes an output file (a lock, a fixture, a
// formatted source, a grammar, a trace). The text goes to a temporary file next to the
// target, which is then renamed over it, so a crash or a full disk never leaves a
// half-written file behind and readers see either the old or the new content.
#pragma once

#include <string>

#include "runtime/value/error_or.h"

namespace orch::cli {

/// Writes `text` to `path` through a temporary sibling and a rename. An existing file keeps
/// its permissions. The error message names the file and the reason.
ErrorOr<void> WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace orch::cli
