// CST → AST. The CST's shape is fixed by grammar/grammar.hpp and the selection table in
// parser.cpp; each Lower* function documents the children it expects. Literal values are
// decoded here (numbers, durations, escapes), and the errors that need the whole literal
// (integer overflow, bad code point, interpolation where a plain string is required,
// operator chains too deep for later phases) are reported here.
#include "compiler/parse/lower.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "grammar/tokens.h"

namespace orch::compiler::parse {
namespace {

/// Operator chains (`a + b + …`) build left-deep trees; past this depth later phases'
/// recursion would be at risk, so the statement is rejected instead.
constexpr int kMaxAstDepth = 1000;

/// Thrown after reporting an error that makes the current statement unusable.
struct Abandon {};

class Lowerer {
 public:
  Lowerer(const CstTree& tree, const SourceFile& source, FileId file, DiagnosticSink& sink)
      : tree_(tree), text_(source.text()), file_(file), sink_(sink) {}

  ast::File LowerFile(const std::vector<std::pair<uint32_t, uint32_t>>& comment_offsets) {
    ast::File out;
    out.file = file_;
    out.span = Span{file_, 0, static_cast<uint32_t>(text_.size())};
    LowerComments(comment_offsets, out);
    for (uint32_t root : tree_.Roots()) {
      try {
        out.declarations.push_back(LowerDecl(root, out.comments));
      } catch (const Abandon&) {
      }
    }
    return out;
  }

 private:
  // --- Helpers ----------------------------------------------------------------------------

  const CstNode& Node(uint32_t i) const { return tree_.nodes[i]; }
  Cst Id(uint32_t i) const { return tree_.nodes[i].id; }
  Span SpanOf(uint32_t i) const { return Span{file_, Node(i).begin, Node(i).end}; }
  std::string_view Text(uint32_t i) const { return text_.substr(Node(i).begin, Node(i).end - Node(i).begin); }
  std::vector<uint32_t> Kids(uint32_t i) const { return tree_.Children(i); }

  /// Tracks recursion into nested nodes; chains add their length.
  struct Deeper {
    Lowerer& l;
    explicit Deeper(Lowerer& lowerer) : l(lowerer) { ++l.depth_; }
    ~Deeper() { --l.depth_; }
  };
  void CheckChain(size_t length, uint32_t at) {
    if (depth_ + static_cast<int>(length) > kMaxAstDepth) {
      sink_.Report(DiagKind::kNestingTooDeep, SpanOf(at), {std::to_string(kMaxAstDepth)})
          .WithLabel(fmt::format("this chain has {} operators", length))
          .AddHelp("split the expression with `let` bindings");
      throw Abandon{};
    }
  }

  ast::Identifier LowerName(uint32_t i) const {
    ast::Identifier id;
    id.span = SpanOf(i);
    std::string_view t = Text(i);
    if (Id(i) == Cst::kQuotedName && t.size() >= 2) {
      id.name = std::string(t.substr(1, t.size() - 2));
      id.quoted = true;
    } else {
      id.name = std::string(t);
    }
    return id;
  }
  bool IsName(uint32_t i) const { return Id(i) == Cst::kPlainName || Id(i) == Cst::kQuotedName; }

  // --- Comments --------------------------------------------------------------------------

  void LowerComments(const std::vector<std::pair<uint32_t, uint32_t>>& offsets, ast::File& out) {
    for (auto [begin, end] : offsets) {
      ast::Comment c;
      std::string_view t = text_.substr(begin, end - begin);
      while (!t.empty() && t.back() == '\r') t.remove_suffix(1);
      c.text = std::string(t);
      c.span = Span{file_, begin, begin + static_cast<uint32_t>(t.size())};
      if (begin == 0 && t.substr(0, 2) == "#!") {
        c.kind = ast::Comment::Kind::kShebang;
      } else if (t.substr(0, 2) == "##") {
        c.kind = ast::Comment::Kind::kDoc;
      }
      uint32_t p = begin;
      while (p > 0 && text_[p - 1] != '\n') {
        --p;
        if (text_[p] != ' ' && text_[p] != '\t') {
          c.trailing = true;
          break;
        }
      }
      out.comments.push_back(std::move(c));
    }
  }

  /// True when only blanks and exactly one line break separate [from, to).
  bool DirectlyAbove(uint32_t from, uint32_t to) const {
    int newlines = 0;
    for (uint32_t p = from; p < to; ++p) {
      char c = text_[p];
      if (c == '\n') {
        ++newlines;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return newlines == 1;
  }

  /// The `##` block directly above offset `begin`, if any.
  std::optional<ast::DocComment> DocFor(uint32_t begin, const std::vector<ast::Comment>& comments) const {
    auto it = std::lower_bound(comments.begin(), comments.end(), begin,
                               [](const ast::Comment& c, uint32_t b) { return c.span.begin < b; });
    size_t last = static_cast<size_t>(it - comments.begin());
    size_t first = last;
    uint32_t next = begin;
    while (first > 0) {
      const ast::Comment& c = comments[first - 1];
      if (c.kind != ast::Comment::Kind::kDoc || c.trailing || !DirectlyAbove(c.span.end, next)) break;
      next = c.span.begin;
      --first;
    }
    if (first == last) return std::nullopt;
    ast::DocComment doc;
    doc.span = Span{file_, comments[first].span.begin, comments[last - 1].span.end};
    for (size_t i = first; i < last; ++i) {
      std::string_view line = comments[i].text;
      line.remove_prefix(2);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (i > first) doc.text += '\n';
      doc.text += line;
    }
    return doc;
  }

  // --- Declarations ----------------------------------------------------------------------

  ast::DeclPtr LowerDecl(uint32_t i, const std::vector<ast::Comment>& comments) {
    ast::DeclPtr decl = LowerDeclBody(i, comments);
    decl->doc = DocFor(Node(i).begin, comments);
    return decl;
  }

  ast::DeclPtr LowerDeclBody(uint32_t i, const std::vector<ast::Comment>& comments) {
    auto kids = Kids(i);
    Span span = SpanOf(i);
    switch (Id(i)) {
      case Cst::kUse: {  // [name, string?]
        auto d = std::make_unique<ast::UseDecl>(span);
        d->name = LowerName(kids[0]);
        if (kids.size() > 1) {
          d->has_alias = true;
          d->server = PlainString(kids[1], "a server name");
          d->server_span = SpanOf(kids[1]);
        } else {
          d->server = d->name.name;
        }
        return d;
      }
      case Cst::kServer: {  // [name, transport name, call args]
        auto d = std::make_unique<ast::ServerDecl>(span);
        d->name = LowerName(kids[0]);
        d->transport = LowerName(kids[1]);
        d->args = LowerArgs(kids[2]);
        return d;
      }
      case Cst::kImport: {  // [string]
        auto d = std::make_unique<ast::ImportDecl>(span);
        d->path = PlainString(kids[0], "an import path");
        d->path_span = SpanOf(kids[0]);
        return d;
      }
      case Cst::kTypeDecl: {  // [name, type]
        auto d = std::make_unique<ast::TypeAliasDecl>(span);
        d->name = LowerName(kids[0]);
        d->type = LowerType(kids[1]);
        return d;
      }
      case Cst::kWorkflow:
        return LowerWorkflow(i);
      case Cst::kAgent: {  // [name, (uses | workflow)*]
        auto d = std::make_unique<ast::AgentDecl>(span);
        d->name = LowerName(kids[0]);
        for (size_t k = 1; k < kids.size(); ++k) {
          try {
            d->members.push_back(LowerDecl(kids[k], comments));
          } catch (const Abandon&) {
          }
        }
        return d;
      }
      case Cst::kUses: {  // [tool_pattern+]
        auto d = std::make_unique<ast::UsesDecl>(span);
        for (uint32_t k : kids) {
          auto parts = Kids(k);  // [server, (wildcard | tool)?]
          ast::ToolPattern pattern;
          pattern.server = LowerName(parts[0]);
          pattern.span = SpanOf(k);
          if (parts.size() > 1) {
            if (Id(parts[1]) == Cst::kToolWildcard) {
              pattern.wildcard = true;
            } else {
              pattern.tool = LowerName(parts[1]);
            }
          }
          d->tools.push_back(std::move(pattern));
        }
        return d;
      }
      case Cst::kTest: {  // [string, block]
        auto d = std::make_unique<ast::TestDecl>(span);
        d->name = PlainString(kids[0], "a test name");
        d->name_span = SpanOf(kids[0]);
        d->body = LowerBlock(kids[1]);
        return d;
      }
      default:
        throw Abandon{};
    }
  }

  ast::DeclPtr LowerWorkflow(uint32_t i) {  // [name, params, return_type?, block]
    auto kids = Kids(i);
    auto d = std::make_unique<ast::WorkflowDecl>(SpanOf(i));
    d->name = LowerName(kids[0]);
    for (uint32_t p : Kids(kids[1])) {  // param: [name, type, param_default?]
      auto parts = Kids(p);
      ast::Param param;
      param.name = LowerName(parts[0]);
      param.type = LowerType(parts[1]);
      if (parts.size() > 2) param.default_value = LowerExpr(Kids(parts[2])[0]);
      param.span = SpanOf(p);
      d->params.push_back(std::move(param));
    }
    size_t next = 2;
    if (Id(kids[next]) == Cst::kReturnType) d->return_type = LowerType(Kids(kids[next++])[0]);
    d->body = LowerBlock(kids[next]);
    return d;
  }

  // --- Statements --------------------------------------------------------------------------

  ast::Block LowerBlock(uint32_t i) {
    Deeper deeper(*this);
    ast::Block block;
    block.span = SpanOf(i);
    for (uint32_t k : Kids(i)) {
      try {
        block.statements.push_back(LowerStmt(k));
      } catch (const Abandon&) {
      }
    }
    return block;
  }

  ast::StmtPtr LowerStmt(uint32_t i) {
    auto kids = Kids(i);
    Span span = SpanOf(i);
    switch (Id(i)) {
      case Cst::kLet: {  // [name, binding_type?, expr]
        auto s = std::make_unique<ast::LetStmt>(span);
        s->name = LowerName(kids[0]);
        size_t next = 1;
        if (Id(kids[next]) == Cst::kBindingType) s->type = LowerType(Kids(kids[next++])[0]);
        s->value = LowerExpr(kids[next]);
        return s;
      }
      case Cst::kVar: {  // [name, binding_type?, expr?]
        auto s = std::make_unique<ast::VarStmt>(span);
        s->name = LowerName(kids[0]);
        size_t next = 1;
        if (next < kids.size() && Id(kids[next]) == Cst::kBindingType) s->type = LowerType(Kids(kids[next++])[0]);
        if (next < kids.size()) s->value = LowerExpr(kids[next]);
        if (!s->type && !s->value) {
          sink_.Report(DiagKind::kVarNeedsTypeOrValue, span, {s->name.name})
              .AddHelp(fmt::format("write `var {0}: Type` or `var {0} = value`", s->name.name));
        }
        return s;
      }
      case Cst::kIf:
        return LowerIf(i);
      case Cst::kFor: {  // [name, expr, for_parallel?, block]
        auto s = std::make_unique<ast::ForStmt>(span);
        s->variable = LowerName(kids[0]);
        s->iterable = LowerExpr(kids[1]);
        size_t next = 2;
        if (Id(kids[next]) == Cst::kForParallel) {
          s->parallel = true;
          s->parallel_span = SpanOf(kids[next]);
          auto options = Kids(kids[next]);
          if (!options.empty()) s->parallel_options = LowerArgs(options[0]);
          ++next;
        }
        s->body = LowerBlock(kids[next]);
        return s;
      }
      case Cst::kParallel: {  // [block]
        auto s = std::make_unique<ast::ParallelStmt>(span);
        s->body = LowerBlock(kids[0]);
        return s;
      }
      case Cst::kTry: {  // [block, catch_name?, block]
        auto s = std::make_unique<ast::TryStmt>(span);
        s->body = LowerBlock(kids[0]);
        size_t next = 1;
        if (Id(kids[next]) == Cst::kCatchName) s->error_name = LowerName(Kids(kids[next++])[0]);
        s->catch_body = LowerBlock(kids[next]);
        // `catch` is the first word after the try block.
        uint32_t c = Node(kids[0]).end;
        while (c < text_.size() && text_.substr(c, 5) != "catch") ++c;
        s->catch_span = Span{file_, c, Node(kids[next]).end};
        return s;
      }
      case Cst::kReturn:  // [expr?]
        return std::make_unique<ast::ReturnStmt>(span, kids.empty() ? nullptr : LowerExpr(kids[0]));
      case Cst::kFail:  // [expr]
        return std::make_unique<ast::FailStmt>(span, LowerExpr(kids[0]));
      case Cst::kLog:  // [expr]
        return std::make_unique<ast::LogStmt>(span, LowerExpr(kids[0]));
      case Cst::kAssert:  // [expr, expr?]
        return std::make_unique<ast::AssertStmt>(span, LowerExpr(kids[0]),
                                                 kids.size() > 1 ? LowerExpr(kids[1]) : nullptr);
      case Cst::kMock: {  // [mock_target: name+, call_args?, expr]
        ast::ExprPtr target;
        for (uint32_t part : Kids(kids[0])) {
          ast::Identifier name = LowerName(part);
          if (!target) {
            Span s = name.span;
            target = std::make_unique<ast::NameExpr>(s, std::move(name));
          } else {
            Span s = target->span.To(name.span);
            target = std::make_unique<ast::MemberExpr>(s, std::move(target), std::move(name), false);
          }
        }
        bool has_pattern = kids.size() > 2 && Id(kids[1]) == Cst::kCallArgs;
        auto mock = std::make_unique<ast::MockStmt>(span, std::move(target), LowerExpr(kids[has_pattern ? 2 : 1]));
        if (has_pattern) {
          mock->has_pattern = true;
          mock->pattern = LowerArgs(kids[1]);
        }
        return mock;
      }
      case Cst::kExpressionStmt: {  // [expr, assignment?]
        ast::ExprPtr expr = LowerExpr(kids[0]);
        if (kids.size() == 1) return std::make_unique<ast::ExprStmt>(span, std::move(expr));
        auto kind = expr->kind();
        if (kind != ast::ExprKind::kName && kind != ast::ExprKind::kMember && kind != ast::ExprKind::kIndex) {
          std::string what = kind == ast::ExprKind::kCall ? "a call" : "this expression";
          sink_.Report(DiagKind::kNotAssignable, expr->span, {what})
              .WithLabel("not a variable, field or element")
              .AddHelp("to bind a new name, write `let name = value`");
          throw Abandon{};
        }
        return std::make_unique<ast::AssignStmt>(span, std::move(expr), LowerExpr(Kids(kids[1])[0]));
      }
      default:
        throw Abandon{};
    }
  }

  std::unique_ptr<ast::IfStmt> LowerIf(uint32_t i) {  // [expr, block, (if | block)?]
    auto kids = Kids(i);
    auto s = std::make_unique<ast::IfStmt>(SpanOf(i));
    s->condition = LowerExpr(kids[0]);
    s->then_body = LowerBlock(kids[1]);
    if (kids.size() > 2) {
      if (Id(kids[2]) == Cst::kIf) {
        Deeper deeper(*this);
        s->else_if = LowerIf(kids[2]);
      } else {
        s->else_body = LowerBlock(kids[2]);
      }
    }
    return s;
  }

  // --- Expressions -------------------------------------------------------------------------

  std::vector<ast::Argument> LowerArgs(uint32_t i) {  // call_args: [named | positional]*
    std::vector<ast::Argument> args;
    for (uint32_t k : Kids(i)) {
      auto parts = Kids(k);
      ast::Argument arg;
      arg.span = SpanOf(k);
      if (Id(k) == Cst::kNamedArgument) {  // [name, expr]
        arg.name = LowerName(parts[0]);
        arg.value = LowerExpr(parts[1]);
      } else {  // [expr]
        arg.value = LowerExpr(parts[0]);
      }
      args.push_back(std::move(arg));
    }
    return args;
  }

  std::vector<ast::FieldInit> LowerFields(uint32_t i) {  // record_field: [key, expr?]
    std::vector<ast::FieldInit> fields;
    for (uint32_t k : Kids(i)) {
      auto parts = Kids(k);
      ast::FieldInit field;
      field.span = SpanOf(k);
      if (Id(parts[0]) == Cst::kString) {
        field.key.name = PlainString(parts[0], "a record key");
        field.key.span = SpanOf(parts[0]);
        field.string_key = true;
      } else {
        field.key = LowerName(parts[0]);
      }
      if (parts.size() > 1) {
        field.value = LowerExpr(parts[1]);
      } else {
        field.shorthand = true;
        field.value = std::make_unique<ast::NameExpr>(field.key.span, field.key);
      }
      fields.push_back(std::move(field));
    }
    return fields;
  }

  static std::optional<ast::BinaryOp> BinaryOpFor(std::string_view spelling) {
#define ORCH_BINARY_OP(Name, Spelling, Precedence) \
  if (spelling == Spelling) return ast::BinaryOp::k##Name;
#include "grammar/tokens.def"
    return std::nullopt;
  }

  ast::ExprPtr LowerExpr(uint32_t i) {
    Deeper deeper(*this);
    if (depth_ > kMaxAstDepth) CheckChain(0, i);
    auto kids = Kids(i);
    Span span = SpanOf(i);
    switch (Id(i)) {
      case Cst::kNumber:
        return LowerNumber(i);
      case Cst::kString:
        return LowerString(i);
      case Cst::kTrue:
        return std::make_unique<ast::BoolExpr>(span, true);
      case Cst::kFalse:
        return std::make_unique<ast::BoolExpr>(span, false);
      case Cst::kNull:
        return std::make_unique<ast::NullExpr>(span);
      case Cst::kPlainName:
      case Cst::kQuotedName:
        return std::make_unique<ast::NameExpr>(span, LowerName(i));
      case Cst::kList: {
        auto e = std::make_unique<ast::ListExpr>(span);
        for (uint32_t k : kids) e->elements.push_back(LowerExpr(k));
        return e;
      }
      case Cst::kRecord: {
        auto e = std::make_unique<ast::RecordExpr>(span);
        e->fields = LowerFields(i);
        return e;
      }
      case Cst::kPostfix:
        return LowerPostfix(kids);
      case Cst::kNegate: {  // [op, operand]
        auto e = std::make_unique<ast::UnaryExpr>(span, ast::UnaryOp::kNeg, LowerExpr(kids[1]));
        e->op_span = SpanOf(kids[0]);
        return e;
      }
      case Cst::kNot: {  // [op, operand]
        auto e = std::make_unique<ast::UnaryExpr>(span, ast::UnaryOp::kNot, LowerExpr(kids[1]));
        e->op_span = SpanOf(kids[0]);
        return e;
      }
      case Cst::kMultiplicative:
      case Cst::kAdditive:
      case Cst::kComparison:
      case Cst::kAnd:
      case Cst::kOr:
      case Cst::kCoalesce: {  // [operand, (op, operand)*]
        CheckChain(kids.size() / 2, kids.size() > 1 ? kids[1] : i);
        ast::ExprPtr lhs = LowerExpr(kids[0]);
        for (size_t k = 1; k + 1 < kids.size(); k += 2) {
          ast::ExprPtr rhs = LowerExpr(kids[k + 1]);
          Span s = lhs->span.To(rhs->span);
          auto op = BinaryOpFor(Text(kids[k]));
          auto e = std::make_unique<ast::BinaryExpr>(s, op.value_or(ast::BinaryOp::kEq), std::move(lhs), std::move(rhs));
          e->op_span = SpanOf(kids[k]);
          lhs = std::move(e);
        }
        return lhs;
      }
      case Cst::kPipeline: {  // [input, (pipe, stage)*]
        CheckChain(kids.size() / 2, kids.size() > 1 ? kids[1] : i);
        ast::ExprPtr lhs = LowerExpr(kids[0]);
        for (size_t k = 1; k + 1 < kids.size(); k += 2) {
          ast::ExprPtr stage = LowerExpr(kids[k + 1]);
          Span s = lhs->span.To(stage->span);
          auto e = std::make_unique<ast::PipelineExpr>(s, std::move(lhs), std::move(stage));
          e->op_span = SpanOf(kids[k]);
          lhs = std::move(e);
        }
        return lhs;
      }
      case Cst::kLambda: {  // [(params_parenthesized | name), body]
        auto e = std::make_unique<ast::LambdaExpr>(span);
        if (Id(kids[0]) == Cst::kLambdaParamsParenthesized) {
          e->parenthesized = true;
          for (uint32_t p : Kids(kids[0])) {  // lambda_param: [name, type?]
            auto parts = Kids(p);
            ast::LambdaParam param;
            param.name = LowerName(parts[0]);
            if (parts.size() > 1) param.type = LowerType(parts[1]);
            e->params.push_back(std::move(param));
          }
        } else {
          e->params.push_back(ast::LambdaParam{LowerName(kids[0]), nullptr});
        }
        e->body = LowerExpr(kids.back());
        return e;
      }
      case Cst::kConditional:  // [test, then, else]
        return std::make_unique<ast::ConditionalExpr>(span, LowerExpr(kids[0]), LowerExpr(kids[1]), LowerExpr(kids[2]));
      default:
        throw Abandon{};
    }
  }

  ast::ExprPtr LowerPostfix(const std::vector<uint32_t>& kids) {  // [primary, op*]
    CheckChain(kids.size() - 1, kids[0]);
    ast::ExprPtr e = LowerExpr(kids[0]);
    for (size_t k = 1; k < kids.size(); ++k) {
      uint32_t op = kids[k];
      Span s = e->span.To(SpanOf(op));
      switch (Id(op)) {
        case Cst::kMember:
          e = std::make_unique<ast::MemberExpr>(s, std::move(e), LowerName(Kids(op)[0]), false);
          break;
        case Cst::kOptionalField:
          e = std::make_unique<ast::MemberExpr>(s, std::move(e), LowerName(Kids(op)[0]), true);
          break;
        case Cst::kIndex:
          e = std::make_unique<ast::IndexExpr>(s, std::move(e), LowerExpr(Kids(op)[0]), false);
          break;
        case Cst::kOptionalIndex:
          e = std::make_unique<ast::IndexExpr>(s, std::move(e), LowerExpr(Kids(op)[0]), true);
          break;
        case Cst::kCallArgs: {
          auto call = std::make_unique<ast::CallExpr>(s, std::move(e));
          call->args = LowerArgs(op);
          call->args_span = SpanOf(op);
          e = std::move(call);
          break;
        }
        case Cst::kWith: {
          auto with = std::make_unique<ast::WithExpr>(s, std::move(e));
          with->policies = LowerFields(op);
          with->policies_span = SpanOf(op);
          e = std::move(with);
          break;
        }
        default:
          throw Abandon{};
      }
    }
    return e;
  }

  ast::ExprPtr LowerNumber(uint32_t i) {
    std::string_view t = Text(i);
    Span span = SpanOf(i);
    size_t n = 0;
    bool real = false;
    while (n < t.size() && t[n] >= '0' && t[n] <= '9') ++n;
    if (n < t.size() && t[n] == '.') {
      real = true;
      for (++n; n < t.size() && t[n] >= '0' && t[n] <= '9';) ++n;
    }
    if (n < t.size() && (t[n] == 'e' || t[n] == 'E')) {
      real = true;
      ++n;
      if (n < t.size() && (t[n] == '+' || t[n] == '-')) ++n;
      while (n < t.size() && t[n] >= '0' && t[n] <= '9') ++n;
    }
    std::string_view digits = t.substr(0, n);
    std::string_view unit = t.substr(n);
    if (!unit.empty() || real) {
      double value = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || !std::isfinite(value)) {
        sink_.Report(DiagKind::kNumberOutOfRange, span, {std::string(t)});
        value = 0;
      }
      if (!unit.empty()) {
        ast::DurationUnit u = ast::DurationUnit::kMilliseconds;
#define ORCH_DURATION_UNIT(Name, Suffix, Milliseconds) \
  if (unit == Suffix) u = ast::DurationUnit::k##Name;
#include "grammar/tokens.def"
        return std::make_unique<ast::DurationExpr>(span, value, u);
      }
      return std::make_unique<ast::NumberExpr>(span, value);
    }
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc()) {
      sink_.Report(DiagKind::kIntegerTooLarge, span, {std::string(t)})
          .AddHelp("the largest integer is 9223372036854775807");
      value = 0;
    }
    return std::make_unique<ast::IntExpr>(span, value);
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  /// Decoded text of one escape node (`\n`, `\u{1F600}`, …).
  std::string DecodeEscape(uint32_t i) {
    std::string_view t = Text(i);
    switch (t.size() > 1 ? t[1] : '\\') {
      case 'n':
        return "\n";
      case 't':
        return "\t";
      case 'r':
        return "\r";
      case 'u': {
        std::string_view hex = t.substr(3, t.size() - 4);  // \u{ … }
        uint32_t cp = 0;
        std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          sink_.Report(DiagKind::kNotACodePoint, SpanOf(i), {std::string(hex)});
          return "\xEF\xBF\xBD";  // U+FFFD keeps the string usable for later phases
        }
        std::string out;
        AppendUtf8(out, cp);
        return out;
      }
      default:
        return std::string(t.substr(1, 1));  // \" \\ \$
    }
  }

  ast::ExprPtr LowerString(uint32_t i) {
    auto e = std::make_unique<ast::StringExpr>(SpanOf(i));
    for (uint32_t k : Kids(i)) {
      if (Id(k) == Cst::kInterpolation) {
        ast::StringPart part;
        part.kind = ast::StringPart::Kind::kInterpolation;
        part.expr = LowerExpr(Kids(k)[0]);
        part.span = SpanOf(k);
        e->parts.push_back(std::move(part));
        continue;
      }
      std::string decoded = Id(k) == Cst::kEscape ? DecodeEscape(k) : std::string(Text(k));
      if (!e->parts.empty() && e->parts.back().kind == ast::StringPart::Kind::kText) {
        e->parts.back().text += decoded;
        e->parts.back().span.end = Node(k).end;
      } else {
        ast::StringPart part;
        part.text = std::move(decoded);
        part.span = SpanOf(k);
        e->parts.push_back(std::move(part));
      }
    }
    return e;
  }

  /// The value of a string node that must not interpolate (reports E0108 if it does).
  std::string PlainString(uint32_t i, std::string_view what) {
    auto e = LowerString(i);
    auto& s = static_cast<ast::StringExpr&>(*e);
    if (auto value = s.PlainValue()) return *value;
    sink_.Report(DiagKind::kInterpolationNotAllowed, SpanOf(i), {std::string(what)})
        .AddHelp("write the value out, or escape the dollar sign as `\\$`");
    std::string text;
    for (const auto& part : s.parts) text += part.text;
    return text;
  }

  // --- Types ---------------------------------------------------------------------------------

  ast::TypePtr LowerType(uint32_t i) {
    Deeper deeper(*this);
    if (depth_ > kMaxAstDepth) CheckChain(0, i);
    auto kids = Kids(i);
    Span span = SpanOf(i);
    switch (Id(i)) {
      case Cst::kPlainName:
      case Cst::kQuotedName: {
        ast::Identifier name = LowerName(i);
        if (!name.quoted) {
#define ORCH_TYPE_NAME(Name, Spelling) \
  if (name.name == Spelling) return std::make_unique<ast::PrimitiveType>(span, ast::PrimitiveKind::k##Name);
#include "grammar/tokens.def"
        }
        return std::make_unique<ast::NamedType>(span, std::move(name));
      }
      case Cst::kNullType:
        return std::make_unique<ast::PrimitiveType>(span, ast::PrimitiveKind::kNull);
      case Cst::kString:
        return std::make_unique<ast::LiteralType>(span, PlainString(i, "a string literal type"));
      case Cst::kListType:
        return std::make_unique<ast::ListType>(span, LowerType(kids[0]));
      case Cst::kMapType: {
        std::string_view t = Text(i);
        uint32_t key_at = Node(i).begin + static_cast<uint32_t>(t.find("string"));
        auto key = std::make_unique<ast::PrimitiveType>(Span{file_, key_at, key_at + 6}, ast::PrimitiveKind::kString);
        return std::make_unique<ast::MapType>(span, std::move(key), LowerType(kids[0]));
      }
      case Cst::kRecordType: {  // [field_type*]: [name | string, optional?, type]
        auto r = std::make_unique<ast::RecordType>(span);
        for (uint32_t k : kids) {
          auto parts = Kids(k);
          ast::FieldType field;
          if (Id(parts[0]) == Cst::kString) {
            field.name.name = PlainString(parts[0], "a record key");
            field.name.span = SpanOf(parts[0]);
            field.string_key = true;
          } else {
            field.name = LowerName(parts[0]);
          }
          field.optional = parts.size() > 2 && Id(parts[1]) == Cst::kFieldTypeOptional;
          field.type = LowerType(parts.back());
          field.span = SpanOf(k);
          r->fields.push_back(std::move(field));
        }
        return r;
      }
      case Cst::kOptionalType: {  // [type, mark+]
        ast::TypePtr inner = LowerType(kids[0]);
        for (size_t k = 1; k < kids.size(); ++k) {
          Span s = inner->span.To(SpanOf(kids[k]));
          inner = std::make_unique<ast::OptionalType>(s, std::move(inner));
        }
        return inner;
      }
      case Cst::kUnionType: {  // [type, type+]
        auto u = std::make_unique<ast::UnionType>(span);
        for (uint32_t k : kids) {
          ast::TypePtr member = LowerType(k);
          if (auto* nested = ast::DynCast<ast::UnionType>(member.get())) {
            for (auto& m : nested->members) u->members.push_back(std::move(m));
          } else {
            u->members.push_back(std::move(member));
          }
        }
        return u;
      }
      default:
        throw Abandon{};
    }
  }

  const CstTree& tree_;
  std::string_view text_;
  FileId file_;
  DiagnosticSink& sink_;
  int depth_ = 0;
};

}  // namespace

ast::File Lower(const CstTree& tree, const SourceFile& source, FileId file,
                const std::vector<std::pair<uint32_t, uint32_t>>& comments, DiagnosticSink& sink) {
  return Lowerer(tree, source, file, sink).LowerFile(comments);
}

}  // namespace orch::compiler::parse
