// Catalog loading and checking.
#include "runtime/route/catalog.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "runtime/value/json.h"

namespace orch::route {
namespace {

ErrorOr<ToolEntry> EntryFromJson(const Value& item, size_t position, std::string_view origin,
                                 std::string_view default_server) {
  if (!item.is_record()) {
    return MakeError("catalog", fmt::format("{}: entry {} is a {}, not a tool record", origin, position,
                                            item.kind_name()));
  }
  ToolEntry entry;
  auto text_field = [&](std::string_view key, std::string& out, bool required) -> ErrorOr<void> {
    const Value* v = item.Find(key);
    if (!v || v->is_null()) {
      if (required) return MakeError("catalog", fmt::format("{}: entry {} has no `{}`", origin, position, key));
      return {};
    }
    if (!v->is_string()) {
      return MakeError("catalog", fmt::format("{}: entry {} has a {} `{}`; expected a string", origin, position,
                                              v->kind_name(), key));
    }
    out = v->as_string();
    return {};
  };
  if (auto ok = text_field("name", entry.name, true); !ok) return ok.error();
  if (auto ok = text_field("server", entry.server, default_server.empty()); !ok) return ok.error();
  if (entry.server.empty()) entry.server = std::string(default_server);
  if (auto ok = text_field("description", entry.description, false); !ok) return ok.error();
  if (const Value* schema = item.Find("inputSchema")) entry.input_schema = *schema;
  return entry;
}

}  // namespace

std::string Fingerprint(std::string_view data) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", hash);
}

ErrorOr<Catalog> CatalogFromTools(std::vector<ToolEntry> tools, std::string_view origin,
                                  std::optional<std::string> fingerprint) {
  std::unordered_map<std::string, size_t> seen;
  std::string canonical;
  for (size_t i = 0; i < tools.size(); ++i) {
    const ToolEntry& tool = tools[i];
    if (tool.server.empty() || tool.name.empty()) {
      return MakeError("catalog", fmt::format("{}: entry {} has an empty {}", origin, i,
                                              tool.name.empty() ? "`name`" : "`server`"));
    }
    if (tool.server.find('/') != std::string::npos) {
      return MakeError("catalog", fmt::format("{}: entry {} has server `{}`; a server name may not contain `/`",
                                              origin, i, tool.server));
    }
    auto [it, inserted] = seen.emplace(tool.Id(), i);
    if (!inserted) {
      return MakeError("catalog", fmt::format("{}: tool `{}` appears twice (entries {} and {})", origin, tool.Id(),
                                              it->second, i));
    }
    if (fingerprint) continue;
    Record record{{"server", tool.server}, {"name", tool.name}, {"description", tool.description},
                  {"inputSchema", tool.input_schema}};
    canonical += CanonicalJson(Value(std::move(record)));
    canonical += '\n';
  }
  Catalog catalog;
  catalog.tools = std::move(tools);
  catalog.fingerprint = fingerprint ? *std::move(fingerprint) : Fingerprint(canonical);
  return catalog;
}

ErrorOr<Catalog> CatalogFromJson(const Value& json, std::string_view origin, std::string_view default_server,
                                 std::optional<std::string> fingerprint) {
  const Value* list = &json;
  if (json.is_record()) {
    list = json.Find("tools");
    if (!list) return MakeError("catalog", fmt::format("{}: expected a list of tools or a record with `tools`", origin));
  }
  if (!list->is_list()) {
    return MakeError("catalog", fmt::format("{}: expected a list of tools, found a {}", origin, list->kind_name()));
  }
  std::vector<ToolEntry> tools;
  tools.reserve(list->as_list().size());
  for (size_t i = 0; i < list->as_list().size(); ++i) {
    auto entry = EntryFromJson(list->as_list()[i], i, origin, default_server);
    if (!entry) return entry.error();
    tools.push_back(std::move(*entry));
  }
  return CatalogFromTools(std::move(tools), origin, std::move(fingerprint));
}

ErrorOr<Catalog> LoadCatalogFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("io", fmt::format("cannot read tool catalog `{}`", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  auto json = ParseJson(bytes);
  if (!json) return MakeError("catalog", fmt::format("{}: {}", path, json.error().message));
  // "file:" keeps a file's fingerprint apart from a canonical one of the same tools.
  return CatalogFromJson(*json, path, {}, "file:" + Fingerprint(bytes));
}

}  // namespace orch::route
