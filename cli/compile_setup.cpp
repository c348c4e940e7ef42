// Compile options from the configuration; see compile_setup.h.
#include "cli/compile_setup.h"

#include "runtime/config/config.h"

namespace orch::cli {

ErrorOr<compiler::CompileOptions> CompileOptionsFromConfig(const GlobalOptions& global) {
  compiler::CompileOptions options;
  auto config = config::LoadConfig(global.config_file);
  if (!config) return config.error();
  for (const auto& [name, server] : config->servers) options.configured_servers.push_back(name);
  return options;
}

}  // namespace orch::cli
