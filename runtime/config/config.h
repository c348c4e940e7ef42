// Server configuration: which MCP servers exist and how to reach them.
//
// Read from `orchestrator.yaml` (our own format) or the de-facto standard JSON formats
// that desktop and editor hosts use: `.mcp.json` with an `mcpServers` object, and VS
// Code's `.vscode/mcp.json` with a `servers` object. Both are parsed with yaml-cpp (JSON
// is YAML), so every error can name the file, line and key. String values expand
// `${VAR}`, `${VAR:-default}` and VS Code's `${env:VAR}` / `${workspaceFolder}`.
//
// Search order without `--config`: the working directory (`orchestrator.yaml`,
// `orchestrator.yml`, `.mcp.json`, `.vscode/mcp.json`; all that exist are merged, earlier
// files win on a name clash), else `$XDG_CONFIG_HOME/orchestrator/` (default
// `~/.config/orchestrator/`) with the same names. No file at all is not an error: the
// result simply has no servers (the built-in `std` server still exists).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/error_or.h"

namespace orch::config {

using Duration = std::chrono::milliseconds;

/// Default timeout for any single request when neither config nor `--timeout` says otherwise.
inline constexpr Duration kDefaultTimeout = std::chrono::seconds(60);

enum class TransportKind { kStdio, kHttp };

/// How to reach one server.
struct ServerConfig {
  std::string name;
  TransportKind transport = TransportKind::kStdio;

  // stdio
  std::string command;
  std::vector<std::string> args;
  /// Added to (or overriding) the inherited environment, in file order.
  std::vector<std::pair<std::string, std::string>> env;
  /// Working directory of the child; empty means the current directory. Relative paths
  /// are resolved against the directory of the configuration file.
  std::string cwd;

  // http (Streamable HTTP)
  std::string url;
  /// Extra request headers (e.g. `Authorization`), in file order.
  std::vector<std::pair<std::string, std::string>> headers;

  /// Per-request timeout for this server; unset means Config::default_timeout.
  std::optional<Duration> timeout;
  /// Roots advertised to this server (`roots/list`), as absolute paths; empty means Config::roots.
  std::vector<std::string> roots;
  /// Where it was defined, for messages: "orchestrator.yaml:12".
  std::string origin;

  /// "stdio: CMD ARGS…" or the URL; used in error messages.
  std::string Describe() const;
  /// The same description with `${VAR}` references as written in the file, not expanded:
  /// what the lock file records, so it holds no machine paths or secrets.
  std::string described_as_written;
};

/// An OpenAI-compatible chat-completions endpoint (`llm:` in orchestrator.yaml), used by
/// `compose --from-text` to fill typed holes.
struct LlmConfig {
  /// The full URL, e.g. `https://api.openai.com/v1/chat/completions`.
  std::string url;
  std::string model;
  /// Name of the environment variable holding the API key (sent as `Authorization:
  /// Bearer …`); empty sends none. The key itself never appears in the file.
  std::string api_key_env;
  /// Whole-request timeout; unset means Config::default_timeout.
  std::optional<Duration> timeout;
  /// Where it was defined, for messages: "orchestrator.yaml:12".
  std::string origin;
};

/// The whole configuration. Servers marked `disabled: true` in a file are left out.
struct Config {
  /// Servers by name (sorted).
  std::map<std::string, ServerConfig, std::less<>> servers;
  /// Per-request timeout for servers that do not set their own.
  Duration default_timeout = kDefaultTimeout;
  /// File with answers for elicitation requests (`--answers`, or `answers:` in the config).
  std::string answers_file;
  /// Roots advertised to servers by default (absolute paths); empty means the working directory.
  std::vector<std::string> roots;
  /// The model endpoint (`llm:`), when configured.
  std::optional<LlmConfig> llm;
  /// Files that were read, in order (empty when no configuration exists).
  std::vector<std::string> files;

  /// The server called `name`, or nullptr.
  const ServerConfig* FindServer(std::string_view name) const;
  /// The effective timeout for `server`.
  Duration TimeoutFor(const ServerConfig& server) const {
    return server.timeout ? *server.timeout : default_timeout;
  }
};

/// Loads the configuration. With a non-empty `explicit_path` (from `--config`) reads
/// exactly that file (missing is an error); otherwise searches as described above.
/// Errors have kind "config" and read "FILE:LINE: key `servers.x.args`: …".
ErrorOr<Config> LoadConfig(const std::string& explicit_path);

/// The configuration file `LoadConfig` would read in `dir` (the first of its names found
/// there), or nullopt.
std::optional<std::string> ConfigFileIn(const std::string& dir);

/// Parses one configuration text. `file_name` names the file in errors and decides
/// nothing else: the format is recognised by its keys (`servers`, `mcpServers`).
/// `base_dir` resolves relative `cwd`/roots and `${workspaceFolder}`.
ErrorOr<Config> ParseConfig(std::string_view text, std::string_view file_name, std::string_view base_dir);

/// Parses a duration: `250ms`, `10s`, `5m`, `1h`, or a bare number of seconds (`30`, `1.5`).
ErrorOr<Duration> ParseDuration(std::string_view text);

/// Expands `${VAR}`, `${VAR:-default}`, `${env:VAR}` and `${workspaceFolder}` in `text`.
/// An unset variable without a default is an error of kind "config" naming it.
ErrorOr<std::string> ExpandVariables(std::string_view text, std::string_view workspace_folder);

}  // namespace orch::config
