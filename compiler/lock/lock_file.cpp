// Lock file reading and writing: JSON through orch_value, with stable ordering so that
// regenerating the file gives minimal diffs.
#include "compiler/lock/lock_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "runtime/value/json.h"

namespace orch::lock {
namespace {

std::string StringField(const Value& record, std::string_view key) {
  const Value* v = record.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

Error LockError(std::string_view file_name, std::string message) {
  return MakeError("lock", fmt::format("{}: {}", file_name, message));
}

}  // namespace

const ToolInfo* LockedServer::FindTool(std::string_view name) const {
  for (const auto& tool : tools) {
    if (tool.name == name) return &tool;
  }
  return nullptr;
}

const LockedServer* LockFile::FindServer(std::string_view name) const {
  auto it = servers.find(name);
  return it == servers.end() ? nullptr : &it->second;
}

ToolInfo ToolInfoFromJson(const Value& tool) {
  ToolInfo info;
  info.name = StringField(tool, "name");
  info.title = StringField(tool, "title");
  info.description = StringField(tool, "description");
  info.input_schema = tool.Get("inputSchema");
  info.output_schema = tool.Get("outputSchema");
  info.annotations = tool.Get("annotations");
  if (tool.is_record()) {
    for (const auto& [key, value] : tool.as_record()) {
      if (key != "name" && key != "title" && key != "description" && key != "inputSchema" && key != "outputSchema" &&
          key != "annotations") {
        info.extra.Set(key, value);
      }
    }
  }
  return info;
}

Value ToolInfoToJson(const ToolInfo& tool) {
  Record r;
  r.Set("name", tool.name);
  if (!tool.title.empty()) r.Set("title", tool.title);
  if (!tool.description.empty()) r.Set("description", tool.description);
  r.Set("inputSchema", tool.input_schema.is_null() ? Value(Record{{"type", "object"}}) : tool.input_schema);
  if (!tool.output_schema.is_null()) r.Set("outputSchema", tool.output_schema);
  if (!tool.annotations.is_null()) r.Set("annotations", tool.annotations);
  for (const auto& [key, value] : tool.extra) r.Set(key, value);
  return Value(std::move(r));
}

ErrorOr<LockFile> ParseLockFile(std::string_view text, std::string_view file_name) {
  auto parsed = ParseJson(text);
  if (!parsed) return LockError(file_name, "not JSON: " + parsed.error().message);
  const Value& root = *parsed;
  if (!root.is_record()) return LockError(file_name, fmt::format("expected a JSON object at the top, found {}", root.kind_name()));
  if (const Value* version = root.Find("version")) {
    if (!version->is_int()) return LockError(file_name, "key `version` must be an integer");
    if (version->as_int() > kLockFormatVersion) {
      return LockError(file_name, fmt::format("lock format version {} is newer than this orchestrator understands ({}); "
                                              "regenerate it with `orchestrator tools lock`",
                                              version->as_int(), kLockFormatVersion));
    }
  }
  LockFile lock;
  const Value* servers = root.Find("servers");
  if (servers == nullptr) return lock;
  if (!servers->is_record()) return LockError(file_name, "key `servers` must be an object of server name to server");
  for (const auto& [name, server] : servers->as_record()) {
    if (!server.is_record()) return LockError(file_name, fmt::format("key `servers.{}` must be an object", name));
    LockedServer locked;
    if (const Value* identity = server.Find("identity")) {
      locked.identity.name = StringField(*identity, "name");
      locked.identity.version = StringField(*identity, "version");
      locked.identity.title = StringField(*identity, "title");
    }
    locked.protocol_version = StringField(server, "protocolVersion");
    locked.transport = StringField(server, "transport");
    if (const Value* tools = server.Find("tools")) {
      if (!tools->is_list()) return LockError(file_name, fmt::format("key `servers.{}.tools` must be a list", name));
      for (size_t i = 0; i < tools->as_list().size(); ++i) {
        const Value& tool = tools->as_list()[i];
        if (!tool.is_record() || StringField(tool, "name").empty()) {
          return LockError(file_name, fmt::format("key `servers.{}.tools[{}]` must be an object with a `name`", name, i));
        }
        locked.tools.push_back(ToolInfoFromJson(tool));
      }
    }
    lock.servers.emplace(name, std::move(locked));
  }
  return lock;
}

ErrorOr<LockFile> ReadLockFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("io", fmt::format("cannot read lock file `{}`", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseLockFile(buffer.str(), path);
}

std::string WriteLockFile(const LockFile& lock) {
  Record servers;
  for (const auto& [name, server] : lock.servers) {  // std::map: already sorted
    Record identity;
    identity.Set("name", server.identity.name);
    if (!server.identity.title.empty()) identity.Set("title", server.identity.title);
    identity.Set("version", server.identity.version);
    std::vector<const ToolInfo*> sorted;
    for (const auto& tool : server.tools) sorted.push_back(&tool);
    std::sort(sorted.begin(), sorted.end(), [](const ToolInfo* a, const ToolInfo* b) { return a->name < b->name; });
    List tools;
    for (const ToolInfo* tool : sorted) tools.push_back(ToolInfoToJson(*tool));
    Record entry;
    entry.Set("identity", Value(std::move(identity)));
    entry.Set("protocolVersion", server.protocol_version);
    entry.Set("transport", server.transport);
    entry.Set("tools", Value(std::move(tools)));
    servers.Set(name, Value(std::move(entry)));
  }
  Record root;
  root.Set("version", kLockFormatVersion);
  root.Set("servers", Value(std::move(servers)));
  std::string text = ToJson(Value(std::move(root)), JsonWriteOptions{.indent = 2, .sort_keys = true});
  text.push_back('\n');
  return text;
}

std::vector<std::string> ServerDrift(std::string_view name, const LockedServer& locked, const LockedServer& live) {
  std::vector<std::string> lines;
  if (locked.protocol_version != live.protocol_version) {
    lines.push_back(fmt::format("server `{}`: protocol {} → {}", name, locked.protocol_version, live.protocol_version));
  }
  if (locked.identity.version != live.identity.version) {
    lines.push_back(fmt::format("server `{}`: version {} → {}", name, locked.identity.version, live.identity.version));
  }
  for (const auto& tool : live.tools) {
    const ToolInfo* old_tool = locked.FindTool(tool.name);
    if (old_tool == nullptr) {
      lines.push_back(fmt::format("tool `{}/{}` is new", name, tool.name));
    } else if (CanonicalJson(ToolInfoToJson(*old_tool)) != CanonicalJson(ToolInfoToJson(tool))) {
      lines.push_back(fmt::format("tool `{}/{}` changed", name, tool.name));
    }
  }
  for (const auto& tool : locked.tools) {
    if (live.FindTool(tool.name) == nullptr) lines.push_back(fmt::format("tool `{}/{}` is gone", name, tool.name));
  }
  return lines;
}

}  // namespace orch::lock
