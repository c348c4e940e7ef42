// Compiling the served file into a ServedProgram for `serve`: check, build the IR,
// describe its workflows as tools, and prepare the servers they use (the configuration's
// and the file's own `server` declarations, started on first use and shared by every
// call of this version). Diagnostics go to standard error; the first load and each
// `--watch` reload go through here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/server_setup.h"
#include "runtime/serve/workflow_provider.h"

namespace orch::cli {

/// What `serve` was asked for, beyond the file.
struct ServeArgs {
  std::string file;
  std::string http;
  bool watch = false;
  bool sequential = false;
  bool no_cache = false;
  /// Compile the workflows with the JIT (`--jit`), at every load.
  bool jit = false;
  std::vector<std::string> allow_env;
  std::string answers_file;
};

/// One attempt to load the file.
struct LoadedProgram {
  /// Null when the file does not check (the diagnostics were printed) or its servers
  /// cannot be prepared (the error was printed).
  std::shared_ptr<const serve::ServedProgram> program;
  /// Exit code for a failed load (2 for compile and configuration errors, 3 otherwise).
  int exit_code = kExitOk;
  /// The file and every file it imports: what `--watch` watches (known even when the
  /// file does not check, as far as it could be read).
  std::vector<std::string> files;
};

/// Compiles and prepares `args.file`.
LoadedProgram LoadServedProgram(const ServeArgs& args, const CommandContext& context,
                                const CLI::App& root);

}  // namespace orch::cli
