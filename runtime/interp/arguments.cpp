// Binding and checking command-line arguments of a workflow.
#include "runtime/interp/arguments.h"

#include <fmt/format.h>

#include "compiler/diagnostics/diagnostic.h"
#include "runtime/value/json.h"

namespace orch::interp {
namespace {

bool Matches(ir::TypeTag tag, const Value& v) {
  switch (tag) {
    case ir::TypeTag::kAny: return true;
    case ir::TypeTag::kNull: return v.is_null();
    case ir::TypeTag::kBool: return v.is_bool();
    case ir::TypeTag::kInt: return v.is_int();
    case ir::TypeTag::kNumber: return v.is_numeric();
    case ir::TypeTag::kString: return v.is_string();
    case ir::TypeTag::kList: return v.is_list();
    case ir::TypeTag::kRecord: return v.is_record();
  }
  return true;
}

std::string Shorten(std::string_view s) {
  return s.size() <= 40 ? std::string(s) : std::string(s.substr(0, 40)) + "…";
}

}  // namespace

std::optional<std::string> CheckArgumentType(const ir::Param& param, const Value& value) {
  if (value.is_null() && (param.nullable || param.type == ir::TypeTag::kNull)) return std::nullopt;
  if (Matches(param.type, value)) return std::nullopt;
  return fmt::format("expected {}, got {} `{}`", param.type_text, value.kind_name(), Shorten(ToJson(value)));
}

std::pair<std::vector<std::optional<Value>>, std::vector<ArgumentProblem>> BindArguments(
    const ir::Function& fn, const std::vector<std::string>& pairs, const Value& json) {
  std::vector<std::optional<Value>> values(fn.params.size());
  std::vector<ArgumentProblem> problems;
  std::vector<std::string> names;
  for (const ir::Param& p : fn.params) names.push_back(p.name);

  auto index_of = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < fn.params.size(); ++i) {
      if (fn.params[i].name == name) return i;
    }
    std::string problem = fmt::format("workflow `{}` has no parameter `{}`", fn.name, name);
    if (auto similar = compiler::SuggestSimilar(name, names)) {
      problem += fmt::format(" (did you mean `{}`?)", *similar);
    } else if (!names.empty()) {
      problem += fmt::format(" (it takes {})", fmt::join(names, ", "));
    } else {
      problem += " (it takes none)";
    }
    problems.push_back({name, std::move(problem)});
    return std::nullopt;
  };
  auto set = [&](size_t i, Value v) {
    if (auto why = CheckArgumentType(fn.params[i], v)) {
      problems.push_back({fn.params[i].name, *why});
      return;
    }
    values[i] = std::move(v);
  };

  if (json.is_record()) {
    for (const auto& [key, v] : json.as_record()) {
      if (auto i = index_of(key)) set(*i, v);
    }
  } else if (!json.is_null()) {
    problems.push_back({"--args-json", fmt::format("expected a JSON object, got {}", json.kind_name())});
  }

  for (const std::string& pair : pairs) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      problems.push_back({pair, "write `--arg name=value`"});
      continue;
    }
    std::string name = pair.substr(0, eq);
    std::string text = pair.substr(eq + 1);
    auto i = index_of(name);
    if (!i) continue;
    const ir::Param& param = fn.params[*i];
    if (param.type == ir::TypeTag::kString) {
      set(*i, Value(text));
      continue;
    }
    auto parsed = ParseJson(text);
    if (parsed) {
      set(*i, std::move(*parsed));
    } else if (param.type == ir::TypeTag::kAny) {
      set(*i, Value(text));
    } else {
      problems.push_back({name, fmt::format("expected {}, got `{}`, which is not a JSON value", param.type_text,
                                            Shorten(text))});
    }
  }
  return {std::move(values), std::move(problems)};
}

}  // namespace orch::interp
