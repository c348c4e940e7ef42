// Where `compose` reads tool schemas from: `--lock FILE`, else the project's
// orchestrator.lock, else (or with `--live`, or for servers the lock lacks) the configured
// servers themselves; the built-in `std` server is always there.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "compiler/lock/lock_file.h"
#include "runtime/value/error_or.h"

namespace orch::cli::compose {

struct SchemaOptions {
  std::string lock_file;  ///< --lock FILE
  bool live = false;      ///< --live
};

/// The schemas of `servers` (every server when empty). Errors have kind "config", "lock",
/// "io" (exit 2) or a server's failure (exit 3).
ErrorOr<lock::LockFile> LoadSchemas(const SchemaOptions& options, const CommandContext& context, const CLI::App& root,
                                    const std::vector<std::string>& servers);

}  // namespace orch::cli::compose
