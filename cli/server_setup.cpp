// MakeServerPool and the command-line helpers around it.
#include "cli/server_setup.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "runtime/config/config.h"
#include "runtime/mcp/elicitation.h"
#include "runtime/store/project_store.h"
#include "stdlib/std_server/std_server.h"

namespace orch::cli {

void AddServerOptions(CLI::App& command, ServerOptions& options) {
  command.add_option("--stdio", options.stdio_command,
                     "Use an ad-hoc stdio server started with this command line instead of the configuration");
  command.add_option("--url", options.url, "Use an ad-hoc Streamable HTTP server at this URL");
  command.add_option("--name", options.name, "Name of the ad-hoc server (default: stdio or http)");
  command.add_option("--answers", options.answers_file,
                     "JSON or YAML file answering servers' elicitation requests (field: value)");
}

std::string AdHocServerName(const ServerOptions& options) {
  if (options.stdio_command.empty() && options.url.empty()) return "";
  if (!options.name.empty()) return options.name;
  return options.url.empty() ? "stdio" : "http";
}

ErrorOr<std::vector<std::string>> SplitCommandLine(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0;
      else word += c;
    } else if (quote == '"') {
      if (c == '"') quote = 0;
      else if (c == '\\' && i + 1 < text.size() && std::string_view("\"\\$`").find(text[i + 1]) != std::string_view::npos) word += text[++i];
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return MakeError("usage", fmt::format("unterminated {} quote in `{}`", quote == '"' ? "double" : "single", text));
  if (in_word) words.push_back(std::move(word));
  return words;
}

void PrintError(const std::string& message) { std::cerr << "error: " << message << "\n"; }

int ExitCodeFor(const Error& error) {
  return error.kind == "config" || error.kind == "usage" ? kExitUsage : kExitServer;
}

ErrorOr<std::unique_ptr<mcp::ServerPool>> MakeServerPool(const CommandContext& context, const CLI::App& root,
                                                        const ServerOptions& options) {
  auto config = config::LoadConfig(context.global.config_file);
  if (!config) return config.error();

  mcp::ClientOptions client;
  bool timeout_given = root.get_option("--timeout")->count() > 0;
  if (timeout_given) {
    auto timeout = config::ParseDuration(context.global.timeout);
    if (!timeout) return MakeError("usage", "--timeout: " + timeout.error().message);
    config->default_timeout = *timeout;
    for (auto& [name, server] : config->servers) server.timeout.reset();
  }
  client.default_timeout = config->default_timeout;
  // Logs live with the project's other state: $ORCH_STORE_DIR/logs or <root>/.orchestrator/logs.
  std::error_code ec;
  if (const char* store = std::getenv(store::kStoreDirEnv); store && *store) {
    client.log_dir = (std::filesystem::path(store) / "logs").string();
  } else {
    client.log_dir = (store::FindProjectRoot(std::filesystem::current_path(ec)) / store::kStoreDirName / "logs").string();
  }
  client.roots = config->roots;

  mcp::ElicitationPolicyOptions policy;
  policy.answers_file = options.answers_file.empty() ? config->answers_file : options.answers_file;
  policy.interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
  policy.on_notice = [](const std::string& notice) { std::cerr << "warning: " << notice << "\n"; };
  auto handler = mcp::MakeElicitationHandler(std::move(policy));
  if (!handler) return handler.error();
  client.on_elicitation = std::move(*handler);

  std::string adhoc = AdHocServerName(options);
  config::Config effective = std::move(*config);
  if (!adhoc.empty()) {
    if (!options.stdio_command.empty() && !options.url.empty()) {
      return MakeError("usage", "--stdio and --url both name an ad-hoc server\n  = help: give one of them");
    }
    config::ServerConfig server;
    server.name = adhoc;
    server.origin = "the command line";
    if (!options.stdio_command.empty()) {
      auto words = SplitCommandLine(options.stdio_command);
      if (!words) return MakeError("usage", "--stdio: " + words.error().message);
      if (words->empty()) return MakeError("usage", "--stdio: the command line is empty");
      server.transport = config::TransportKind::kStdio;
      server.command = (*words)[0];
      server.args.assign(words->begin() + 1, words->end());
    } else {
      if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
        return MakeError("usage", fmt::format("--url: expected an http:// or https:// URL, found `{}`", options.url));
      }
      server.transport = config::TransportKind::kHttp;
      server.url = options.url;
    }
    // With an ad-hoc server, only it is in play: `tools list` shows it alone and a bare
    // tool name refers to it.
    effective.servers.clear();
    effective.servers.emplace(adhoc, std::move(server));
  }
  auto pool = std::make_unique<mcp::ServerPool>(std::move(effective), std::move(client));
  // The built-in `std` server is always there, except when an ad-hoc server is the only one
  // in play. A configured server called `std` is shadowed by it.
  if (adhoc.empty()) pool->RegisterBuiltin("std", stdlib::MakeStdServer({}));
  return pool;
}

}  // namespace orch::cli
