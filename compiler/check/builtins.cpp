// Typing of the built-in functions of grammar/builtins.def. Each row has a rule here: the
// switch below has no default, so a new row without a typing rule fails to compile (-Wswitch
// under -Werror). Generic built-ins (`map`, `filter`, `reduce`, …) take their element types
// from the collection and type their lambda with them.
#include <fmt/format.h>

#include <cstdint>
#include <unordered_map>

#include "compiler/check/checker.h"

namespace orch::compiler::check {

using types::PrintShort;
using types::TypeKind;

namespace {

enum class Builtin {
#define ORCH_BUILTIN(Name, Spelling, Signature) k##Name,
#define ORCH_TEST_BUILTIN(Name, Spelling, Signature) k##Name,
#include "grammar/builtins.def"
};

struct BuiltinInfo {
  Builtin builtin;
  const char* signature;
};

const std::unordered_map<std::string, BuiltinInfo>& Builtins() {
  static const std::unordered_map<std::string, BuiltinInfo> table = {
#define ORCH_BUILTIN(Name, Spelling, Signature) {Spelling, {Builtin::k##Name, Signature}},
#define ORCH_TEST_BUILTIN(Name, Spelling, Signature) {Spelling, {Builtin::k##Name, Signature}},
#include "grammar/builtins.def"
  };
  return table;
}

// Parameter counts (min, max) per built-in.
std::pair<size_t, size_t> Arity(Builtin b) {
  switch (b) {
    case Builtin::kNow:
    case Builtin::kUuid: return {0, 0};
    case Builtin::kHole: return {0, SIZE_MAX};
    case Builtin::kLen:
    case Builtin::kKeys:
    case Builtin::kValues:
    case Builtin::kEntries:
    case Builtin::kUnique:
    case Builtin::kSum:
    case Builtin::kMin:
    case Builtin::kMax:
    case Builtin::kAvg:
    case Builtin::kUpper:
    case Builtin::kLower:
    case Builtin::kTrim:
    case Builtin::kToJson:
    case Builtin::kFromJson:
    case Builtin::kInt:
    case Builtin::kNumber:
    case Builtin::kString:
    case Builtin::kCalls:
    case Builtin::kCallArgs:
    case Builtin::kText:
    case Builtin::kError: return {1, 1};
    case Builtin::kMap:
    case Builtin::kFilter:
    case Builtin::kSortBy:
    case Builtin::kGroupBy:
    case Builtin::kRange:
    case Builtin::kJoin:
    case Builtin::kSplit:
    case Builtin::kContains:
    case Builtin::kStartsWith:
    case Builtin::kEndsWith:
    case Builtin::kMatches:
    case Builtin::kFormat: return {2, 2};
    case Builtin::kReduce:
    case Builtin::kReplace: return {3, 3};
  }
  return {0, 0};
}

std::string CountText(size_t n) { return n == 1 ? "1 argument" : fmt::format("{} arguments", n); }

}  // namespace

TypeRef Checker::TypeBuiltinCall(const std::vector<ast::Argument>& args, Span args_span, const std::string& name,
                                 const ast::Expr* piped, const TypeRef& piped_type, const TypeRef& expected,
                                 const ast::Expr* whole) {
  auto found = Builtins().find(name);
  if (found == Builtins().end()) {
    for (const ast::Argument& a : args) {
      if (a.value) TypeExpr(*a.value);
    }
    return types::Any();
  }
  const Builtin b = found->second.builtin;

  std::vector<const ast::Expr*> exprs;
  if (piped) exprs.push_back(piped);
  for (const ast::Argument& a : args) {
    if (a.value) exprs.push_back(a.value.get());
  }
  std::vector<TypeRef> typed(exprs.size());
  if (piped) typed[0] = piped_type;

  auto [min, max] = Arity(b);
  if (exprs.size() < min || exprs.size() > max) {
    Diagnostic& d = sink_.Report(DiagKind::kWrongArgumentCount, args_span, {name, CountText(max), std::to_string(exprs.size())});
    d.AddNote(fmt::format("`{}`", found->second.signature));
    if (piped) d.AddNote("the piped value is the first argument");
    for (size_t i = 0; i < exprs.size(); ++i) {
      if (!typed[i]) TypeExpr(*exprs[i]);
    }
    return types::Any();
  }

  // Types argument i (once), with an expected type for literals.
  auto arg = [&](size_t i, const TypeRef& expected = nullptr) -> TypeRef {
    if (!typed[i]) typed[i] = TypeExpr(*exprs[i], expected);
    return typed[i];
  };
  auto is_any = [](const TypeRef& t) {
    auto k = types::Resolve(t)->kind();
    return k == TypeKind::kAny || k == TypeKind::kNever;
  };
  // Requires argument i to fit `expected`; `what` names it in the message ("a list").
  auto require = [&](size_t i, const TypeRef& expected, std::string_view what) -> bool {
    TypeRef t = arg(i, expected);
    auto m = types::CheckAssignable(t, expected);
    if (!m) return true;
    if (types::IsNullable(t) && types::IsAssignable(types::StripNull(t), expected)) {
      ReportPossiblyNull(*exprs[i], t, fmt::format("`{}`", name));
      return false;
    }
    Diagnostic& d = sink_.Report(DiagKind::kBuiltinArgument, exprs[i]->span, {name, std::string(what), PrintShort(t)});
    d.WithLabel(fmt::format("this is `{}`", PrintShort(t)));
    if (!m->path.empty()) d.AddNote(m->Describe());
    d.AddNote(fmt::format("`{}`", found->second.signature));
    return false;
  };
  // The element type of list argument i (any when it is not a list; reported).
  auto element = [&](size_t i) -> TypeRef {
    TypeRef t = arg(i);
    if (is_any(t)) return types::Any();
    const TypeRef& r = types::Resolve(t);
    if (r->kind() == TypeKind::kList) return r->element();
    require(i, types::List(types::Any()), "a list");
    return types::Any();
  };
  // Types function argument i called with `params`; returns its result type.
  auto function = [&](size_t i, const std::vector<TypeRef>& params) -> TypeRef {
    const ast::Expr& e = *exprs[i];
    if (auto* lambda = ast::DynCast<ast::LambdaExpr>(&e)) {
      if (lambda->params.size() != params.size()) {
        sink_.Report(DiagKind::kLambdaArity, e.span,
                     {params.size() == 1 ? "1 parameter" : fmt::format("{} parameters", params.size()), name,
                      std::to_string(lambda->params.size())})
            .AddNote(fmt::format("`{}`", found->second.signature));
      }
      TypeRef f = TypeLambda(*lambda, params, name);
      result_.expr_types[&e] = f;
      typed[i] = f;
      return types::Resolve(f)->element();
    }
    TypeRef f = arg(i);
    const TypeRef& r = types::Resolve(f);
    if (r->kind() == TypeKind::kFunction) return r->element();
    if (!is_any(f)) require(i, types::Function(params, types::Any()), "a function");
    return types::Any();
  };
  auto record_values = [&](size_t i) -> std::optional<TypeRef> {
    TypeRef t = arg(i);
    if (is_any(t)) return types::Any();
    const TypeRef& r = types::Resolve(t);
    if (r->kind() == TypeKind::kMap) return r->element();
    if (r->kind() == TypeKind::kRecord) {
      TypeRef v = types::Never();
      for (const types::Field& f : r->fields()) v = types::Join(v, f.optional ? types::Optional(f.type) : f.type);
      if (r->rest()) v = types::Join(v, r->rest());
      return v;
    }
    require(i, types::Map(types::Any()), "a record");
    return std::nullopt;
  };
  const TypeRef string = types::String();
  const TypeRef scalar = types::Union({types::Int(), types::Number(), types::String(), types::Bool()});

  switch (b) {
    case Builtin::kLen: {
      TypeRef t = arg(0);
      auto k = types::Resolve(t)->kind();
      if (!is_any(t) && k != TypeKind::kList && k != TypeKind::kMap && k != TypeKind::kRecord &&
          k != TypeKind::kString && k != TypeKind::kLiteral) {
        require(0, types::Union({types::List(types::Any()), types::Map(types::Any()), types::String()}),
                "a list, record or string");
      }
      return types::Int();
    }
    case Builtin::kKeys:
      record_values(0);
      return types::List(string);
    case Builtin::kValues: {
      auto v = record_values(0);
      return types::List(v ? *v : types::Any());
    }
    case Builtin::kEntries: {
      auto v = record_values(0);
      return types::List(types::Record({{"key", string, false, ""}, {"value", v ? *v : types::Any(), false, ""}}));
    }
    case Builtin::kMap: {
      TypeRef e = element(0);
      return types::List(function(1, {e}));
    }
    case Builtin::kFilter: {
      TypeRef e = element(0);
      TypeRef r = function(1, {e});
      if (!is_any(r) && !types::IsAssignable(r, types::Bool())) {
        const ast::Expr* body = exprs[1];
        if (auto* lambda = ast::DynCast<ast::LambdaExpr>(exprs[1]); lambda && lambda->body) body = lambda->body.get();
        RequireBool(*body, r, "the `filter` function's result");
      }
      return types::List(e);
    }
    case Builtin::kReduce: {
      TypeRef e = element(0);
      TypeRef init = arg(1);
      // Literal initial values stand for their base type (`""` starts a string).
      TypeRef acc = types::Resolve(init)->kind() == TypeKind::kLiteral ? string : init;
      if (types::Resolve(acc)->kind() == TypeKind::kList && types::Resolve(types::Resolve(acc)->element())->kind() == TypeKind::kNever) {
        acc = types::List(types::Any());
      }
      TypeRef r = function(2, {acc, e});
      if (!types::IsAssignable(r, acc)) {
        TypeRef widened = types::Join(acc, r);
        return widened;
      }
      return acc;
    }
    case Builtin::kSortBy: {
      TypeRef e = element(0);
      TypeRef key = function(1, {e});
      if (!is_any(key) && !types::IsNumeric(key) && !types::IsAssignable(key, string)) {
        sink_.Report(DiagKind::kBuiltinArgument, exprs[1]->span, {name, "a key of type `int`, `number` or `string`", PrintShort(key)})
            .WithLabel(fmt::format("this function returns `{}`", PrintShort(key)));
      }
      return types::List(e);
    }
    case Builtin::kGroupBy: {
      TypeRef e = element(0);
      TypeRef key = function(1, {e});
      if (!is_any(key) && !types::IsAssignable(key, string)) {
        sink_.Report(DiagKind::kBuiltinArgument, exprs[1]->span, {name, "a key of type `string`", PrintShort(key)})
            .WithLabel(fmt::format("this function returns `{}`", PrintShort(key)))
            .AddHelp("convert the key: `x => string(…)`");
      }
      return types::Map(types::List(e));
    }
    case Builtin::kUnique:
      return types::List(element(0));
    case Builtin::kSum:
    case Builtin::kMin:
    case Builtin::kMax:
    case Builtin::kAvg: {
      TypeRef e = element(0);
      if (!is_any(e) && !types::IsNumeric(e)) require(0, types::List(types::Number()), "a list of numbers");
      bool ints = !is_any(e) && types::IsAssignable(e, types::Int());
      if (b == Builtin::kSum) return ints ? types::Int() : types::Number();
      if (b == Builtin::kAvg) return types::Optional(types::Number());
      return types::Optional(ints ? types::Int() : types::Number());
    }
    case Builtin::kRange:
      require(0, types::Int(), "`int` bounds");
      require(1, types::Int(), "`int` bounds");
      return types::List(types::Int());
    case Builtin::kJoin:
      require(0, types::List(scalar), "a list of strings or numbers");
      require(1, string, "a `string` separator");
      return string;
    case Builtin::kSplit:
      require(0, string, "a string");
      require(1, string, "a `string` separator");
      return types::List(string);
    case Builtin::kUpper:
    case Builtin::kLower:
    case Builtin::kTrim:
      require(0, string, "a string");
      return string;
    case Builtin::kReplace:
      require(0, string, "a string");
      require(1, string, "a string");
      require(2, string, "a string");
      return string;
    case Builtin::kContains: {
      TypeRef h = arg(0);
      if (is_any(h)) {
        arg(1);
        return types::Bool();
      }
      if (types::Resolve(h)->kind() == TypeKind::kList) {
        arg(1);
        return types::Bool();
      }
      if (require(0, types::Union({string, types::List(types::Any())}), "a string or a list")) {
        require(1, string, "a string to look for");
      } else {
        arg(1);
      }
      return types::Bool();
    }
    case Builtin::kStartsWith:
    case Builtin::kEndsWith:
    case Builtin::kMatches:
      require(0, string, "a string");
      require(1, string, b == Builtin::kMatches ? "a `string` regular expression" : "a string");
      return types::Bool();
    case Builtin::kFormat:
      require(0, string, "a `string` template");
      require(1, types::Map(types::Any()), "a record of values");
      return string;
    case Builtin::kToJson:
      arg(0);
      return string;
    case Builtin::kFromJson:
      require(0, string, "a string of JSON");
      return types::Any();
    case Builtin::kInt:
      require(0, scalar, "an int, number, string or bool");
      return types::Int();
    case Builtin::kNumber:
      require(0, scalar, "an int, number, string or bool");
      return types::Number();
    case Builtin::kString:
      arg(0);
      return string;
    case Builtin::kNow:
    case Builtin::kUuid:
      return string;
    case Builtin::kHole: {
      // Each candidate is typed against the place's type; the hole's type is that type, or
      // the candidates' join when the place expects nothing in particular.
      TypeRef type = expected;
      TypeRef joined = types::Never();
      std::vector<std::string> notes;
      for (size_t i = 0; i < exprs.size(); ++i) {
        TypeRef t = arg(i, expected);
        joined = types::Join(joined, t);
        const bool fits = !expected || types::IsAssignable(t, expected);
        // ExprText describes literals in words ("the string"); code goes in backticks.
        const std::string text = ExprText(*exprs[i]);
        notes.push_back(fmt::format("candidate {}: {} of type `{}`{}", i + 1,
                                    text.starts_with("the ") ? text : fmt::format("`{}`", text), PrintShort(t),
                                    fits ? "" : ", which does not fit"));
      }
      if (!type) type = exprs.empty() ? types::Any() : joined;
      const std::string what = exprs.empty()       ? std::string("nothing to choose from, write the expression")
                               : exprs.size() == 1 ? std::string("1 candidate to confirm")
                                                   : fmt::format("choose one of {} candidates", exprs.size());
      Diagnostic& d = sink_.Report(DiagKind::kTypedHole, whole ? whole->span : args_span, {PrintShort(type), what});
      d.WithLabel(fmt::format("a value of type `{}` is needed here", PrintShort(type)));
      for (const std::string& n : notes) d.AddNote(n);
      d.AddHelp(exprs.empty() ? "replace `hole()` with an expression of that type"
                              : "replace `hole(…)` with the candidate to use, or with another expression of that type");
      return type;
    }
    case Builtin::kCalls:
    case Builtin::kCallArgs: {
      // `calls(server.tool)` / `call_args(server.tool)` name a tool or workflow; the name
      // is not evaluated. `calls` counts the calls, `call_args` lists their arguments.
      const bool count = b == Builtin::kCalls;
      auto result = [&](TypeRef params) { return count ? types::Int() : types::List(params ? params : types::Any()); };
      const ast::Expr& target = *exprs[0];
      if (auto* member = ast::DynCast<ast::MemberExpr>(&target)) {
        if (const resolve::ToolRef* ref = resolved_.Tool(*member)) {
          const CatalogTool* tool = LookupTool(*ref, *member);
          result_.expr_types[&target] = types::Any();
          return result(tool ? tool->type.params : nullptr);
        }
        if (resolved_.agent_workflows.count(member)) {
          result_.expr_types[&target] = types::Any();
          return result(nullptr);
        }
      }
      if (auto* n = ast::DynCast<ast::NameExpr>(&target)) {
        const resolve::Symbol* s = resolved_.Lookup(*n);
        if (!s || s->kind == resolve::SymbolKind::kWorkflow) {
          result_.expr_types[&target] = types::Any();
          return result(nullptr);
        }
      }
      sink_.Report(DiagKind::kBuiltinArgument, target.span, {name, "a tool (`server.tool`) or a workflow", PrintShort(arg(0))});
      return result(nullptr);
    }
    case Builtin::kText:
    case Builtin::kError:
      require(0, string, "a string");
      return types::ToolResult();
  }
  return types::Any();
}

}  // namespace orch::compiler::check
