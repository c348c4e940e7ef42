// Resolver, part 2: blocks and scopes, bindings (duplicates, shadowing, unused), `var`
// assignment, `parallel` blocks and loops (sibling reads, racing assignments), `return`
// and `mock` placement, and unreachable statements.
#include <fmt/format.h>

#include "compiler/resolve/resolver.h"

namespace orch::compiler::resolve {
namespace {

// True when control never continues past `stmt`.
bool Terminates(const ast::Stmt& stmt) {
  switch (stmt.kind()) {
    case ast::StmtKind::kReturn:
    case ast::StmtKind::kFail:
      return true;
    case ast::StmtKind::kIf: {
      const auto* s = &ast::Cast<ast::IfStmt>(stmt);
      auto block_terminates = [](const ast::Block& b) {
        return !b.statements.empty() && Terminates(*b.statements.back());
      };
      while (s) {
        if (!block_terminates(s->then_body)) return false;
        if (s->else_if) {
          s = s->else_if.get();
          continue;
        }
        return s->else_body && block_terminates(*s->else_body);
      }
      return false;
    }
    default:
      return false;
  }
}

std::string_view TerminatorWord(const ast::Stmt& stmt) {
  if (stmt.kind() == ast::StmtKind::kReturn) return "return";
  if (stmt.kind() == ast::StmtKind::kFail) return "fail";
  return "if";
}

bool WarnsWhenUnused(SymbolKind kind) {
  return kind == SymbolKind::kLet || kind == SymbolKind::kVar || kind == SymbolKind::kLoopVar ||
         kind == SymbolKind::kCatchVar || kind == SymbolKind::kLambdaParam;
}

}  // namespace

void Resolver::PushScope() { scopes_.emplace_back(); }

void Resolver::PopScope() {
  for (SymbolId id : scopes_.back().symbols) {
    const Symbol& s = module_.symbols[id];
    if (s.reads > 0 || !WarnsWhenUnused(s.kind) || s.name.empty() || s.name[0] == '_') continue;
    Diagnostic& d = sink_.Report(DiagKind::kUnusedBinding, s.span, {s.name});
    d.WithLabel(fmt::format("{} that nothing reads", Describe(s.kind)));
    d.AddHelp(fmt::format("if this is intentional, name it `_{}`", s.name));
  }
  scopes_.pop_back();
}

SymbolId Resolver::DeclareLocal(Symbol symbol) {
  // The same name twice in one scope is an error; over an enclosing scope's, a warning.
  bool reported = false;
  for (size_t depth = scopes_.size(); depth-- > 0 && !reported;) {
    for (SymbolId other : scopes_[depth].symbols) {
      const Symbol& o = module_.symbols[other];
      if (o.name != symbol.name) continue;
      reported = true;
      if (depth + 1 == scopes_.size()) {
        sink_.Report(DiagKind::kDuplicateDeclaration, symbol.span, {symbol.name})
            .WithLabel(fmt::format("{} of this name is already in this block", Describe(o.kind)))
            .AddSecondary(o.span, "first bound here")
            .AddHelp("use `var` and assignment for a value that changes, or pick another name");
      } else if (!symbol.name.empty() && symbol.name[0] != '_') {
        sink_.Report(DiagKind::kShadowedBinding, symbol.span, {symbol.name})
            .WithLabel("this binding hides the outer one")
            .AddSecondary(o.span, "the outer binding")
            .AddHelp("rename one of them");
      }
      break;
    }
  }
  SymbolId id = AddSymbol(std::move(symbol));
  scopes_.back().symbols.push_back(id);
  for (const ParallelFrame& frame : parallel_frames_) {
    if (frame.scope_depth == scopes_.size()) branch_tags_[id].push_back({frame.stmt, frame.branch});
  }
  return id;
}

void Resolver::ResolveBlock(const ast::Block& block) {
  PushScope();
  ResolveStatements(block.statements);
  PopScope();
}

void Resolver::ResolveStatements(const std::vector<ast::StmtPtr>& statements) {
  const ast::Stmt* terminator = nullptr;
  bool warned = false;
  for (const ast::StmtPtr& stmt : statements) {
    if (terminator && !warned) {
      warned = true;
      sink_.Report(DiagKind::kUnreachableCode, stmt->span, {std::string(TerminatorWord(*terminator))})
          .WithLabel("this never runs")
          .AddSecondary(terminator->span, terminator->kind() == ast::StmtKind::kIf
                                              ? "every branch of this `if` leaves the block"
                                              : "control leaves the block here");
    }
    ResolveStmt(*stmt);
    if (!terminator && Terminates(*stmt)) terminator = stmt.get();
  }
}

void Resolver::ResolveStmt(const ast::Stmt& stmt) {
  switch (stmt.kind()) {
    case ast::StmtKind::kLet: {
      const auto& let = ast::Cast<ast::LetStmt>(stmt);
      if (let.type) ResolveType(*let.type);
      if (let.value) ResolveExpr(*let.value);
      Symbol s;
      s.kind = SymbolKind::kLet;
      s.name = let.name.name;
      s.span = let.name.span;
      s.let = &let;
      DeclareLocal(std::move(s));
      break;
    }
    case ast::StmtKind::kVar: {
      const auto& var = ast::Cast<ast::VarStmt>(stmt);
      if (var.type) ResolveType(*var.type);
      if (var.value) ResolveExpr(*var.value);
      Symbol s;
      s.kind = SymbolKind::kVar;
      s.name = var.name.name;
      s.span = var.name.span;
      s.var = &var;
      DeclareLocal(std::move(s));
      break;
    }
    case ast::StmtKind::kAssign:
      ResolveAssign(ast::Cast<ast::AssignStmt>(stmt));
      break;
    case ast::StmtKind::kIf: {
      const auto& s = ast::Cast<ast::IfStmt>(stmt);
      if (s.condition) ResolveExpr(*s.condition);
      ResolveBlock(s.then_body);
      if (s.else_if) ResolveStmt(*s.else_if);
      if (s.else_body) ResolveBlock(*s.else_body);
      break;
    }
    case ast::StmtKind::kFor:
      ResolveFor(ast::Cast<ast::ForStmt>(stmt));
      break;
    case ast::StmtKind::kParallel:
      ResolveParallel(ast::Cast<ast::ParallelStmt>(stmt));
      break;
    case ast::StmtKind::kTry: {
      const auto& s = ast::Cast<ast::TryStmt>(stmt);
      ResolveBlock(s.body);
      PushScope();
      if (s.error_name) {
        Symbol e;
        e.kind = SymbolKind::kCatchVar;
        e.name = s.error_name->name;
        e.span = s.error_name->span;
        e.catch_stmt = &s;
        DeclareLocal(std::move(e));
      }
      ResolveBlock(s.catch_body);
      PopScope();
      break;
    }
    case ast::StmtKind::kReturn:
      ResolveReturn(ast::Cast<ast::ReturnStmt>(stmt));
      break;
    case ast::StmtKind::kFail:
      if (const auto& e = ast::Cast<ast::FailStmt>(stmt).message) ResolveExpr(*e);
      break;
    case ast::StmtKind::kLog:
      if (const auto& e = ast::Cast<ast::LogStmt>(stmt).message) ResolveExpr(*e);
      break;
    case ast::StmtKind::kAssert: {
      const auto& s = ast::Cast<ast::AssertStmt>(stmt);
      if (s.condition) ResolveExpr(*s.condition);
      if (s.message) ResolveExpr(*s.message);
      break;
    }
    case ast::StmtKind::kMock: {
      const auto& s = ast::Cast<ast::MockStmt>(stmt);
      if (!body_.in_test) {
        sink_.Report(DiagKind::kMockOutsideTest, stmt.span)
            .WithLabel("only `test` blocks can replace tools")
            .AddHelp("move this into a `test \"…\" { … }` block");
      }
      if (s.target) ResolveCallee(*s.target);
      for (const ast::Argument& arg : s.pattern) {
        if (arg.value) ResolveExpr(*arg.value);
      }
      if (s.result) ResolveExpr(*s.result);
      break;
    }
    case ast::StmtKind::kExpr:
      if (const auto& e = ast::Cast<ast::ExprStmt>(stmt).expr) ResolveExpr(*e);
      break;
  }
}

void Resolver::ResolveReturn(const ast::ReturnStmt& stmt) {
  if (!body_.in_workflow) {
    sink_.Report(DiagKind::kReturnOutsideWorkflow, stmt.span)
        .WithLabel("this is in a `test` block")
        .AddHelp("check values with `assert`, or end the test with `fail \"message\"`");
  } else if (!parallel_frames_.empty() || !parallel_loops_.empty()) {
    bool loop_is_inner = !parallel_loops_.empty() &&
                         (parallel_frames_.empty() || parallel_loops_.back() > parallel_frames_.back().scope_depth);
    sink_.Report(DiagKind::kReturnInParallel, stmt.span,
                 {loop_is_inner ? "the body of a `parallel` loop" : "a `parallel` block"})
        .WithLabel("concurrent work cannot decide the result")
        .AddHelp("bind the value inside, and `return` after the block");
  }
  if (stmt.value) ResolveExpr(*stmt.value);
}

void Resolver::ResolveAssign(const ast::AssignStmt& stmt) {
  if (stmt.value) ResolveExpr(*stmt.value);
  if (!stmt.target) return;
  // The assigned variable is the root of the target (`x`, `x.a`, `x[i].b`); the index
  // and member parts around it are ordinary reads.
  const ast::Expr* root = stmt.target.get();
  while (true) {
    if (const auto* m = ast::DynCast<ast::MemberExpr>(root)) {
      root = m->object.get();
    } else if (const auto* i = ast::DynCast<ast::IndexExpr>(root)) {
      if (i->index) ResolveExpr(*i->index);
      root = i->object.get();
    } else {
      break;
    }
  }
  const auto* name = ast::DynCast<ast::NameExpr>(root);
  if (!name) {
    if (root) ResolveExpr(*root);
    return;
  }
  SymbolId id;
  if (!LookupValue(name->name.name, id)) {
    Diagnostic& d = sink_.Report(DiagKind::kAssignToUndeclared, name->span, {name->name.name})
                        .WithLabel("not declared");
    std::vector<std::string> vars;
    for (const Scope& scope : scopes_) {
      for (SymbolId sid : scope.symbols) {
        if (module_.symbols[sid].kind == SymbolKind::kVar) vars.push_back(module_.symbols[sid].name);
      }
    }
    if (auto similar = SuggestSimilar(name->name.name, vars)) {
      d.AddHelp(fmt::format("there is a `var` with a similar name: `{}`", *similar));
      d.AddFix(name->span, *similar);
    } else {
      d.AddHelp(fmt::format("declare it first: `var {} = …`", name->name.name));
    }
    return;
  }
  module_.names[name] = id;
  CheckSiblingRead(id, name->span);
  Symbol& s = module_.symbols[id];
  if (root != stmt.target.get()) s.reads++;  // `x.a = v` reads `x` too
  if (s.kind != SymbolKind::kVar) {
    Diagnostic& d = sink_.Report(DiagKind::kAssignToImmutable, name->span, {s.name, std::string(Describe(s.kind))})
                        .WithLabel("cannot be assigned");
    if (s.span.valid()) d.AddSecondary(s.span, "declared here");
    if (s.kind == SymbolKind::kLet) {
      d.AddHelp(fmt::format("declare it with `var {}` to make it mutable", s.name));
      if (s.let) d.AddFix(Span{s.let->span.file, s.let->span.begin, s.let->span.begin + 3}, "var");
    } else {
      d.AddHelp(fmt::format("bind a new `var` to hold the changing value: `var {0}_ = {0}`", s.name));
    }
    return;
  }
  if (!parallel_loops_.empty() && depth_of_[id] < parallel_loops_.back()) {
    sink_.Report(DiagKind::kParallelLoopAssignsOuter, name->span, {s.name})
        .WithLabel("assigned by every iteration at once")
        .AddSecondary(s.span, "declared outside the loop")
        .AddHelp("compute per-element values with `map` and combine them with `reduce` or `sum`, "
                 "or drop `parallel`");
  }
}

void Resolver::ResolveFor(const ast::ForStmt& stmt) {
  if (stmt.iterable) ResolveExpr(*stmt.iterable);
  std::unordered_map<std::string, Span> seen;
  for (const ast::Argument& option : stmt.parallel_options) {
    if (option.name) {
      if (option.name->name != "limit") {
        Diagnostic& d = sink_.Report(DiagKind::kUnknownParallelOption, option.name->span, {option.name->name})
                            .WithLabel("not a `parallel` option");
        SuggestName(d, option.name->name, option.name->span, {"limit"}, "an option");
        d.AddHelp("the only option is `limit: n`, the most iterations running at once");
      } else if (auto [it, inserted] = seen.emplace(option.name->name, option.name->span); !inserted) {
        sink_.Report(DiagKind::kDuplicateField, option.name->span, {option.name->name, "`parallel` option list"})
            .AddSecondary(it->second, "first given here");
      }
    }
    if (option.value) ResolveExpr(*option.value);
  }
  PushScope();
  if (stmt.parallel) parallel_loops_.push_back(scopes_.size());
  Symbol v;
  v.kind = SymbolKind::kLoopVar;
  v.name = stmt.variable.name;
  v.span = stmt.variable.span;
  v.loop = &stmt;
  DeclareLocal(std::move(v));
  ResolveBlock(stmt.body);
  if (stmt.parallel) parallel_loops_.pop_back();
  PopScope();
}

void Resolver::ResolveParallel(const ast::ParallelStmt& stmt) {
  // Branches bind into the enclosing scope (their bindings are visible after the block),
  // tagged with their branch so a sibling's read is caught.
  parallel_frames_.push_back({&stmt, 0, scopes_.size()});
  for (size_t i = 0; i < stmt.body.statements.size(); ++i) {
    parallel_frames_.back().branch = i;
    ResolveStmt(*stmt.body.statements[i]);
  }
  parallel_frames_.pop_back();
}

}  // namespace orch::compiler::resolve
