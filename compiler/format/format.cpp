// The formatter's statement and declaration layout, and the placement of comments (see
// format.h for the rules). Comments are consumed in source order: each one is printed
// before the first construct that starts after it, or appended to the line of the
// construct it trails.
#include "compiler/format/format.h"

#include <algorithm>

#include "compiler/format/expr_doc.h"

namespace orch::compiler::format {
namespace {

bool IsHeaderLike(ast::DeclKind kind) {
  return kind == ast::DeclKind::kUse || kind == ast::DeclKind::kServer || kind == ast::DeclKind::kImport;
}

std::string TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

class Layout {
 public:
  Layout(const ast::File& file, const SourceFile& source, const FormatOptions& options)
      : file_(file), source_(source), options_(options), docs_(source, options.indent) {}

  std::string Run();

 private:
  // --- comments and blank lines ---
  bool BlankBetween(uint32_t from, uint32_t to) const;
  bool NewlineBetween(uint32_t from, uint32_t to) const;
  /// Prints every comment that starts before `until` on its own line (those at or after
  /// `begin` lie inside the construct and are hoisted above it), then the blank line (if
  /// any) that separates them from the construct starting at `begin`.
  void Leading(uint32_t begin, uint32_t until, int indent, bool force_blank);
  /// Appends the next comment to the last line when it trails source offset `end`.
  void Trailing(uint32_t end);
  void EmitLine(int indent, const std::string& text);
  void EmitDoc(int indent, const Doc& doc) { EmitLine(indent, Print(doc, indent, options_.width)); }

  // --- declarations ---
  void Decl(const ast::Decl& decl, int indent, bool force_blank);
  void Workflow(const ast::WorkflowDecl& workflow, int indent);
  void Agent(const ast::AgentDecl& agent, int indent);

  // --- statements ---
  /// Prints `header` + ` {`, the block's statements, and `}` + `tail` (or `header {}` when
  /// the block is empty); comments before `close_before` end up inside the block.
  void BlockStmt(Doc header, const ast::Block& block, int indent, uint32_t close_before, bool close_line = true);
  void Statements(const std::vector<ast::StmtPtr>& statements, int indent);
  void Stmt(const ast::Stmt& stmt, int indent);
  void If(const ast::IfStmt& stmt, int indent, Doc prefix);
  Doc SimpleStmt(const ast::Stmt& stmt);

  bool BlockIsEmpty(const ast::Block& block) const;
  uint32_t HeaderEnd(const ast::Stmt& stmt) const;

  const ast::File& file_;
  const SourceFile& source_;
  FormatOptions options_;
  ExprDocs docs_;
  std::string out_;
  size_t next_comment_ = 0;
  uint32_t last_end_ = 0;
  bool at_block_start_ = true;
  bool last_was_doc_ = false;
  /// End of the innermost block being printed: a comment after it trails the `}`.
  uint32_t block_end_ = UINT32_MAX;
};

bool Layout::NewlineBetween(uint32_t from, uint32_t to) const {
  const std::string& text = source_.text();
  to = std::min<uint32_t>(to, static_cast<uint32_t>(text.size()));
  for (uint32_t i = from; i < to; ++i) {
    if (text[i] == '\n') return true;
  }
  return false;
}

bool Layout::BlankBetween(uint32_t from, uint32_t to) const {
  const std::string& text = source_.text();
  to = std::min<uint32_t>(to, static_cast<uint32_t>(text.size()));
  int newlines = 0;
  for (uint32_t i = from; i < to; ++i) {
    if (text[i] == '\n' && ++newlines >= 2) return true;
  }
  return false;
}

void Layout::EmitLine(int indent, const std::string& text) {
  out_.append(static_cast<size_t>(indent), ' ');
  out_ += text;
  out_ += '\n';
}

void Layout::Leading(uint32_t begin, uint32_t until, int indent, bool force_blank) {
  bool first = true;
  while (next_comment_ < file_.comments.size() && file_.comments[next_comment_].span.begin < until) {
    const ast::Comment& c = file_.comments[next_comment_++];
    // A comment from inside the construct (hoisted above it) never brings a blank line.
    bool hoisted = c.span.begin >= begin;
    bool blank = !at_block_start_ && !hoisted && ((first && force_blank) || BlankBetween(last_end_, c.span.begin));
    if (blank) out_ += '\n';
    EmitLine(indent, TrimRight(c.text));
    if (!hoisted) last_end_ = c.span.end;
    at_block_start_ = false;
    last_was_doc_ = c.kind == ast::Comment::Kind::kDoc;
    first = false;
  }
  bool blank = !at_block_start_ &&
               ((first && force_blank) || (!last_was_doc_ && last_end_ <= begin && BlankBetween(last_end_, begin)));
  if (blank) out_ += '\n';
  at_block_start_ = false;
  last_was_doc_ = false;
}

void Layout::Trailing(uint32_t end) {
  if (next_comment_ >= file_.comments.size()) return;
  const ast::Comment& c = file_.comments[next_comment_];
  if (!c.trailing || c.span.begin < end || c.span.begin >= block_end_ || NewlineBetween(end, c.span.begin)) return;
  if (!out_.empty() && out_.back() == '\n') out_.pop_back();
  out_ += "  " + TrimRight(c.text) + "\n";
  last_end_ = c.span.end;
  ++next_comment_;
}

bool Layout::BlockIsEmpty(const ast::Block& block) const {
  if (!block.statements.empty()) return false;
  return next_comment_ >= file_.comments.size() || file_.comments[next_comment_].span.begin >= block.span.end;
}

void Layout::BlockStmt(Doc header, const ast::Block& block, int indent, uint32_t close_before, bool close_line) {
  if (BlockIsEmpty(block) && close_line) {
    EmitDoc(indent, Concat({header, Text(" {}")}));
    last_end_ = block.span.end;
    return;
  }
  EmitDoc(indent, Concat({header, Text(" {")}));
  uint32_t first = block.statements.empty() ? block.span.end : block.statements.front()->span.begin;
  if (next_comment_ < file_.comments.size() && file_.comments[next_comment_].span.begin < first) {
    Trailing(block.span.begin + 1);
  }
  last_end_ = block.span.begin + 1;
  at_block_start_ = true;
  uint32_t outer_end = block_end_;
  block_end_ = block.span.end;
  Statements(block.statements, indent + options_.indent);
  // Comments after the last statement stay inside the block.
  while (next_comment_ < file_.comments.size() && file_.comments[next_comment_].span.begin < close_before) {
    uint32_t at = file_.comments[next_comment_].span.begin;
    Leading(at, at + 1, indent + options_.indent, false);
  }
  block_end_ = outer_end;
  at_block_start_ = false;
  last_end_ = block.span.end;
  if (close_line) {
    EmitLine(indent, "}");
    Trailing(block.span.end);
  }
}

void Layout::Statements(const std::vector<ast::StmtPtr>& statements, int indent) {
  for (const ast::StmtPtr& stmt : statements) Stmt(*stmt, indent);
}

uint32_t Layout::HeaderEnd(const ast::Stmt& stmt) const {
  switch (stmt.kind()) {
    case ast::StmtKind::kIf: return ast::Cast<ast::IfStmt>(stmt).then_body.span.begin;
    case ast::StmtKind::kFor: return ast::Cast<ast::ForStmt>(stmt).body.span.begin;
    case ast::StmtKind::kParallel: return ast::Cast<ast::ParallelStmt>(stmt).body.span.begin;
    case ast::StmtKind::kTry: return ast::Cast<ast::TryStmt>(stmt).body.span.begin;
    default: return stmt.span.end;
  }
}

Doc Layout::SimpleStmt(const ast::Stmt& stmt) {
  auto expr = [&](const ast::ExprPtr& e) { return e ? docs_.Expr(*e) : Text(""); };
  switch (stmt.kind()) {
    case ast::StmtKind::kLet:
    case ast::StmtKind::kVar: {
      bool is_let = stmt.kind() == ast::StmtKind::kLet;
      const ast::Identifier& name = is_let ? ast::Cast<ast::LetStmt>(stmt).name : ast::Cast<ast::VarStmt>(stmt).name;
      const ast::TypePtr& type = is_let ? ast::Cast<ast::LetStmt>(stmt).type : ast::Cast<ast::VarStmt>(stmt).type;
      const ast::ExprPtr& value = is_let ? ast::Cast<ast::LetStmt>(stmt).value : ast::Cast<ast::VarStmt>(stmt).value;
      std::vector<Doc> parts{Text(std::string(is_let ? "let " : "var ") + ExprDocs::Name(name))};
      if (type) parts.push_back(Concat({Text(": "), docs_.Type(*type)}));
      if (value) parts.push_back(Concat({Text(" = "), docs_.Expr(*value)}));
      return Concat(std::move(parts));
    }
    case ast::StmtKind::kAssign: {
      const auto& s = ast::Cast<ast::AssignStmt>(stmt);
      return Concat({expr(s.target), Text(" = "), expr(s.value)});
    }
    case ast::StmtKind::kReturn: {
      const auto& s = ast::Cast<ast::ReturnStmt>(stmt);
      return s.value ? Concat({Text("return "), expr(s.value)}) : Text("return");
    }
    case ast::StmtKind::kFail:
      return Concat({Text("fail "), expr(ast::Cast<ast::FailStmt>(stmt).message)});
    case ast::StmtKind::kLog:
      return Concat({Text("log "), expr(ast::Cast<ast::LogStmt>(stmt).message)});
    case ast::StmtKind::kAssert: {
      const auto& s = ast::Cast<ast::AssertStmt>(stmt);
      if (!s.message) return Concat({Text("assert "), expr(s.condition)});
      return Concat({Text("assert "), expr(s.condition), Text(", "), expr(s.message)});
    }
    case ast::StmtKind::kMock: {
      const auto& s = ast::Cast<ast::MockStmt>(stmt);
      if (s.has_pattern) {
        return Concat({Text("mock "), expr(s.target), docs_.Args(s.pattern), Text(" => "), expr(s.result)});
      }
      return Concat({Text("mock "), expr(s.target), Text(" => "), expr(s.result)});
    }
    case ast::StmtKind::kExpr:
      return expr(ast::Cast<ast::ExprStmt>(stmt).expr);
    default:
      return Text("");
  }
}

void Layout::If(const ast::IfStmt& stmt, int indent, Doc prefix) {
  Doc header = Concat({prefix, Text("if "), stmt.condition ? docs_.Expr(*stmt.condition) : Text("")});
  bool has_else = stmt.else_if || stmt.else_body;
  uint32_t close_before = stmt.else_if ? stmt.else_if->span.begin
                          : stmt.else_body ? stmt.else_body->span.begin
                                           : stmt.then_body.span.end;
  if (!has_else) {
    BlockStmt(header, stmt.then_body, indent, close_before);
    return;
  }
  // `} else …` continues on the closing line of the previous block.
  BlockStmt(header, stmt.then_body, indent, close_before, /*close_line=*/false);
  if (stmt.else_if) {
    If(*stmt.else_if, indent, Text("} else "));
  } else {
    BlockStmt(Text("} else"), *stmt.else_body, indent, stmt.else_body->span.end);
  }
}

void Layout::Stmt(const ast::Stmt& stmt, int indent) {
  Leading(stmt.span.begin, HeaderEnd(stmt), indent, false);
  switch (stmt.kind()) {
    case ast::StmtKind::kIf:
      If(ast::Cast<ast::IfStmt>(stmt), indent, Text(""));
      break;
    case ast::StmtKind::kFor: {
      const auto& s = ast::Cast<ast::ForStmt>(stmt);
      std::vector<Doc> parts{Text("for " + ExprDocs::Name(s.variable) + " in "),
                             s.iterable ? docs_.Expr(*s.iterable) : Text("")};
      if (s.parallel) {
        parts.push_back(Text(" parallel"));
        if (!s.parallel_options.empty()) parts.push_back(docs_.Args(s.parallel_options));
      }
      BlockStmt(Concat(std::move(parts)), s.body, indent, s.body.span.end);
      break;
    }
    case ast::StmtKind::kParallel: {
      const auto& s = ast::Cast<ast::ParallelStmt>(stmt);
      BlockStmt(Text("parallel"), s.body, indent, s.body.span.end);
      break;
    }
    case ast::StmtKind::kTry: {
      const auto& s = ast::Cast<ast::TryStmt>(stmt);
      BlockStmt(Text("try"), s.body, indent, s.catch_body.span.begin, /*close_line=*/false);
      std::string head = "} catch";
      if (s.error_name) head += " " + ExprDocs::Name(*s.error_name);
      BlockStmt(Text(head), s.catch_body, indent, s.catch_body.span.end);
      break;
    }
    default:
      EmitDoc(indent, SimpleStmt(stmt));
      last_end_ = stmt.span.end;
      Trailing(stmt.span.end);
      break;
  }
}

void Layout::Workflow(const ast::WorkflowDecl& workflow, int indent) {
  std::vector<Doc> parts{Text("workflow " + ExprDocs::Name(workflow.name)), docs_.Params(workflow.params)};
  if (workflow.return_type) parts.push_back(Concat({Text(" -> "), docs_.Type(*workflow.return_type)}));
  BlockStmt(Concat(std::move(parts)), workflow.body, indent, workflow.body.span.end);
}

void Layout::Agent(const ast::AgentDecl& agent, int indent) {
  uint32_t close = agent.span.end > 0 ? agent.span.end - 1 : 0;
  if (agent.members.empty() &&
      (next_comment_ >= file_.comments.size() || file_.comments[next_comment_].span.begin >= close)) {
    EmitLine(indent, "agent " + ExprDocs::Name(agent.name) + " {}");
    last_end_ = agent.span.end;
    Trailing(agent.span.end);
    return;
  }
  EmitLine(indent, "agent " + ExprDocs::Name(agent.name) + " {");
  Trailing(agent.name.span.end);
  last_end_ = agent.name.span.end;
  at_block_start_ = true;
  const ast::Decl* previous = nullptr;
  for (const ast::DeclPtr& member : agent.members) {
    // A blank line between members, except between consecutive `uses` lines.
    bool blank = previous && !(previous->kind() == ast::DeclKind::kUses && member->kind() == ast::DeclKind::kUses);
    Decl(*member, indent + options_.indent, blank);
    previous = member.get();
  }
  while (next_comment_ < file_.comments.size() && file_.comments[next_comment_].span.begin < close) {
    uint32_t at = file_.comments[next_comment_].span.begin;
    Leading(at, at + 1, indent + options_.indent, false);
  }
  at_block_start_ = false;
  EmitLine(indent, "}");
  last_end_ = agent.span.end;
  Trailing(agent.span.end);
}

void Layout::Decl(const ast::Decl& decl, int indent, bool force_blank) {
  uint32_t header_end = decl.span.end;
  if (const auto* w = ast::DynCast<ast::WorkflowDecl>(&decl)) header_end = w->body.span.begin;
  if (const auto* a = ast::DynCast<ast::AgentDecl>(&decl)) header_end = a->name.span.end;
  if (const auto* t = ast::DynCast<ast::TestDecl>(&decl)) header_end = t->body.span.begin;
  Leading(decl.span.begin, header_end, indent, force_blank);
  switch (decl.kind()) {
    case ast::DeclKind::kUse: {
      const auto& use = ast::Cast<ast::UseDecl>(decl);
      std::string text = "use " + ExprDocs::Name(use.name);
      if (use.has_alias) text += " = " + ExprDocs::Quote(use.server);
      EmitLine(indent, text);
      break;
    }
    case ast::DeclKind::kServer: {
      const auto& server = ast::Cast<ast::ServerDecl>(decl);
      EmitDoc(indent, Concat({Text("server " + ExprDocs::Name(server.name) + " = " + ExprDocs::Name(server.transport)),
                              docs_.Args(server.args)}));
      break;
    }
    case ast::DeclKind::kImport:
      EmitLine(indent, "import " + ExprDocs::Quote(ast::Cast<ast::ImportDecl>(decl).path));
      break;
    case ast::DeclKind::kTypeAlias: {
      const auto& alias = ast::Cast<ast::TypeAliasDecl>(decl);
      EmitDoc(indent, Concat({Text("type " + ExprDocs::Name(alias.name) + " = "),
                              alias.type ? docs_.Type(*alias.type) : Text("")}));
      break;
    }
    case ast::DeclKind::kUses: {
      const auto& uses = ast::Cast<ast::UsesDecl>(decl);
      std::string text = "uses ";
      for (size_t i = 0; i < uses.tools.size(); ++i) {
        const ast::ToolPattern& p = uses.tools[i];
        if (i > 0) text += ", ";
        text += ExprDocs::Name(p.server);
        if (p.wildcard) text += ".*";
        if (p.tool) text += "." + ExprDocs::Name(*p.tool);
      }
      EmitLine(indent, text);
      break;
    }
    case ast::DeclKind::kWorkflow:
      Workflow(ast::Cast<ast::WorkflowDecl>(decl), indent);
      return;
    case ast::DeclKind::kAgent:
      Agent(ast::Cast<ast::AgentDecl>(decl), indent);
      return;
    case ast::DeclKind::kTest: {
      const auto& test = ast::Cast<ast::TestDecl>(decl);
      BlockStmt(Text("test " + ExprDocs::Quote(test.name)), test.body, indent, test.body.span.end);
      return;
    }
  }
  last_end_ = decl.span.end;
  Trailing(decl.span.end);
}

std::string Layout::Run() {
  const ast::Decl* previous = nullptr;
  for (const ast::DeclPtr& decl : file_.declarations) {
    bool blank = previous && !(IsHeaderLike(previous->kind()) && IsHeaderLike(decl->kind()) &&
                               previous->kind() == decl->kind());
    Decl(*decl, 0, blank);
    previous = decl.get();
  }
  // Comments after the last declaration.
  while (next_comment_ < file_.comments.size()) {
    uint32_t at = file_.comments[next_comment_].span.begin;
    Leading(at, at + 1, 0, false);
  }
  return out_;
}

}  // namespace

std::string FormatFile(const ast::File& file, const SourceFile& source, const FormatOptions& options) {
  return Layout(file, source, options).Run();
}

}  // namespace orch::compiler::format
