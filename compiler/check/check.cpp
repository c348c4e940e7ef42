// The checker's entry point, declarations and workflow signatures, and shared helpers.
#include <fmt/format.h>

#include "compiler/check/checker.h"
#include "compiler/check/std_tools.h"

namespace orch::compiler::check {

using types::Print;
using types::PrintShort;

types::TypeRef CheckResult::TypeOf(const ast::Expr& expr) const {
  auto it = expr_types.find(&expr);
  return it == expr_types.end() ? types::Any() : it->second;
}

const WorkflowSignature* CheckResult::Signature(const ast::WorkflowDecl& workflow) const {
  auto it = workflows.find(&workflow);
  return it == workflows.end() ? nullptr : &it->second;
}

types::TypeRef ErrorType() {
  static const types::TypeRef t = [] {
    auto def = std::make_shared<types::NamedDef>();
    def->name = "Error";
    def->target = types::Record({{"kind", types::String(), false, "what failed: tool, transport, timeout, fail, …"},
                                 {"message", types::String(), false, "a readable description"},
                                 {"code", types::String(), false, "the diagnostic code, e.g. `E0501`"}});
    return types::Named(def);
  }();
  return t;
}

CheckResult Check(const std::vector<const ast::File*>& files, const resolve::ResolvedModule& resolved,
                  std::shared_ptr<const ToolCatalog> catalog, DiagnosticSink& sink) {
  return Checker(files, resolved, std::move(catalog), sink).Run();
}

Checker::Checker(const std::vector<const ast::File*>& files, const resolve::ResolvedModule& resolved,
                 std::shared_ptr<const ToolCatalog> catalog, DiagnosticSink& sink)
    : files_(files), resolved_(resolved), catalog_(std::move(catalog)), sink_(sink) {
  if (!catalog_) catalog_ = std::make_shared<ToolCatalog>(ToolCatalog::WithStd());
  result_.catalog = catalog_;
}

CheckResult Checker::Run() {
  IndexSymbols();
  DeclareAliases();
  CheckServers();
  std::vector<const ast::WorkflowDecl*> workflows;
  for (const ast::File* file : files_) {
    for (const ast::DeclPtr& decl : file->declarations) {
      if (auto* w = ast::DynCast<ast::WorkflowDecl>(decl.get())) workflows.push_back(w);
      if (auto* agent = ast::DynCast<ast::AgentDecl>(decl.get())) {
        for (const ast::WorkflowDecl* w : agent->Workflows()) workflows.push_back(w);
      }
    }
  }
  for (const ast::WorkflowDecl* w : workflows) ComputeParams(*w);
  for (const ast::WorkflowDecl* w : workflows) CheckWorkflowBody(*w);
  for (const ast::File* file : files_) {
    for (const ast::DeclPtr& decl : file->declarations) {
      if (auto* t = ast::DynCast<ast::TestDecl>(decl.get())) CheckTest(*t);
    }
  }
  return std::move(result_);
}

void Checker::IndexSymbols() {
  for (resolve::SymbolId id = 0; id < resolved_.symbols.size(); ++id) {
    const resolve::Symbol& s = resolved_.symbols[id];
    const void* key = nullptr;
    switch (s.kind) {
      case resolve::SymbolKind::kLet: key = s.let; break;
      case resolve::SymbolKind::kVar: key = s.var; break;
      case resolve::SymbolKind::kParam: key = s.param; break;
      case resolve::SymbolKind::kLambdaParam: key = s.lambda_param; break;
      case resolve::SymbolKind::kLoopVar: key = s.loop; break;
      case resolve::SymbolKind::kCatchVar: key = s.catch_stmt; break;
      default: break;
    }
    if (key) symbol_of_[key] = id;
  }
}

std::optional<resolve::SymbolId> Checker::SymbolOf(const void* declaration) const {
  auto it = symbol_of_.find(declaration);
  if (it == symbol_of_.end()) return std::nullopt;
  return it->second;
}

void Checker::SetBinding(resolve::SymbolId id, TypeRef type) { result_.bindings[id] = std::move(type); }

TypeRef Checker::BindingType(resolve::SymbolId id) const {
  auto it = result_.bindings.find(id);
  return it == result_.bindings.end() ? types::Any() : it->second;
}

// A `use` (or `server`) of a server with no locked schemas is reported once, at its
// declaration; calls to its tools are then typed `any` without further messages.
void Checker::CheckServers() {
  for (const ast::File* file : files_) {
    for (const ast::DeclPtr& decl : file->declarations) {
      std::string configured;
      Span span;
      std::string shown;
      std::string transport;  // for a server declared in the file
      if (auto* use = ast::DynCast<ast::UseDecl>(decl.get())) {
        configured = use->server;
        shown = use->name.name;
        span = use->has_alias ? use->server_span : use->name.span;
      } else if (auto* server = ast::DynCast<ast::ServerDecl>(decl.get())) {
        configured = server->name.name;
        shown = configured;
        span = server->name.span;
        transport = server->transport.name;
      } else {
        continue;
      }
      if (catalog_->Find(configured) || unlocked_reported_.count(configured)) continue;
      unlocked_reported_.insert(configured);
      Diagnostic& d = sink_.Report(DiagKind::kServerNotLocked, span, {configured});
      d.WithLabel("not in `orchestrator.lock`");
      auto locked = catalog_->ServerNames();
      if (auto similar = SuggestSimilar(configured, locked); similar && *similar != kStdServerName) {
        d.AddHelp(fmt::format("the lock has a server named `{}`", *similar));
      }
      if (transport.empty()) {
        d.AddHelp("run `orchestrator tools lock` to record the tool schemas of the configured servers");
      } else {
        d.AddHelp(fmt::format("record this server's tool schemas with `orchestrator tools lock --name {} {}` "
                              "(the other entries of the lock are kept)",
                              configured, transport == "http" ? "--url URL" : "--stdio \"COMMAND ARGS...\""));
      }
    }
  }
}

void Checker::ComputeParams(const ast::WorkflowDecl& workflow) {
  WorkflowSignature& sig = result_.workflows[&workflow];
  sig.name = workflow.name.name;
  std::vector<types::Field> fields;
  for (const ast::Param& p : workflow.params) {
    TypeRef t = p.type ? Convert(*p.type) : types::Any();
    fields.push_back({p.name.name, t, p.default_value != nullptr, ""});
    if (auto id = SymbolOf(&p)) SetBinding(*id, t);
  }
  sig.params = types::Record(std::move(fields));
  if (workflow.return_type) {
    sig.result = Convert(*workflow.return_type);
    sig.declared_result = true;
  }
}

const WorkflowSignature& Checker::SignatureOf(const ast::WorkflowDecl& workflow) {
  WorkflowSignature& sig = result_.workflows[&workflow];
  if (!sig.params) ComputeParams(workflow);
  if (!sig.result) {
    if (in_progress_.count(&workflow)) {
      // Recursion through a workflow whose result is being inferred: unknown so far.
      return sig;
    }
    CheckWorkflowBody(workflow);
  }
  return result_.workflows[&workflow];
}

void Checker::CheckWorkflowBody(const ast::WorkflowDecl& workflow) {
  if (checked_.count(&workflow) || in_progress_.count(&workflow)) return;
  in_progress_.insert(&workflow);
  // Bodies may be checked from inside another body (inferring a callee's result).
  BodyContext saved_body = std::move(body_);
  auto saved_facts = std::move(facts_);
  body_ = BodyContext{};
  facts_.clear();
  body_.workflow = &workflow;
  body_.signature = &result_.workflows[&workflow];

  // Parameter defaults must fit their parameter's type.
  for (const ast::Param& p : workflow.params) {
    if (!p.default_value) continue;
    TypeRef want = p.type ? Convert(*p.type) : types::Any();
    TypeRef got = TypeExpr(*p.default_value, want);
    Expect(*p.default_value, got, want, fmt::format("the default of parameter `{}`", p.name.name));
  }

  facts_.emplace_back();
  CheckBlock(workflow.body);
  facts_.clear();

  WorkflowSignature& sig = result_.workflows[&workflow];
  if (sig.declared_result) {
    if (!AlwaysExits(workflow.body.statements) && !types::IsAssignable(types::Null(), sig.result)) {
      Span end{workflow.body.span.file, workflow.body.span.end > 0 ? workflow.body.span.end - 1 : 0,
               workflow.body.span.end};
      sink_.Report(DiagKind::kMissingReturn, end, {workflow.name.name, Print(sig.result)})
          .WithLabel("the body can reach its end here")
          .AddHelp(fmt::format("end every path with `return <{}>` or `fail \"…\"`", Print(sig.result)));
    }
  } else {
    TypeRef result;
    for (const TypeRef& r : body_.returns) result = types::Join(result, r);
    if (!AlwaysExits(workflow.body.statements)) result = types::Join(result, types::Null());
    sig.result = result ? result : types::Null();
  }

  in_progress_.erase(&workflow);
  checked_.insert(&workflow);
  body_ = std::move(saved_body);
  facts_ = std::move(saved_facts);
}

void Checker::CheckTest(const ast::TestDecl& test) {
  body_ = BodyContext{};
  body_.in_test = true;
  facts_.clear();
  facts_.emplace_back();
  CheckBlock(test.body);
  facts_.clear();
  body_ = BodyContext{};
}

bool Checker::Expect(const ast::Expr& expr, const TypeRef& found, const TypeRef& expected,
                     const std::string& context) {
  auto mismatch = types::CheckAssignable(found, expected);
  if (!mismatch) return true;
  if (types::IsNullable(found) && types::IsAssignable(types::StripNull(found), expected)) {
    ReportPossiblyNull(expr, found, context);
    return false;
  }
  Diagnostic& d = sink_.Report(DiagKind::kTypeMismatch, expr.span, {PrintShort(expected), PrintShort(found)});
  d.WithLabel(fmt::format("this is `{}`", PrintShort(found)));
  d.AddNote(fmt::format("{} must be `{}`", context, PrintShort(expected)));
  if (!mismatch->path.empty() || !mismatch->reason.empty()) d.AddNote(mismatch->Describe());
  if (auto part = FindFittingPart(expr, found, expected, "")) {
    d.AddHelp(fmt::format("{} has the expected type", *part));
  }
  return false;
}

std::string Checker::ExprText(const ast::Expr& expr) {
  switch (expr.kind()) {
    case ast::ExprKind::kName: {
      const auto& n = ast::Cast<ast::NameExpr>(expr);
      return n.name.quoted ? "`" + n.name.name + "`" : n.name.name;
    }
    case ast::ExprKind::kMember: {
      const auto& m = ast::Cast<ast::MemberExpr>(expr);
      std::string member = m.member.quoted ? "`" + m.member.name + "`" : m.member.name;
      return ExprText(*m.object) + (m.optional ? "?." : ".") + member;
    }
    case ast::ExprKind::kIndex: {
      const auto& i = ast::Cast<ast::IndexExpr>(expr);
      std::string index = "…";
      if (auto* n = ast::DynCast<ast::IntExpr>(i.index.get())) index = std::to_string(n->value);
      if (auto* s = ast::DynCast<ast::StringExpr>(i.index.get())) {
        if (auto v = s->PlainValue()) index = "\"" + *v + "\"";
      }
      if (auto* n = ast::DynCast<ast::NameExpr>(i.index.get())) index = n->name.name;
      return ExprText(*i.object) + (i.optional ? "?.[" : "[") + index + "]";
    }
    case ast::ExprKind::kCall: {
      const auto& c = ast::Cast<ast::CallExpr>(expr);
      return ExprText(*c.callee) + (c.args.empty() ? "()" : "(…)");
    }
    case ast::ExprKind::kWith: return ExprText(*ast::Cast<ast::WithExpr>(expr).target);
    case ast::ExprKind::kPipeline: return ExprText(*ast::Cast<ast::PipelineExpr>(expr).stage);
    case ast::ExprKind::kInt: return std::to_string(ast::Cast<ast::IntExpr>(expr).value);
    case ast::ExprKind::kNumber: return fmt::format("{}", ast::Cast<ast::NumberExpr>(expr).value);
    case ast::ExprKind::kString: return "the string";
    case ast::ExprKind::kList: return "the list";
    case ast::ExprKind::kRecord: return "the record";
    default: return "the value";
  }
}

}  // namespace orch::compiler::check
