// SchemaType / OneLine.
#include "cli/commands/tools/schema_text.h"

#include <fmt/format.h>

#include <vector>

#include "runtime/value/json.h"

namespace orch::cli::tools {

std::string SchemaType(const Value& schema, int depth) {
  if (!schema.is_record()) return schema.is_bool() && !schema.as_bool() ? "never" : "any";
  if (const Value* ref = schema.Find("$ref"); ref && ref->is_string()) {
    const std::string& path = ref->as_string();
    return path.substr(path.rfind('/') + 1);
  }
  if (const Value* c = schema.Find("const")) return ToJson(*c);
  if (const Value* options = schema.Find("enum"); options && options->is_list()) {
    std::vector<std::string> parts;
    for (const Value& o : options->as_list()) parts.push_back(ToJson(o));
    return fmt::format("{}", fmt::join(parts, " | "));
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    if (const Value* options = schema.Find(key); options && options->is_list()) {
      std::vector<std::string> parts;
      for (const Value& o : options->as_list()) parts.push_back(SchemaType(o, depth));
      return fmt::format("{}", fmt::join(parts, " | "));
    }
  }
  const Value type = schema.Get("type");
  if (type.is_list()) {
    std::vector<std::string> parts;
    for (const Value& t : type.as_list()) {
      Record single = schema.as_record();
      single.Set("type", t);
      parts.push_back(SchemaType(Value(std::move(single)), depth));
    }
    return fmt::format("{}", fmt::join(parts, " | "));
  }
  std::string name = type.is_string() ? type.as_string() : "";
  if (name == "integer") return "int";
  if (name == "boolean") return "bool";
  if (name == "string" || name == "number" || name == "null") return name;
  if (name == "array") return "[" + SchemaType(schema.Get("items"), depth + 1) + "]";
  if (name == "object" || schema.Find("properties")) {
    const Value* properties = schema.Find("properties");
    if (properties == nullptr || !properties->is_record() || properties->as_record().empty()) return "record";
    if (depth >= 2) return "{…}";
    std::vector<std::string> fields;
    const Value required = schema.Get("required");
    for (const auto& [field, sub] : properties->as_record()) {
      bool is_required = false;
      if (required.is_list()) {
        for (const Value& r : required.as_list()) is_required |= r.is_string() && r.as_string() == field;
      }
      fields.push_back(fmt::format("{}{}: {}", field, is_required ? "" : "?", SchemaType(sub, depth + 1)));
    }
    return "{" + fmt::format("{}", fmt::join(fields, ", ")) + "}";
  }
  return "any";
}

std::string OneLine(const std::string& text, size_t width) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  if (line.size() > width) {
    size_t cut = width > 1 ? width - 1 : 0;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    line = line.substr(0, cut) + "…";
  }
  return line;
}

}  // namespace orch::cli::tools
