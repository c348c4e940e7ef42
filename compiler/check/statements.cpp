// Statements: bindings, assignments, conditions (with null narrowing), loops, try/catch,
// returns against the workflow's declared type, assertions and mocks.
#include <fmt/format.h>

#include "compiler/check/checker.h"

namespace orch::compiler::check {

using types::Print;
using types::PrintShort;
using types::TypeKind;

namespace {

// A `var` without an annotation takes the wider type of its initial value, so it can be
// reassigned: `"a"` → string, `[]` → [any], `null` → any.
TypeRef Widen(const TypeRef& t) {
  const TypeRef& r = types::Resolve(t);
  switch (r->kind()) {
    case TypeKind::kLiteral: return types::String();
    case TypeKind::kNull: return types::Any();
    case TypeKind::kList: {
      const TypeRef& e = types::Resolve(r->element());
      if (e->kind() == TypeKind::kNever) return types::List(types::Any());
      return types::List(Widen(r->element()));
    }
    case TypeKind::kUnion: {
      std::vector<TypeRef> members;
      for (const TypeRef& m : r->members()) members.push_back(Widen(m));
      return types::Union(std::move(members));
    }
    default: return t;
  }
}

}  // namespace

void Checker::CheckBlock(const ast::Block& block) {
  facts_.emplace_back();
  CheckStatements(block.statements);
  facts_.pop_back();
}

void Checker::CheckStatements(const std::vector<ast::StmtPtr>& statements) {
  for (const ast::StmtPtr& s : statements) CheckStmt(*s);
}

void Checker::CheckStmt(const ast::Stmt& stmt) {
  switch (stmt.kind()) {
    case ast::StmtKind::kLet: CheckLet(ast::Cast<ast::LetStmt>(stmt)); return;
    case ast::StmtKind::kVar: CheckVar(ast::Cast<ast::VarStmt>(stmt)); return;
    case ast::StmtKind::kAssign: CheckAssign(ast::Cast<ast::AssignStmt>(stmt)); return;
    case ast::StmtKind::kIf: CheckIf(ast::Cast<ast::IfStmt>(stmt)); return;
    case ast::StmtKind::kFor: CheckFor(ast::Cast<ast::ForStmt>(stmt)); return;
    case ast::StmtKind::kParallel:
      // Branches bind into the enclosing scope (their bindings are visible after the block).
      CheckStatements(ast::Cast<ast::ParallelStmt>(stmt).body.statements);
      return;
    case ast::StmtKind::kTry: CheckTry(ast::Cast<ast::TryStmt>(stmt)); return;
    case ast::StmtKind::kReturn: CheckReturn(ast::Cast<ast::ReturnStmt>(stmt)); return;
    case ast::StmtKind::kFail: {
      const auto& fail = ast::Cast<ast::FailStmt>(stmt);
      if (fail.message) {
        TypeRef t = TypeExpr(*fail.message);
        Expect(*fail.message, t, types::String(), "the message of `fail`");
      }
      return;
    }
    case ast::StmtKind::kLog: {
      const auto& log = ast::Cast<ast::LogStmt>(stmt);
      if (log.message) TypeExpr(*log.message);
      return;
    }
    case ast::StmtKind::kAssert: {
      const auto& a = ast::Cast<ast::AssertStmt>(stmt);
      if (a.condition) {
        Facts facts = ConditionFacts(*a.condition);
        RequireBool(*a.condition, TypeOf(*a.condition), "the `assert` condition");
        // After `assert x != null`, x is known not to be null.
        AddFacts(facts.when_true);
      }
      if (a.message) {
        TypeRef t = TypeExpr(*a.message);
        Expect(*a.message, t, types::String(), "the message of `assert`");
      }
      return;
    }
    case ast::StmtKind::kMock: CheckMock(ast::Cast<ast::MockStmt>(stmt)); return;
    case ast::StmtKind::kExpr: {
      const auto& e = ast::Cast<ast::ExprStmt>(stmt);
      if (e.expr) TypeExpr(*e.expr);
      return;
    }
  }
}

void Checker::CheckLet(const ast::LetStmt& let) {
  TypeRef declared = let.type ? Convert(*let.type) : nullptr;
  TypeRef value = let.value ? TypeExpr(*let.value, declared) : types::Any();
  if (declared && let.value) {
    Expect(*let.value, value, declared, fmt::format("the value of `{}`", let.name.name));
  }
  if (auto id = SymbolOf(&let)) SetBinding(*id, declared ? declared : value);
}

void Checker::CheckVar(const ast::VarStmt& var) {
  TypeRef declared = var.type ? Convert(*var.type) : nullptr;
  TypeRef value = var.value ? TypeExpr(*var.value, declared) : nullptr;
  if (declared && value) Expect(*var.value, value, declared, fmt::format("the value of `{}`", var.name.name));
  TypeRef type = declared ? declared : (value ? Widen(value) : types::Any());
  if (auto id = SymbolOf(&var)) SetBinding(*id, type);
}

void Checker::CheckAssign(const ast::AssignStmt& assign) {
  TypeRef target;
  if (auto* name = ast::DynCast<ast::NameExpr>(assign.target.get())) {
    auto it = resolved_.names.find(name);
    if (it != resolved_.names.end()) {
      // The declared type, not a narrowed one: any value of the variable's type may go in.
      target = BindingType(it->second);
      result_.expr_types[name] = target;
      ForgetFacts(it->second);
    } else {
      target = types::Any();
    }
  } else {
    target = TypeExpr(*assign.target);
    // Assigning into `x.a` or `x[i]` changes what we know about `x`.
    const ast::Expr* root = assign.target.get();
    while (true) {
      if (auto* m = ast::DynCast<ast::MemberExpr>(root)) root = m->object.get();
      else if (auto* i = ast::DynCast<ast::IndexExpr>(root)) root = i->object.get();
      else break;
    }
    if (auto* n = ast::DynCast<ast::NameExpr>(root)) {
      if (auto it = resolved_.names.find(n); it != resolved_.names.end()) ForgetFacts(it->second);
    }
  }
  if (!assign.value) return;
  TypeRef value = TypeExpr(*assign.value, target);
  Expect(*assign.value, value, target, fmt::format("a value assigned to `{}`", ExprText(*assign.target)));
}

void Checker::CheckIf(const ast::IfStmt& stmt) {
  Facts facts;
  if (stmt.condition) {
    facts = ConditionFacts(*stmt.condition);
    RequireBool(*stmt.condition, TypeOf(*stmt.condition), "the `if` condition");
  }
  PushFacts(facts.when_true);
  CheckBlock(stmt.then_body);
  PopFacts();
  PushFacts(facts.when_false);
  if (stmt.else_if) {
    CheckIf(*stmt.else_if);
  } else if (stmt.else_body) {
    CheckBlock(*stmt.else_body);
  }
  PopFacts();
  // `if x == null { return … }`: what the condition proves false holds afterwards.
  const bool then_exits = AlwaysExits(stmt.then_body.statements);
  const bool else_exits = stmt.else_if ? AlwaysExits(*stmt.else_if)
                                       : (stmt.else_body && AlwaysExits(stmt.else_body->statements));
  if (then_exits && !else_exits) AddFacts(facts.when_false);
  if (else_exits && !then_exits) AddFacts(facts.when_true);
}

void Checker::CheckFor(const ast::ForStmt& stmt) {
  TypeRef element = types::Any();
  if (stmt.iterable) {
    TypeRef t = TypeExpr(*stmt.iterable);
    const TypeRef& r = types::Resolve(t);
    if (r->kind() == TypeKind::kList) {
      element = r->element();
    } else if (types::IsNullable(t) && r->kind() != TypeKind::kAny &&
               types::Resolve(types::StripNull(t))->kind() == TypeKind::kList) {
      ReportPossiblyNull(*stmt.iterable, t, "a `for` loop");
      element = types::Resolve(types::StripNull(t))->element();
    } else if (r->kind() != TypeKind::kAny && r->kind() != TypeKind::kNever) {
      Diagnostic& d = sink_.Report(DiagKind::kNotIterable, stmt.iterable->span, {PrintShort(t)});
      d.WithLabel(fmt::format("this is `{}`", PrintShort(t)));
      if (r->kind() == TypeKind::kRecord || r->kind() == TypeKind::kMap) {
        d.AddHelp(fmt::format("loop over `entries({})`, `keys({})` or `values({})`", ExprText(*stmt.iterable),
                              ExprText(*stmt.iterable), ExprText(*stmt.iterable)));
      }
    }
  }
  for (const ast::Argument& option : stmt.parallel_options) {
    if (!option.value) continue;
    TypeRef t = TypeExpr(*option.value);
    if (option.name && option.name->name == "limit") {
      Expect(*option.value, t, types::Int(), "the `parallel` limit");
    }
  }
  if (auto id = SymbolOf(&stmt)) SetBinding(*id, element);
  CheckBlock(stmt.body);
}

void Checker::CheckTry(const ast::TryStmt& stmt) {
  CheckBlock(stmt.body);
  if (auto id = SymbolOf(&stmt)) SetBinding(*id, ErrorType());
  CheckBlock(stmt.catch_body);
}

void Checker::CheckReturn(const ast::ReturnStmt& stmt) {
  if (!body_.signature) {
    if (stmt.value) TypeExpr(*stmt.value);
    return;  // outside a workflow: the resolver reports it
  }
  const WorkflowSignature& sig = *body_.signature;
  TypeRef expected = sig.declared_result ? sig.result : nullptr;
  TypeRef value = stmt.value ? TypeExpr(*stmt.value, expected) : types::Null();
  if (!sig.declared_result) {
    body_.returns.push_back(value);
    return;
  }
  auto mismatch = types::CheckAssignable(value, sig.result);
  if (!mismatch) return;
  const ast::Expr* at = stmt.value.get();
  if (at && types::IsNullable(value) && types::IsAssignable(types::StripNull(value), sig.result)) {
    ReportPossiblyNull(*at, value, fmt::format("the result of workflow `{}` (`{}`)", sig.name, Print(sig.result)));
    return;
  }
  Span span = at ? at->span : stmt.span;
  Diagnostic& d = sink_.Report(DiagKind::kReturnTypeMismatch, span, {sig.name, Print(sig.result), PrintShort(value)});
  d.WithLabel(fmt::format("this is `{}`", PrintShort(value)));
  if (!mismatch->path.empty() || !mismatch->reason.empty()) d.AddNote(mismatch->Describe());
  if (body_.workflow && body_.workflow->return_type) {
    d.AddSecondary(body_.workflow->return_type->span, "the declared result type");
  }
  if (at) {
    if (auto part = FindFittingPart(*at, value, sig.result)) d.AddHelp(fmt::format("{} has the declared type", *part));
  }
}

void Checker::CheckMock(const ast::MockStmt& stmt) {
  if (!stmt.target || !stmt.result) return;
  TypeRef expected;
  TypeRef params;
  std::string what;
  std::string shown = ExprText(*stmt.target);
  if (auto* member = ast::DynCast<ast::MemberExpr>(stmt.target.get())) {
    if (const resolve::ToolRef* ref = resolved_.Tool(*member)) {
      const CatalogTool* tool = LookupTool(*ref, *member);
      result_.expr_types[member] = types::Any();
      if (tool) {
        expected = tool->type.result;
        params = tool->type.params;
        what = tool->type.structured ? "tool (its outputSchema)" : "tool (it has no outputSchema, so it returns ToolResult)";
      }
    } else if (auto it = resolved_.agent_workflows.find(member); it != resolved_.agent_workflows.end()) {
      const resolve::Symbol& s = resolved_.symbol(it->second);
      result_.expr_types[member] = types::Any();
      if (s.workflow) {
        const WorkflowSignature& sig = SignatureOf(*s.workflow);
        expected = sig.result;
        params = sig.params;
        what = "workflow";
      }
    }
  } else if (auto* name = ast::DynCast<ast::NameExpr>(stmt.target.get())) {
    const resolve::Symbol* s = resolved_.Lookup(*name);
    result_.expr_types[name] = types::Any();
    if (s && s->kind == resolve::SymbolKind::kWorkflow && s->workflow) {
      const WorkflowSignature& sig = SignatureOf(*s->workflow);
      expected = sig.result;
      params = sig.params;
      what = "workflow";
    }
  }
  // Argument patterns are plain values compared with the call's arguments; a name the
  // tool does not take would never match.
  TypeRef param_record = params ? types::Resolve(params) : nullptr;
  for (const ast::Argument& arg : stmt.pattern) {
    if (arg.value) TypeExpr(*arg.value);
    if (!arg.name || !param_record || param_record->kind() != types::TypeKind::kRecord || param_record->rest()) continue;
    if (param_record->FindField(arg.name->name)) continue;
    Diagnostic& d = sink_.Report(DiagKind::kUnknownParameter, arg.name->span, {arg.name->name, fmt::format("`{}`", shown)});
    d.WithLabel("no call can have this argument, so this mock would never answer");
    std::vector<std::string> candidates;
    for (const types::Field& f : param_record->fields()) candidates.push_back(f.name);
    if (auto similar = SuggestSimilar(arg.name->name, candidates)) {
      d.AddHelp(fmt::format("a parameter with a similar name exists: `{}`", *similar));
    }
  }
  // `error("…")` makes any tool (or workflow) fail, whatever it returns.
  bool is_error = false;
  if (const auto* call = ast::DynCast<ast::CallExpr>(stmt.result.get())) {
    const auto* callee = ast::DynCast<ast::NameExpr>(call->callee.get());
    is_error = callee && callee->name.name == "error";
  }
  if (!expected || is_error) {
    TypeExpr(*stmt.result);
    return;
  }
  // A mock is a value, or a function of the call's arguments record.
  TypeRef value;
  const ast::Expr* value_expr = stmt.result.get();
  if (auto* lambda = ast::DynCast<ast::LambdaExpr>(stmt.result.get())) {
    std::vector<TypeRef> lambda_params(lambda->params.size(), types::Any());
    if (!lambda_params.empty()) lambda_params[0] = params;
    TypeRef f = TypeLambda(*lambda, lambda_params, shown);
    result_.expr_types[lambda] = f;
    value = types::Resolve(f)->element();
    if (lambda->body) value_expr = lambda->body.get();
  } else {
    value = TypeExpr(*stmt.result, expected);
  }
  auto mismatch = types::CheckAssignable(value, expected);
  if (!mismatch) return;
  Diagnostic& d = sink_.Report(DiagKind::kMockTypeMismatch, value_expr->span, {shown, PrintShort(value), what});
  d.WithLabel(fmt::format("this is `{}`", PrintShort(value)));
  d.AddNote(fmt::format("`{}` returns `{}`", shown, PrintShort(expected)));
  if (!mismatch->path.empty() || !mismatch->reason.empty()) d.AddNote(mismatch->Describe());
  if (types::Equal(expected, types::ToolResult())) {
    d.AddHelp("mock its text with `text(\"…\")`, or a failure with `error(\"…\")`");
  }
}

bool Checker::AlwaysExits(const std::vector<ast::StmtPtr>& statements) {
  for (const ast::StmtPtr& s : statements) {
    if (AlwaysExits(*s)) return true;
  }
  return false;
}

bool Checker::AlwaysExits(const ast::Stmt& stmt) {
  switch (stmt.kind()) {
    case ast::StmtKind::kReturn:
    case ast::StmtKind::kFail:
      return true;
    case ast::StmtKind::kIf: {
      const auto& s = ast::Cast<ast::IfStmt>(stmt);
      if (!AlwaysExits(s.then_body.statements)) return false;
      if (s.else_if) return AlwaysExits(*s.else_if);
      return s.else_body && AlwaysExits(s.else_body->statements);
    }
    case ast::StmtKind::kTry: {
      const auto& s = ast::Cast<ast::TryStmt>(stmt);
      return AlwaysExits(s.body.statements) && AlwaysExits(s.catch_body.statements);
    }
    case ast::StmtKind::kParallel:
      return AlwaysExits(ast::Cast<ast::ParallelStmt>(stmt).body.statements);
    default:
      return false;
  }
}

}  // namespace orch::compiler::check
