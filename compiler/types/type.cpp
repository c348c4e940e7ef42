// Type construction, union normalization and the basic structural queries.
#include "compiler/types/type.h"

#include <algorithm>
#include <utility>

namespace orch::types {

/// The one place that writes a Type's private fields.
struct TypeAccess {
  static std::shared_ptr<Type> Make(TypeKind kind) {
    return std::make_shared<Type>(Type::Private{}, kind);
  }
  static std::string& Text(Type& t) { return t.text_; }
  static TypeRef& Element(Type& t) { return t.element_; }
  static std::vector<Field>& Fields(Type& t) { return t.fields_; }
  static std::vector<TypeRef>& Members(Type& t) { return t.members_; }
  static bool& Closed(Type& t) { return t.closed_; }
  static std::shared_ptr<NamedDef>& Strong(Type& t) { return t.strong_def_; }
  static std::weak_ptr<NamedDef>& Weak(Type& t) { return t.weak_def_; }
};

namespace {

TypeRef MakePrimitive(TypeKind kind) { return TypeAccess::Make(kind); }

// Named aliases may chain (type A = B); a chain this long is a cycle.
constexpr int kMaxAliasChain = 64;

}  // namespace

const Field* Type::FindField(std::string_view name) const {
  for (const Field& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TypeRef Type::target() const {
  if (auto def = this->def()) return def->target;
  return nullptr;
}

std::shared_ptr<NamedDef> Type::def() const {
  if (strong_def_) return strong_def_;
  return weak_def_.lock();
}

TypeRef Never() { static const TypeRef t = MakePrimitive(TypeKind::kNever); return t; }
TypeRef Any() { static const TypeRef t = MakePrimitive(TypeKind::kAny); return t; }
TypeRef Null() { static const TypeRef t = MakePrimitive(TypeKind::kNull); return t; }
TypeRef Bool() { static const TypeRef t = MakePrimitive(TypeKind::kBool); return t; }
TypeRef Int() { static const TypeRef t = MakePrimitive(TypeKind::kInt); return t; }
TypeRef Number() { static const TypeRef t = MakePrimitive(TypeKind::kNumber); return t; }
TypeRef String() { static const TypeRef t = MakePrimitive(TypeKind::kString); return t; }

TypeRef Literal(std::string value) {
  auto t = TypeAccess::Make(TypeKind::kLiteral);
  TypeAccess::Text(*t) = std::move(value);
  return t;
}

TypeRef List(TypeRef element) {
  auto t = TypeAccess::Make(TypeKind::kList);
  TypeAccess::Element(*t) = element ? std::move(element) : Any();
  return t;
}

TypeRef Record(std::vector<Field> fields, bool closed, TypeRef rest) {
  auto t = TypeAccess::Make(TypeKind::kRecord);
  for (Field& f : fields) {
    if (!f.type) f.type = Any();
  }
  TypeAccess::Fields(*t) = std::move(fields);
  TypeAccess::Closed(*t) = closed;
  TypeAccess::Element(*t) = std::move(rest);
  return t;
}

TypeRef Map(TypeRef value) {
  auto t = TypeAccess::Make(TypeKind::kMap);
  TypeAccess::Element(*t) = value ? std::move(value) : Any();
  return t;
}

namespace {

void Flatten(const TypeRef& t, std::vector<TypeRef>& out) {
  if (!t) return;
  if (t->kind() == TypeKind::kUnion) {
    for (const TypeRef& m : t->members()) Flatten(m, out);
  } else {
    out.push_back(t);
  }
}

}  // namespace

TypeRef Union(std::vector<TypeRef> members) {
  std::vector<TypeRef> flat;
  for (const TypeRef& m : members) Flatten(m, flat);
  bool has_string = false, has_number = false;
  for (const TypeRef& m : flat) {
    if (m->kind() == TypeKind::kAny) return Any();
    if (m->kind() == TypeKind::kString) has_string = true;
    if (m->kind() == TypeKind::kNumber) has_number = true;
  }
  std::vector<TypeRef> kept;
  for (const TypeRef& m : flat) {
    if (m->kind() == TypeKind::kNever) continue;
    if (m->kind() == TypeKind::kInt && has_number) continue;
    if (m->kind() == TypeKind::kLiteral && has_string) continue;
    bool duplicate = false;
    for (const TypeRef& k : kept) {
      if (Equal(k, m)) { duplicate = true; break; }
    }
    if (!duplicate) kept.push_back(m);
  }
  if (kept.empty()) return Never();
  if (kept.size() == 1) return kept.front();
  // Null last, so `A | null` prints as `A?` and unions read in a stable order.
  std::stable_partition(kept.begin(), kept.end(),
                        [](const TypeRef& m) { return m->kind() != TypeKind::kNull; });
  auto t = TypeAccess::Make(TypeKind::kUnion);
  TypeAccess::Members(*t) = std::move(kept);
  return t;
}

TypeRef Optional(TypeRef type) { return Union({std::move(type), Null()}); }

TypeRef Named(std::shared_ptr<NamedDef> def) {
  auto t = TypeAccess::Make(TypeKind::kNamed);
  TypeAccess::Text(*t) = def ? def->name : std::string("?");
  TypeAccess::Strong(*t) = std::move(def);
  return t;
}

TypeRef NamedWeak(const std::shared_ptr<NamedDef>& def, std::string name) {
  auto t = TypeAccess::Make(TypeKind::kNamed);
  TypeAccess::Text(*t) = std::move(name);
  TypeAccess::Weak(*t) = def;
  return t;
}

TypeRef Function(std::vector<TypeRef> params, TypeRef result, bool variadic) {
  auto t = TypeAccess::Make(TypeKind::kFunction);
  TypeAccess::Members(*t) = std::move(params);
  TypeAccess::Element(*t) = result ? std::move(result) : Any();
  TypeAccess::Closed(*t) = variadic;
  return t;
}

TypeRef ToolResult() {
  static const TypeRef t = [] {
    auto def = std::make_shared<NamedDef>();
    def->name = "ToolResult";
    def->target = Record({
        {"content", List(Any()), false, "the result's content blocks"},
        {"text", String(), false, "the text blocks joined"},
        {"structured", Optional(Any()), false, "structuredContent, when the tool sent one"},
        {"is_error", Bool(), false, "true when the tool reported an error"},
    });
    return Named(def);
  }();
  return t;
}

TypeRef Resolve(const TypeRef& type) {
  TypeRef t = type;
  for (int i = 0; i < kMaxAliasChain; ++i) {
    if (!t) return Any();
    if (t->kind() != TypeKind::kNamed) return t;
    auto def = t->def();
    if (!def || !def->target) return Any();
    t = def->target;
  }
  return Any();
}

bool IsNullable(const TypeRef& type) {
  const TypeRef& t = Resolve(type);
  switch (t->kind()) {
    case TypeKind::kNull:
    case TypeKind::kAny:
      return true;
    case TypeKind::kUnion:
      for (const TypeRef& m : t->members()) {
        if (IsNullable(m)) return true;
      }
      return false;
    default:
      return false;
  }
}

TypeRef StripNull(const TypeRef& type) {
  const TypeRef& t = Resolve(type);
  if (t->kind() == TypeKind::kNull) return Never();
  if (t->kind() != TypeKind::kUnion) return type;
  std::vector<TypeRef> kept;
  for (const TypeRef& m : t->members()) {
    if (Resolve(m)->kind() != TypeKind::kNull) kept.push_back(m);
  }
  if (kept.size() == t->members().size()) return type;
  return Union(std::move(kept));
}

bool IsNumeric(const TypeRef& type) {
  const TypeRef& t = Resolve(type);
  switch (t->kind()) {
    case TypeKind::kInt:
    case TypeKind::kNumber:
      return true;
    case TypeKind::kUnion:
      for (const TypeRef& m : t->members()) {
        if (!IsNumeric(m)) return false;
      }
      return true;
    default:
      return false;
  }
}

bool Equal(const TypeRef& a, const TypeRef& b) {
  if (a == b) return true;
  if (!a || !b || a->kind() != b->kind()) return false;
  switch (a->kind()) {
    case TypeKind::kLiteral:
      return a->literal() == b->literal();
    case TypeKind::kList:
    case TypeKind::kMap:
      return Equal(a->element(), b->element());
    case TypeKind::kRecord: {
      if (a->fields().size() != b->fields().size() || a->closed() != b->closed()) return false;
      if (static_cast<bool>(a->rest()) != static_cast<bool>(b->rest())) return false;
      if (a->rest() && !Equal(a->rest(), b->rest())) return false;
      for (size_t i = 0; i < a->fields().size(); ++i) {
        const Field& fa = a->fields()[i];
        const Field* fb = b->FindField(fa.name);
        if (!fb || fa.optional != fb->optional || !Equal(fa.type, fb->type)) return false;
      }
      return true;
    }
    case TypeKind::kUnion:
    case TypeKind::kFunction: {
      if (a->members().size() != b->members().size()) return false;
      for (const TypeRef& m : a->members()) {
        bool found = false;
        for (const TypeRef& n : b->members()) {
          if (Equal(m, n)) { found = true; break; }
        }
        if (!found) return false;
      }
      if (a->kind() == TypeKind::kFunction) {
        for (size_t i = 0; i < a->params().size(); ++i) {
          if (!Equal(a->params()[i], b->params()[i])) return false;
        }
        return a->variadic() == b->variadic() && Equal(a->element(), b->element());
      }
      return true;
    }
    case TypeKind::kNamed: {
      auto da = a->def(), db = b->def();
      return da && da == db;
    }
    default:
      return true;  // primitives of the same kind
  }
}

}  // namespace orch::types
