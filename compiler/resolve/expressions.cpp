// Resolver, part 3: name uses in expressions and types. A bare name is looked up in the
// local scopes, then the enclosing agent's workflows, then globals, then built-ins;
// `server.tool` and `agent.workflow` member expressions are recorded in their own tables;
// call policies, durations and duplicate keys are checked here too.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compiler/resolve/resolver.h"
#include "grammar/tokens.h"

namespace orch::compiler::resolve {
namespace {

bool IsCallable(SymbolKind kind) {
  return kind == SymbolKind::kWorkflow || kind == SymbolKind::kBuiltin;
}

}  // namespace

bool Resolver::LookupValue(const std::string& name, SymbolId& out) const {
  for (size_t depth = scopes_.size(); depth-- > 0;) {
    const auto& symbols = scopes_[depth].symbols;
    for (size_t i = symbols.size(); i-- > 0;) {
      if (module_.symbols[symbols[i]].name == name) {
        out = symbols[i];
        return true;
      }
    }
  }
  if (body_.agent) {
    auto agent = agent_workflows_.find(body_.agent);
    if (agent != agent_workflows_.end()) {
      if (auto it = agent->second.find(name); it != agent->second.end()) {
        out = it->second;
        return true;
      }
    }
  }
  if (auto it = module_.globals.find(name); it != module_.globals.end()) {
    out = it->second;
    return true;
  }
  if (auto it = builtins_.find(name); it != builtins_.end()) {
    out = it->second;
    return true;
  }
  return false;
}

std::vector<std::string> Resolver::VisibleNames(bool callables_only) const {
  std::vector<std::string> names;
  auto add = [&](SymbolId id) {
    const Symbol& s = module_.symbols[id];
    if (callables_only && !IsCallable(s.kind)) return;
    if (s.kind == SymbolKind::kBuiltin && s.test_only && !body_.in_test) return;
    names.push_back(s.name);
  };
  for (const Scope& scope : scopes_) {
    for (SymbolId id : scope.symbols) add(id);
  }
  if (body_.agent) {
    if (auto agent = agent_workflows_.find(body_.agent); agent != agent_workflows_.end()) {
      for (const auto& [name, id] : agent->second) add(id);
    }
  }
  for (const auto& [name, id] : module_.globals) add(id);
  for (const auto& [name, id] : builtins_) add(id);
  std::sort(names.begin(), names.end());  // deterministic suggestions
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

void Resolver::SuggestName(Diagnostic& d, std::string_view name, Span span, const std::vector<std::string>& candidates,
                           std::string_view what) {
  auto similar = SuggestSimilar(name, candidates);
  if (!similar) return;
  // Name what the suggestion is when it is a symbol in scope ("a parameter", "a workflow").
  std::string kind(what);
  SymbolId id;
  if (what == "a name" && LookupValue(*similar, id)) kind = Describe(module_.symbols[id].kind);
  d.AddHelp(fmt::format("there is {} with a similar name: `{}`", kind, *similar));
  d.AddFix(span, *similar);
}

void Resolver::CheckSiblingRead(SymbolId id, Span use) {
  for (const BranchTag& tag : branch_tags_[id]) {
    for (const ParallelFrame& frame : parallel_frames_) {
      if (frame.stmt != tag.stmt || frame.branch == tag.branch) continue;
      const Symbol& s = module_.symbols[id];
      sink_.Report(DiagKind::kSiblingBranchRead, use, {s.name})
          .WithLabel("read in one branch")
          .AddSecondary(s.span, "bound in another branch")
          .AddNote("the branches of a `parallel` block run at the same time")
          .AddHelp("use it after the `parallel` block, where every branch's bindings are visible");
      return;
    }
  }
}

// A name not bound yet may be bound by a later branch of an enclosing `parallel` block.
bool Resolver::ReportSiblingDeclaration(const std::string& name, Span use) {
  for (const ParallelFrame& frame : parallel_frames_) {
    const auto& branches = frame.stmt->body.statements;
    for (size_t i = frame.branch + 1; i < branches.size(); ++i) {
      const ast::Identifier* bound = nullptr;
      if (const auto* let = ast::DynCast<ast::LetStmt>(branches[i].get())) bound = &let->name;
      if (const auto* var = ast::DynCast<ast::VarStmt>(branches[i].get())) bound = &var->name;
      if (!bound || bound->name != name) continue;
      sink_.Report(DiagKind::kSiblingBranchRead, use, {name})
          .WithLabel("read in one branch")
          .AddSecondary(bound->span, "bound in another branch")
          .AddNote("the branches of a `parallel` block run at the same time")
          .AddHelp("use it after the `parallel` block, where every branch's bindings are visible");
      return true;
    }
  }
  return false;
}

void Resolver::ResolveName(const ast::NameExpr& name) {
  SymbolId id;
  if (LookupValue(name.name.name, id)) {
    Symbol& s = module_.symbols[id];
    if (s.kind == SymbolKind::kBuiltin && s.test_only && !body_.in_test) {
      sink_.Report(DiagKind::kTestOnlyBuiltin, name.span, {s.name})
          .WithLabel("not available here")
          .AddHelp("use it inside a `test \"…\" { … }` block");
      return;
    }
    s.reads++;
    module_.names[&name] = id;
    CheckSiblingRead(id, name.span);
    return;
  }
  if (ReportSiblingDeclaration(name.name.name, name.span)) return;
  Diagnostic& d = sink_.Report(DiagKind::kUndefinedName, name.span, {name.name.name}).WithLabel("not found");
  SuggestName(d, name.name.name, name.span, VisibleNames(false), "a name");
}

void Resolver::ResolveCallee(const ast::Expr& callee) {
  if (const auto* name = ast::DynCast<ast::NameExpr>(&callee)) {
    SymbolId id;
    if (!LookupValue(name->name.name, id)) {
      if (ReportSiblingDeclaration(name->name.name, name->span)) return;
      Diagnostic& d = sink_.Report(DiagKind::kUnknownWorkflow, name->span, {name->name.name})
                          .WithLabel("not a workflow or built-in function");
      SuggestName(d, name->name.name, name->span, VisibleNames(true), "a name");
      if (!d.help.empty()) return;
      d.AddHelp("tools are called through their server: `server.tool(arg: value)`");
      return;
    }
    ResolveName(*name);
    return;
  }
  if (const auto* member = ast::DynCast<ast::MemberExpr>(&callee)) {
    ResolveMember(*member, true);
    return;
  }
  ResolveExpr(callee);
}

void Resolver::CheckAgentUses(const ToolRef& ref, Span span) {
  if (!body_.agent) return;
  for (const ast::ToolPattern* pattern : body_.agent->Uses()) {
    auto it = module_.globals.find(pattern->server.name);
    if (it == module_.globals.end() || it->second != ref.server) continue;
    if (pattern->wildcard || !pattern->tool || pattern->tool->name == ref.tool) return;
  }
  const Symbol& server = module_.symbols[ref.server];
  std::string tool = fmt::format("{}.{}", server.name, ref.tool);
  Diagnostic& d = sink_.Report(DiagKind::kToolOutsideUses, span, {body_.agent->name.name, tool})
                      .WithLabel("not listed in `uses`");
  d.AddSecondary(body_.agent->name.span, "the agent is declared here");
  d.AddHelp(fmt::format("add `uses {}` (or `uses {}.*`) to the agent", tool, server.name));
}

void Resolver::ResolveMember(const ast::MemberExpr& member, bool callee) {
  const auto* object = ast::DynCast<ast::NameExpr>(member.object.get());
  if (!object) {
    if (member.object) ResolveExpr(*member.object);
    return;
  }
  SymbolId id;
  if (!LookupValue(object->name.name, id)) {
    if (!callee) {
      ResolveName(*object);  // reports it as an undefined value
      return;
    }
    if (ReportSiblingDeclaration(object->name.name, object->span)) return;
    std::vector<std::string> servers;
    for (const auto& [name, gid] : module_.globals) {
      SymbolKind k = module_.symbols[gid].kind;
      if (k == SymbolKind::kServer || k == SymbolKind::kAgent) servers.push_back(name);
    }
    std::sort(servers.begin(), servers.end());
    Diagnostic& d = sink_.Report(DiagKind::kUnknownServer, object->span, {object->name.name})
                        .WithLabel("no server or agent of this name");
    SuggestName(d, object->name.name, object->span, servers, "a server or agent");
    if (d.help.empty()) {
      d.AddHelp(fmt::format("declare the server at the top of the file with `use {}`", object->name.name));
    }
    return;
  }
  Symbol& s = module_.symbols[id];
  if (s.kind == SymbolKind::kServer) {
    s.reads++;
    module_.names[object] = id;
    ToolRef ref{id, member.member.name, member.member.span};
    CheckAgentUses(ref, member.span);
    module_.tools.emplace(&member, std::move(ref));
    return;
  }
  if (s.kind == SymbolKind::kAgent) {
    s.reads++;
    module_.names[object] = id;
    const auto& workflows = agent_workflows_[s.agent];
    if (auto it = workflows.find(member.member.name); it != workflows.end()) {
      module_.symbols[it->second].reads++;
      module_.agent_workflows[&member] = it->second;
      return;
    }
    std::vector<std::string> names;
    for (const auto& [name, wid] : workflows) names.push_back(name);
    std::sort(names.begin(), names.end());
    Diagnostic& d = sink_.Report(DiagKind::kUnknownAgentWorkflow, member.member.span, {s.name, member.member.name})
                        .WithLabel("not a workflow of this agent");
    SuggestName(d, member.member.name, member.member.span, names, "a workflow");
    if (d.help.empty() && !names.empty()) {
      d.AddNote(fmt::format("agent `{}` has: {}", s.name, fmt::join(names, ", ")));
    }
    return;
  }
  ResolveName(*object);  // a field of a value: the type checker checks the field
}

void Resolver::ResolveArguments(const std::vector<ast::Argument>& args) {
  std::unordered_map<std::string, Span> seen;
  for (const ast::Argument& arg : args) {
    if (arg.name) {
      auto [it, inserted] = seen.emplace(arg.name->name, arg.name->span);
      if (!inserted) {
        sink_.Report(DiagKind::kDuplicateField, arg.name->span, {arg.name->name, "argument list"})
            .WithLabel("given again")
            .AddSecondary(it->second, "first given here");
      }
    }
    if (arg.value) ResolveExpr(*arg.value);
  }
}

void Resolver::ResolveCall(const ast::CallExpr& call) {
  if (call.callee) ResolveCallee(*call.callee);
  ResolveArguments(call.args);
}

void Resolver::ResolveWith(const ast::WithExpr& with) {
  if (with.target) ResolveExpr(*with.target);
  std::vector<std::string> keys;
  for (const auto& p : grammar::kCallPolicies) keys.emplace_back(p.key);
  std::unordered_map<std::string, Span> seen;
  for (const ast::FieldInit& policy : with.policies) {
    if (std::find(keys.begin(), keys.end(), policy.key.name) == keys.end()) {
      Diagnostic& d = sink_.Report(DiagKind::kUnknownCallPolicy, policy.key.span, {policy.key.name})
                          .WithLabel("not a call policy");
      SuggestName(d, policy.key.name, policy.key.span, keys, "a policy");
      if (d.help.empty()) d.AddHelp(fmt::format("the policies are: {}", fmt::join(keys, ", ")));
    } else if (auto [it, inserted] = seen.emplace(policy.key.name, policy.key.span); !inserted) {
      sink_.Report(DiagKind::kDuplicateField, policy.key.span, {policy.key.name, "`with` policy"})
          .WithLabel("given again")
          .AddSecondary(it->second, "first given here");
    }
    if (policy.value) ResolveExpr(*policy.value);
  }
}

void Resolver::ResolveLambda(const ast::LambdaExpr& lambda) {
  for (const ast::LambdaParam& p : lambda.params) {
    if (p.type) ResolveType(*p.type);
  }
  PushScope();
  for (const ast::LambdaParam& p : lambda.params) {
    Symbol s;
    s.kind = SymbolKind::kLambdaParam;
    s.name = p.name.name;
    s.span = p.name.span;
    s.lambda_param = &p;
    DeclareLocal(std::move(s));
  }
  if (lambda.body) ResolveExpr(*lambda.body);
  PopScope();
}

void Resolver::ResolveDuration(const ast::DurationExpr& duration) {
  if (duration.TotalMilliseconds()) return;
  std::string text = fmt::format("{}{}", duration.amount, ast::Spelling(duration.unit));
  double ms = duration.amount * static_cast<double>(ast::Milliseconds(duration.unit));
  if (!std::isfinite(ms) || std::fabs(ms) >= 9.2e18) {
    sink_.Report(DiagKind::kDurationOverflow, duration.span, {text})
        .WithLabel("more milliseconds than a 64-bit integer holds")
        .AddHelp("durations up to about 292 million years fit; use a smaller amount");
    return;
  }
  sink_.Report(DiagKind::kDurationFraction, duration.span, {text})
      .WithLabel("a fraction of a millisecond")
      .AddHelp(fmt::format("round it to whole milliseconds, e.g. `{}ms`", static_cast<int64_t>(std::llround(ms))));
}

void Resolver::ResolveExpr(const ast::Expr& expr) {
  switch (expr.kind()) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kNumber:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kNull:
      break;
    case ast::ExprKind::kDuration:
      ResolveDuration(ast::Cast<ast::DurationExpr>(expr));
      break;
    case ast::ExprKind::kString:
      for (const ast::StringPart& part : ast::Cast<ast::StringExpr>(expr).parts) {
        if (part.expr) ResolveExpr(*part.expr);
      }
      break;
    case ast::ExprKind::kList:
      for (const ast::ExprPtr& e : ast::Cast<ast::ListExpr>(expr).elements) {
        if (e) ResolveExpr(*e);
      }
      break;
    case ast::ExprKind::kRecord: {
      std::unordered_map<std::string, Span> seen;
      for (const ast::FieldInit& field : ast::Cast<ast::RecordExpr>(expr).fields) {
        auto [it, inserted] = seen.emplace(field.key.name, field.key.span);
        if (!inserted) {
          sink_.Report(DiagKind::kDuplicateField, field.key.span, {field.key.name, "record"})
              .WithLabel("given again")
              .AddSecondary(it->second, "first given here");
        }
        if (field.value) ResolveExpr(*field.value);
      }
      break;
    }
    case ast::ExprKind::kName:
      ResolveName(ast::Cast<ast::NameExpr>(expr));
      break;
    case ast::ExprKind::kMember:
      ResolveMember(ast::Cast<ast::MemberExpr>(expr), false);
      break;
    case ast::ExprKind::kIndex: {
      const auto& e = ast::Cast<ast::IndexExpr>(expr);
      if (e.object) ResolveExpr(*e.object);
      if (e.index) ResolveExpr(*e.index);
      break;
    }
    case ast::ExprKind::kCall:
      ResolveCall(ast::Cast<ast::CallExpr>(expr));
      break;
    case ast::ExprKind::kWith:
      ResolveWith(ast::Cast<ast::WithExpr>(expr));
      break;
    case ast::ExprKind::kUnary:
      if (const auto& e = ast::Cast<ast::UnaryExpr>(expr).operand) ResolveExpr(*e);
      break;
    case ast::ExprKind::kBinary: {
      const auto& e = ast::Cast<ast::BinaryExpr>(expr);
      if (e.lhs) ResolveExpr(*e.lhs);
      if (e.rhs) ResolveExpr(*e.rhs);
      break;
    }
    case ast::ExprKind::kPipeline: {
      const auto& e = ast::Cast<ast::PipelineExpr>(expr);
      if (e.input) ResolveExpr(*e.input);
      if (!e.stage) break;
      if (const auto* call = ast::DynCast<ast::CallExpr>(e.stage.get())) {
        ResolveCall(*call);
      } else if (ast::Isa<ast::NameExpr>(e.stage.get()) || ast::Isa<ast::MemberExpr>(e.stage.get())) {
        ResolveCallee(*e.stage);  // `xs | unique`: a function used as a stage
      } else {
        ResolveExpr(*e.stage);
      }
      break;
    }
    case ast::ExprKind::kLambda:
      ResolveLambda(ast::Cast<ast::LambdaExpr>(expr));
      break;
    case ast::ExprKind::kConditional: {
      const auto& e = ast::Cast<ast::ConditionalExpr>(expr);
      ResolveExpr(*e.test);
      ResolveExpr(*e.value);
      ResolveExpr(*e.otherwise);
      break;
    }
  }
}

void Resolver::ResolveType(const ast::TypeExpr& type) {
  switch (type.kind()) {
    case ast::TypeKind::kPrimitive:
    case ast::TypeKind::kLiteral:
      break;
    case ast::TypeKind::kNamed: {
      const auto& named = ast::Cast<ast::NamedType>(type);
      if (auto it = module_.type_aliases.find(named.name.name); it != module_.type_aliases.end()) {
        module_.types[&named] = it->second;
        module_.symbols[it->second].reads++;
        return;
      }
      std::vector<std::string> names;
      for (const auto& [name, id] : module_.type_aliases) names.push_back(name);
      for (const auto& t : grammar::kTypeNames) names.emplace_back(t.spelling);
      std::sort(names.begin(), names.end());
      Diagnostic& d = sink_.Report(DiagKind::kUnknownType, named.span, {named.name.name}).WithLabel("not a type");
      SuggestName(d, named.name.name, named.span, names, "a type");
      if (d.help.empty()) d.AddHelp(fmt::format("declare it with `type {} = …`", named.name.name));
      break;
    }
    case ast::TypeKind::kList:
      if (const auto& e = ast::Cast<ast::ListType>(type).element) ResolveType(*e);
      break;
    case ast::TypeKind::kRecord: {
      std::unordered_map<std::string, Span> seen;
      for (const ast::FieldType& field : ast::Cast<ast::RecordType>(type).fields) {
        auto [it, inserted] = seen.emplace(field.name.name, field.name.span);
        if (!inserted) {
          sink_.Report(DiagKind::kDuplicateField, field.name.span, {field.name.name, "record type"})
              .WithLabel("declared again")
              .AddSecondary(it->second, "first declared here");
        }
        if (field.type) ResolveType(*field.type);
      }
      break;
    }
    case ast::TypeKind::kMap: {
      const auto& map = ast::Cast<ast::MapType>(type);
      if (map.key) ResolveType(*map.key);
      if (map.value) ResolveType(*map.value);
      break;
    }
    case ast::TypeKind::kOptional:
      if (const auto& inner = ast::Cast<ast::OptionalType>(type).inner) ResolveType(*inner);
      break;
    case ast::TypeKind::kUnion:
      for (const ast::TypePtr& member : ast::Cast<ast::UnionType>(type).members) {
        if (member) ResolveType(*member);
      }
      break;
  }
}

}  // namespace orch::compiler::resolve
