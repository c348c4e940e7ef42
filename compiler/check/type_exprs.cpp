// Written types (`[string]`, `{a: int, b?: T}`, `Plan`) → language types. Aliases become
// named slots created up front, so aliases may refer to each other in any order and to
// themselves (a reference from inside an alias's own body is a weak back edge).
#include "compiler/check/checker.h"

namespace orch::compiler::check {

void Checker::DeclareAliases() {
  for (const ast::File* file : files_) {
    for (const ast::DeclPtr& decl : file->declarations) {
      auto* alias = ast::DynCast<ast::TypeAliasDecl>(decl.get());
      if (!alias) continue;
      auto def = std::make_shared<types::NamedDef>();
      def->name = alias->name.name;
      alias_defs_[alias] = def;
      result_.alias_defs.push_back(def);
    }
  }
  for (auto& [alias, def] : alias_defs_) AliasType(*alias);
}

TypeRef Checker::AliasType(const ast::TypeAliasDecl& alias) {
  auto it = alias_defs_.find(&alias);
  if (it == alias_defs_.end()) return types::Any();
  std::shared_ptr<types::NamedDef> def = it->second;
  if (aliases_in_progress_.count(&alias)) return types::NamedWeak(def, def->name);
  if (!aliases_done_.count(&alias)) {
    aliases_in_progress_.insert(&alias);
    def->target = alias.type ? Convert(*alias.type) : types::Any();
    aliases_in_progress_.erase(&alias);
    aliases_done_.insert(&alias);
    result_.aliases[&alias] = types::Named(def);
  }
  return types::Named(def);
}

TypeRef Checker::Convert(const ast::TypeExpr& type) {
  switch (type.kind()) {
    case ast::TypeKind::kPrimitive:
      switch (ast::Cast<ast::PrimitiveType>(type).primitive) {
        case ast::PrimitiveKind::kString: return types::String();
        case ast::PrimitiveKind::kInt: return types::Int();
        case ast::PrimitiveKind::kNumber: return types::Number();
        case ast::PrimitiveKind::kBool: return types::Bool();
        case ast::PrimitiveKind::kNull: return types::Null();
        case ast::PrimitiveKind::kAny: return types::Any();
      }
      return types::Any();
    case ast::TypeKind::kNamed: {
      const auto& named = ast::Cast<ast::NamedType>(type);
      if (const ast::TypeAliasDecl* alias = resolved_.Alias(named)) return AliasType(*alias);
      if (named.name.name == "ToolResult") return types::ToolResult();
      if (named.name.name == "Error") return ErrorType();
      return types::Any();  // unresolved: the resolver reported it
    }
    case ast::TypeKind::kList:
      return types::List(Convert(*ast::Cast<ast::ListType>(type).element));
    case ast::TypeKind::kRecord: {
      std::vector<types::Field> fields;
      for (const ast::FieldType& f : ast::Cast<ast::RecordType>(type).fields) {
        fields.push_back({f.name.name, f.type ? Convert(*f.type) : types::Any(), f.optional, ""});
      }
      return types::Record(std::move(fields));
    }
    case ast::TypeKind::kMap:
      return types::Map(Convert(*ast::Cast<ast::MapType>(type).value));
    case ast::TypeKind::kOptional:
      return types::Optional(Convert(*ast::Cast<ast::OptionalType>(type).inner));
    case ast::TypeKind::kUnion: {
      std::vector<TypeRef> members;
      for (const ast::TypePtr& m : ast::Cast<ast::UnionType>(type).members) members.push_back(Convert(*m));
      return types::Union(std::move(members));
    }
    case ast::TypeKind::kLiteral:
      return types::Literal(ast::Cast<ast::LiteralType>(type).value);
  }
  return types::Any();
}

}  // namespace orch::compiler::check
