// The checker's internal state, shared by its parts: check.cpp (entry, declarations,
// workflow signatures), type_exprs.cpp (written types → types), expressions.cpp (expression
// typing, fields, operators, narrowing facts), calls.cpp (tool and workflow calls),
// builtins.cpp (built-in functions) and statements.cpp (statements, returns, mocks).
// Nothing outside compiler/check/ includes this.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/check/check.h"
#include "compiler/types/assign.h"
#include "compiler/types/print.h"

namespace orch::compiler::check {

using types::TypeRef;

/// What a condition tells about names when it is true / false (`x != null`).
struct Facts {
  std::vector<std::pair<std::string, TypeRef>> when_true;
  std::vector<std::pair<std::string, TypeRef>> when_false;
};

class Checker {
 public:
  Checker(const std::vector<const ast::File*>& files, const resolve::ResolvedModule& resolved,
          std::shared_ptr<const ToolCatalog> catalog, DiagnosticSink& sink);
  CheckResult Run();

 private:
  // The workflow (or test) whose body is being checked.
  struct BodyContext {
    const ast::WorkflowDecl* workflow = nullptr;
    WorkflowSignature* signature = nullptr;
    bool in_test = false;
    /// Types of `return` values, for workflows without `-> T`.
    std::vector<TypeRef> returns;
  };

  // --- check.cpp ---
  void IndexSymbols();
  void CheckServers();
  void ComputeParams(const ast::WorkflowDecl& workflow);
  /// The signature, checking the workflow's body first when its result must be inferred.
  const WorkflowSignature& SignatureOf(const ast::WorkflowDecl& workflow);
  void CheckWorkflowBody(const ast::WorkflowDecl& workflow);
  void CheckTest(const ast::TestDecl& test);

  // --- type_exprs.cpp ---
  void DeclareAliases();
  TypeRef AliasType(const ast::TypeAliasDecl& alias);
  TypeRef Convert(const ast::TypeExpr& type);

  // --- expressions.cpp ---
  /// Types `expr` (recording it) with an optional expected type used for lambdas.
  TypeRef TypeExpr(const ast::Expr& expr, const TypeRef& expected = nullptr);
  TypeRef TypeExprInner(const ast::Expr& expr, const TypeRef& expected);
  TypeRef TypeName(const ast::NameExpr& name);
  TypeRef TypeMember(const ast::MemberExpr& member);
  TypeRef TypeIndex(const ast::IndexExpr& index);
  TypeRef TypeUnary(const ast::UnaryExpr& unary);
  TypeRef TypeBinary(const ast::BinaryExpr& binary);
  TypeRef TypeWith(const ast::WithExpr& with);
  /// Types a lambda given the parameter types its caller passes.
  TypeRef TypeLambda(const ast::LambdaExpr& lambda, const std::vector<TypeRef>& params,
                     std::string_view callee);
  /// The type of field `name` of a value of type `object` (not null); nullopt when absent.
  std::optional<TypeRef> FieldType(const TypeRef& object, const std::string& name);
  void ReportNoField(const ast::MemberExpr& member, const TypeRef& object);
  /// Reports E0306 for `expr` of nullable type `type` used where a value is needed.
  void ReportPossiblyNull(const ast::Expr& expr, const TypeRef& type, std::string_view where);
  /// Requires a bool condition; `what` is "the `if` condition", ….
  void RequireBool(const ast::Expr& expr, const TypeRef& type, std::string_view what);
  /// Narrowing facts of a condition (typing it too).
  Facts ConditionFacts(const ast::Expr& condition);
  /// The key under which narrowing facts about `expr` are stored, or "".
  std::string NarrowKey(const ast::Expr& expr) const;
  const TypeRef* Narrowed(const std::string& key) const;
  void PushFacts(const std::vector<std::pair<std::string, TypeRef>>& facts);
  void PopFacts();
  void AddFacts(const std::vector<std::pair<std::string, TypeRef>>& facts);
  void ForgetFacts(resolve::SymbolId symbol);

  // --- calls.cpp ---
  /// `expected` is the type the call's place wants (it types `hole(…)`), or null.
  TypeRef TypeCall(const ast::CallExpr& call, const ast::Expr* piped, const TypeRef& piped_type,
                   const TypeRef& expected = nullptr);
  TypeRef TypeToolCall(const ast::CallExpr& call, const ast::MemberExpr& callee,
                       const resolve::ToolRef& ref, const ast::Expr* piped);
  TypeRef TypeWorkflowCall(const std::vector<ast::Argument>& args, Span args_span,
                           const ast::WorkflowDecl& workflow, const std::string& description,
                           const ast::Expr* piped, const TypeRef& piped_type);
  /// Checks named arguments against a parameter record (tools and workflows). A piped value
  /// binds the first parameter not passed by name (workflows only).
  void CheckArguments(const std::vector<ast::Argument>& args, Span args_span, const TypeRef& params,
                      const std::string& callee, bool is_tool, const ast::Expr* piped,
                      const TypeRef& piped_type);
  /// Warns about fields of record literals in `value` that `expected` does not list (W0302).
  void CheckExtraFields(const ast::Expr& value, const TypeRef& expected, const std::string& where);
  /// The tool a `server.tool` member names, reporting unknown servers/tools; nullptr if none.
  const CatalogTool* LookupTool(const resolve::ToolRef& ref, const ast::MemberExpr& member,
                                std::string* display = nullptr);
  /// "`hits.results[0].title`" for a value of type `from` that has a part fitting `to`.
  /// Prefers a part named like `hint` (the parameter's name); without a similar name, only a
  /// single direct field is suggested.
  std::optional<std::string> FindFittingPart(const ast::Expr& expr, const TypeRef& from, const TypeRef& to,
                                             const std::string& hint = "");

  // --- builtins.cpp ---
  /// `expected` and `whole` (the call expression) are used by `hole(…)` only.
  TypeRef TypeBuiltinCall(const std::vector<ast::Argument>& args, Span args_span, const std::string& name,
                          const ast::Expr* piped, const TypeRef& piped_type, const TypeRef& expected = nullptr,
                          const ast::Expr* whole = nullptr);

  // --- statements.cpp ---
  void CheckBlock(const ast::Block& block);
  void CheckStatements(const std::vector<ast::StmtPtr>& statements);
  void CheckStmt(const ast::Stmt& stmt);
  void CheckLet(const ast::LetStmt& let);
  void CheckVar(const ast::VarStmt& var);
  void CheckAssign(const ast::AssignStmt& assign);
  void CheckIf(const ast::IfStmt& stmt);
  void CheckFor(const ast::ForStmt& stmt);
  void CheckTry(const ast::TryStmt& stmt);
  void CheckReturn(const ast::ReturnStmt& stmt);
  void CheckMock(const ast::MockStmt& stmt);
  /// True when every path through `statements` ends in `return` or `fail`.
  static bool AlwaysExits(const std::vector<ast::StmtPtr>& statements);
  static bool AlwaysExits(const ast::Stmt& stmt);

  // --- helpers (check.cpp) ---
  /// Reports `expected`-vs-`found` with a possibly-null special case; true when it fits.
  bool Expect(const ast::Expr& expr, const TypeRef& found, const TypeRef& expected, const std::string& context);
  void SetBinding(resolve::SymbolId id, TypeRef type);
  /// The recorded type of an already typed expression.
  TypeRef TypeOf(const ast::Expr& expr) const { return result_.TypeOf(expr); }
  TypeRef BindingType(resolve::SymbolId id) const;
  std::optional<resolve::SymbolId> SymbolOf(const void* declaration) const;
  /// Short source-like text of an expression for messages: `hits.results[0]`, `f(…)`.
  static std::string ExprText(const ast::Expr& expr);

  const std::vector<const ast::File*>& files_;
  const resolve::ResolvedModule& resolved_;
  std::shared_ptr<const ToolCatalog> catalog_;
  DiagnosticSink& sink_;
  CheckResult result_;

  /// Declaration node (LetStmt, VarStmt, Param, LambdaParam, ForStmt, TryStmt) → symbol.
  std::unordered_map<const void*, resolve::SymbolId> symbol_of_;
  /// Type aliases: slots and conversion state.
  std::unordered_map<const ast::TypeAliasDecl*, std::shared_ptr<types::NamedDef>> alias_defs_;
  std::unordered_set<const ast::TypeAliasDecl*> aliases_in_progress_;
  std::unordered_set<const ast::TypeAliasDecl*> aliases_done_;
  /// Workflows whose bodies were checked / are being checked.
  std::unordered_set<const ast::WorkflowDecl*> checked_;
  std::unordered_set<const ast::WorkflowDecl*> in_progress_;
  /// Servers already reported as missing from the lock (by configured name).
  std::set<std::string> unlocked_reported_;
  BodyContext body_;
  /// Narrowing scopes: key → narrowed type.
  std::vector<std::unordered_map<std::string, TypeRef>> facts_;
};

}  // namespace orch::compiler::check
