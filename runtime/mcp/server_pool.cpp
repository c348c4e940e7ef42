// ServerPool implementation: built-ins first, then configured or ad-hoc servers, each
// wrapped in a Client created on first request and kept for the run.
#include "runtime/mcp/server_pool.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "compiler/diagnostics/diagnostic.h"
#include "runtime/mcp/client.h"

namespace orch::mcp {

ServerPool::ServerPool(config::Config config, ClientOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

ServerPool::~ServerPool() { CloseAll(); }

void ServerPool::RegisterBuiltin(std::string name, std::shared_ptr<ToolServer> server) {
  std::lock_guard lock(mutex_);
  builtins_[std::move(name)] = std::move(server);
}

void ServerPool::AddServer(config::ServerConfig server) {
  std::shared_ptr<ToolServer> old;
  {
    std::lock_guard lock(mutex_);
    auto it = started_.find(server.name);
    if (it != started_.end()) {
      old = std::move(it->second);
      started_.erase(it);
    }
    std::string name = server.name;
    config_.servers.insert_or_assign(std::move(name), std::move(server));
  }
  if (old) old->Close();
}

ErrorOr<std::shared_ptr<ToolServer>> ServerPool::Get(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (auto it = builtins_.find(name); it != builtins_.end()) return it->second;
  if (auto it = started_.find(name); it != started_.end()) return it->second;
  const config::ServerConfig* server = config_.FindServer(name);
  if (server == nullptr) {
    std::vector<std::string> names;
    for (const auto& [n, s] : builtins_) names.push_back(n);
    for (const auto& [n, s] : config_.servers) names.push_back(n);
    std::string message = fmt::format("no server named `{}` is configured", name);
    if (auto similar = compiler::SuggestSimilar(name, names)) {
      message += fmt::format("\n  = help: did you mean `{}`?", *similar);
    } else if (names.empty()) {
      message += "\n  = help: add it to orchestrator.yaml or .mcp.json (see `man orchestrator-tools`)";
    } else {
      message += fmt::format("\n  = note: known servers: {}", fmt::join(names, ", "));
    }
    if (!config_.files.empty()) message += fmt::format("\n  = note: configuration read from {}", fmt::join(config_.files, ", "));
    return MakeError("config", message);
  }
  ClientOptions options = options_;
  if (!server->timeout) options.default_timeout = options_.default_timeout;
  auto client = std::make_shared<Client>(*server, std::move(options));
  started_.emplace(std::string(name), client);
  return std::shared_ptr<ToolServer>(client);
}

bool ServerPool::Has(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return builtins_.count(name) > 0 || config_.servers.count(name) > 0;
}

bool ServerPool::IsBuiltin(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return builtins_.count(name) > 0;
}

std::vector<std::string> ServerPool::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [n, s] : builtins_) names.push_back(n);
  for (const auto& [n, s] : config_.servers) {
    if (!builtins_.count(n)) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void ServerPool::CloseAll() {
  std::map<std::string, std::shared_ptr<ToolServer>, std::less<>> started;
  {
    std::lock_guard lock(mutex_);
    started.swap(started_);
  }
  // In parallel: each stdio server may take a grace period to exit.
  std::vector<std::thread> closers;
  for (auto& [name, server] : started) closers.emplace_back([server = server] { server->Close(); });
  for (auto& closer : closers) closer.join();
}

}  // namespace orch::mcp
