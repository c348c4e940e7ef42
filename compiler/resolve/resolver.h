// The resolver's internal state, shared by its three parts: declarations.cpp (top-level
// names, pass 1, and declaration bodies), statements.cpp (blocks, scopes, `parallel`
// rules, control flow) and expressions.cpp (name uses, members, calls, types). Only
// resolve.cpp's Resolve() constructs it; nothing outside compiler/resolve/ includes this.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/resolve/resolve.h"

namespace orch::compiler::resolve {

class Resolver {
 public:
  Resolver(const ResolveOptions& options, DiagnosticSink& sink);
  ResolvedModule Run(const std::vector<const ast::File*>& files);

 private:
  // A lexical scope of a workflow, test or lambda body.
  struct Scope {
    std::vector<SymbolId> symbols;
  };
  // An enclosing `parallel { … }` block and the branch being resolved.
  struct ParallelFrame {
    const ast::ParallelStmt* stmt = nullptr;
    size_t branch = 0;
    size_t scope_depth = 0;  // the scope its branches bind into
  };
  // Which branch of which parallel block bound a symbol (one entry per enclosing block).
  struct BranchTag {
    const ast::ParallelStmt* stmt = nullptr;
    size_t branch = 0;
  };
  // Where a body is: what `return`, `mock` and test built-ins may do there.
  struct BodyContext {
    bool in_workflow = false;
    bool in_test = false;
    const ast::AgentDecl* agent = nullptr;
  };

  // --- declarations.cpp ---
  void DeclareGlobals(const ast::File& file);
  void DeclareGlobal(SymbolId id);
  void ResolveDecl(const ast::Decl& decl);
  void ResolveWorkflow(const ast::WorkflowDecl& workflow, const ast::AgentDecl* agent);
  void ResolveAgent(const ast::AgentDecl& agent);
  void ResolveTest(const ast::TestDecl& test);
  void CheckConfigured(const ast::UseDecl& use);

  // --- statements.cpp ---
  void ResolveBlock(const ast::Block& block);
  void ResolveStatements(const std::vector<ast::StmtPtr>& statements);
  void ResolveStmt(const ast::Stmt& stmt);
  void ResolveAssign(const ast::AssignStmt& stmt);
  void ResolveFor(const ast::ForStmt& stmt);
  void ResolveParallel(const ast::ParallelStmt& stmt);
  void ResolveReturn(const ast::ReturnStmt& stmt);
  void PushScope();
  void PopScope();
  SymbolId DeclareLocal(Symbol symbol);

  // --- expressions.cpp ---
  void ResolveExpr(const ast::Expr& expr);
  void ResolveName(const ast::NameExpr& name);
  void ResolveCallee(const ast::Expr& callee);
  void ResolveMember(const ast::MemberExpr& member, bool callee);
  void ResolveCall(const ast::CallExpr& call);
  void ResolveArguments(const std::vector<ast::Argument>& args);
  void ResolveWith(const ast::WithExpr& with);
  void ResolveLambda(const ast::LambdaExpr& lambda);
  void ResolveDuration(const ast::DurationExpr& duration);
  void ResolveType(const ast::TypeExpr& type);
  void CheckAgentUses(const ToolRef& ref, Span span);
  void CheckSiblingRead(SymbolId id, Span use);
  bool ReportSiblingDeclaration(const std::string& name, Span use);
  /// The innermost symbol named `name`: locals, then the agent's own workflows, then
  /// globals, then built-ins. Returns false when nothing matches.
  bool LookupValue(const std::string& name, SymbolId& out) const;
  /// Every name visible here, for did-you-mean.
  std::vector<std::string> VisibleNames(bool callables_only) const;
  /// Adds "there is … with a similar name" help and a fix-it when one is close enough.
  void SuggestName(Diagnostic& d, std::string_view name, Span span, const std::vector<std::string>& candidates,
                   std::string_view what);

  SymbolId AddSymbol(Symbol symbol);

  const ResolveOptions& options_;
  DiagnosticSink& sink_;
  ResolvedModule module_;
  std::unordered_map<std::string, SymbolId> builtins_;
  /// Each agent's workflows by name.
  std::unordered_map<const ast::AgentDecl*, std::unordered_map<std::string, SymbolId>> agent_workflows_;
  std::vector<Scope> scopes_;
  std::vector<ParallelFrame> parallel_frames_;
  /// Scope depth of the body of each enclosing `for … parallel` loop.
  std::vector<size_t> parallel_loops_;
  /// Per symbol: the parallel branches that bound it, and its scope depth (0 = global).
  std::vector<std::vector<BranchTag>> branch_tags_;
  std::vector<size_t> depth_of_;
  BodyContext body_;
};

}  // namespace orch::compiler::resolve
