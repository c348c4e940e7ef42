// ServerPool: every server a run may use, by name. Configured servers are started lazily
// (on the first call or listing) and reused for the whole run; in-process servers such as
// the built-in `std` are registered directly. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/config/config.h"
#include "runtime/mcp/client_options.h"
#include "runtime/mcp/tool_server.h"

namespace orch::mcp {

class ServerPool {
 public:
  /// `options.default_timeout` is overridden per server by the configuration's timeouts.
  ServerPool(config::Config config, ClientOptions options);
  /// Closes every started server.
  ~ServerPool();
  ServerPool(const ServerPool&) = delete;
  ServerPool& operator=(const ServerPool&) = delete;

  /// Adds an in-process server. A configured server with the same name is shadowed.
  void RegisterBuiltin(std::string name, std::shared_ptr<ToolServer> server);

  /// Adds a server that is not in the configuration (e.g. `--stdio CMD`, `--url URL`, or a
  /// `server x = stdio(...)` declaration). Replaces an earlier one of the same name.
  void AddServer(config::ServerConfig server);

  /// The server called `name`. Does not connect: connection errors surface from the first
  /// call. An unknown name is an Error of kind "config" listing the known names.
  ErrorOr<std::shared_ptr<ToolServer>> Get(std::string_view name);

  bool Has(std::string_view name) const;
  /// All names (built-in and configured), sorted.
  std::vector<std::string> Names() const;
  /// True when `name` is an in-process server.
  bool IsBuiltin(std::string_view name) const;

  const config::Config& config() const { return config_; }
  const ClientOptions& options() const { return options_; }

  /// Shuts down every started server (gracefully, then forcibly). Idempotent.
  void CloseAll();

 private:
  mutable std::mutex mutex_;
  config::Config config_;
  ClientOptions options_;
  std::map<std::string, std::shared_ptr<ToolServer>, std::less<>> builtins_;
  std::map<std::string, std::shared_ptr<ToolServer>, std::less<>> started_;
};

}  // namespace orch::mcp
