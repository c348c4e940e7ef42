// DescribeWorkflows: AST (names, doc comments, defaults) + checker signatures (types) + IR
// (what each workflow calls) → MCP tool descriptions. See workflow_tools.h.
#include "runtime/serve/workflow_tools.h"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <set>

#include "compiler/types/json_schema.h"

namespace orch::serve {
namespace {

namespace ast = compiler::ast;

/// The value of a default written as a constant, or nullopt when it is computed.
std::optional<Value> ConstantValue(const ast::Expr& expr) {
  switch (expr.kind()) {
    case ast::ExprKind::kInt:
      return Value(ast::Cast<ast::IntExpr>(expr).value);
    case ast::ExprKind::kNumber:
      return Value(ast::Cast<ast::NumberExpr>(expr).value);
    case ast::ExprKind::kBool:
      return Value(ast::Cast<ast::BoolExpr>(expr).value);
    case ast::ExprKind::kNull:
      return Value();
    case ast::ExprKind::kString: {
      auto text = ast::Cast<ast::StringExpr>(expr).PlainValue();
      if (!text) return std::nullopt;
      return Value(*text);
    }
    case ast::ExprKind::kDuration: {
      auto ms = ast::Cast<ast::DurationExpr>(expr).TotalMilliseconds();
      if (!ms) return std::nullopt;
      return Value(*ms);
    }
    case ast::ExprKind::kUnary: {
      const auto& unary = ast::Cast<ast::UnaryExpr>(expr);
      if (unary.op != ast::UnaryOp::kNeg || !unary.operand) return std::nullopt;
      auto inner = ConstantValue(*unary.operand);
      if (!inner || !inner->is_numeric()) return std::nullopt;
      return inner->is_int() ? Value(-inner->as_int()) : Value(-inner->as_number());
    }
    case ast::ExprKind::kList: {
      List items;
      for (const auto& element : ast::Cast<ast::ListExpr>(expr).elements) {
        auto item = element ? ConstantValue(*element) : std::nullopt;
        if (!item) return std::nullopt;
        items.push_back(std::move(*item));
      }
      return Value(std::move(items));
    }
    case ast::ExprKind::kRecord: {
      Record record;
      for (const auto& field : ast::Cast<ast::RecordExpr>(expr).fields) {
        auto value = field.value ? ConstantValue(*field.value) : std::nullopt;
        if (!value) return std::nullopt;
        record.Set(field.key.name, std::move(*value));
      }
      return Value(std::move(record));
    }
    default:
      return std::nullopt;
  }
}

/// The parameter record's schema with each constant default added to its property.
Value InputSchema(const ast::WorkflowDecl& decl, const types::TypeRef& params) {
  Value schema = types::ToJsonSchema(params);
  if (!schema.is_record()) return Value(Record{{"type", "object"}});
  Record root = schema.as_record();
  Value properties = schema.Get("properties");
  if (!properties.is_record()) return Value(std::move(root));
  Record with_defaults = properties.as_record();
  for (const ast::Param& param : decl.params) {
    if (!param.default_value) continue;
    auto value = ConstantValue(*param.default_value);
    const Value* property = with_defaults.Find(param.name.name);
    if (!value || property == nullptr || !property->is_record()) continue;
    Record updated = property->as_record();
    updated.Set("default", std::move(*value));
    with_defaults.Set(param.name.name, Value(std::move(updated)));
  }
  root.Set("properties", Value(std::move(with_defaults)));
  // A workflow takes exactly its parameters: any other argument is a mistake to report.
  root.Set("additionalProperties", false);
  return Value(std::move(root));
}

/// Hints of one tool, MCP's defaults filled in.
struct Hints {
  bool read_only = false;
  bool destructive = true;
  bool idempotent = false;
  bool open_world = true;
};

Hints ToolHints(const compiler::check::ToolCatalog* catalog, const std::string& server,
                const std::string& tool) {
  Hints hints;
  const compiler::check::CatalogServer* found = catalog ? catalog->Find(server) : nullptr;
  const compiler::check::CatalogTool* entry = found ? found->Find(tool) : nullptr;
  if (entry == nullptr || !entry->annotations.is_record()) return hints;
  auto flag = [&](const char* name, bool fallback) {
    Value v = entry->annotations.Get(name);
    return v.is_bool() ? v.as_bool() : fallback;
  };
  hints.read_only = flag("readOnlyHint", false);
  hints.destructive = flag("destructiveHint", true);
  hints.idempotent = flag("idempotentHint", false);
  hints.open_world = flag("openWorldHint", true);
  return hints;
}

}  // namespace

Value DeriveAnnotations(const ir::Module& module, uint32_t entry,
                        const compiler::check::ToolCatalog* catalog) {
  bool read_only = true;
  bool destructive = false;
  bool idempotent = true;
  bool open_world = false;
  std::set<uint32_t> seen;
  std::vector<uint32_t> pending = {entry};
  while (!pending.empty()) {
    uint32_t index = pending.back();
    pending.pop_back();
    if (index >= module.functions.size() || !seen.insert(index).second) continue;
    ir::ForEachInstr(module.functions[index].body, [&](const ir::Instr& instr) {
      if (instr.op == ir::Op::kCallWorkflow) {
        pending.push_back(instr.imm);
      } else if (instr.op == ir::Op::kCallTool && instr.call) {
        const ir::Server& server = module.servers[instr.call->server];
        Hints hints =
            ToolHints(catalog, server.config_name.empty() ? server.alias : server.config_name,
                      instr.call->tool);
        read_only = read_only && hints.read_only;
        destructive = destructive || (!hints.read_only && hints.destructive);
        idempotent = idempotent && (hints.read_only || hints.idempotent);
        open_world = open_world || hints.open_world;
      }
    });
  }
  return Value(Record{{"readOnlyHint", read_only},
                      {"destructiveHint", destructive},
                      {"idempotentHint", idempotent},
                      {"openWorldHint", open_world}});
}

std::vector<ServedWorkflow> DescribeWorkflows(const compiler::CompiledFile& root,
                                              const ir::Module& module) {
  std::vector<ServedWorkflow> served;
  if (!root.ast || !root.checked) return served;
  std::string file_name = std::filesystem::path(root.path).filename().string();
  for (const auto& decl : root.ast->declarations) {
    const auto* workflow = ast::DynCast<ast::WorkflowDecl>(decl.get());
    if (workflow == nullptr || workflow->name.name.empty() || workflow->name.name.front() == '_')
      continue;
    uint32_t entry = module.FindFunction(workflow->name.name);
    if (entry == ir::kNone || module.functions[entry].agent != ir::kNone) continue;
    const compiler::check::WorkflowSignature* signature = root.checked->Signature(*workflow);
    if (signature == nullptr) continue;

    ServedWorkflow tool;
    tool.entry = entry;
    tool.descriptor.name = workflow->name.name;
    tool.descriptor.description =
        workflow->doc && !workflow->doc->text.empty()
            ? workflow->doc->text
            : fmt::format("Runs the workflow `{}` of {}", workflow->name.name, file_name);
    tool.descriptor.input_schema = InputSchema(*workflow, signature->params);
    types::TypeRef result = signature->result;
    if (result && types::Resolve(result)->kind() != types::TypeKind::kNull) {
      if (types::IsObjectType(result)) {
        tool.descriptor.output_schema = types::ToJsonSchema(result);
      } else {
        tool.wrap_result = true;
        Value inner = types::ToJsonSchema(result);
        Record wrapper{{"type", "object"}};
        // `$defs` must stay at the root for `#/$defs/…` references to resolve.
        Value defs = inner.Get("$defs");
        if (!defs.is_null()) {
          Record without = inner.as_record();
          without.Erase("$defs");
          inner = Value(std::move(without));
        }
        wrapper.Set("properties", Value(Record{{"result", inner}}));
        wrapper.Set("required", Value(List{Value("result")}));
        if (!defs.is_null()) wrapper.Set("$defs", defs);
        tool.descriptor.output_schema = Value(std::move(wrapper));
      }
    }
    tool.descriptor.annotations = DeriveAnnotations(module, entry, root.checked->catalog.get());
    for (const ast::Param& param : workflow->params) tool.params.push_back(param.name.name);
    served.push_back(std::move(tool));
  }
  return served;
}

}  // namespace orch::serve
