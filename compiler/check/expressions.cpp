// Expression typing: literals, names (with null narrowing), field access, indexing,
// operators, lambdas, `with` policies. Calls are in calls.cpp and builtins.cpp.
#include <fmt/format.h>

#include "compiler/check/checker.h"

namespace orch::compiler::check {

using types::Print;
using types::PrintShort;
using types::TypeKind;

namespace {

// Broad value classes, for operator checks and "always false" comparisons.
enum class Shape { kAny, kNull, kBool, kNumber, kString, kList, kRecord, kFunction, kNever };

Shape ShapeOf(const TypeRef& type) {
  switch (types::Resolve(type)->kind()) {
    case TypeKind::kAny: return Shape::kAny;
    case TypeKind::kNever: return Shape::kNever;
    case TypeKind::kNull: return Shape::kNull;
    case TypeKind::kBool: return Shape::kBool;
    case TypeKind::kInt:
    case TypeKind::kNumber: return Shape::kNumber;
    case TypeKind::kString:
    case TypeKind::kLiteral: return Shape::kString;
    case TypeKind::kList: return Shape::kList;
    case TypeKind::kRecord:
    case TypeKind::kMap: return Shape::kRecord;
    case TypeKind::kFunction: return Shape::kFunction;
    case TypeKind::kUnion:
    case TypeKind::kNamed: return Shape::kAny;
  }
  return Shape::kAny;
}

std::set<Shape> ShapesOf(const TypeRef& type) {
  const TypeRef& t = types::Resolve(type);
  if (t->kind() == TypeKind::kUnion) {
    std::set<Shape> out;
    for (const TypeRef& m : t->members()) {
      auto s = ShapesOf(m);
      out.insert(s.begin(), s.end());
    }
    return out;
  }
  return {ShapeOf(t)};
}

bool IsStringLike(const TypeRef& type) { return ShapesOf(type) == std::set<Shape>{Shape::kString}; }

bool IsAnyOrNever(const TypeRef& type) {
  auto k = types::Resolve(type)->kind();
  return k == TypeKind::kAny || k == TypeKind::kNever;
}

// Widens literal types for the arithmetic result of `+` on strings.
TypeRef NumericResult(const TypeRef& a, const TypeRef& b) {
  if (types::IsAssignable(a, types::Int()) && types::IsAssignable(b, types::Int()) &&
      !IsAnyOrNever(a) && !IsAnyOrNever(b)) {
    return types::Int();
  }
  return types::Number();
}

}  // namespace

TypeRef Checker::TypeExpr(const ast::Expr& expr, const TypeRef& expected) {
  TypeRef t = TypeExprInner(expr, expected);
  if (!t) t = types::Any();
  result_.expr_types[&expr] = t;
  return t;
}

TypeRef Checker::TypeExprInner(const ast::Expr& expr, const TypeRef& expected) {
  switch (expr.kind()) {
    case ast::ExprKind::kInt: return types::Int();
    case ast::ExprKind::kNumber: return types::Number();
    case ast::ExprKind::kBool: return types::Bool();
    case ast::ExprKind::kNull: return types::Null();
    // Durations are whole milliseconds at run time.
    case ast::ExprKind::kDuration: return types::Int();
    case ast::ExprKind::kString: {
      const auto& s = ast::Cast<ast::StringExpr>(expr);
      for (const ast::StringPart& part : s.parts) {
        if (part.expr) TypeExpr(*part.expr);
      }
      if (auto v = s.PlainValue()) return types::Literal(*v);
      return types::String();
    }
    case ast::ExprKind::kList: {
      const auto& l = ast::Cast<ast::ListExpr>(expr);
      TypeRef element_expected;
      if (expected && types::Resolve(expected)->kind() == TypeKind::kList) {
        element_expected = types::Resolve(expected)->element();
      }
      TypeRef element = types::Never();
      for (const ast::ExprPtr& e : l.elements) element = types::Join(element, TypeExpr(*e, element_expected));
      return types::List(element);
    }
    case ast::ExprKind::kRecord: {
      const auto& r = ast::Cast<ast::RecordExpr>(expr);
      std::vector<types::Field> fields;
      const TypeRef& want = expected ? types::Resolve(expected) : expected;
      for (const ast::FieldInit& f : r.fields) {
        TypeRef field_expected;
        if (want && want->kind() == TypeKind::kRecord) {
          if (const types::Field* wf = want->FindField(f.key.name)) field_expected = wf->type;
        }
        TypeRef t = f.value ? TypeExpr(*f.value, field_expected) : types::Any();
        bool replaced = false;
        for (types::Field& existing : fields) {
          if (existing.name == f.key.name) {
            existing.type = t;
            replaced = true;
          }
        }
        if (!replaced) fields.push_back({f.key.name, t, false, ""});
      }
      return types::Record(std::move(fields));
    }
    case ast::ExprKind::kName: return TypeName(ast::Cast<ast::NameExpr>(expr));
    case ast::ExprKind::kMember: return TypeMember(ast::Cast<ast::MemberExpr>(expr));
    case ast::ExprKind::kIndex: return TypeIndex(ast::Cast<ast::IndexExpr>(expr));
    case ast::ExprKind::kCall: return TypeCall(ast::Cast<ast::CallExpr>(expr), nullptr, nullptr, expected);
    case ast::ExprKind::kWith: return TypeWith(ast::Cast<ast::WithExpr>(expr));
    case ast::ExprKind::kUnary: return TypeUnary(ast::Cast<ast::UnaryExpr>(expr));
    case ast::ExprKind::kBinary: return TypeBinary(ast::Cast<ast::BinaryExpr>(expr));
    case ast::ExprKind::kPipeline: {
      const auto& p = ast::Cast<ast::PipelineExpr>(expr);
      TypeRef input = TypeExpr(*p.input);
      if (auto* call = ast::DynCast<ast::CallExpr>(p.stage.get())) {
        TypeRef t = TypeCall(*call, p.input.get(), input);
        result_.expr_types[call] = t;
        return t;
      }
      if (auto* name = ast::DynCast<ast::NameExpr>(p.stage.get())) {
        // `xs | unique`: a call with the piped value as its only argument.
        const resolve::Symbol* s = resolved_.Lookup(*name);
        if (s && s->kind == resolve::SymbolKind::kBuiltin) {
          TypeRef t = TypeBuiltinCall({}, name->span, s->name, p.input.get(), input);
          result_.expr_types[name] = t;
          return t;
        }
        if (s && s->kind == resolve::SymbolKind::kWorkflow && s->workflow) {
          TypeRef t = TypeWorkflowCall({}, name->span, *s->workflow, fmt::format("workflow `{}`", s->name),
                                       p.input.get(), input);
          result_.expr_types[name] = t;
          return t;
        }
      }
      TypeRef stage = TypeExpr(*p.stage);
      if (!IsAnyOrNever(stage)) {
        sink_.Report(DiagKind::kNotCallable, p.stage->span, {ExprText(*p.stage)})
            .WithLabel(fmt::format("this is `{}`", PrintShort(stage)))
            .AddHelp("the right side of `|` must be a call such as `map(x => …)` or a function name");
      }
      return types::Any();
    }
    case ast::ExprKind::kLambda: {
      const auto& lambda = ast::Cast<ast::LambdaExpr>(expr);
      std::vector<TypeRef> params;
      const TypeRef& want = expected ? types::Resolve(expected) : expected;
      for (size_t i = 0; i < lambda.params.size(); ++i) {
        if (want && want->kind() == TypeKind::kFunction && i < want->params().size()) {
          params.push_back(want->params()[i]);
        } else {
          params.push_back(types::Any());
        }
      }
      return TypeLambda(lambda, params, "");
    }
    case ast::ExprKind::kConditional: {
      // Like an `if` statement: each branch sees what the condition proves.
      const auto& c = ast::Cast<ast::ConditionalExpr>(expr);
      Facts facts = ConditionFacts(*c.test);
      RequireBool(*c.test, TypeOf(*c.test), "the condition of an `if` expression");
      PushFacts(facts.when_true);
      TypeRef value = TypeExpr(*c.value, expected);
      PopFacts();
      PushFacts(facts.when_false);
      TypeRef otherwise = TypeExpr(*c.otherwise, expected);
      PopFacts();
      return types::Join(value, otherwise);
    }
  }
  return types::Any();
}

TypeRef Checker::TypeName(const ast::NameExpr& name) {
  auto it = resolved_.names.find(&name);
  if (it == resolved_.names.end()) return types::Any();
  const resolve::Symbol& s = resolved_.symbol(it->second);
  if (resolve::IsLocal(s.kind)) {
    if (const TypeRef* narrowed = Narrowed(NarrowKey(name))) return *narrowed;
    return BindingType(it->second);
  }
  switch (s.kind) {
    case resolve::SymbolKind::kWorkflow:
    case resolve::SymbolKind::kBuiltin:
    case resolve::SymbolKind::kServer:
    case resolve::SymbolKind::kAgent: {
      std::string what = std::string(resolve::Describe(s.kind));
      // "a server" → "server": the message reads "server `std` is not a value".
      if (what.rfind("a ", 0) == 0) what = what.substr(2);
      if (what.rfind("an ", 0) == 0) what = what.substr(3);
      Diagnostic& d = sink_.Report(DiagKind::kNotAValue, name.span, {what, s.name});
      if (s.kind == resolve::SymbolKind::kServer) {
        d.AddHelp(fmt::format("call one of its tools: `{}.TOOL(…)`", s.name));
      } else if (s.kind == resolve::SymbolKind::kAgent) {
        d.AddHelp(fmt::format("call one of its workflows: `{}.WORKFLOW(…)`", s.name));
      } else {
        d.AddHelp(fmt::format("call it (`{}(…)`) or wrap it in a lambda (`x => {}(x)`)", s.name, s.name));
      }
      return types::Any();
    }
    default:
      return types::Any();
  }
}

std::optional<TypeRef> Checker::FieldType(const TypeRef& object, const std::string& name) {
  const TypeRef& t = types::Resolve(object);
  switch (t->kind()) {
    case TypeKind::kAny: return types::Any();
    case TypeKind::kNever: return types::Never();
    case TypeKind::kRecord:
      if (const types::Field* f = t->FindField(name)) return f->optional ? types::Optional(f->type) : f->type;
      if (t->rest()) return types::Optional(t->rest());
      return std::nullopt;
    case TypeKind::kMap:
      return IsAnyOrNever(t->element()) ? t->element() : types::Optional(t->element());
    case TypeKind::kUnion: {
      std::vector<TypeRef> found;
      for (const TypeRef& m : t->members()) {
        if (types::Resolve(m)->kind() == TypeKind::kNull) continue;
        auto f = FieldType(m, name);
        if (!f) return std::nullopt;
        found.push_back(*f);
      }
      return types::Union(std::move(found));
    }
    default:
      return std::nullopt;
  }
}

TypeRef Checker::TypeMember(const ast::MemberExpr& member) {
  if (const resolve::ToolRef* ref = resolved_.Tool(member)) {
    // A tool named outside a call or `calls(…)`.
    LookupTool(*ref, member);
    sink_.Report(DiagKind::kNotAValue, member.span, {"tool", ExprText(member)})
        .AddHelp(fmt::format("call it with named arguments: `{}(…)`", ExprText(member)));
    return types::Any();
  }
  if (resolved_.agent_workflows.count(&member)) {
    sink_.Report(DiagKind::kNotAValue, member.span, {"agent workflow", ExprText(member)})
        .AddHelp(fmt::format("call it: `{}(…)`", ExprText(member)));
    return types::Any();
  }
  if (const TypeRef* narrowed = Narrowed(NarrowKey(member))) {
    TypeExpr(*member.object);
    return *narrowed;
  }
  TypeRef object = TypeExpr(*member.object);
  TypeRef base = object;
  if (types::IsNullable(object) && !IsAnyOrNever(object)) {
    if (!member.optional) {
      ReportPossiblyNull(*member.object, object, fmt::format("reading its field `{}`", member.member.name));
    }
    base = types::StripNull(object);
  }
  auto field = FieldType(base, member.member.name);
  if (!field) {
    ReportNoField(member, base);
    return types::Any();
  }
  if (member.optional && types::IsNullable(object)) return types::Optional(*field);
  return *field;
}

void Checker::ReportNoField(const ast::MemberExpr& member, const TypeRef& object) {
  const TypeRef& t = types::Resolve(object);
  const std::string& name = member.member.name;
  Diagnostic& d = sink_.Report(DiagKind::kNoSuchField, member.member.span, {ExprText(*member.object), name});
  d.WithLabel(fmt::format("not a field of `{}`", PrintShort(object)));
  std::vector<std::string> candidates;
  const TypeRef* record = nullptr;
  if (t->kind() == TypeKind::kRecord) record = &t;
  if (t->kind() == TypeKind::kUnion) {
    for (const TypeRef& m : t->members()) {
      if (types::Resolve(m)->kind() == TypeKind::kRecord && !FieldType(m, name)) {
        d.AddNote(fmt::format("the value may be `{}`, which has no field `{}`", PrintShort(m), name));
        break;
      }
    }
  }
  if (record) {
    for (const types::Field& f : (*record)->fields()) candidates.push_back(f.name);
    if (!candidates.empty()) {
      std::string list;
      for (const types::Field& f : (*record)->fields()) {
        if (!list.empty()) list += ", ";
        list += fmt::format("`{}{}: {}`", f.name, f.optional ? "?" : "", PrintShort(f.type));
      }
      d.AddNote(fmt::format("`{}` has {}", PrintShort(object), list));
    } else {
      d.AddNote(fmt::format("`{}` has no fields", PrintShort(object)));
    }
    if (types::Equal(object, types::ToolResult()) ||
        (object->kind() == TypeKind::kNamed && object->name() == "ToolResult")) {
      d.AddNote("the tool has no outputSchema, so a call returns ToolResult");
      d.AddHelp(fmt::format("its structured content, when the tool sends any, is `{}.structured.{}`",
                            ExprText(*member.object), name));
    }
  }
  if (auto similar = SuggestSimilar(name, candidates)) {
    d.AddHelp(fmt::format("a field with a similar name exists: `{}`", *similar));
    d.AddFix(member.member.span, *similar);
  }
  if (t->kind() == TypeKind::kList && FieldType(t->element(), name)) {
    d.AddHelp(fmt::format("`{}` is a list: take one element (`{}[0].{}`) or all of them (`{} | map(x => x.{})`)",
                          ExprText(*member.object), ExprText(*member.object), name,
                          ExprText(*member.object), name));
  }
}

void Checker::ReportPossiblyNull(const ast::Expr& expr, const TypeRef& type, std::string_view where) {
  Diagnostic& d = sink_.Report(DiagKind::kPossiblyNull, expr.span, {ExprText(expr)});
  d.WithLabel(fmt::format("this is `{}`", PrintShort(type)));
  if (!where.empty()) d.AddNote(fmt::format("{} needs a value that is not null", where));
  d.AddHelp("add `?.` to pass null along, `?? default` to replace it, or check `if x != null { … }` first");
}

void Checker::RequireBool(const ast::Expr& expr, const TypeRef& type, std::string_view what) {
  if (types::IsAssignable(type, types::Bool())) return;
  if (types::IsNullable(type) && types::IsAssignable(types::StripNull(type), types::Bool())) {
    ReportPossiblyNull(expr, type, what);
    return;
  }
  Diagnostic& d = sink_.Report(DiagKind::kConditionNotBool, expr.span, {std::string(what), PrintShort(type)});
  d.WithLabel(fmt::format("this is `{}`", PrintShort(type)));
  auto shapes = ShapesOf(type);
  if (shapes.count(Shape::kList)) d.AddHelp(fmt::format("to test for elements, write `len({}) > 0`", ExprText(expr)));
  else if (shapes.count(Shape::kString)) d.AddHelp(fmt::format("to test for text, write `{} != \"\"`", ExprText(expr)));
  else if (shapes.count(Shape::kNumber)) d.AddHelp(fmt::format("compare it: `{} != 0`", ExprText(expr)));
  else if (shapes.count(Shape::kRecord)) d.AddHelp(fmt::format("compare a field, or test `{} != null`", ExprText(expr)));
}

TypeRef Checker::TypeIndex(const ast::IndexExpr& index) {
  TypeRef object = TypeExpr(*index.object);
  TypeRef key = TypeExpr(*index.index);
  TypeRef base = object;
  if (types::IsNullable(object) && !IsAnyOrNever(object)) {
    if (!index.optional) ReportPossiblyNull(*index.object, object, "indexing it");
    base = types::StripNull(object);
  }
  auto wrap = [&](TypeRef t) {
    return index.optional && types::IsNullable(object) ? types::Optional(std::move(t)) : t;
  };
  const TypeRef& t = types::Resolve(base);
  if (IsAnyOrNever(t) || IsAnyOrNever(key)) return types::Any();
  auto bad = [&]() {
    sink_.Report(DiagKind::kNotIndexable, index.index->span, {PrintShort(object), PrintShort(key)})
        .WithLabel(fmt::format("this is `{}`", PrintShort(key)));
    return types::Any();
  };
  switch (t->kind()) {
    case TypeKind::kList:
      if (!types::IsAssignable(key, types::Int())) return bad();
      return wrap(t->element());
    case TypeKind::kString:
    case TypeKind::kLiteral:
      if (!types::IsAssignable(key, types::Int())) return bad();
      return wrap(types::String());
    case TypeKind::kMap:
      if (!IsStringLike(key)) return bad();
      return wrap(types::Optional(t->element()));
    case TypeKind::kRecord: {
      if (!IsStringLike(key)) return bad();
      const TypeRef& k = types::Resolve(key);
      if (k->kind() == TypeKind::kLiteral) {
        if (auto f = FieldType(t, k->literal())) return wrap(*f);
        sink_.Report(DiagKind::kNoSuchField, index.index->span, {ExprText(*index.object), k->literal()})
            .WithLabel(fmt::format("not a field of `{}`", PrintShort(object)));
        return types::Any();
      }
      std::vector<TypeRef> all;
      for (const types::Field& f : t->fields()) all.push_back(f.type);
      if (t->rest()) all.push_back(t->rest());
      return wrap(types::Optional(types::Union(std::move(all))));
    }
    default:
      return bad();
  }
}

TypeRef Checker::TypeUnary(const ast::UnaryExpr& unary) {
  if (unary.op == ast::UnaryOp::kNot) {
    TypeRef t = TypeExpr(*unary.operand);
    RequireBool(*unary.operand, t, "the operand of `not`");
    return types::Bool();
  }
  TypeRef t = TypeExpr(*unary.operand);
  if (IsAnyOrNever(t)) return types::Number();
  if (!types::IsNumeric(t)) {
    if (types::IsNullable(t) && types::IsNumeric(types::StripNull(t))) {
      ReportPossiblyNull(*unary.operand, t, "negation");
    } else {
      sink_.Report(DiagKind::kTypeMismatch, unary.operand->span, {"number", PrintShort(t)})
          .WithLabel("`-` needs a number");
    }
    return types::Number();
  }
  return types::IsAssignable(t, types::Int()) ? types::Int() : types::Number();
}

TypeRef Checker::TypeBinary(const ast::BinaryExpr& binary) {
  using Op = ast::BinaryOp;
  const Op op = binary.op;
  if (op == Op::kAnd || op == Op::kOr) {
    Facts left = ConditionFacts(*binary.lhs);
    // `x != null and x.y`: the right side sees what the left side proved.
    PushFacts(op == Op::kAnd ? left.when_true : left.when_false);
    TypeRef rhs = TypeExpr(*binary.rhs);
    PopFacts();
    RequireBool(*binary.lhs, TypeOf(*binary.lhs), fmt::format("the left side of `{}`", ast::Spelling(op)));
    RequireBool(*binary.rhs, rhs, fmt::format("the right side of `{}`", ast::Spelling(op)));
    return types::Bool();
  }
  TypeRef lhs = TypeExpr(*binary.lhs);
  TypeRef rhs = TypeExpr(*binary.rhs);
  const std::string spelling(ast::Spelling(op));
  auto mismatch = [&]() {
    Diagnostic& d = sink_.Report(DiagKind::kOperatorMismatch, binary.op_span, {spelling, PrintShort(lhs), PrintShort(rhs)});
    d.AddSecondary(binary.lhs->span, fmt::format("this is `{}`", PrintShort(lhs)));
    d.AddSecondary(binary.rhs->span, fmt::format("this is `{}`", PrintShort(rhs)));
    if ((IsStringLike(lhs) && types::IsNumeric(rhs)) || (types::IsNumeric(lhs) && IsStringLike(rhs))) {
      d.AddHelp("convert one side: `string(x)` or `number(s)`, or interpolate: \"${a}${b}\"");
    }
  };
  // Null operands: one error naming the nullable side.
  auto check_null = [&]() {
    bool ok = true;
    if (types::IsNullable(lhs) && !IsAnyOrNever(lhs)) {
      ReportPossiblyNull(*binary.lhs, lhs, fmt::format("operator `{}`", spelling));
      ok = false;
    }
    if (types::IsNullable(rhs) && !IsAnyOrNever(rhs)) {
      ReportPossiblyNull(*binary.rhs, rhs, fmt::format("operator `{}`", spelling));
      ok = false;
    }
    return ok;
  };
  const bool any = IsAnyOrNever(lhs) || IsAnyOrNever(rhs);
  switch (op) {
    case Op::kCoalesce:
      return types::Join(types::StripNull(lhs), rhs);
    case Op::kEq:
    case Op::kNe: {
      auto a = ShapesOf(lhs), b = ShapesOf(rhs);
      if (!a.count(Shape::kAny) && !b.count(Shape::kAny) && !a.count(Shape::kNever) && !b.count(Shape::kNever)) {
        bool overlap = false;
        for (Shape s : a) overlap = overlap || b.count(s);
        if (!overlap) {
          sink_.Report(DiagKind::kComparisonNeverEqual, binary.op_span,
                       {PrintShort(lhs), PrintShort(rhs), op == Op::kEq ? "false" : "true"})
              .AddSecondary(binary.lhs->span, fmt::format("this is `{}`", PrintShort(lhs)))
              .AddSecondary(binary.rhs->span, fmt::format("this is `{}`", PrintShort(rhs)));
        }
      }
      return types::Bool();
    }
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      if (any) return types::Bool();
      if (!check_null()) return types::Bool();
      if (!(types::IsNumeric(lhs) && types::IsNumeric(rhs)) && !(IsStringLike(lhs) && IsStringLike(rhs))) {
        mismatch();
      }
      return types::Bool();
    case Op::kIn: {
      if (IsAnyOrNever(rhs)) return types::Bool();
      const TypeRef& r = types::Resolve(types::StripNull(rhs));
      if (types::IsNullable(rhs)) ReportPossiblyNull(*binary.rhs, rhs, "`in`");
      if (r->kind() == TypeKind::kList) return types::Bool();
      if ((r->kind() == TypeKind::kRecord || r->kind() == TypeKind::kMap || IsStringLike(r)) &&
          (IsStringLike(lhs) || IsAnyOrNever(lhs))) {
        return types::Bool();
      }
      mismatch();
      return types::Bool();
    }
    case Op::kAdd: {
      if (any) return types::Any();
      if (!check_null()) return types::Any();
      if (types::IsNumeric(lhs) && types::IsNumeric(rhs)) return NumericResult(lhs, rhs);
      if (IsStringLike(lhs) && IsStringLike(rhs)) return types::String();
      const TypeRef& l = types::Resolve(lhs);
      const TypeRef& r = types::Resolve(rhs);
      if (l->kind() == TypeKind::kList && r->kind() == TypeKind::kList) {
        return types::List(types::Join(l->element(), r->element()));
      }
      if (l->kind() == TypeKind::kRecord && r->kind() == TypeKind::kRecord) {
        // Right side wins, as at run time.
        std::vector<types::Field> fields;
        for (const types::Field& f : l->fields()) {
          if (!r->FindField(f.name)) fields.push_back(f);
        }
        for (const types::Field& f : r->fields()) fields.push_back(f);
        return types::Record(std::move(fields));
      }
      if ((l->kind() == TypeKind::kRecord || l->kind() == TypeKind::kMap) &&
          (r->kind() == TypeKind::kRecord || r->kind() == TypeKind::kMap)) {
        return types::Map(types::Any());
      }
      mismatch();
      return types::Any();
    }
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod: {
      TypeRef fallback = op == Op::kDiv ? types::Number() : (op == Op::kMod ? types::Int() : types::Number());
      if (any) return fallback;
      if (!check_null()) return fallback;
      if (!types::IsNumeric(lhs) || !types::IsNumeric(rhs)) {
        mismatch();
        return fallback;
      }
      if (op == Op::kDiv) return types::Number();
      if (op == Op::kMod) {
        if (!types::IsAssignable(lhs, types::Int()) || !types::IsAssignable(rhs, types::Int())) {
          Diagnostic& d = sink_.Report(DiagKind::kOperatorMismatch, binary.op_span, {spelling, PrintShort(lhs), PrintShort(rhs)});
          d.AddHelp("`%` needs two ints; convert with `int(x)`");
        }
        return types::Int();
      }
      return NumericResult(lhs, rhs);
    }
    default:
      return types::Any();
  }
}

TypeRef Checker::TypeWith(const ast::WithExpr& with) {
  TypeRef t = TypeExpr(*with.target);
  for (const ast::FieldInit& policy : with.policies) {
    if (!policy.value) continue;
    TypeRef v = TypeExpr(*policy.value);
    const std::string& key = policy.key.name;
    const bool duration = key == "timeout" || key == "backoff" || key == "cache";
    if (!duration && key != "retry") continue;  // unknown keys: the resolver reports them
    if (!types::IsAssignable(v, types::Int()) || (types::IsNullable(v) && !IsAnyOrNever(v))) {
      Diagnostic& d = sink_.Report(DiagKind::kPolicyType, policy.value->span,
                                   {key, duration ? "a duration" : "an int", PrintShort(v)});
      d.WithLabel(fmt::format("this is `{}`", PrintShort(v)));
      if (duration) d.AddHelp("write a duration literal such as `500ms`, `10s` or `5m`");
    }
  }
  return t;
}

TypeRef Checker::TypeLambda(const ast::LambdaExpr& lambda, const std::vector<TypeRef>& params,
                            std::string_view callee) {
  std::vector<TypeRef> param_types;
  for (size_t i = 0; i < lambda.params.size(); ++i) {
    const ast::LambdaParam& p = lambda.params[i];
    TypeRef given = i < params.size() ? params[i] : types::Any();
    TypeRef t = given;
    if (p.type) {
      t = Convert(*p.type);
      if (auto m = types::CheckAssignable(given, t)) {
        Diagnostic& d = sink_.Report(DiagKind::kTypeMismatch, p.type->span, {PrintShort(t), PrintShort(given)});
        d.WithLabel(fmt::format("`{}` passes `{}` here", callee.empty() ? "the caller" : callee, PrintShort(given)));
        if (!m->path.empty()) d.AddNote(m->Describe());
      }
    }
    if (auto id = SymbolOf(&p)) SetBinding(*id, t);
    param_types.push_back(t);
  }
  TypeRef body = lambda.body ? TypeExpr(*lambda.body) : types::Any();
  return types::Function(std::move(param_types), body);
}

// ---- Narrowing ----

std::string Checker::NarrowKey(const ast::Expr& expr) const {
  if (auto* name = ast::DynCast<ast::NameExpr>(&expr)) {
    auto it = resolved_.names.find(name);
    if (it == resolved_.names.end()) return "";
    const resolve::Symbol& s = resolved_.symbol(it->second);
    if (!resolve::IsLocal(s.kind)) return "";
    return "#" + std::to_string(it->second);
  }
  if (auto* member = ast::DynCast<ast::MemberExpr>(&expr)) {
    if (resolved_.Tool(*member) || resolved_.agent_workflows.count(member)) return "";
    std::string base = NarrowKey(*member->object);
    if (base.empty()) return "";
    return base + "." + member->member.name;
  }
  return "";
}

const TypeRef* Checker::Narrowed(const std::string& key) const {
  if (key.empty()) return nullptr;
  for (auto it = facts_.rbegin(); it != facts_.rend(); ++it) {
    auto found = it->find(key);
    if (found != it->end()) return &found->second;
  }
  return nullptr;
}

void Checker::PushFacts(const std::vector<std::pair<std::string, TypeRef>>& facts) {
  facts_.emplace_back();
  AddFacts(facts);
}

void Checker::PopFacts() {
  if (!facts_.empty()) facts_.pop_back();
}

void Checker::AddFacts(const std::vector<std::pair<std::string, TypeRef>>& facts) {
  if (facts_.empty()) facts_.emplace_back();
  for (const auto& [key, type] : facts) facts_.back()[key] = type;
}

void Checker::ForgetFacts(resolve::SymbolId symbol) {
  const std::string key = "#" + std::to_string(symbol);
  for (auto& scope : facts_) {
    for (auto it = scope.begin(); it != scope.end();) {
      bool match = it->first == key || it->first.rfind(key + ".", 0) == 0;
      it = match ? scope.erase(it) : std::next(it);
    }
  }
}

Facts Checker::ConditionFacts(const ast::Expr& condition) {
  Facts facts;
  if (auto* unary = ast::DynCast<ast::UnaryExpr>(&condition); unary && unary->op == ast::UnaryOp::kNot) {
    Facts inner = ConditionFacts(*unary->operand);
    result_.expr_types[&condition] = types::Bool();
    RequireBool(*unary->operand, TypeOf(*unary->operand), "the operand of `not`");
    facts.when_true = std::move(inner.when_false);
    facts.when_false = std::move(inner.when_true);
    return facts;
  }
  auto* binary = ast::DynCast<ast::BinaryExpr>(&condition);
  if (binary && (binary->op == ast::BinaryOp::kAnd || binary->op == ast::BinaryOp::kOr)) {
    Facts left = ConditionFacts(*binary->lhs);
    PushFacts(binary->op == ast::BinaryOp::kAnd ? left.when_true : left.when_false);
    Facts right = ConditionFacts(*binary->rhs);
    PopFacts();
    RequireBool(*binary->lhs, TypeOf(*binary->lhs), fmt::format("the left side of `{}`", ast::Spelling(binary->op)));
    RequireBool(*binary->rhs, TypeOf(*binary->rhs), fmt::format("the right side of `{}`", ast::Spelling(binary->op)));
    result_.expr_types[&condition] = types::Bool();
    if (binary->op == ast::BinaryOp::kAnd) {
      facts.when_true = left.when_true;
      facts.when_true.insert(facts.when_true.end(), right.when_true.begin(), right.when_true.end());
    } else {
      facts.when_false = left.when_false;
      facts.when_false.insert(facts.when_false.end(), right.when_false.begin(), right.when_false.end());
    }
    return facts;
  }
  TypeExpr(condition, types::Bool());  // the expected type gives a `hole()` condition its type
  if (binary && (binary->op == ast::BinaryOp::kEq || binary->op == ast::BinaryOp::kNe)) {
    const ast::Expr* subject = nullptr;
    if (ast::Isa<ast::NullExpr>(binary->rhs.get())) subject = binary->lhs.get();
    if (ast::Isa<ast::NullExpr>(binary->lhs.get())) subject = binary->rhs.get();
    if (subject) {
      std::string key = NarrowKey(*subject);
      if (!key.empty()) {
        TypeRef t = TypeOf(*subject);
        auto non_null = std::make_pair(key, types::StripNull(t));
        auto null = std::make_pair(key, types::Null());
        if (binary->op == ast::BinaryOp::kNe) {
          facts.when_true.push_back(non_null);
          facts.when_false.push_back(null);
        } else {
          facts.when_true.push_back(null);
          facts.when_false.push_back(non_null);
        }
      }
    }
  }
  return facts;
}

}  // namespace orch::compiler::check
