// ToolResultText / ToolResultIsError.
#include "runtime/mcp/tool_result.h"

#include <fmt/format.h>

#include "runtime/value/json.h"

namespace orch::mcp {
namespace {

std::string Str(const Value& record, std::string_view key) {
  const Value* v = record.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

/// Size in bytes of base64 `data` once decoded.
size_t DecodedSize(const std::string& data) {
  size_t padding = 0;
  for (size_t i = data.size(); i > 0 && data[i - 1] == '='; --i) ++padding;
  return data.size() / 4 * 3 - std::min<size_t>(padding, 2);
}

std::string BlockText(const Value& block) {
  std::string type = Str(block, "type");
  if (type == "text") return Str(block, "text");
  if (type == "image" || type == "audio") {
    return fmt::format("[{} {}, {} bytes]", type, Str(block, "mimeType"), DecodedSize(Str(block, "data")));
  }
  if (type == "resource_link") {
    std::string name = Str(block, "name");
    return fmt::format("[resource_link {}{}]", Str(block, "uri"), name.empty() ? "" : " (" + name + ")");
  }
  if (type == "resource") {
    const Value resource = block.Get("resource");
    if (resource.Find("text")) return Str(resource, "text");
    std::string mime = Str(resource, "mimeType");
    return fmt::format("[resource {}{}, {} bytes]", Str(resource, "uri"), mime.empty() ? "" : " " + mime,
                       DecodedSize(Str(resource, "blob")));
  }
  return fmt::format("[{} content]", type.empty() ? "unknown" : type);
}

}  // namespace

std::string ToolResultText(const Value& result) {
  std::string text;
  const Value* content = result.Find("content");
  bool any = false;
  if (content != nullptr && content->is_list()) {
    for (const Value& block : content->as_list()) {
      if (any) text += '\n';
      text += BlockText(block);
      any = true;
    }
  }
  if (!any) {
    if (const Value* structured = result.Find("structuredContent"); structured && !structured->is_null()) {
      return ToJson(*structured, JsonWriteOptions{.indent = 2});
    }
  }
  return text;
}

bool ToolResultIsError(const Value& result) {
  const Value* flag = result.Find("isError");
  return flag != nullptr && flag->is_bool() && flag->as_bool();
}

}  // namespace orch::mcp
