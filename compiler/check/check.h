// The type checker: the phase after name resolution. It gives every expression a type
// (`TypeOf`), every workflow a signature, and reports every type error of DESIGN.md §4 "What
// the checker must catch" (E03xx): unknown tools and parameters against the locked schemas,
// missing required parameters, argument/field/return/condition type mismatches,
// possibly-null values, wrong built-in arguments, mocks a tool could not return.
//
// Pure: AST + resolution + tool catalog in, side tables out, diagnostics into the sink. It
// trusts the resolver: a name the resolver did not resolve already has an error and is typed
// `any` here, so one mistake gives one message.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/tool_catalog.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/resolve/resolve.h"
#include "compiler/types/type.h"

namespace orch::compiler::check {

/// A workflow's type: its parameters as a record (parameters with defaults optional) and its
/// result (the declared `-> T`, else the join of its `return` values, `null` without any).
struct WorkflowSignature {
  std::string name;
  types::TypeRef params;
  types::TypeRef result;
  bool declared_result = false;
};

/// What a call expression calls, for the IR builder.
struct CallTarget {
  enum class Kind : uint8_t { kTool, kWorkflow, kBuiltin, kUnknown };
  Kind kind = Kind::kUnknown;
  /// kTool: configured server name and tool name; kBuiltin: the spelling.
  std::string server;
  std::string name;
  /// kTool: the catalog entry (owned by the CheckResult's catalog).
  const CatalogTool* tool = nullptr;
  /// kWorkflow: the declaration.
  const ast::WorkflowDecl* workflow = nullptr;
};

/// The checker's side tables. Types stay valid as long as this object lives.
struct CheckResult {
  std::unordered_map<const ast::Expr*, types::TypeRef> expr_types;
  std::unordered_map<const ast::WorkflowDecl*, WorkflowSignature> workflows;
  std::unordered_map<const ast::TypeAliasDecl*, types::TypeRef> aliases;
  /// The type of each local binding (let, var, parameter, loop and catch variable, lambda
  /// parameter), by resolver symbol.
  std::unordered_map<resolve::SymbolId, types::TypeRef> bindings;
  std::unordered_map<const ast::CallExpr*, CallTarget> calls;
  /// Keeps named alias slots alive (recursive aliases refer back to them weakly).
  std::vector<std::shared_ptr<types::NamedDef>> alias_defs;
  std::shared_ptr<const ToolCatalog> catalog;

  /// The type of `expr`; `any` for expressions the checker did not reach.
  types::TypeRef TypeOf(const ast::Expr& expr) const;
  /// The signature of `workflow`, or nullptr.
  const WorkflowSignature* Signature(const ast::WorkflowDecl& workflow) const;
};

/// Type-checks `files` (as given to the resolver) against `catalog`.
CheckResult Check(const std::vector<const ast::File*>& files, const resolve::ResolvedModule& resolved,
                  std::shared_ptr<const ToolCatalog> catalog, DiagnosticSink& sink);

/// The type of a caught error: `{kind: string, message: string}`.
types::TypeRef ErrorType();

}  // namespace orch::compiler::check
