// The std server's tools as MCP Tool records, from stdlib/std_server/std_tools.def.
#include "compiler/check/std_tools.h"

#include "runtime/value/json.h"

namespace orch::compiler::check {

namespace {

struct StdToolRow {
  const char* name;
  const char* description;
  const char* input_schema;
  bool read_only;
  bool idempotent;
  bool destructive;
  bool open_world;
};

constexpr StdToolRow kStdToolRows[] = {
#define ORCH_STD_TOOL(Name, Spelling, Description, InputSchema, ReadOnly, Idempotent, Destructive, OpenWorld) \
  {Spelling, Description, InputSchema, ReadOnly, Idempotent, Destructive, OpenWorld},
#include "stdlib/std_server/std_tools.def"
};

}  // namespace

const Value& StdTools() {
  static const Value tools = [] {
    List list;
    for (const StdToolRow& row : kStdToolRows) {
      Record tool;
      tool.Set("name", row.name);
      tool.Set("description", row.description);
      auto schema = ParseJson(row.input_schema);
      // A schema that does not parse would be a bug in the table; a unit test parses each.
      tool.Set("inputSchema", schema.ok() ? *schema : Value(Record{{"type", "object"}}));
      tool.Set("annotations", Value(Record{{"readOnlyHint", row.read_only},
                                           {"idempotentHint", row.idempotent},
                                           {"destructiveHint", row.destructive},
                                           {"openWorldHint", row.open_world}}));
      list.push_back(Value(std::move(tool)));
    }
    return Value(std::move(list));
  }();
  return tools;
}

}  // namespace orch::compiler::check
