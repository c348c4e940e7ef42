// Small queries over resolved symbols and the side tables.
#include "compiler/resolve/resolve.h"

namespace orch::compiler::resolve {

bool IsLocal(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kLet:
    case SymbolKind::kVar:
    case SymbolKind::kParam:
    case SymbolKind::kLambdaParam:
    case SymbolKind::kLoopVar:
    case SymbolKind::kCatchVar:
      return true;
    default:
      return false;
  }
}

std::string_view Describe(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kLet: return "a `let` binding";
    case SymbolKind::kVar: return "a `var` binding";
    case SymbolKind::kParam: return "a parameter";
    case SymbolKind::kLambdaParam: return "a lambda parameter";
    case SymbolKind::kLoopVar: return "a loop variable";
    case SymbolKind::kCatchVar: return "a `catch` binding";
    case SymbolKind::kWorkflow: return "a workflow";
    case SymbolKind::kAgent: return "an agent";
    case SymbolKind::kTypeAlias: return "a type";
    case SymbolKind::kServer: return "a server";
    case SymbolKind::kBuiltin: return "a built-in function";
  }
  return "a name";
}

const Symbol* ResolvedModule::Lookup(const ast::NameExpr& name) const {
  auto it = names.find(&name);
  return it == names.end() ? nullptr : &symbols[it->second];
}

const ToolRef* ResolvedModule::Tool(const ast::MemberExpr& member) const {
  auto it = tools.find(&member);
  return it == tools.end() ? nullptr : &it->second;
}

const ast::TypeAliasDecl* ResolvedModule::Alias(const ast::NamedType& type) const {
  auto it = types.find(&type);
  return it == types.end() ? nullptr : symbols[it->second].type_alias;
}

const Symbol* ResolvedModule::Global(std::string_view name) const {
  auto it = globals.find(std::string(name));
  return it == globals.end() ? nullptr : &symbols[it->second];
}

}  // namespace orch::compiler::resolve
