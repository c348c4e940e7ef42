// Configuration parsing: the three file formats, variable expansion, durations, and
// errors that name the file, line and key.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "runtime/config/config.h"

using namespace orch::config;

TEST_CASE("orchestrator.yaml describes stdio and http servers with timeouts, env and headers") {
  auto config = ParseConfig(R"(
timeout: 30s
servers:
  memory:
    command: npx
    args: [-y, "@modelcontextprotocol/server-memory"]
    env: {MEMORY_FILE: /tmp/m.json, LEVEL: 3}
    cwd: sub
    timeout: 5s
  remote:
    url: https://example.com/mcp
    headers:
      Authorization: Bearer abc
)", "orchestrator.yaml", "/proj");
  REQUIRE(config.ok());
  CHECK(config->default_timeout == std::chrono::seconds(30));
  const ServerConfig* memory = config->FindServer("memory");
  REQUIRE(memory != nullptr);
  CHECK(memory->transport == TransportKind::kStdio);
  CHECK(memory->command == "npx");
  CHECK(memory->args == std::vector<std::string>{"-y", "@modelcontextprotocol/server-memory"});
  CHECK(memory->env.size() == 2);
  CHECK(memory->env[1].second == "3");
  CHECK(memory->cwd == "/proj/sub");
  CHECK(memory->timeout == std::chrono::seconds(5));
  CHECK(memory->origin == "orchestrator.yaml:5");
  const ServerConfig* remote = config->FindServer("remote");
  REQUIRE(remote != nullptr);
  CHECK(remote->transport == TransportKind::kHttp);
  CHECK(remote->headers.at(0).second == "Bearer abc");
  CHECK(config->TimeoutFor(*remote) == std::chrono::seconds(30));
}

TEST_CASE(".mcp.json mcpServers and VS Code servers formats are read, host-specific keys ignored") {
  auto mcp = ParseConfig(R"({
  "mcpServers": {
    "fs": {"command": "npx", "args": ["-y", "server-filesystem", "/tmp"], "autoApprove": []},
    "web": {"type": "http", "url": "http://127.0.0.1:3001/mcp"},
    "off": {"command": "x", "disabled": true}
  }
})", ".mcp.json", "/proj");
  REQUIRE(mcp.ok());
  CHECK(mcp->servers.size() == 2);
  CHECK(mcp->FindServer("web")->transport == TransportKind::kHttp);
  CHECK(mcp->FindServer("off") == nullptr);

  auto vscode = ParseConfig(R"({"inputs": [], "servers": {"gh": {"type": "stdio", "command": "gh-mcp",
    "args": ["--root", "${workspaceFolder}"]}}})", ".vscode/mcp.json", "/ws");
  REQUIRE(vscode.ok());
  CHECK(vscode->FindServer("gh")->args.at(1) == "/ws");
}

TEST_CASE("variables expand from the environment with defaults and VS Code spelling") {
  setenv("ORCH_TEST_TOKEN", "s3cret", 1);
  unsetenv("ORCH_TEST_UNSET");
  CHECK(*ExpandVariables("Bearer ${ORCH_TEST_TOKEN}", "") == "Bearer s3cret");
  CHECK(*ExpandVariables("${env:ORCH_TEST_TOKEN}", "") == "s3cret");
  CHECK(*ExpandVariables("${ORCH_TEST_UNSET:-fallback}", "") == "fallback");
  CHECK(*ExpandVariables("cost: $$5", "") == "cost: $5");
  auto missing = ExpandVariables("${ORCH_TEST_UNSET}", "");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("`ORCH_TEST_UNSET` is not set") != std::string::npos);
}

TEST_CASE("a config error names the file, the line and the key") {
  unsetenv("ORCH_TEST_UNSET");
  auto unset = ParseConfig("servers:\n  a:\n    command: x\n    args: [\"${ORCH_TEST_UNSET}\"]\n", "orchestrator.yaml", "/");
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().message.find("orchestrator.yaml:4: key `servers.a.args[0]`") == 0);

  auto typo = ParseConfig("servers:\n  a:\n    comand: x\n", "orchestrator.yaml", "/");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message.find("orchestrator.yaml:3: key `servers.a.comand`: unknown key") == 0);
  CHECK(typo.error().message.find("did you mean `command`?") != std::string::npos);

  auto no_command = ParseConfig("servers:\n  a:\n    args: [x]\n", "orchestrator.yaml", "/");
  REQUIRE_FALSE(no_command.ok());
  CHECK(no_command.error().message.find("needs `command`") != std::string::npos);

  auto bad_timeout = ParseConfig("timeout: soon\n", "orchestrator.yaml", "/");
  REQUIRE_FALSE(bad_timeout.ok());
  CHECK(bad_timeout.error().message.find("orchestrator.yaml:1: key `timeout`: `soon` is not a duration") == 0);

  auto syntax = ParseConfig("{\"mcpServers\": {\"a\": ", ".mcp.json", "/");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().message.find(".mcp.json:1:") == 0);

  auto wrong_shape = ParseConfig("servers: [a, b]\n", "orchestrator.yaml", "/");
  REQUIRE_FALSE(wrong_shape.ok());
  CHECK(wrong_shape.error().message.find("expected a mapping of server name to server, found a list") != std::string::npos);
}

TEST_CASE("durations accept ms, s, m, h and bare seconds") {
  CHECK(*ParseDuration("250ms") == std::chrono::milliseconds(250));
  CHECK(*ParseDuration("1.5s") == std::chrono::milliseconds(1500));
  CHECK(*ParseDuration("2m") == std::chrono::minutes(2));
  CHECK(*ParseDuration("1h") == std::chrono::hours(1));
  CHECK(*ParseDuration("30") == std::chrono::seconds(30));
  CHECK_FALSE(ParseDuration("").ok());
  CHECK_FALSE(ParseDuration("5 parsecs").ok());
  CHECK_FALSE(ParseDuration("-1s").ok());
}

TEST_CASE("LoadConfig reads an explicit file, and reports a missing one") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "orch_config_test";
  fs::create_directories(dir);
  fs::path file = dir / "custom.yaml";
  std::ofstream(file) << "servers:\n  echo:\n    command: cat\n";
  auto config = LoadConfig(file.string());
  REQUIRE(config.ok());
  CHECK(config->FindServer("echo") != nullptr);
  CHECK(config->files.at(0) == file.string());
  auto missing = LoadConfig((dir / "nope.yaml").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("does not exist") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("without any file the configuration is empty, not an error") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "orch_config_empty";
  fs::create_directories(dir);
  fs::path old = fs::current_path();
  fs::current_path(dir);
  setenv("XDG_CONFIG_HOME", (dir / "xdg").c_str(), 1);
  auto config = LoadConfig("");
  fs::current_path(old);
  unsetenv("XDG_CONFIG_HOME");
  REQUIRE(config.ok());
  CHECK(config->servers.empty());
  CHECK(config->files.empty());
  fs::remove_all(dir);
}

TEST_CASE("the XDG directory is searched when the working directory has no configuration") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "orch_config_xdg";
  fs::create_directories(dir / "xdg" / "orchestrator");
  std::ofstream(dir / "xdg" / "orchestrator" / ".mcp.json") << R"({"mcpServers": {"g": {"command": "cat"}}})";
  fs::path old = fs::current_path();
  fs::current_path(dir);
  setenv("XDG_CONFIG_HOME", (dir / "xdg").c_str(), 1);
  auto config = LoadConfig("");
  fs::current_path(old);
  unsetenv("XDG_CONFIG_HOME");
  REQUIRE(config.ok());
  CHECK(config->FindServer("g") != nullptr);
  fs::remove_all(dir);
}
