// Expression and type layout for the formatter (see expr_doc.h).
#include "compiler/format/expr_doc.h"

#include <cctype>

#include "grammar/tokens.h"

namespace orch::compiler::format {
namespace {

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

std::string FlatText(const Doc& doc) { return Print(Group(doc), 0, 1 << 30); }

/// A non-empty record or list literal, or a lambda whose body is one: its own brackets can
/// carry the line breaks of the argument list it is the only member of.
bool HugsParentheses(const ast::Expr& expr) {
  if (const auto* lambda = ast::DynCast<ast::LambdaExpr>(&expr)) return lambda->body && HugsParentheses(*lambda->body);
  if (const auto* record = ast::DynCast<ast::RecordExpr>(&expr)) return !record->fields.empty();
  if (const auto* list = ast::DynCast<ast::ListExpr>(&expr)) return !list->elements.empty();
  return false;
}

}  // namespace

int PrecedenceOf(const ast::Expr& expr) {
  switch (expr.kind()) {
    case ast::ExprKind::kLambda:
    case ast::ExprKind::kConditional: return grammar::kPrecedenceLambda;
    case ast::ExprKind::kPipeline: return grammar::kPrecedencePipeline;
    case ast::ExprKind::kBinary: return ast::Precedence(ast::Cast<ast::BinaryExpr>(expr).op);
    case ast::ExprKind::kUnary: return ast::Precedence(ast::Cast<ast::UnaryExpr>(expr).op);
    case ast::ExprKind::kMember:
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kCall:
    case ast::ExprKind::kWith: return grammar::kPrecedencePostfix;
    default: return grammar::kPrecedencePrimary;
  }
}

std::string ExprDocs::Name(std::string_view name) {
  if (IsPlainIdentifier(name) && !grammar::IsKeyword(name)) return std::string(name);
  return "`" + std::string(name) + "`";
}

std::string ExprDocs::Name(const ast::Identifier& id) { return Name(id.name); }

std::string ExprDocs::Label(const ast::Identifier& id) {
  if (IsPlainIdentifier(id.name) && !id.quoted) return id.name;
  return "`" + id.name + "`";
}

std::string ExprDocs::Quote(std::string_view decoded) {
  std::string out = "\"";
  for (size_t i = 0; i < decoded.size(); ++i) {
    char c = decoded[i];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '$':
        out += (i + 1 < decoded.size() && decoded[i + 1] == '{') ? "\\$" : "$";
        break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string_view ExprDocs::Raw(Span span) const {
  const std::string& text = source_.text();
  if (span.begin > text.size() || span.end > text.size() || span.end < span.begin) return {};
  return std::string_view(text).substr(span.begin, span.end - span.begin);
}

Doc ExprDocs::Wrapped(const ast::Expr& expr, int min_precedence) {
  Doc doc = Expr(expr);
  if (PrecedenceOf(expr) < min_precedence) return Concat({Text("("), doc, Text(")")});
  return doc;
}

Doc ExprDocs::Collection(std::string_view open, std::vector<Doc> items, std::string_view close, bool spaced) {
  if (items.empty()) return Text(std::string(open) + std::string(close));
  std::vector<Doc> inner;
  for (size_t i = 0; i < items.size(); ++i) {
    inner.push_back(i == 0 ? (spaced ? Line() : SoftLine()) : Line());
    inner.push_back(items[i]);
    if (i + 1 < items.size()) inner.push_back(Text(","));
  }
  inner.push_back(IfBreak(Text(",")));
  return Group(Concat({Text(std::string(open)), Nest(indent_, Concat(std::move(inner))),
                       spaced ? Line() : SoftLine(), Text(std::string(close))}));
}

Doc ExprDocs::Args(const std::vector<ast::Argument>& args) {
  // A sole record or list argument (or a lambda returning one) hugs the parentheses, as in
  // prettier and gofmt: `to_json({` … `})` rather than `to_json(` / `{` … `}` / `)`.
  if (args.size() == 1 && args[0].value && HugsParentheses(*args[0].value)) {
    const ast::Argument& arg = args[0];
    Doc value = Expr(*arg.value);
    return Concat({Text(arg.name ? "(" + Label(*arg.name) + ": " : "("), value, Text(")")});
  }
  std::vector<Doc> items;
  for (const ast::Argument& arg : args) {
    Doc value = arg.value ? Expr(*arg.value) : Text("");
    items.push_back(arg.name ? Concat({Text(Label(*arg.name) + ": "), value}) : value);
  }
  return Collection("(", std::move(items), ")", false);
}

Doc ExprDocs::Params(const std::vector<ast::Param>& params) {
  std::vector<Doc> items;
  for (const ast::Param& p : params) {
    std::vector<Doc> parts{Text(Name(p.name))};
    if (p.type) parts.push_back(Concat({Text(": "), Type(*p.type)}));
    if (p.default_value) parts.push_back(Concat({Text(" = "), Expr(*p.default_value)}));
    items.push_back(Concat(std::move(parts)));
  }
  return Collection("(", std::move(items), ")", false);
}

Doc ExprDocs::Fields(const std::vector<ast::FieldInit>& fields) {
  std::vector<Doc> items;
  for (const ast::FieldInit& f : fields) {
    std::string key = f.string_key ? Quote(f.key.name) : Label(f.key);
    if (f.shorthand) {
      items.push_back(Text(key));
    } else {
      items.push_back(Concat({Text(key + ": "), f.value ? Expr(*f.value) : Text("")}));
    }
  }
  return Collection("{", std::move(items), "}", true);
}

Doc ExprDocs::String(const ast::StringExpr& expr) {
  std::string out = "\"";
  for (const ast::StringPart& part : expr.parts) {
    if (part.kind == ast::StringPart::Kind::kText) {
      out += Raw(part.span);
    } else if (part.expr) {
      out += "${" + FlatText(Expr(*part.expr)) + "}";
    }
  }
  return Text(out + "\"");
}

Doc ExprDocs::Expr(const ast::Expr& expr) {
  switch (expr.kind()) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kNumber:
    case ast::ExprKind::kDuration:
      return Text(std::string(Raw(expr.span)));
    case ast::ExprKind::kBool:
      return Text(ast::Cast<ast::BoolExpr>(expr).value ? "true" : "false");
    case ast::ExprKind::kNull:
      return Text("null");
    case ast::ExprKind::kString:
      return String(ast::Cast<ast::StringExpr>(expr));
    case ast::ExprKind::kList: {
      std::vector<Doc> items;
      for (const ast::ExprPtr& e : ast::Cast<ast::ListExpr>(expr).elements) items.push_back(e ? Expr(*e) : Text(""));
      return Collection("[", std::move(items), "]", false);
    }
    case ast::ExprKind::kRecord:
      return Fields(ast::Cast<ast::RecordExpr>(expr).fields);
    case ast::ExprKind::kName:
      return Text(Name(ast::Cast<ast::NameExpr>(expr).name));
    case ast::ExprKind::kMember: {
      const auto& e = ast::Cast<ast::MemberExpr>(expr);
      Doc object = e.object ? Wrapped(*e.object, grammar::kPrecedencePostfix) : Text("");
      return Concat({object, Text((e.optional ? "?." : ".") + Label(e.member))});
    }
    case ast::ExprKind::kIndex: {
      const auto& e = ast::Cast<ast::IndexExpr>(expr);
      Doc object = e.object ? Wrapped(*e.object, grammar::kPrecedencePostfix) : Text("");
      return Concat({object, Text(e.optional ? "?.[" : "["), e.index ? Expr(*e.index) : Text(""), Text("]")});
    }
    case ast::ExprKind::kCall: {
      const auto& e = ast::Cast<ast::CallExpr>(expr);
      Doc callee = e.callee ? Wrapped(*e.callee, grammar::kPrecedencePostfix) : Text("");
      return Concat({callee, Args(e.args)});
    }
    case ast::ExprKind::kWith: {
      const auto& e = ast::Cast<ast::WithExpr>(expr);
      Doc target = e.target ? Wrapped(*e.target, grammar::kPrecedencePostfix) : Text("");
      return Concat({target, Text(" with "), Fields(e.policies)});
    }
    case ast::ExprKind::kUnary: {
      const auto& e = ast::Cast<ast::UnaryExpr>(expr);
      int p = ast::Precedence(e.op);
      Doc operand = Text("");
      if (e.operand) {
        // `- -x` and `not not x` keep parentheses so they never read as one token.
        bool nested_same = ast::Isa<ast::UnaryExpr>(e.operand.get());
        operand = nested_same ? Concat({Text("("), Expr(*e.operand), Text(")")}) : Wrapped(*e.operand, p);
      }
      std::string op(ast::Spelling(e.op));
      return Concat({Text(op == "not" ? "not " : op), operand});
    }
    case ast::ExprKind::kBinary: {
      const auto& e = ast::Cast<ast::BinaryExpr>(expr);
      int p = ast::Precedence(e.op);
      int lhs_min = ast::IsComparison(e.op) ? p + 1 : p;
      Doc lhs = e.lhs ? Wrapped(*e.lhs, lhs_min) : Text("");
      Doc rhs = e.rhs ? Wrapped(*e.rhs, p + 1) : Text("");
      return Group(Concat({lhs, Text(" " + std::string(ast::Spelling(e.op))), Nest(indent_, Concat({Line(), rhs}))}));
    }
    case ast::ExprKind::kPipeline: {
      // Flatten `a | f | g` so a long chain breaks after every `|`.
      std::vector<const ast::PipelineExpr*> chain;
      const ast::Expr* input = &expr;
      while (const auto* p = ast::DynCast<ast::PipelineExpr>(input)) {
        chain.push_back(p);
        input = p->input.get();
      }
      std::vector<Doc> parts{input ? Wrapped(*input, grammar::kPrecedencePipeline + 1) : Text("")};
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        Doc stage = (*it)->stage ? Wrapped(*(*it)->stage, grammar::kPrecedencePipeline + 1) : Text("");
        parts.push_back(Text(" |"));
        parts.push_back(Nest(indent_, Concat({Line(), stage})));
      }
      return Group(Concat(std::move(parts)));
    }
    case ast::ExprKind::kLambda: {
      const auto& e = ast::Cast<ast::LambdaExpr>(expr);
      std::string params;
      bool parens = e.params.size() != 1 || e.params[0].type != nullptr;
      for (size_t i = 0; i < e.params.size(); ++i) {
        if (i > 0) params += ", ";
        params += Name(e.params[i].name);
        if (e.params[i].type) params += ": " + FlatText(Type(*e.params[i].type));
      }
      if (parens) params = "(" + params + ")";
      return Concat({Text(params + " => "), e.body ? Expr(*e.body) : Text("")});
    }
    case ast::ExprKind::kConditional: {
      const auto& e = ast::Cast<ast::ConditionalExpr>(expr);
      // Too long for one line: `then …` and `else …` each start an indented line.
      return Group(Concat({Text("if "), Expr(*e.test),
                           Nest(indent_, Concat({Line(), Text("then "), Expr(*e.value), Line(), Text("else "),
                                                 Expr(*e.otherwise)}))}));
    }
  }
  return Text("");
}

Doc ExprDocs::Type(const ast::TypeExpr& type) {
  switch (type.kind()) {
    case ast::TypeKind::kPrimitive:
      return Text(std::string(ast::Spelling(ast::Cast<ast::PrimitiveType>(type).primitive)));
    case ast::TypeKind::kNamed:
      return Text(Name(ast::Cast<ast::NamedType>(type).name));
    case ast::TypeKind::kList: {
      const auto& t = ast::Cast<ast::ListType>(type);
      return Concat({Text("["), t.element ? Type(*t.element) : Text(""), Text("]")});
    }
    case ast::TypeKind::kRecord: {
      std::vector<Doc> items;
      for (const ast::FieldType& f : ast::Cast<ast::RecordType>(type).fields) {
        std::string key = f.string_key ? Quote(f.name.name) : Label(f.name);
        items.push_back(Concat({Text(key + (f.optional ? "?: " : ": ")), f.type ? Type(*f.type) : Text("")}));
      }
      return Collection("{", std::move(items), "}", true);
    }
    case ast::TypeKind::kMap: {
      const auto& t = ast::Cast<ast::MapType>(type);
      return Concat({Text("{["), t.key ? Type(*t.key) : Text("string"), Text("]: "), t.value ? Type(*t.value) : Text(""),
                     Text("}")});
    }
    case ast::TypeKind::kOptional: {
      const auto& t = ast::Cast<ast::OptionalType>(type);
      if (!t.inner) return Text("?");
      bool parens = t.inner->kind() == ast::TypeKind::kUnion;
      Doc inner = Type(*t.inner);
      return parens ? Concat({Text("("), inner, Text(")?")}) : Concat({inner, Text("?")});
    }
    case ast::TypeKind::kUnion: {
      std::vector<Doc> parts;
      for (const ast::TypePtr& m : ast::Cast<ast::UnionType>(type).members) {
        if (!parts.empty()) parts.push_back(Text(" | "));
        parts.push_back(m ? Type(*m) : Text(""));
      }
      return Concat(std::move(parts));
    }
    case ast::TypeKind::kLiteral:
      return Text(Quote(ast::Cast<ast::LiteralType>(type).value));
  }
  return Text("");
}

}  // namespace orch::compiler::format
