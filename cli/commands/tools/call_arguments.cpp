// `tools call` arguments against the inputSchema; see call_arguments.h.
#include "cli/commands/tools/call_arguments.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/commands/tools/schema_text.h"
#include "compiler/diagnostics/diagnostic.h"
#include "runtime/interp/output_schema.h"
#include "runtime/value/json.h"

namespace orch::cli::tools {
namespace {

/// Whether the schema of a property accepts only strings (and perhaps null).
bool TakesText(const Value& property) {
  const Value type = property.Get("type");
  if (type.is_string()) return type.as_string() == "string";
  if (!type.is_list() || type.as_list().empty()) return false;
  bool string = false;
  for (const Value& t : type.as_list()) {
    if (!t.is_string() || (t.as_string() != "string" && t.as_string() != "null")) return false;
    string |= t.as_string() == "string";
  }
  return string;
}

std::vector<std::string> RequiredNames(const Value& schema) {
  std::vector<std::string> names;
  const Value required = schema.Get("required");
  if (!required.is_list()) return names;
  for (const Value& r : required.as_list()) {
    if (r.is_string()) names.push_back(r.as_string());
  }
  return names;
}

/// `name (type)` for each name, joined with commas.
std::string Described(const std::vector<std::string>& names, const Record& properties) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    const Value* property = properties.Find(name);
    out += property ? fmt::format("`{}` ({})", name, OneLine(SchemaType(*property), 40)) : fmt::format("`{}`", name);
  }
  return out;
}

}  // namespace

ErrorOr<RawArgument> SplitArgument(const std::string& written) {
  size_t eq = written.find('=');
  if (eq == std::string::npos || eq == 0) {
    return MakeError("usage", fmt::format("--arg `{}`: expected NAME=VALUE\n  = help: for example --arg message=hello", written));
  }
  return RawArgument{written.substr(0, eq), written.substr(eq + 1)};
}

Value BuildArguments(const Value& base, const std::vector<RawArgument>& raw, const Value& input_schema) {
  Record arguments = base.is_record() ? base.as_record() : Record();
  const Value* properties = input_schema.Find("properties");
  for (const RawArgument& arg : raw) {
    const Value* property = properties && properties->is_record() ? properties->Find(arg.name) : nullptr;
    if (property && TakesText(*property)) {
      arguments.Set(arg.name, Value(arg.text));
      continue;
    }
    auto parsed = ParseJson(arg.text);
    arguments.Set(arg.name, parsed ? *parsed : Value(arg.text));
  }
  return Value(std::move(arguments));
}

std::optional<std::string> CheckArguments(const Value& arguments, const Value& input_schema, const std::string& call) {
  if (!input_schema.is_record() || !arguments.is_record()) return std::nullopt;
  const Value properties_value = input_schema.Get("properties");
  const Record properties = properties_value.is_record() ? properties_value.as_record() : Record();
  std::vector<std::string> known;
  for (const auto& property : properties) known.push_back(property.first);
  std::vector<std::string> required = RequiredNames(input_schema);

  // Names the tool does not declare are refused, as the checker refuses them in `.orch`
  // calls, unless the schema says it takes other names (`additionalProperties` other than
  // false, or `patternProperties`); the validator below then judges them.
  const Value* additional = input_schema.Find("additionalProperties");
  bool closed = !known.empty() && !input_schema.Find("patternProperties") &&
                (additional == nullptr || (additional->is_bool() && !additional->as_bool()));
  if (closed) {
    for (const auto& [name, value] : arguments.as_record()) {
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string message = fmt::format("the tool has no parameter `{}`\n  = note: it takes {}", name,
                                        Described(known, properties));
      if (auto similar = compiler::SuggestSimilar(name, known)) {
        message += fmt::format("\n  = help: a parameter with a similar name exists: `{}`", *similar);
      }
      return message;
    }
  }

  std::vector<std::string> missing;
  for (const std::string& name : required) {
    if (!arguments.as_record().Find(name)) missing.push_back(name);
  }
  if (!missing.empty()) {
    std::string example = call;
    for (const std::string& name : required) example += fmt::format(" --arg {}=…", name);
    return fmt::format("missing required argument{} {}\n  = help: {}", missing.size() == 1 ? "" : "s",
                       Described(missing, properties), example);
  }

  auto validator = interp::OutputSchemaValidator::Compile(input_schema);
  if (!validator) return std::nullopt;  // a schema valijson cannot use: the server still checks
  if (auto problem = (*validator)->Check(arguments)) {
    return fmt::format("the arguments do not match the tool's inputSchema: {}\n  = note: the tool takes {}", *problem,
                       Described(known, properties));
  }
  return std::nullopt;
}

}  // namespace orch::cli::tools
