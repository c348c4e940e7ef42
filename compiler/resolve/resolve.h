// Name resolution: the phase between parsing and type checking. It takes the parsed files
// of one program (the root file and every file it imports) and builds a side table that
// maps each name use in the AST to the symbol it denotes: a `let`/`var` binding, a
// parameter, a lambda parameter, a loop or `catch` variable, a workflow, an agent (and its
// workflows), a type alias, a server (`use` or `server`), or a built-in function. The AST is
// not modified; later phases look nodes up in the table by address.
//
// It also reports every error that needs names but no types (E02xx, W01xx in
// compiler/diagnostics/kinds.def): undefined and duplicate names (with did-you-mean),
// unknown workflows/agents/types/servers, servers missing from the configuration, bad
// durations, assignments to immutable or undeclared names, `parallel` races (a branch
// reading a sibling's binding, a parallel loop assigning an outer `var`), misplaced
// `return`/`mock`, tools an agent calls outside its `uses`, unused and shadowed bindings,
// and unreachable statements.
//
// For the type checker (compiler/check/): every NameExpr that resolved is in `names`,
// every `server.tool` member expression is in `tools`, every `agent.workflow` in
// `agent_workflows`, every NamedType in `types`. A node missing from its table did not
// resolve and already has an error: skip it rather than report again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace orch::compiler::resolve {

/// What a symbol is. Value bindings come first; see IsLocal().
enum class SymbolKind : uint8_t {
  kLet,          ///< `let x = …`
  kVar,          ///< `var x = …` (the only assignable kind)
  kParam,        ///< a workflow parameter
  kLambdaParam,  ///< `x => …`
  kLoopVar,      ///< `for x in …`
  kCatchVar,     ///< `catch e { … }`
  kWorkflow,     ///< a top-level workflow, or a workflow of an agent (`agent` is set)
  kAgent,        ///< `agent name { … }`
  kTypeAlias,    ///< `type Name = …`
  kServer,       ///< `use name [= "configured"]` or `server name = stdio(…)`
  kBuiltin,      ///< a built-in function (grammar/builtins.def)
};

/// Index of a symbol in ResolvedModule::symbols.
using SymbolId = uint32_t;

/// One declared name. Exactly the pointers that fit `kind` are set.
struct Symbol {
  SymbolKind kind = SymbolKind::kLet;
  std::string name;
  /// The name at its declaration; invalid for built-ins.
  Span span;
  const ast::LetStmt* let = nullptr;               ///< kLet
  const ast::VarStmt* var = nullptr;               ///< kVar
  const ast::Param* param = nullptr;               ///< kParam
  const ast::LambdaParam* lambda_param = nullptr;  ///< kLambdaParam
  const ast::ForStmt* loop = nullptr;              ///< kLoopVar
  const ast::TryStmt* catch_stmt = nullptr;        ///< kCatchVar
  const ast::WorkflowDecl* workflow = nullptr;     ///< kWorkflow; also kParam (the owner)
  const ast::AgentDecl* agent = nullptr;           ///< kAgent; kWorkflow inside an agent
  const ast::TypeAliasDecl* type_alias = nullptr;  ///< kTypeAlias
  const ast::UseDecl* use = nullptr;               ///< kServer declared by `use`
  const ast::ServerDecl* server_decl = nullptr;    ///< kServer declared by `server`
  /// kServer: the server's name in the configuration (`google-maps` for
  /// `use maps = "google-maps"`), or the declared name for a `server` declaration.
  std::string server_name;
  /// kBuiltin: the spelling in grammar/builtins.def, and whether it is test-only.
  bool test_only = false;
  /// How many times the symbol is read (assignments do not count).
  uint32_t reads = 0;
};

/// True for symbols bound inside a workflow or test body (bindings, parameters, loop and
/// catch variables, lambda parameters).
bool IsLocal(SymbolKind kind);
/// "a `let` binding", "a parameter", … for messages.
std::string_view Describe(SymbolKind kind);

/// A `server.tool` reference: the server symbol and the tool's name as written (the type
/// checker looks the tool up in the server's locked schemas).
struct ToolRef {
  SymbolId server = 0;
  std::string tool;
  Span tool_span;
};

/// The resolver's result: the symbols and the side tables over the AST.
struct ResolvedModule {
  std::vector<Symbol> symbols;
  /// Every resolved NameExpr (values, callees, assignment targets, mock targets).
  std::unordered_map<const ast::NameExpr*, SymbolId> names;
  /// Every `server.tool` MemberExpr (calls, mock targets, `calls(…)` arguments).
  std::unordered_map<const ast::MemberExpr*, ToolRef> tools;
  /// Every `agent.workflow` MemberExpr → the kWorkflow symbol of the agent's workflow.
  std::unordered_map<const ast::MemberExpr*, SymbolId> agent_workflows;
  /// Every NamedType → its kTypeAlias symbol.
  std::unordered_map<const ast::NamedType*, SymbolId> types;
  /// Top-level value names (workflows, agents, servers) → symbol, over all files.
  std::unordered_map<std::string, SymbolId> globals;
  /// Type alias names → symbol, over all files.
  std::unordered_map<std::string, SymbolId> type_aliases;

  const Symbol& symbol(SymbolId id) const { return symbols[id]; }
  /// The symbol a name use resolved to, or nullptr.
  const Symbol* Lookup(const ast::NameExpr& name) const;
  /// The tool a member expression names, or nullptr when it is not a `server.tool`.
  const ToolRef* Tool(const ast::MemberExpr& member) const;
  /// The alias a named type refers to, or nullptr.
  const ast::TypeAliasDecl* Alias(const ast::NamedType& type) const;
  /// A top-level workflow, agent or server by name, or nullptr.
  const Symbol* Global(std::string_view name) const;
};

/// Inputs besides the AST.
struct ResolveOptions {
  /// Names of the servers in the configuration. `std` (built in) is always known.
  std::vector<std::string> configured_servers;
};

/// Resolves `files` (the root file first, then its imports in load order; declarations of
/// all of them share one namespace). Always returns the table it could build; errors and
/// warnings go to `sink`.
ResolvedModule Resolve(const std::vector<const ast::File*>& files, const ResolveOptions& options,
                       DiagnosticSink& sink);

}  // namespace orch::compiler::resolve
