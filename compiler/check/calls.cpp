// Calls of tools (against the locked schemas), workflows and agent workflows: unknown tools
// and parameters, missing required parameters, argument types.
#include <fmt/format.h>

#include <functional>

#include "compiler/check/checker.h"

namespace orch::compiler::check {

using types::Print;
using types::PrintShort;
using types::TypeKind;

namespace {

constexpr size_t kMaxListedTools = 12;

}  // namespace

TypeRef Checker::TypeCall(const ast::CallExpr& call, const ast::Expr* piped, const TypeRef& piped_type,
                          const TypeRef& expected) {
  const ast::Expr& callee = *call.callee;
  if (auto* member = ast::DynCast<ast::MemberExpr>(&callee)) {
    if (const resolve::ToolRef* ref = resolved_.Tool(*member)) return TypeToolCall(call, *member, *ref, piped);
    if (auto it = resolved_.agent_workflows.find(member); it != resolved_.agent_workflows.end()) {
      const resolve::Symbol& s = resolved_.symbol(it->second);
      if (s.workflow) {
        CallTarget& target = result_.calls[&call];
        target.kind = CallTarget::Kind::kWorkflow;
        target.workflow = s.workflow;
        target.name = s.name;
        return TypeWorkflowCall(call.args, call.args_span, *s.workflow,
                                fmt::format("workflow `{}`", ExprText(*member)), piped, piped_type);
      }
    }
  }
  if (auto* name = ast::DynCast<ast::NameExpr>(&callee)) {
    const resolve::Symbol* s = resolved_.Lookup(*name);
    if (!s) {
      for (const ast::Argument& a : call.args) {
        if (a.value) TypeExpr(*a.value);
      }
      return types::Any();
    }
    if (s->kind == resolve::SymbolKind::kWorkflow && s->workflow) {
      CallTarget& target = result_.calls[&call];
      target.kind = CallTarget::Kind::kWorkflow;
      target.workflow = s->workflow;
      target.name = s->name;
      return TypeWorkflowCall(call.args, call.args_span, *s->workflow, fmt::format("workflow `{}`", s->name),
                              piped, piped_type);
    }
    if (s->kind == resolve::SymbolKind::kBuiltin) {
      CallTarget& target = result_.calls[&call];
      target.kind = CallTarget::Kind::kBuiltin;
      target.name = s->name;
      return TypeBuiltinCall(call.args, call.args_span, s->name, piped, piped_type, expected, &call);
    }
  }
  // Anything else: a local holding a lambda, or not callable at all.
  TypeRef f = TypeExpr(callee);
  std::vector<TypeRef> arg_types;
  if (piped) arg_types.push_back(piped_type);
  for (const ast::Argument& a : call.args) {
    if (a.value) arg_types.push_back(TypeExpr(*a.value));
  }
  const TypeRef& ft = types::Resolve(f);
  if (ft->kind() == TypeKind::kAny) return types::Any();
  if (ft->kind() != TypeKind::kFunction) {
    sink_.Report(DiagKind::kNotCallable, callee.span, {ExprText(callee)})
        .WithLabel(fmt::format("this is `{}`", PrintShort(f)));
    return types::Any();
  }
  if (arg_types.size() != ft->params().size()) {
    sink_.Report(DiagKind::kWrongArgumentCount, call.args_span,
                 {ExprText(callee), fmt::format("{} argument(s)", ft->params().size()),
                  std::to_string(arg_types.size())});
  }
  return ft->element();
}

const CatalogTool* Checker::LookupTool(const resolve::ToolRef& ref, const ast::MemberExpr& member,
                                       std::string* display) {
  const resolve::Symbol& server = resolved_.symbol(ref.server);
  const std::string& configured = server.server_name.empty() ? server.name : server.server_name;
  if (display) *display = fmt::format("tool `{}/{}`", server.name, ref.tool);
  const CatalogServer* schemas = catalog_->Find(configured);
  if (!schemas) {
    if (!unlocked_reported_.count(configured)) {
      unlocked_reported_.insert(configured);
      sink_.Report(DiagKind::kServerNotLocked, member.object->span, {configured})
          .WithLabel("not in `orchestrator.lock`")
          .AddHelp("run `orchestrator tools lock` to record the tool schemas of the configured servers");
    }
    return nullptr;
  }
  if (const CatalogTool* tool = schemas->Find(ref.tool)) return tool;
  Span span = ref.tool_span.valid() ? ref.tool_span : member.member.span;
  Diagnostic& d = sink_.Report(DiagKind::kUnknownTool, span, {server.name, ref.tool});
  d.WithLabel("not in the server's locked tool list");
  auto names = schemas->ToolNames();
  if (auto similar = SuggestSimilar(ref.tool, names)) {
    d.AddHelp(fmt::format("a tool with a similar name exists: `{}`", *similar));
    bool plain = !similar->empty() && similar->find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
    d.AddFix(span, plain ? *similar : "`" + *similar + "`");
  }
  std::string list;
  for (size_t i = 0; i < names.size() && i < kMaxListedTools; ++i) {
    list += (i ? ", `" : "`") + names[i] + "`";
  }
  if (names.size() > kMaxListedTools) list += fmt::format(" and {} more", names.size() - kMaxListedTools);
  d.AddNote(names.empty() ? fmt::format("`{}` has no tools", server.name)
                          : fmt::format("`{}` has {}", server.name, list));
  return nullptr;
}

TypeRef Checker::TypeToolCall(const ast::CallExpr& call, const ast::MemberExpr& callee,
                              const resolve::ToolRef& ref, const ast::Expr* piped) {
  std::string display;
  const CatalogTool* tool = LookupTool(ref, callee, &display);
  result_.expr_types[&callee] = types::Any();
  CallTarget& target = result_.calls[&call];
  target.kind = CallTarget::Kind::kTool;
  target.server = resolved_.symbol(ref.server).server_name;
  target.name = ref.tool;
  target.tool = tool;
  if (piped) {
    sink_.Report(DiagKind::kPositionalArgument, piped->span, {display})
        .WithLabel("piped into a tool call")
        .AddHelp("pass the value as a named argument: `tool(name: value)`");
  }
  if (!tool) {
    for (const ast::Argument& a : call.args) {
      if (a.value) TypeExpr(*a.value);
    }
    return types::Any();
  }
  CheckArguments(call.args, call.args_span, tool->type.params, display, true, nullptr, nullptr);
  return tool->type.result;
}

TypeRef Checker::TypeWorkflowCall(const std::vector<ast::Argument>& args, Span args_span,
                                  const ast::WorkflowDecl& workflow, const std::string& description,
                                  const ast::Expr* piped, const TypeRef& piped_type) {
  const WorkflowSignature& sig = SignatureOf(workflow);
  TypeRef params = sig.params;
  CheckArguments(args, args_span, params, description, false, piped, piped_type);
  const WorkflowSignature& after = result_.workflows[&workflow];
  return after.result ? after.result : types::Any();
}

void Checker::CheckArguments(const std::vector<ast::Argument>& args, Span args_span, const TypeRef& params,
                             const std::string& callee, bool is_tool, const ast::Expr* piped,
                             const TypeRef& piped_type) {
  const TypeRef& p = types::Resolve(params);
  const char* whose = is_tool ? "the tool's inputSchema" : "the workflow's parameters";
  std::vector<std::string> passed;
  // Parameters a misspelt argument was matched to: not reported again as missing.
  std::vector<std::string> suggested;

  auto check_value = [&](const ast::Expr& value, const TypeRef& found, const std::string& name,
                         const TypeRef& expected) {
    auto mismatch = types::CheckAssignable(found, expected);
    if (!mismatch) {
      if (is_tool) CheckExtraFields(value, expected, fmt::format("`{}`", name));
      return;
    }
    if (types::IsNullable(found) && types::IsAssignable(types::StripNull(found), expected)) {
      ReportPossiblyNull(value, found, fmt::format("parameter `{}` of {}", name, callee));
      return;
    }
    Diagnostic& d = sink_.Report(DiagKind::kArgumentTypeMismatch, value.span,
                                 {name, callee, Print(expected), PrintShort(found)});
    d.WithLabel(fmt::format("this is `{}`", PrintShort(found)));
    std::string source = ExprText(value);
    const bool named = source.rfind("the ", 0) != 0;
    d.AddNote(fmt::format("this {} needs `{}: {}`; {} `{}`", is_tool ? "tool" : "workflow", name,
                          PrintShort(expected), named ? "`" + source + "` gives" : "the value is",
                          PrintShort(found)));
    if (!named) source = "…";
    if (!mismatch->path.empty() || !mismatch->reason.empty()) d.AddNote(mismatch->Describe());
    if (auto part = FindFittingPart(value, found, expected, name)) {
      d.AddHelp(fmt::format("{} has the type `{}`", *part, PrintShort(expected)));
    } else if (types::IsAssignable(types::String(), expected) &&
               (types::IsNumeric(found) || types::IsAssignable(found, types::Bool()))) {
      d.AddHelp(fmt::format("convert it with `string({})`", source));
    } else if (types::IsAssignable(types::Number(), expected) && types::IsAssignable(found, types::String())) {
      d.AddHelp(fmt::format("convert it with `number({})`", source));
    }
  };

  // The parameter a piped value binds (workflows): the first one not passed by name.
  if (piped) {
    std::string first;
    if (p->kind() == TypeKind::kRecord) {
      for (const types::Field& f : p->fields()) {
        bool named = false;
        for (const ast::Argument& a : args) named = named || (a.name && a.name->name == f.name);
        if (!named) {
          first = f.name;
          break;
        }
      }
    }
    if (first.empty()) {
      sink_.Report(DiagKind::kPositionalArgument, piped->span, {callee})
          .WithLabel("every parameter is already passed by name, so the piped value has none to go to");
    } else {
      const types::Field* f = p->FindField(first);
      check_value(*piped, piped_type, first, f->type);
      passed.push_back(first);
    }
  }

  for (const ast::Argument& a : args) {
    if (!a.value) continue;
    TypeRef expected;
    const types::Field* field = nullptr;
    if (a.name && p->kind() == TypeKind::kRecord) {
      field = p->FindField(a.name->name);
      if (field) expected = field->type;
    }
    TypeRef found = TypeExpr(*a.value, expected);
    if (!a.name) {
      Diagnostic& d = sink_.Report(DiagKind::kPositionalArgument, a.span, {callee});
      d.WithLabel("this argument has no name");
      if (p->kind() == TypeKind::kRecord) {
        d.AddNote(fmt::format("the {} takes {}", is_tool ? "tool" : "workflow", types::PrintFieldList(p)));
        // Suggest the one parameter this value fits, if exactly one.
        std::string fits;
        int count = 0;
        for (const types::Field& f : p->fields()) {
          if (types::IsAssignable(found, f.type) && types::Resolve(f.type)->kind() != TypeKind::kAny) {
            fits = f.name;
            ++count;
          }
        }
        if (count == 1) {
          suggested.push_back(fits);
          d.AddHelp(fmt::format("name it: `{}: …`", fits));
          d.AddFix(Span{a.span.file, a.span.begin, a.span.begin}, fits + ": ");
        }
      }
      continue;
    }
    const std::string& name = a.name->name;
    passed.push_back(name);
    if (p->kind() == TypeKind::kMap) {
      check_value(*a.value, found, name, p->element());
      continue;
    }
    if (p->kind() != TypeKind::kRecord) continue;  // checked as a whole below
    if (!field) {
      if (p->rest()) {
        check_value(*a.value, found, name, p->rest());
        continue;
      }
      Diagnostic& d = sink_.Report(DiagKind::kUnknownParameter, a.name->span, {name, callee});
      d.WithLabel(fmt::format("not in {}", whose));
      d.AddNote(fmt::format("the {} takes {}", is_tool ? "tool" : "workflow", types::PrintFieldList(p)));
      std::vector<std::string> candidates;
      for (const types::Field& f : p->fields()) candidates.push_back(f.name);
      if (auto similar = SuggestSimilar(name, candidates)) {
        d.AddHelp(fmt::format("a parameter with a similar name exists: `{}`", *similar));
        d.AddFix(a.name->span, *similar);
        suggested.push_back(*similar);
      }
      continue;
    }
    check_value(*a.value, found, name, field->type);
  }

  if (p->kind() == TypeKind::kRecord) {
    for (const types::Field& f : p->fields()) {
      if (f.optional) continue;
      bool given = false;
      for (const std::string& n : passed) given = given || n == f.name;
      for (const std::string& n : suggested) given = given || n == f.name;
      if (given) continue;
      Diagnostic& d = sink_.Report(DiagKind::kMissingParameter, args_span, {f.name, callee});
      d.WithLabel(fmt::format("`{}: {}` is required", f.name, PrintShort(f.type)));
      if (!f.description.empty()) d.AddNote(fmt::format("`{}`: {}", f.name, f.description));
      d.AddHelp(fmt::format("pass it by name: `{}: …`", f.name));
    }
  } else if (p->kind() != TypeKind::kMap && p->kind() != TypeKind::kAny) {
    // A schema whose parameters are not one record (e.g. a union): check the whole set.
    std::vector<types::Field> fields;
    for (const ast::Argument& a : args) {
      if (a.name && a.value) fields.push_back({a.name->name, TypeOf(*a.value), false, ""});
    }
    if (auto m = types::CheckAssignable(types::Record(std::move(fields)), params)) {
      sink_.Report(DiagKind::kTypeMismatch, args_span, {PrintShort(params), "these arguments"})
          .AddNote(m->Describe());
    }
  }
}

void Checker::CheckExtraFields(const ast::Expr& value, const TypeRef& expected, const std::string& where) {
  const TypeRef& t = types::Resolve(types::StripNull(expected));
  if (auto* list = ast::DynCast<ast::ListExpr>(&value)) {
    if (t->kind() != TypeKind::kList) return;
    for (const ast::ExprPtr& e : list->elements) {
      if (e) CheckExtraFields(*e, t->element(), where.substr(0, where.size() - 1) + "[]`");
    }
    return;
  }
  auto* record = ast::DynCast<ast::RecordExpr>(&value);
  if (!record || t->kind() != TypeKind::kRecord || t->rest()) return;
  std::vector<std::string> names;
  for (const types::Field& f : t->fields()) names.push_back(f.name);
  for (const ast::FieldInit& f : record->fields) {
    const types::Field* field = t->FindField(f.key.name);
    if (!field) {
      if (t->closed()) continue;  // a closed record already failed the type check
      Diagnostic& d = sink_.Report(DiagKind::kExtraField, f.key.span, {f.key.name, where});
      d.WithLabel("the schema does not list this field");
      d.AddNote(fmt::format("{} takes {}", where, types::PrintFieldList(t)));
      if (auto similar = SuggestSimilar(f.key.name, names)) {
        d.AddHelp(fmt::format("a field with a similar name exists: `{}`", *similar));
        d.AddFix(f.key.span, *similar);
      } else {
        d.AddHelp("remove it, or check the tool's schema with `orchestrator tools show`");
      }
      continue;
    }
    if (f.value) {
      std::string inner = where.substr(0, where.size() - 1) + "." + f.key.name + "`";
      CheckExtraFields(*f.value, field->type, inner);
    }
  }
}

std::optional<std::string> Checker::FindFittingPart(const ast::Expr& expr, const TypeRef& from, const TypeRef& to,
                                                    const std::string& hint) {
  if (types::Resolve(to)->kind() == TypeKind::kAny || types::Resolve(from)->kind() == TypeKind::kAny) {
    return std::nullopt;
  }
  std::string root = ExprText(expr);
  if (root.rfind("the ", 0) == 0) return std::nullopt;
  // Breadth-first over required fields and first elements, three levels deep.
  struct Item {
    TypeRef type;
    std::string path;
    std::string last;
    int depth;
  };
  std::vector<Item> queue{{from, root, "", 0}};
  std::vector<Item> fits;
  for (size_t i = 0; i < queue.size() && i < 200; ++i) {
    Item item = queue[i];
    const TypeRef& t = types::Resolve(item.type);
    if (item.depth > 0 && types::IsAssignable(item.type, to) && t->kind() != TypeKind::kAny &&
        t->kind() != TypeKind::kNever) {
      fits.push_back(item);
      continue;
    }
    if (item.depth >= 3) continue;
    if (t->kind() == TypeKind::kRecord) {
      for (const types::Field& f : t->fields()) {
        if (f.optional) continue;
        queue.push_back({f.type, item.path + "." + f.name, f.name, item.depth + 1});
      }
    } else if (t->kind() == TypeKind::kList) {
      queue.push_back({t->element(), item.path + "[0]", item.last, item.depth + 1});
    }
  }
  if (!hint.empty()) {
    std::vector<std::string> names;
    for (const Item& f : fits) names.push_back(f.last);
    for (const Item& f : fits) {
      if (f.last == hint) return "`" + f.path + "`";
    }
    if (auto similar = SuggestSimilar(hint, names)) {
      for (const Item& f : fits) {
        if (f.last == *similar) return "`" + f.path + "`";
      }
    }
  }
  int direct = 0;
  const Item* only = nullptr;
  for (const Item& f : fits) {
    if (f.depth == 1) {
      ++direct;
      only = &f;
    }
  }
  if (direct == 1) return "`" + only->path + "`";
  return std::nullopt;
}

}  // namespace orch::compiler::check
