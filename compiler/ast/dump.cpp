// AST dump: `Kind details @l:c-l:c`, children indented by two spaces. Strings are
// printed JSON-escaped so the dump is one line per node whatever the source holds.
#include "compiler/ast/dump.h"

#include <fmt/format.h>

namespace orch::compiler::ast {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string NameText(const Identifier& id) { return id.quoted ? "`" + id.name + "`" : id.name; }

class Dumper {
 public:
  explicit Dumper(const SourceMap& sources) : sources_(sources) {}

  std::string Take() { return std::move(out_); }

  void File(const ast::File& file) {
    Line(0, "File", file.span);
    for (const auto& c : file.comments) {
      const char* kind = c.kind == Comment::Kind::kDoc ? "DocComment" : c.kind == Comment::Kind::kShebang ? "Shebang" : "Comment";
      Line(1, fmt::format("{}{} {}", kind, c.trailing ? " trailing" : "", Quote(c.text)), c.span);
    }
    for (const auto& d : file.declarations) Decl(1, *d);
  }

  void Expr(int depth, const ast::Expr& e) {
    Visit(e, [&](const auto& node) { ExprNode(depth, node); });
  }

 private:
  std::string Where(const Span& span) const {
    if (!span.valid() || span.file >= sources_.size()) return "@?";
    const SourceFile& f = sources_.file(span.file);
    LineCol b = f.Locate(span.begin);
    LineCol e = f.Locate(span.end);
    return fmt::format("@{}:{}-{}:{}", b.line, b.column, e.line, e.column);
  }

  void Line(int depth, std::string_view text, const Span& span) {
    out_.append(static_cast<size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += ' ';
    out_ += Where(span);
    out_ += '\n';
  }
  void Label(int depth, std::string_view text) {
    out_.append(static_cast<size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  // --- Declarations ----------------------------------------------------------------------

  void Decl(int depth, const ast::Decl& d) {
    Visit(d, [&](const auto& node) { DeclNode(depth, node); });
  }
  void Doc(int depth, const ast::Decl& d) {
    if (d.doc) Line(depth, "Doc " + Quote(d.doc->text), d.doc->span);
  }

  void DeclNode(int depth, const UseDecl& d) {
    std::string text = "Use " + NameText(d.name);
    if (d.has_alias) text += " = " + Quote(d.server);
    Line(depth, text, d.span);
    Doc(depth + 1, d);
  }
  void DeclNode(int depth, const ServerDecl& d) {
    Line(depth, fmt::format("Server {} = {}", NameText(d.name), NameText(d.transport)), d.span);
    Doc(depth + 1, d);
    Args(depth + 1, d.args);
  }
  void DeclNode(int depth, const ImportDecl& d) {
    Line(depth, "Import " + Quote(d.path), d.span);
    Doc(depth + 1, d);
  }
  void DeclNode(int depth, const TypeAliasDecl& d) {
    Line(depth, "TypeAlias " + NameText(d.name), d.span);
    Doc(depth + 1, d);
    Type(depth + 1, *d.type);
  }
  void DeclNode(int depth, const WorkflowDecl& d) {
    Line(depth, "Workflow " + NameText(d.name), d.span);
    Doc(depth + 1, d);
    for (const auto& p : d.params) {
      Line(depth + 1, "Param " + NameText(p.name), p.span);
      Type(depth + 2, *p.type);
      if (p.default_value) {
        Label(depth + 2, "Default");
        Expr(depth + 3, *p.default_value);
      }
    }
    if (d.return_type) {
      Label(depth + 1, "Returns");
      Type(depth + 2, *d.return_type);
    }
    Block(depth + 1, d.body);
  }
  void DeclNode(int depth, const UsesDecl& d) {
    Line(depth, "Uses", d.span);
    for (const auto& t : d.tools) {
      std::string text = "Tool " + NameText(t.server);
      if (t.wildcard) text += ".*";
      if (t.tool) text += "." + NameText(*t.tool);
      Line(depth + 1, text, t.span);
    }
  }
  void DeclNode(int depth, const AgentDecl& d) {
    Line(depth, "Agent " + NameText(d.name), d.span);
    Doc(depth + 1, d);
    for (const auto& m : d.members) Decl(depth + 1, *m);
  }
  void DeclNode(int depth, const TestDecl& d) {
    Line(depth, "Test " + Quote(d.name), d.span);
    Doc(depth + 1, d);
    Block(depth + 1, d.body);
  }

  // --- Statements ------------------------------------------------------------------------

  void Block(int depth, const ast::Block& b) {
    Line(depth, "Block", b.span);
    for (const auto& s : b.statements) Stmt(depth + 1, *s);
  }
  void Stmt(int depth, const ast::Stmt& s) {
    Visit(s, [&](const auto& node) { StmtNode(depth, node); });
  }
  void MaybeType(int depth, const TypePtr& type) {
    if (!type) return;
    Label(depth, "Type");
    Type(depth + 1, *type);
  }

  void StmtNode(int depth, const LetStmt& s) {
    Line(depth, "Let " + NameText(s.name), s.span);
    MaybeType(depth + 1, s.type);
    Expr(depth + 1, *s.value);
  }
  void StmtNode(int depth, const VarStmt& s) {
    Line(depth, "Var " + NameText(s.name), s.span);
    MaybeType(depth + 1, s.type);
    if (s.value) Expr(depth + 1, *s.value);
  }
  void StmtNode(int depth, const AssignStmt& s) {
    Line(depth, "Assign", s.span);
    Expr(depth + 1, *s.target);
    Expr(depth + 1, *s.value);
  }
  void StmtNode(int depth, const IfStmt& s) {
    Line(depth, "If", s.span);
    Expr(depth + 1, *s.condition);
    Block(depth + 1, s.then_body);
    if (s.else_if) {
      Label(depth + 1, "Else");
      StmtNode(depth + 2, *s.else_if);
    }
    if (s.else_body) {
      Label(depth + 1, "Else");
      Block(depth + 2, *s.else_body);
    }
  }
  void StmtNode(int depth, const ForStmt& s) {
    Line(depth, "For " + NameText(s.variable), s.span);
    Expr(depth + 1, *s.iterable);
    if (s.parallel) {
      Line(depth + 1, "Parallel", s.parallel_span);
      Args(depth + 2, s.parallel_options);
    }
    Block(depth + 1, s.body);
  }
  void StmtNode(int depth, const ParallelStmt& s) {
    Line(depth, "Parallel", s.span);
    Block(depth + 1, s.body);
  }
  void StmtNode(int depth, const TryStmt& s) {
    Line(depth, "Try", s.span);
    Block(depth + 1, s.body);
    Line(depth + 1, s.error_name ? "Catch " + NameText(*s.error_name) : std::string("Catch"), s.catch_span);
    Block(depth + 2, s.catch_body);
  }
  void StmtNode(int depth, const ReturnStmt& s) {
    Line(depth, "Return", s.span);
    if (s.value) Expr(depth + 1, *s.value);
  }
  void StmtNode(int depth, const FailStmt& s) {
    Line(depth, "Fail", s.span);
    Expr(depth + 1, *s.message);
  }
  void StmtNode(int depth, const LogStmt& s) {
    Line(depth, "Log", s.span);
    Expr(depth + 1, *s.message);
  }
  void StmtNode(int depth, const AssertStmt& s) {
    Line(depth, "Assert", s.span);
    Expr(depth + 1, *s.condition);
    if (s.message) Expr(depth + 1, *s.message);
  }
  void StmtNode(int depth, const MockStmt& s) {
    Line(depth, "Mock", s.span);
    Expr(depth + 1, *s.target);
    if (s.has_pattern) Args(depth + 1, s.pattern);
    Expr(depth + 1, *s.result);
  }
  void StmtNode(int depth, const ExprStmt& s) {
    Line(depth, "ExprStmt", s.span);
    Expr(depth + 1, *s.expr);
  }

  // --- Expressions -----------------------------------------------------------------------

  void Args(int depth, const std::vector<Argument>& args) {
    for (const auto& a : args) {
      Line(depth, a.name ? "Arg " + NameText(*a.name) : std::string("Arg"), a.span);
      Expr(depth + 1, *a.value);
    }
  }
  void Fields(int depth, const std::vector<FieldInit>& fields) {
    for (const auto& f : fields) {
      std::string key = f.string_key ? Quote(f.key.name) : NameText(f.key);
      Line(depth, "Field " + key + (f.shorthand ? " shorthand" : ""), f.span);
      if (!f.shorthand) Expr(depth + 1, *f.value);
    }
  }

  void ExprNode(int depth, const IntExpr& e) { Line(depth, fmt::format("Int {}", e.value), e.span); }
  void ExprNode(int depth, const NumberExpr& e) { Line(depth, fmt::format("Number {}", e.value), e.span); }
  void ExprNode(int depth, const StringExpr& e) {
    if (e.IsPlain()) {
      Line(depth, "String " + Quote(*e.PlainValue()), e.span);
      return;
    }
    Line(depth, "String", e.span);
    for (const auto& part : e.parts) {
      if (part.kind == StringPart::Kind::kText) {
        Line(depth + 1, "Text " + Quote(part.text), part.span);
      } else {
        Line(depth + 1, "Interpolation", part.span);
        Expr(depth + 2, *part.expr);
      }
    }
  }
  void ExprNode(int depth, const BoolExpr& e) { Line(depth, e.value ? "Bool true" : "Bool false", e.span); }
  void ExprNode(int depth, const NullExpr& e) { Line(depth, "Null", e.span); }
  void ExprNode(int depth, const DurationExpr& e) {
    auto ms = e.TotalMilliseconds();
    Line(depth, fmt::format("Duration {}{} = {}", e.amount, Spelling(e.unit), ms ? fmt::format("{}ms", *ms) : "?"),
         e.span);
  }
  void ExprNode(int depth, const ListExpr& e) {
    Line(depth, "List", e.span);
    for (const auto& x : e.elements) Expr(depth + 1, *x);
  }
  void ExprNode(int depth, const RecordExpr& e) {
    Line(depth, "Record", e.span);
    Fields(depth + 1, e.fields);
  }
  void ExprNode(int depth, const NameExpr& e) { Line(depth, "Name " + NameText(e.name), e.span); }
  void ExprNode(int depth, const MemberExpr& e) {
    Line(depth, (e.optional ? "OptionalMember " : "Member ") + NameText(e.member), e.span);
    Expr(depth + 1, *e.object);
  }
  void ExprNode(int depth, const IndexExpr& e) {
    Line(depth, e.optional ? "OptionalIndex" : "Index", e.span);
    Expr(depth + 1, *e.object);
    Expr(depth + 1, *e.index);
  }
  void ExprNode(int depth, const CallExpr& e) {
    Line(depth, "Call", e.span);
    Expr(depth + 1, *e.callee);
    Args(depth + 1, e.args);
  }
  void ExprNode(int depth, const WithExpr& e) {
    Line(depth, "With", e.span);
    Expr(depth + 1, *e.target);
    Fields(depth + 1, e.policies);
  }
  void ExprNode(int depth, const UnaryExpr& e) {
    Line(depth, fmt::format("Unary {}", Spelling(e.op)), e.span);
    Expr(depth + 1, *e.operand);
  }
  void ExprNode(int depth, const BinaryExpr& e) {
    Line(depth, fmt::format("Binary {}", Spelling(e.op)), e.span);
    Expr(depth + 1, *e.lhs);
    Expr(depth + 1, *e.rhs);
  }
  void ExprNode(int depth, const PipelineExpr& e) {
    Line(depth, "Pipeline", e.span);
    Expr(depth + 1, *e.input);
    Expr(depth + 1, *e.stage);
  }
  void ExprNode(int depth, const LambdaExpr& e) {
    std::string params;
    for (const auto& p : e.params) params += (params.empty() ? "" : ", ") + NameText(p.name);
    Line(depth, fmt::format("Lambda ({})", params), e.span);
    for (const auto& p : e.params) {
      if (p.type) {
        Label(depth + 1, "ParamType " + NameText(p.name));
        Type(depth + 2, *p.type);
      }
    }
    Expr(depth + 1, *e.body);
  }

  void ExprNode(int depth, const ConditionalExpr& e) {
    Line(depth, "Conditional", e.span);
    Expr(depth + 1, *e.test);
    Expr(depth + 1, *e.value);
    Expr(depth + 1, *e.otherwise);
  }

  // --- Types ---------------------------------------------------------------------------------

  void Type(int depth, const TypeExpr& t) {
    Visit(t, [&](const auto& node) { TypeNode(depth, node); });
  }
  void TypeNode(int depth, const PrimitiveType& t) { Line(depth, fmt::format("Primitive {}", Spelling(t.primitive)), t.span); }
  void TypeNode(int depth, const NamedType& t) { Line(depth, "Named " + NameText(t.name), t.span); }
  void TypeNode(int depth, const ListType& t) {
    Line(depth, "ListType", t.span);
    Type(depth + 1, *t.element);
  }
  void TypeNode(int depth, const RecordType& t) {
    Line(depth, "RecordType", t.span);
    for (const auto& f : t.fields) {
      std::string key = f.string_key ? Quote(f.name.name) : NameText(f.name);
      Line(depth + 1, "FieldType " + key + (f.optional ? "?" : ""), f.span);
      Type(depth + 2, *f.type);
    }
  }
  void TypeNode(int depth, const MapType& t) {
    Line(depth, "MapType", t.span);
    Type(depth + 1, *t.key);
    Type(depth + 1, *t.value);
  }
  void TypeNode(int depth, const OptionalType& t) {
    Line(depth, "OptionalType", t.span);
    Type(depth + 1, *t.inner);
  }
  void TypeNode(int depth, const UnionType& t) {
    Line(depth, "UnionType", t.span);
    for (const auto& m : t.members) Type(depth + 1, *m);
  }
  void TypeNode(int depth, const LiteralType& t) { Line(depth, "LiteralType " + Quote(t.value), t.span); }

  const SourceMap& sources_;
  std::string out_;
};

}  // namespace

std::string Dump(const File& file, const SourceMap& sources) {
  Dumper d(sources);
  d.File(file);
  return d.Take();
}

std::string Dump(const Expr& expr, const SourceMap& sources) {
  Dumper d(sources);
  d.Expr(0, expr);
  return d.Take();
}

}  // namespace orch::compiler::ast
