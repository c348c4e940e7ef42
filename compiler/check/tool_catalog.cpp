// ToolCatalog: servers → tools → types; see tool_catalog.h.
#include "compiler/check/tool_catalog.h"

#include <algorithm>

#include "compiler/check/std_tools.h"

namespace orch::compiler::check {

const CatalogTool* CatalogServer::Find(std::string_view tool) const {
  auto it = std::lower_bound(tools.begin(), tools.end(), tool,
                             [](const CatalogTool& t, std::string_view n) { return t.name < n; });
  return it != tools.end() && it->name == tool ? &*it : nullptr;
}

std::vector<std::string> CatalogServer::ToolNames() const {
  std::vector<std::string> names;
  for (const CatalogTool& t : tools) names.push_back(t.name);
  return names;
}

ToolCatalog ToolCatalog::WithStd() {
  ToolCatalog catalog;
  catalog.AddServer(kStdServerName, StdTools());
  return catalog;
}

void ToolCatalog::AddServer(const std::string& server, const Value& tools) {
  auto entry = std::make_shared<CatalogServer>();
  entry->name = server;
  if (tools.is_list()) {
    for (const Value& t : tools.as_list()) {
      const Value* name = t.Find("name");
      if (!name || !name->is_string()) continue;
      CatalogTool tool;
      tool.name = name->as_string();
      if (const Value* d = t.Find("description"); d && d->is_string()) tool.description = d->as_string();
      tool.annotations = t.Get("annotations");
      const Value* ro = tool.annotations.Find("readOnlyHint");
      tool.read_only = ro && ro->is_bool() && ro->as_bool();
      tool.type = types::ToolTypeFromSchemas(t.Get("inputSchema"), t.Get("outputSchema"));
      entry->tools.push_back(std::move(tool));
    }
  }
  std::sort(entry->tools.begin(), entry->tools.end(),
            [](const CatalogTool& a, const CatalogTool& b) { return a.name < b.name; });
  servers_[server] = std::move(entry);
}

void ToolCatalog::AddLockJson(const Value& lock) {
  const Value* servers = lock.Find("servers");
  if (!servers || !servers->is_record()) return;
  for (const auto& [name, server] : servers->as_record()) AddServer(name, server.Get("tools"));
}

const CatalogServer* ToolCatalog::Find(std::string_view server) const {
  auto it = servers_.find(server);
  return it == servers_.end() ? nullptr : it->second.get();
}

std::vector<std::string> ToolCatalog::ServerNames() const {
  std::vector<std::string> names;
  for (const auto& [name, s] : servers_) names.push_back(name);
  return names;
}

}  // namespace orch::compiler::check
