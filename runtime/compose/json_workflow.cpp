// JSON workflows ⇄ plans and source (see json_workflow.h).
#include "runtime/compose/json_workflow.h"

#include <fmt/format.h>

#include <cctype>
#include <map>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/driver.h"
#include "compiler/types/print.h"
#include "runtime/compose/composer.h"
#include "runtime/compose/names.h"
#include "runtime/value/json.h"

namespace orch::compose {

namespace {

using types::TypeKind;

Error Fail(const std::string& origin, const std::string& where, const std::string& message,
           const std::string& help = "") {
  std::string text = where.empty() ? fmt::format("{}: {}", origin, message) : fmt::format("{}: {}: {}", origin, where, message);
  if (!help.empty()) text += "\n  = help: " + help;
  return MakeError("usage", text);
}

// ---- Templates ---------------------------------------------------------------------------

struct TemplatePart {
  bool is_var = false;
  std::string text;  ///< literal text, or the variable's path
};

/// One segment of a variable path: a field name, or a list index.
struct PathSegment {
  std::string field;
  std::optional<size_t> index;
};

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

std::optional<std::vector<PathSegment>> ParsePath(const std::string& path) {
  std::vector<PathSegment> out;
  size_t i = 0;
  auto name = [&]() -> std::optional<std::string> {
    size_t start = i;
    if (i >= path.size() || !(std::isalpha(static_cast<unsigned char>(path[i])) || path[i] == '_')) return std::nullopt;
    while (i < path.size() && IsNameChar(path[i])) ++i;
    return path.substr(start, i - start);
  };
  auto first = name();
  if (!first) return std::nullopt;
  out.push_back({*first, std::nullopt});
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      auto n = name();
      if (!n) return std::nullopt;
      out.push_back({*n, std::nullopt});
    } else if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string::npos || close == i + 1) return std::nullopt;
      std::string digits = path.substr(i + 1, close - i - 1);
      for (char c : digits) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      }
      out.push_back({"", static_cast<size_t>(std::stoull(digits))});
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

ErrorOr<std::vector<TemplatePart>> ParseTemplate(const std::string& text, const std::string& origin,
                                                 const std::string& where) {
  std::vector<TemplatePart> parts;
  size_t i = 0;
  std::string literal;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") == 0) {
      size_t close = text.find("}}", i + 2);
      if (close == std::string::npos) {
        return Fail(origin, where, fmt::format("broken template `{}`: the `{{{{` at offset {} is never closed", text, i),
                    "write `{{name}}`");
      }
      std::string inner = text.substr(i + 2, close - i - 2);
      size_t b = inner.find_first_not_of(' '), e = inner.find_last_not_of(' ');
      inner = b == std::string::npos ? "" : inner.substr(b, e - b + 1);
      if (inner.empty()) return Fail(origin, where, fmt::format("broken template `{}`: `{{{{}}}}` names no variable", text));
      if (inner.find("{{") != std::string::npos || !ParsePath(inner)) {
        return Fail(origin, where, fmt::format("broken template `{}`: `{}` is not a variable", text, inner),
                    "a variable is a name or a path such as `step.results[0].url`");
      }
      if (!literal.empty()) parts.push_back({false, std::move(literal)});
      literal.clear();
      parts.push_back({true, inner});
      i = close + 2;
    } else if (text.compare(i, 2, "}}") == 0) {
      return Fail(origin, where, fmt::format("broken template `{}`: `}}}}` at offset {} closes nothing", text, i));
    } else {
      literal += text[i++];
    }
  }
  if (!literal.empty()) parts.push_back({false, std::move(literal)});
  return parts;
}

std::string EscapeText(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '$': out += "\\$"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

// ---- JSON → plan ---------------------------------------------------------------------------

struct StepInfo {
  std::string binding;
  ComposeTool tool;
};

class JsonImporter {
 public:
  JsonImporter(const lock::LockFile& schemas, const std::string& origin) : schemas_(schemas), origin_(origin) {}

  ErrorOr<Plan> Run(const Value& json) {
    if (!json.is_record()) return Fail(origin_, "", fmt::format("expected a JSON object, found {}", json.kind_name()));
    for (const auto& [key, value] : json.as_record()) {
      if (key != "name" && key != "steps" && key != "output" && key != "description") {
        auto similar = compiler::SuggestSimilar(key, {"name", "steps", "output", "description"});
        return Fail(origin_, key, "unknown key",
                    similar ? fmt::format("did you mean `{}`?", *similar) : "the keys are `name`, `steps`, `output`, `description`");
      }
    }
    const Value* name = json.Find("name");
    if (!name || !name->is_string() || name->as_string().empty()) {
      return Fail(origin_, "name", name ? fmt::format("expected a non-empty string, found {}", name->kind_name()) : "missing",
                  "the workflow's name, e.g. \"name\": \"concert_finder\"");
    }
    composer_.emplace(name->as_string());
    Plan& plan = composer_->plan();
    const Value* description = json.Find("description");
    if (description && description->is_string()) plan.summary = description->as_string();
    const Value* steps = json.Find("steps");
    if (!steps || !steps->is_list() || steps->as_list().empty()) {
      return Fail(origin_, "steps", steps ? "expected a non-empty list of steps" : "missing",
                  "e.g. \"steps\": [{\"tool\": \"server/tool\", \"param\": \"{{var}}\"}]");
    }
    for (size_t i = 0; i < steps->as_list().size(); ++i) {
      if (auto ok = Step(steps->as_list()[i], fmt::format("steps[{}]", i)); !ok) return ok.error();
    }
    if (auto ok = Output(json.Find("output")); !ok) return ok.error();
    if (plan.summary.empty()) {
      std::vector<std::string> ids;
      for (const auto& s : steps_) ids.push_back(s.tool.Id());
      plan.summary = fmt::format("Calls {} in order.", fmt::join(ids, ", then "));
    }
    plan.header = {"Converted from the JSON workflow shape by `orchestrator compose --from-json`."};
    return std::move(plan);
  }

 private:
  ErrorOr<void> Step(const Value& step, const std::string& where) {
    if (!step.is_record()) return Fail(origin_, where, fmt::format("expected an object, found {}", step.kind_name()));
    const Value* tool_name = step.Find("tool");
    if (!tool_name || !tool_name->is_string()) {
      return Fail(origin_, where + ".tool", tool_name ? "expected a string `server/tool`" : "missing",
                  "every step names its tool: \"tool\": \"server/tool\"");
    }
    auto tool = FindTool(schemas_, tool_name->as_string());
    if (!tool) return Fail(origin_, where + ".tool", tool.error().message);
    std::string binding;
    if (const Value* as = step.Find("as")) {
      if (!as->is_string() || !IsPlainName(as->as_string())) {
        return Fail(origin_, where + ".as", "expected a name (letters, digits, `_`) for the step's result");
      }
      binding = as->as_string();
      for (const auto& s : steps_) {
        if (s.binding == binding) return Fail(origin_, where + ".as", fmt::format("`{}` already names step `{}`", binding, s.tool.Id()));
      }
    }
    std::vector<Target> targets = InputTargets(*tool);
    const bool open_params = types::Resolve(tool->type.params)->kind() != TypeKind::kRecord;
    std::vector<PlanArg> args;
    for (const auto& [key, value] : step.as_record()) {
      if (key == "tool" || key == "as") continue;
      const std::string arg_where = where + "." + key;
      const Target* target = nullptr;
      for (const auto& t : targets) {
        if (t.name == key) target = &t;
      }
      if (!target && !open_params) {
        std::vector<std::string> names;
        for (const auto& t : targets) names.push_back(t.name);
        auto similar = compiler::SuggestSimilar(key, names);
        return Fail(origin_, arg_where, fmt::format("`{}` has no parameter `{}`", tool->Id(), key),
                    similar ? fmt::format("did you mean `{}`?", *similar)
                            : fmt::format("its parameters: {}", names.empty() ? "none" : fmt::format("`{}`", fmt::join(names, "`, `"))));
      }
      Target t = target ? *target : Target{key, types::Any(), "", false};
      auto expr = ValueExpr(value, t, arg_where, tool->Id());
      if (!expr) return expr.error();
      PlanArg arg;
      arg.param = key;
      arg.expr = *expr;
      arg.reason = std::move(pending_reason_);
      pending_reason_.clear();
      args.push_back(std::move(arg));
    }
    for (const auto& t : targets) {
      if (!t.required) continue;
      bool given = false;
      for (const auto& a : args) given = given || a.param == t.name;
      if (!given) {
        composer_->plan().remarks.push_back(fmt::format("{}: required parameter `{}` of `{}` is not given; `check` reports it",
                                                        where, t.name, tool->Id()));
      }
    }
    const size_t index = composer_->AddStep(*tool, binding);
    composer_->plan().steps[index].args = std::move(args);
    steps_.push_back({composer_->plan().steps[index].binding, *tool});
    return {};
  }

  // A JSON value as a source expression; strings are templates.
  ErrorOr<std::string> ValueExpr(const Value& value, const Target& target, const std::string& where,
                                 const std::string& tool_id) {
    switch (value.kind()) {
      case Value::Kind::kNull:
      case Value::Kind::kBool:
      case Value::Kind::kInt:
      case Value::Kind::kNumber: return ToJson(value);
      case Value::Kind::kString: {
        auto parts = ParseTemplate(value.as_string(), origin_, where);
        if (!parts) return parts.error();
        if (parts->size() == 1 && (*parts)[0].is_var) return Variable((*parts)[0].text, target, where, tool_id, true);
        std::string out = "\"";
        for (const auto& p : *parts) {
          if (!p.is_var) {
            out += EscapeText(p.text);
            continue;
          }
          Target text_target{target.name, types::String(), target.description, true};
          auto e = Variable(p.text, text_target, where, tool_id, false);
          if (!e) return e.error();
          out += "${" + *e + "}";
        }
        return out + "\"";
      }
      case Value::Kind::kList: {
        std::string out = "[";
        const types::TypeRef& r = types::Resolve(target.type);
        Target element{target.name, r->kind() == TypeKind::kList ? r->element() : types::Any(), target.description, true};
        for (size_t i = 0; i < value.as_list().size(); ++i) {
          auto e = ValueExpr(value.as_list()[i], element, fmt::format("{}[{}]", where, i), tool_id);
          if (!e) return e.error();
          out += (i ? ", " : "") + *e;
        }
        return out + "]";
      }
      case Value::Kind::kRecord: {
        std::string out = "{";
        const types::TypeRef& r = types::Resolve(target.type);
        bool first = true;
        for (const auto& [key, field] : value.as_record()) {
          const types::Field* f = r->kind() == TypeKind::kRecord ? r->FindField(key) : nullptr;
          Target sub{key, f ? f->type : types::Any(), f ? f->description : "", true};
          auto e = ValueExpr(field, sub, where + "." + key, tool_id);
          if (!e) return e.error();
          out += (first ? "" : ", ") + (IsPlainName(key) ? key : ToJson(Value(key))) + ": " + *e;
          first = false;
        }
        return out + "}";
      }
    }
    return std::string("null");
  }

  // Walks `segments` from `type`; the expression and type reached, or the segment that fails.
  ErrorOr<std::pair<std::string, types::TypeRef>> WalkPath(std::string expr, types::TypeRef type,
                                                          const std::vector<PathSegment>& segments, size_t from,
                                                          const std::string& var, const std::string& what,
                                                          const std::string& where) {
    for (size_t i = from; i < segments.size(); ++i) {
      const types::TypeRef& r = types::Resolve(types::StripNull(type));
      if (segments[i].index) {
        expr += fmt::format("[{}]", *segments[i].index);
        if (r->kind() == TypeKind::kList) {
          type = r->element();
        } else if (r->kind() == TypeKind::kAny) {
          type = types::Any();
        } else {
          return Fail(origin_, where, fmt::format("unknown variable `{{{{{}}}}}`: {} is `{}`, not a list", var, what,
                                                  types::PrintShort(type)));
        }
        continue;
      }
      const std::string& field = segments[i].field;
      expr += "." + SourceName(field);
      if (r->kind() == TypeKind::kRecord) {
        if (const types::Field* f = r->FindField(field)) {
          type = f->optional ? types::Optional(f->type) : f->type;
          continue;
        }
        if (r->rest() || !r->closed()) {
          // Open records may hold more fields than the schema lists.
          if (r->rest()) {
            type = r->rest();
            continue;
          }
        }
        std::vector<std::string> names;
        for (const auto& f : r->fields()) names.push_back(f.name);
        auto similar = compiler::SuggestSimilar(field, names);
        return Fail(origin_, where, fmt::format("unknown variable `{{{{{}}}}}`: {} has no field `{}`", var, what, field),
                    similar ? fmt::format("did you mean `{}`?", *similar)
                            : fmt::format("its fields: {}", names.empty() ? "none" : "`" + fmt::format("{}", fmt::join(names, "`, `")) + "`"));
      }
      if (r->kind() == TypeKind::kMap) {
        type = r->element();
        continue;
      }
      if (r->kind() == TypeKind::kAny) continue;
      return Fail(origin_, where, fmt::format("unknown variable `{{{{{}}}}}`: {} is `{}`, which has no fields", var, what,
                                              types::PrintShort(type)));
    }
    return std::make_pair(expr, type);
  }

  ErrorOr<std::string> Variable(const std::string& var, const Target& target, const std::string& where,
                                const std::string& tool_id, bool whole) {
    std::vector<PathSegment> segments = *ParsePath(var);
    const std::string& head = segments[0].field;
    // A step's result, by its name.
    for (const auto& s : steps_) {
      if (s.binding != head) continue;
      auto walked = WalkPath(SourceName(s.binding), s.tool.type.result, segments, 1, var,
                             fmt::format("the result of `{}`", s.tool.Id()), where);
      if (!walked) return walked.error();
      return walked->first;
    }
    // A workflow parameter made earlier.
    for (const auto& p : composer_->plan().params) {
      if (p.name != head) continue;
      auto walked = WalkPath(p.name, p.type, segments, 1, var, fmt::format("parameter `{}`", p.name), where);
      if (!walked) return walked.error();
      return walked->first;
    }
    if (segments.size() > 1) {
      std::vector<std::string> names;
      for (const auto& s : steps_) names.push_back(s.binding);
      auto similar = compiler::SuggestSimilar(head, names);
      return Fail(origin_, where, fmt::format("unknown variable `{{{{{}}}}}`: no earlier step is called `{}`", var, head),
                  similar ? fmt::format("did you mean `{}`?", *similar)
                  : names.empty() ? std::string("a path must start with an earlier step's name (its `as`, or its tool's name)")
                                  : fmt::format("earlier steps: `{}`", fmt::join(names, "`, `")));
    }
    // A field of that name in an earlier step's result (the latest step wins).
    const Source* best = nullptr;
    for (const Source& s : composer_->sources()) {
      if (s.step < 0) continue;
      if (NameWords(s.name) == NameWords(head) && (!best || s.step > best->step)) best = &s;
    }
    if (best) {
      pending_reason_ = fmt::format("{} <- {}: `{{{{{}}}}}` is the field `{}` that {} returns", target.name, best->expr, head,
                                    best->name, best->origin);
      return best->expr;
    }
    // Otherwise an input of the workflow, typed by what it feeds.
    types::TypeRef type = whole ? target.type : types::String();
    std::string name =
        composer_->AddParam(head, type, target.description, fmt::format("{} `{}`", tool_id, target.name), true);
    if (name != head) {
      return Fail(origin_, where, fmt::format("variable `{{{{{}}}}}` cannot be a workflow parameter: `{}` is taken or reserved", var, head),
                  "rename the variable");
    }
    return name;
  }

  ErrorOr<void> Output(const Value* output) {
    Plan& plan = composer_->plan();
    if (!output) {
      plan.output = plan.steps.back().binding;
      return {};
    }
    if (!output->is_string()) return Fail(origin_, "output", fmt::format("expected a string, found {}", output->kind_name()));
    const std::string& text = output->as_string();
    if (text.find("{{") != std::string::npos || text.find("}}") != std::string::npos) {
      auto parts = ParseTemplate(text, origin_, "output");
      if (!parts) return parts.error();
      if (parts->size() != 1 || !(*parts)[0].is_var) {
        return Fail(origin_, "output", fmt::format("`{}` mixes text and variables", text),
                    "write one variable, `{{step.field}}`, or a name for a record of every step's result");
      }
      std::vector<PathSegment> segments = *ParsePath((*parts)[0].text);
      bool known = false;
      for (const auto& s : steps_) known = known || s.binding == segments[0].field;
      for (const auto& p : plan.params) known = known || p.name == segments[0].field;
      if (!known) {
        std::vector<std::string> names;
        for (const auto& s : steps_) names.push_back(s.binding);
        return Fail(origin_, "output", fmt::format("unknown variable `{}`", text),
                    fmt::format("steps: `{}`", fmt::join(names, "`, `")));
      }
      auto e = Variable((*parts)[0].text, Target{"output", types::Any(), "", true}, "output", "", true);
      if (!e) return e.error();
      plan.output = *e;
      return {};
    }
    if (!IsPlainName(text)) {
      return Fail(origin_, "output", fmt::format("`{}` is neither a `{{{{variable}}}}` nor a name", text),
                  "a name (letters, digits, `_`) returns a record of every step's result under that name");
    }
    for (const auto& s : steps_) {
      if (s.binding == text) return Fail(origin_, "output", fmt::format("`{}` already names a step", text), "choose another name");
    }
    for (const auto& p : plan.params) {
      if (p.name == text) return Fail(origin_, "output", fmt::format("`{}` already names a parameter", text), "choose another name");
    }
    std::vector<std::string> fields;
    for (const auto& s : steps_) fields.push_back(fmt::format("{}: {}", s.binding, s.binding));
    plan.output_name = text;
    plan.output = fmt::format("{{{}}}", fmt::join(fields, ", "));
    return {};
  }

  const lock::LockFile& schemas_;
  std::string origin_;
  std::optional<Composer> composer_;
  std::vector<StepInfo> steps_;
  std::string pending_reason_;
};

// ---- Source → JSON ----------------------------------------------------------------------------

class JsonExporter {
 public:
  JsonExporter(const compiler::SourceMap& sources, const std::string& path) : sources_(sources), path_(path) {}

  Error At(compiler::Span span, const std::string& message, const std::string& help = "") const {
    auto lc = sources_.file(span.file).Locate(span.begin);
    std::string text = fmt::format("{}:{}:{}: {}", path_, lc.line, lc.column, message);
    if (!help.empty()) text += "\n  = help: " + help;
    return MakeError("usage", text);
  }

  std::string Text(compiler::Span span) const {
    return sources_.file(span.file).text().substr(span.begin, span.end - span.begin);
  }

  // A field path (`a.b[0].c`) as template text, or nullopt.
  std::optional<std::string> Path(const compiler::ast::Expr& e) const {
    namespace ast = compiler::ast;
    if (auto* n = ast::DynCast<ast::NameExpr>(&e)) return n->name.name;
    if (auto* m = ast::DynCast<ast::MemberExpr>(&e)) {
      if (m->optional) return std::nullopt;
      auto base = Path(*m->object);
      if (!base) return std::nullopt;
      return *base + "." + m->member.name;
    }
    if (auto* ix = ast::DynCast<ast::IndexExpr>(&e)) {
      auto* i = ast::DynCast<ast::IntExpr>(ix->index.get());
      if (ix->optional || !i || i->value < 0) return std::nullopt;
      auto base = Path(*ix->object);
      if (!base) return std::nullopt;
      return *base + fmt::format("[{}]", i->value);
    }
    return std::nullopt;
  }

  ErrorOr<Value> Arg(const compiler::ast::Expr& e) const {
    namespace ast = compiler::ast;
    if (auto p = Path(e)) return Value("{{" + *p + "}}");
    switch (e.kind()) {
      case ast::ExprKind::kInt: return Value(ast::Cast<ast::IntExpr>(e).value);
      case ast::ExprKind::kNumber: return Value(ast::Cast<ast::NumberExpr>(e).value);
      case ast::ExprKind::kBool: return Value(ast::Cast<ast::BoolExpr>(e).value);
      case ast::ExprKind::kNull: return Value();
      case ast::ExprKind::kString: {
        std::string out;
        for (const auto& part : ast::Cast<ast::StringExpr>(e).parts) {
          if (part.kind == ast::StringPart::Kind::kText) {
            if (part.text.find("{{") != std::string::npos || part.text.find("}}") != std::string::npos) {
              return At(part.span, "this text holds `{{` or `}}`, which the JSON shape reads as a template");
            }
            out += part.text;
            continue;
          }
          auto p = Path(*part.expr);
          if (!p) return At(part.span, fmt::format("`{}` cannot be written as a `{{{{variable}}}}`", Text(part.span)),
                            "only names and field paths (`a.b[0].c`) can be interpolated in the JSON shape");
          out += "{{" + *p + "}}";
        }
        return Value(out);
      }
      case ast::ExprKind::kList: {
        List out;
        for (const auto& el : ast::Cast<ast::ListExpr>(e).elements) {
          auto v = Arg(*el);
          if (!v) return v.error();
          out.push_back(std::move(*v));
        }
        return Value(std::move(out));
      }
      case ast::ExprKind::kRecord: {
        Record out;
        for (const auto& f : ast::Cast<ast::RecordExpr>(e).fields) {
          if (!f.value) return At(f.key.span, "a shorthand field cannot be written in the JSON shape");
          auto v = Arg(*f.value);
          if (!v) return v.error();
          out.Set(f.key.name, std::move(*v));
        }
        return Value(std::move(out));
      }
      case ast::ExprKind::kCall: {
        auto* callee = ast::DynCast<ast::NameExpr>(ast::Cast<ast::CallExpr>(e).callee.get());
        if (callee && callee->name.name == "hole") {
          return At(e.span, "this typed hole is not filled in", "replace `hole(…)` by the value to use, then export");
        }
        break;
      }
      default: break;
    }
    return At(e.span, fmt::format("`{}` cannot be written in the JSON shape", Text(e.span)),
              "arguments may be literals, names, field paths (`a.b[0].c`) and strings interpolating them");
  }

  // `srv.tool(…)` as {tool, args…}; nullopt when `e` is not a tool call.
  ErrorOr<std::optional<Record>> ToolStep(const compiler::ast::Expr& e) const {
    namespace ast = compiler::ast;
    if (auto* w = ast::DynCast<ast::WithExpr>(&e)) {
      return At(w->policies_span, "call policies (`with {…}`) cannot be written in the JSON shape");
    }
    auto* call = ast::DynCast<ast::CallExpr>(&e);
    if (!call) return std::optional<Record>();
    auto* member = ast::DynCast<ast::MemberExpr>(call->callee.get());
    auto* object = member ? ast::DynCast<ast::NameExpr>(member->object.get()) : nullptr;
    if (!object) return std::optional<Record>();
    auto use = uses_.find(object->name.name);
    if (use == uses_.end()) return std::optional<Record>();
    Record step;
    step.Set("tool", Value(use->second + "/" + member->member.name));
    for (const auto& a : call->args) {
      if (!a.name || !a.value) return At(a.span, "tool arguments are named");
      auto v = Arg(*a.value);
      if (!v) return v.error();
      step.Set(a.name->name, std::move(*v));
    }
    return std::optional<Record>(std::move(step));
  }

  ErrorOr<Value> Run(const compiler::ast::File& file, const std::string& workflow) {
    namespace ast = compiler::ast;
    std::vector<const ast::WorkflowDecl*> workflows;
    for (const auto& d : file.declarations) {
      if (auto* u = ast::DynCast<ast::UseDecl>(d.get())) uses_[u->name.name] = u->server;
      if (auto* w = ast::DynCast<ast::WorkflowDecl>(d.get())) workflows.push_back(w);
    }
    const ast::WorkflowDecl* chosen = nullptr;
    std::vector<std::string> names;
    for (const auto* w : workflows) {
      names.push_back(w->name.name);
      if (w->name.name == workflow) chosen = w;
    }
    if (workflow.empty() && workflows.size() == 1) chosen = workflows[0];
    if (!chosen) {
      if (workflows.empty()) return MakeError("usage", fmt::format("`{}` has no workflow", path_));
      if (workflow.empty()) {
        return MakeError("usage", fmt::format("`{}` has {} workflows\n  = help: name one: {}", path_, workflows.size(),
                                              fmt::join(names, ", ")));
      }
      auto similar = compiler::SuggestSimilar(workflow, names);
      return MakeError("usage", fmt::format("`{}` has no workflow `{}`\n  = help: {}", path_, workflow,
                                            similar ? fmt::format("did you mean `{}`?", *similar)
                                                    : fmt::format("its workflows: {}", fmt::join(names, ", "))));
    }
    Record out;
    out.Set("name", Value(chosen->name.name));
    if (chosen->doc) {
      std::string first = chosen->doc->text.substr(0, chosen->doc->text.find('\n'));
      out.Set("description", Value(first));
    }
    for (const auto& p : chosen->params) {
      if (p.default_value) {
        return At(p.span, fmt::format("parameter `{}` has a default value, which the JSON shape cannot hold", p.name.name),
                  "remove the default, or keep the workflow as `.orch`");
      }
    }
    List steps;
    std::map<std::string, Record> records;  // `let NAME = {…}` bindings, for `output`
    std::optional<Value> output;
    const auto& statements = chosen->body.statements;
    for (size_t i = 0; i < statements.size(); ++i) {
      const ast::Stmt& s = *statements[i];
      if (output) return At(s.span, "nothing may follow `return` in the JSON shape");
      if (auto* let = ast::DynCast<ast::LetStmt>(&s)) {
        auto step = ToolStep(*let->value);
        if (!step) return step.error();
        if (*step) {
          Record r;
          r.Set("tool", *(*step)->Find("tool"));
          r.Set("as", Value(let->name.name));
          for (const auto& [k, v] : **step) {
            if (k != "tool") r.Set(k, v);
          }
          steps.push_back(Value(std::move(r)));
          continue;
        }
        // `let NAME = {a: a, b: b}` of every step's result, returned next: `"output": "NAME"`.
        if (ast::DynCast<ast::RecordExpr>(let->value.get()) && i + 1 < statements.size()) {
          auto* ret = ast::DynCast<ast::ReturnStmt>(statements[i + 1].get());
          auto* name = ret && ret->value ? ast::DynCast<ast::NameExpr>(ret->value.get()) : nullptr;
          if (name && name->name.name == let->name.name) {
            output = Value(let->name.name);
            ++i;
            continue;
          }
        }
        return At(s.span, "only tool calls can be bound with `let` in the JSON shape");
      }
      if (auto* expr = ast::DynCast<ast::ExprStmt>(&s)) {
        auto step = ToolStep(*expr->expr);
        if (!step) return step.error();
        if (*step) {
          steps.push_back(Value(std::move(**step)));
          continue;
        }
        return At(s.span, "only tool calls can be steps of the JSON shape");
      }
      if (auto* ret = ast::DynCast<ast::ReturnStmt>(&s)) {
        if (!ret->value) continue;
        auto p = Path(*ret->value);
        if (!p) return At(ret->value->span, "the JSON shape returns a `{{variable}}`: a name or a field path");
        output = Value("{{" + *p + "}}");
        continue;
      }
      return At(s.span, "this statement cannot be written in the JSON shape",
                "the shape holds tool calls run in order and what is returned: no conditions, loops or `try`");
    }
    if (steps.empty()) return At(chosen->name.span, fmt::format("workflow `{}` calls no tool", chosen->name.name));
    out.Set("steps", Value(std::move(steps)));
    if (output) out.Set("output", *output);
    return Value(std::move(out));
  }

 private:
  const compiler::SourceMap& sources_;
  std::string path_;
  std::map<std::string, std::string> uses_;  // name in source → configured server
};

}  // namespace

ErrorOr<Plan> PlanFromJson(const Value& json, const lock::LockFile& schemas, const std::string& origin) {
  JsonImporter importer(schemas, origin);
  return importer.Run(json);
}

ErrorOr<Value> WorkflowToJson(const std::string& path, const std::string& workflow) {
  compiler::CompileOptions options;
  options.stop_after = compiler::Phase::kParse;
  compiler::Compilation c = compiler::Compile({path}, options);
  if (!c.ok() || c.files.empty() || !c.files[0].ast) {
    std::string first = c.diagnostics.diagnostics().empty() ? "it could not be read"
                                                            : c.diagnostics.diagnostics()[0].message;
    return MakeError("usage", fmt::format("cannot export `{}`: {}", path, first));
  }
  JsonExporter exporter(c.sources, path);
  return exporter.Run(*c.files[0].ast, workflow);
}

}  // namespace orch::compose
