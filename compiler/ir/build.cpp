// IR builder: AST → ir::Module. One Builder per program; registers are allocated per
// workflow as bindings and temporaries appear; scopes exist only while building.
#include "compiler/ir/build.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "runtime/value/json.h"

namespace orch::ir {
namespace {

namespace ast = compiler::ast;
using compiler::DiagKind;
using compiler::Span;

const std::set<std::string, std::less<>>& BuiltinNames() {
  static const std::set<std::string, std::less<>> names = {
#define ORCH_BUILTIN(Name, Spelling, Signature) Spelling,
#include "grammar/builtins.def"
  };
  return names;
}

/// Built-ins of `test` blocks: `text` and `error` are ordinary functions; `calls` and
/// `call_args` read the test's call log (Op::kCallLog).
const std::set<std::string, std::less<>>& TestBuiltinNames() {
  static const std::set<std::string, std::less<>> names = {
#define ORCH_TEST_BUILTIN(Name, Spelling, Signature) Spelling,
#include "grammar/builtins.def"
  };
  return names;
}

/// The operator of a comparison, for assertion messages; empty for anything else.
std::string_view ComparisonSpelling(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kEq: return "==";
    case ast::BinaryOp::kNe: return "!=";
    case ast::BinaryOp::kLt: return "<";
    case ast::BinaryOp::kLe: return "<=";
    case ast::BinaryOp::kGt: return ">";
    case ast::BinaryOp::kGe: return ">=";
    case ast::BinaryOp::kIn: return "in";
    default: return "";
  }
}

/// Source-like text of a type expression, for parameter types in messages and dumps.
std::string TypeText(const ast::TypeExpr* type) {
  if (!type) return "any";
  return ast::Visit(*type, [](const auto& t) -> std::string {
    using T = std::decay_t<decltype(t)>;
    if constexpr (std::is_same_v<T, ast::PrimitiveType>) {
      return std::string(ast::Spelling(t.primitive));
    } else if constexpr (std::is_same_v<T, ast::NamedType>) {
      return t.name.name;
    } else if constexpr (std::is_same_v<T, ast::ListType>) {
      return "[" + TypeText(t.element.get()) + "]";
    } else if constexpr (std::is_same_v<T, ast::RecordType>) {
      std::string s = "{";
      for (size_t i = 0; i < t.fields.size(); ++i) {
        if (i) s += ", ";
        s += t.fields[i].name.name + (t.fields[i].optional ? "?: " : ": ") + TypeText(t.fields[i].type.get());
      }
      return s + "}";
    } else if constexpr (std::is_same_v<T, ast::MapType>) {
      return "{[string]: " + TypeText(t.value.get()) + "}";
    } else if constexpr (std::is_same_v<T, ast::OptionalType>) {
      return TypeText(t.inner.get()) + "?";
    } else if constexpr (std::is_same_v<T, ast::UnionType>) {
      std::string s;
      for (size_t i = 0; i < t.members.size(); ++i) s += (i ? " | " : "") + TypeText(t.members[i].get());
      return s;
    } else {
      return fmt::format("\"{}\"", t.value);
    }
  });
}

TypeTag TagOfValue(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return TypeTag::kNull;
    case Value::Kind::kBool: return TypeTag::kBool;
    case Value::Kind::kInt: return TypeTag::kInt;
    case Value::Kind::kNumber: return TypeTag::kNumber;
    case Value::Kind::kString: return TypeTag::kString;
    case Value::Kind::kList: return TypeTag::kList;
    case Value::Kind::kRecord: return TypeTag::kRecord;
  }
  return TypeTag::kAny;
}

class Builder {
 public:
  explicit Builder(compiler::DiagnosticSink& sink) : sink_(sink) {}

  std::optional<Module> Build(const std::vector<const ast::File*>& files) {
    // Pass 1: names of everything callable or usable, so bodies may refer forward.
    for (const ast::File* file : files) {
      for (const ast::DeclPtr& decl : file->declarations) Declare(*decl);
    }
    // Pass 2: bodies.
    for (const ast::File* file : files) {
      for (const ast::DeclPtr& decl : file->declarations) {
        if (const auto* w = ast::DynCast<ast::WorkflowDecl>(decl.get())) {
          BuildWorkflow(*w, w->name.name);
        } else if (const auto* a = ast::DynCast<ast::AgentDecl>(decl.get())) {
          for (const ast::WorkflowDecl* w : a->Workflows()) BuildWorkflow(*w, a->name.name + "." + w->name.name);
        } else if (const auto* t = ast::DynCast<ast::TestDecl>(decl.get())) {
          BuildTest(*t);
        }
      }
    }
    if (failed_) return std::nullopt;
    for (Function& fn : module_.functions) {
      NumberInstructions(fn);
      MarkOverlappableCalls(fn);
    }
    return std::move(module_);
  }

 private:
  // --- declarations ------------------------------------------------------------------------

  void Declare(const ast::Decl& decl) {
    if (const auto* u = ast::DynCast<ast::UseDecl>(&decl)) {
      AddServer(u->name.name, u->server);
    } else if (const auto* s = ast::DynCast<ast::ServerDecl>(&decl)) {
      uint32_t index = AddServer(s->name.name, s->name.name);
      Server& server = module_.servers[index];
      server.transport = s->transport.name;
      for (const ast::Argument& arg : s->args) {
        std::optional<Value> v = ConstantOf(*arg.value);
        if (!v) {
          Report(arg.span, "the arguments of a `server` declaration must be literal values");
          continue;
        }
        server.transport_args.push_back(std::move(*v));
      }
    } else if (const auto* t = ast::DynCast<ast::TypeAliasDecl>(&decl)) {
      aliases_[t->name.name] = t;
    } else if (const auto* w = ast::DynCast<ast::WorkflowDecl>(&decl)) {
      DeclareWorkflow(*w, w->name.name, kNone);
    } else if (const auto* a = ast::DynCast<ast::AgentDecl>(&decl)) {
      uint32_t agent_index = static_cast<uint32_t>(module_.agents.size());
      Agent agent;
      agent.name = a->name.name;
      for (const ast::ToolPattern* p : a->Uses()) {
        ToolPattern pattern;
        pattern.server = ServerIndex(p->server.name, p->server.span);
        if (p->tool && !p->wildcard) pattern.tool = p->tool->name;
        agent.uses.push_back(std::move(pattern));
      }
      module_.agents.push_back(std::move(agent));
      agents_[a->name.name] = agent_index;
      for (const ast::WorkflowDecl* w : a->Workflows()) DeclareWorkflow(*w, a->name.name + "." + w->name.name, agent_index);
    }
  }

  uint32_t AddServer(const std::string& alias, const std::string& config_name) {
    auto it = servers_.find(alias);
    if (it != servers_.end()) return it->second;
    uint32_t index = static_cast<uint32_t>(module_.servers.size());
    module_.servers.push_back(Server{alias, config_name, "", {}});
    servers_[alias] = index;
    return index;
  }

  /// The server an alias names; `std` is always available, even without `use std`.
  uint32_t ServerIndex(const std::string& alias, Span span) {
    auto it = servers_.find(alias);
    if (it != servers_.end()) return it->second;
    if (alias != "std") Report(span, fmt::format("`{}` is not a server this program uses (add `use {}`)", alias, alias));
    return AddServer(alias, alias);
  }

  bool IsServer(const std::string& name) const { return servers_.count(name) || name == "std"; }

  void DeclareWorkflow(const ast::WorkflowDecl& w, const std::string& name, uint32_t agent) {
    if (functions_.count(name)) return;  // duplicates are the resolver's to report
    functions_[name] = static_cast<uint32_t>(module_.functions.size());
    Function fn;
    fn.name = name;
    fn.agent = agent;
    fn.span = w.span;
    if (w.doc) fn.doc = w.doc->text;
    fn.return_type_text = w.return_type ? TypeText(w.return_type.get()) : "";
    for (const ast::Param& p : w.params) {
      Param param;
      param.name = p.name.name;
      param.reg = static_cast<Reg>(fn.params.size());
      param.type_text = TypeText(p.type.get());
      param.type = TagOf(p.type.get(), &param.nullable);
      param.has_default = p.default_value != nullptr;
      param.span = p.span;
      fn.regs.push_back(RegInfo{param.name, param.type});
      fn.params.push_back(std::move(param));
    }
    module_.functions.push_back(std::move(fn));
  }

  /// Coarse tag of a type expression; sets *nullable when null is accepted.
  TypeTag TagOf(const ast::TypeExpr* type, bool* nullable, int depth = 0) {
    if (!type || depth > 32) {
      if (nullable) *nullable = true;
      return TypeTag::kAny;
    }
    switch (type->kind()) {
      case ast::TypeKind::kPrimitive: {
        switch (ast::Cast<ast::PrimitiveType>(*type).primitive) {
          case ast::PrimitiveKind::kString: return TypeTag::kString;
          case ast::PrimitiveKind::kInt: return TypeTag::kInt;
          case ast::PrimitiveKind::kNumber: return TypeTag::kNumber;
          case ast::PrimitiveKind::kBool: return TypeTag::kBool;
          case ast::PrimitiveKind::kNull:
            if (nullable) *nullable = true;
            return TypeTag::kNull;
          case ast::PrimitiveKind::kAny:
            if (nullable) *nullable = true;
            return TypeTag::kAny;
        }
        return TypeTag::kAny;
      }
      case ast::TypeKind::kNamed: {
        auto it = aliases_.find(ast::Cast<ast::NamedType>(*type).name.name);
        if (it == aliases_.end()) return TypeTag::kAny;
        return TagOf(it->second->type.get(), nullable, depth + 1);
      }
      case ast::TypeKind::kList: return TypeTag::kList;
      case ast::TypeKind::kRecord:
      case ast::TypeKind::kMap: return TypeTag::kRecord;
      case ast::TypeKind::kOptional:
        if (nullable) *nullable = true;
        return TagOf(ast::Cast<ast::OptionalType>(*type).inner.get(), nullptr, depth + 1);
      case ast::TypeKind::kLiteral: return TypeTag::kString;
      case ast::TypeKind::kUnion: {
        const auto& u = ast::Cast<ast::UnionType>(*type);
        std::optional<TypeTag> common;
        bool mixed = false;
        for (const ast::TypePtr& m : u.members) {
          bool member_nullable = false;
          TypeTag tag = TagOf(m.get(), &member_nullable, depth + 1);
          if (member_nullable && nullable) *nullable = true;
          if (tag == TypeTag::kNull) continue;
          if (common && *common != tag) mixed = true;
          common = tag;
        }
        if (mixed || !common) return TypeTag::kAny;
        return *common;
      }
    }
    return TypeTag::kAny;
  }

  // --- workflows ---------------------------------------------------------------------------

  void BuildWorkflow(const ast::WorkflowDecl& w, const std::string& name) {
    fn_ = &module_.functions[functions_.at(name)];
    out_ = &fn_->body;
    scopes_.clear();
    scopes_.emplace_back();
    for (const Param& p : fn_->params) scopes_.back()[p.name] = p.reg;
    for (size_t i = 0; i < w.params.size() && i < fn_->params.size(); ++i) {
      if (!w.params[i].default_value) continue;
      Block block;
      Reg param = fn_->params[i].reg;
      InBlock(block, [&] {
        Reg v = Lower(*w.params[i].default_value);
        Emit(Op::kMove, w.params[i].default_value->span, param, {v});
      });
      Instr instr;
      instr.op = Op::kDefault;
      instr.dst = param;
      instr.span = w.params[i].span;
      instr.blocks.push_back(std::move(block));
      out_->instrs.push_back(std::move(instr));
    }
    LowerBlock(w.body);
    fn_ = nullptr;
    out_ = nullptr;
  }

  /// A `test` block becomes a parameterless function flagged is_test.
  void BuildTest(const ast::TestDecl& t) {
    Function test;
    test.name = t.name;
    test.is_test = true;
    test.span = t.span;
    module_.functions.push_back(std::move(test));
    fn_ = &module_.functions.back();
    out_ = &fn_->body;
    in_test_ = true;
    scopes_.clear();
    scopes_.emplace_back();
    LowerBlock(t.body);
    in_test_ = false;
    fn_ = nullptr;
    out_ = nullptr;
  }

  // --- helpers -----------------------------------------------------------------------------

  void Report(Span span, std::string what) {
    sink_.Report(DiagKind::kCannotLower, span, {std::move(what)});
    failed_ = true;
  }

  Reg NewReg(std::string name = "", TypeTag tag = TypeTag::kAny) {
    fn_->regs.push_back(RegInfo{std::move(name), tag});
    return static_cast<Reg>(fn_->regs.size() - 1);
  }

  Instr& Emit(Op op, Span span, Reg dst = kNoReg, std::vector<Reg> args = {}) {
    Instr instr;
    instr.op = op;
    instr.dst = dst;
    instr.args = std::move(args);
    instr.span = span;
    out_->instrs.push_back(std::move(instr));
    return out_->instrs.back();
  }

  Reg Const(Value v, Span span) {
    std::string key = std::string(1, static_cast<char>(v.kind())) + CanonicalJson(v);
    auto [it, inserted] = constant_index_.try_emplace(key, static_cast<uint32_t>(module_.constants.size()));
    if (inserted) module_.constants.push_back(v);
    Reg dst = NewReg("", TagOfValue(v));
    Emit(Op::kConst, span, dst).imm = it->second;
    return dst;
  }

  uint32_t BuiltinIndex(const std::string& name) {
    auto [it, inserted] = builtin_index_.try_emplace(name, static_cast<uint32_t>(module_.builtins.size()));
    if (inserted) module_.builtins.push_back(name);
    return it->second;
  }

  template <typename F>
  void InBlock(Block& block, F&& body) {
    Block* saved = out_;
    out_ = &block;
    body();
    out_ = saved;
  }

  std::optional<Reg> Lookup(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return found->second;
    }
    return std::nullopt;
  }

  void Bind(const std::string& name, Reg reg) {
    scopes_.back()[name] = reg;
    if (fn_->regs[reg].name.empty()) fn_->regs[reg].name = name;
  }

  /// The literal value of a constant expression (for `server` declarations).
  std::optional<Value> ConstantOf(const ast::Expr& e) {
    switch (e.kind()) {
      case ast::ExprKind::kInt: return Value(ast::Cast<ast::IntExpr>(e).value);
      case ast::ExprKind::kNumber: return Value(ast::Cast<ast::NumberExpr>(e).value);
      case ast::ExprKind::kBool: return Value(ast::Cast<ast::BoolExpr>(e).value);
      case ast::ExprKind::kNull: return Value();
      case ast::ExprKind::kString: {
        auto plain = ast::Cast<ast::StringExpr>(e).PlainValue();
        if (!plain) return std::nullopt;
        return Value(std::move(*plain));
      }
      case ast::ExprKind::kList: {
        List list;
        for (const ast::ExprPtr& el : ast::Cast<ast::ListExpr>(e).elements) {
          auto v = ConstantOf(*el);
          if (!v) return std::nullopt;
          list.push_back(std::move(*v));
        }
        return Value(std::move(list));
      }
      case ast::ExprKind::kRecord: {
        Record record;
        for (const ast::FieldInit& f : ast::Cast<ast::RecordExpr>(e).fields) {
          auto v = f.value ? ConstantOf(*f.value) : std::nullopt;
          if (!v) return std::nullopt;
          record.Set(f.key.name, std::move(*v));
        }
        return Value(std::move(record));
      }
      default: return std::nullopt;
    }
  }

  // --- statements --------------------------------------------------------------------------

  void LowerBlock(const ast::Block& block) {
    scopes_.emplace_back();
    for (const ast::StmtPtr& stmt : block.statements) LowerStmt(*stmt);
    scopes_.pop_back();
  }

  /// Binds `name` to the value in `value`: reuses a fresh temporary, copies anything else
  /// (so a later assignment to the source cannot change the binding).
  Reg BindValue(const std::string& name, Reg value, Reg first_new, Span span, TypeTag tag) {
    Reg reg = value;
    if (value < first_new || !fn_->regs[value].name.empty()) {
      reg = NewReg(name, tag);
      Emit(Op::kMove, span, reg, {value});
    }
    if (tag != TypeTag::kAny) fn_->regs[reg].type = tag;
    Bind(name, reg);
    return reg;
  }

  void LowerStmt(const ast::Stmt& stmt) {
    switch (stmt.kind()) {
      case ast::StmtKind::kLet: {
        const auto& s = ast::Cast<ast::LetStmt>(stmt);
        Reg first_new = static_cast<Reg>(fn_->regs.size());
        Reg v = Lower(*s.value);
        TypeTag tag = s.type ? TagOf(s.type.get(), nullptr) : fn_->regs[v].type;
        BindValue(s.name.name, v, first_new, s.span, tag);
        return;
      }
      case ast::StmtKind::kVar: {
        const auto& s = ast::Cast<ast::VarStmt>(stmt);
        Reg v = s.value ? Lower(*s.value) : Const(Value(), s.span);
        TypeTag tag = s.type ? TagOf(s.type.get(), nullptr) : TypeTag::kAny;
        // A var always gets its own register: it is written again later.
        Reg reg = NewReg(s.name.name, tag);
        Emit(Op::kMove, s.span, reg, {v});
        Bind(s.name.name, reg);
        return;
      }
      case ast::StmtKind::kAssign: {
        const auto& s = ast::Cast<ast::AssignStmt>(stmt);
        Reg v = Lower(*s.value);
        Assign(*s.target, v, s.span);
        return;
      }
      case ast::StmtKind::kIf: LowerIf(ast::Cast<ast::IfStmt>(stmt)); return;
      case ast::StmtKind::kFor: {
        const auto& s = ast::Cast<ast::ForStmt>(stmt);
        Reg iterable = Lower(*s.iterable);
        Reg limit = kNoReg;
        if (s.parallel) {
          for (const ast::Argument& opt : s.parallel_options) {
            if (opt.name && opt.name->name == "limit") {
              limit = Lower(*opt.value);
            } else {
              Report(opt.span, "`parallel(…)` takes only `limit: n`");
            }
          }
          if (limit == kNoReg) limit = Const(Value(), s.parallel_span);
        }
        Reg var = NewReg(s.variable.name);
        Block body;
        scopes_.emplace_back();
        Bind(s.variable.name, var);
        InBlock(body, [&] { LowerBlock(s.body); });
        scopes_.pop_back();
        Instr& instr = Emit(Op::kForEach, s.span, var, {iterable, limit});
        instr.blocks.push_back(std::move(body));
        return;
      }
      case ast::StmtKind::kParallel: {
        const auto& s = ast::Cast<ast::ParallelStmt>(stmt);
        std::vector<Block> branches;
        // Bindings of a branch are visible after the block: lower into the current scope.
        for (const ast::StmtPtr& branch : s.body.statements) {
          Block block;
          InBlock(block, [&] { LowerStmt(*branch); });
          branches.push_back(std::move(block));
        }
        Instr& instr = Emit(Op::kParallel, s.span);
        instr.blocks = std::move(branches);
        return;
      }
      case ast::StmtKind::kTry: {
        const auto& s = ast::Cast<ast::TryStmt>(stmt);
        Block body, handler;
        InBlock(body, [&] { LowerBlock(s.body); });
        Reg error = kNoReg;
        scopes_.emplace_back();
        if (s.error_name) {
          error = NewReg(s.error_name->name, TypeTag::kRecord);
          Bind(s.error_name->name, error);
        }
        InBlock(handler, [&] { LowerBlock(s.catch_body); });
        scopes_.pop_back();
        Instr& instr = Emit(Op::kTry, s.span, error);
        instr.blocks.push_back(std::move(body));
        instr.blocks.push_back(std::move(handler));
        return;
      }
      case ast::StmtKind::kReturn: {
        const auto& s = ast::Cast<ast::ReturnStmt>(stmt);
        if (s.value) {
          Reg v = Lower(*s.value);
          Emit(Op::kReturn, s.span, kNoReg, {v});
        } else {
          Emit(Op::kReturn, s.span);
        }
        return;
      }
      case ast::StmtKind::kFail: {
        const auto& s = ast::Cast<ast::FailStmt>(stmt);
        Reg v = Lower(*s.message);
        Emit(Op::kFail, s.span, kNoReg, {v});
        return;
      }
      case ast::StmtKind::kLog: {
        const auto& s = ast::Cast<ast::LogStmt>(stmt);
        Reg v = Lower(*s.message);
        Emit(Op::kLog, s.span, kNoReg, {v});
        return;
      }
      case ast::StmtKind::kAssert: {
        const auto& s = ast::Cast<ast::AssertStmt>(stmt);
        // `assert a == b`: keep both sides so a failure can show them.
        const auto* cmp = ast::DynCast<ast::BinaryExpr>(s.condition.get());
        if (cmp && !ComparisonSpelling(cmp->op).empty()) {
          Reg cond = LowerBinary(*cmp);
          const Instr& compared = out_->instrs.back();
          std::vector<Reg> args{cond, compared.args[0], compared.args[1]};
          if (s.message) args.push_back(Lower(*s.message));
          Emit(Op::kAssert, s.span, kNoReg, std::move(args)).names = {"compare", std::string(ComparisonSpelling(cmp->op))};
          return;
        }
        std::vector<Reg> args{Lower(*s.condition)};
        if (s.message) args.push_back(Lower(*s.message));
        Emit(Op::kAssert, s.span, kNoReg, std::move(args));
        return;
      }
      case ast::StmtKind::kMock:
        if (!in_test_) {
          Report(stmt.span, "`mock` belongs in a `test` block");
          return;
        }
        LowerMock(ast::Cast<ast::MockStmt>(stmt));
        return;
      case ast::StmtKind::kExpr: Lower(*ast::Cast<ast::ExprStmt>(stmt).expr); return;
    }
  }

  void LowerIf(const ast::IfStmt& s) {
    Reg cond = Lower(*s.condition);
    Block then_block, else_block;
    InBlock(then_block, [&] { LowerBlock(s.then_body); });
    InBlock(else_block, [&] {
      if (s.else_if) {
        LowerIf(*s.else_if);
      } else if (s.else_body) {
        LowerBlock(*s.else_body);
      }
    });
    Instr& instr = Emit(Op::kIf, s.span, kNoReg, {cond});
    instr.blocks.push_back(std::move(then_block));
    instr.blocks.push_back(std::move(else_block));
  }

  /// `target = value` for a name, a field (`r.f = v`) or an element (`xs[i] = v`): the
  /// container is rebuilt with the new part and assigned back, outward.
  void Assign(const ast::Expr& target, Reg value, Span span) {
    if (const auto* n = ast::DynCast<ast::NameExpr>(&target)) {
      auto reg = Lookup(n->name.name);
      if (!reg) {
        Report(n->span, fmt::format("`{}` is not a variable in scope", n->name.name));
        return;
      }
      Emit(Op::kMove, span, *reg, {value});
      return;
    }
    if (const auto* m = ast::DynCast<ast::MemberExpr>(&target)) {
      Reg object = Lower(*m->object);
      Reg updated = NewReg("", TypeTag::kRecord);
      Emit(Op::kSetField, span, updated, {object, value}).names = {m->member.name};
      Assign(*m->object, updated, span);
      return;
    }
    if (const auto* i = ast::DynCast<ast::IndexExpr>(&target)) {
      Reg object = Lower(*i->object);
      Reg index = Lower(*i->index);
      Reg updated = NewReg();
      Emit(Op::kSetIndex, span, updated, {object, index, value});
      Assign(*i->object, updated, span);
      return;
    }
    Report(target.span, "only a variable, a field or an element can be assigned");
  }

  // --- expressions -------------------------------------------------------------------------

  Reg Lower(const ast::Expr& e) {
    switch (e.kind()) {
      case ast::ExprKind::kInt: return Const(Value(ast::Cast<ast::IntExpr>(e).value), e.span);
      case ast::ExprKind::kNumber: return Const(Value(ast::Cast<ast::NumberExpr>(e).value), e.span);
      case ast::ExprKind::kBool: return Const(Value(ast::Cast<ast::BoolExpr>(e).value), e.span);
      case ast::ExprKind::kNull: return Const(Value(), e.span);
      case ast::ExprKind::kDuration: {
        auto ms = ast::Cast<ast::DurationExpr>(e).TotalMilliseconds();
        if (!ms) {
          Report(e.span, "this duration is not a whole number of milliseconds or is too large");
          return Const(Value(), e.span);
        }
        return Const(Value(*ms), e.span);
      }
      case ast::ExprKind::kString: return LowerString(ast::Cast<ast::StringExpr>(e));
      case ast::ExprKind::kList: {
        std::vector<Reg> elements;
        for (const ast::ExprPtr& el : ast::Cast<ast::ListExpr>(e).elements) elements.push_back(Lower(*el));
        Reg dst = NewReg("", TypeTag::kList);
        Emit(Op::kMakeList, e.span, dst, std::move(elements));
        return dst;
      }
      case ast::ExprKind::kRecord: {
        std::vector<Reg> values;
        std::vector<std::string> keys;
        for (const ast::FieldInit& f : ast::Cast<ast::RecordExpr>(e).fields) {
          keys.push_back(f.key.name);
          values.push_back(f.value ? Lower(*f.value) : Const(Value(), f.span));
        }
        Reg dst = NewReg("", TypeTag::kRecord);
        Emit(Op::kMakeRecord, e.span, dst, std::move(values)).names = std::move(keys);
        return dst;
      }
      case ast::ExprKind::kName: {
        const auto& n = ast::Cast<ast::NameExpr>(e);
        if (auto reg = Lookup(n.name.name)) return *reg;
        if (IsServer(n.name.name)) {
          Report(e.span, fmt::format("`{}` is a server: call one of its tools, e.g. `{}.tool(…)`", n.name.name, n.name.name));
        } else if (functions_.count(n.name.name) || BuiltinNames().count(n.name.name)) {
          Report(e.span, fmt::format("`{}` is a function: call it with `(…)`", n.name.name));
        } else {
          Report(e.span, fmt::format("`{}` is not defined", n.name.name));
        }
        return Const(Value(), e.span);
      }
      case ast::ExprKind::kMember: {
        const auto& m = ast::Cast<ast::MemberExpr>(e);
        if (const auto* obj = ast::DynCast<ast::NameExpr>(m.object.get()); obj && !Lookup(obj->name.name)) {
          if (IsServer(obj->name.name) || agents_.count(obj->name.name)) {
            Report(e.span, fmt::format("`{}.{}` must be called: add `(…)`", obj->name.name, m.member.name));
            return Const(Value(), e.span);
          }
        }
        Reg object = Lower(*m.object);
        Reg dst = NewReg();
        Emit(m.optional ? Op::kOptField : Op::kField, e.span, dst, {object}).names = {m.member.name};
        return dst;
      }
      case ast::ExprKind::kIndex: {
        const auto& i = ast::Cast<ast::IndexExpr>(e);
        Reg object = Lower(*i.object);
        Reg index = Lower(*i.index);
        Reg dst = NewReg();
        Emit(i.optional ? Op::kOptIndex : Op::kIndex, e.span, dst, {object, index});
        return dst;
      }
      case ast::ExprKind::kCall: return LowerCall(ast::Cast<ast::CallExpr>(e), nullptr, nullptr);
      case ast::ExprKind::kWith: {
        const auto& w = ast::Cast<ast::WithExpr>(e);
        if (const auto* call = ast::DynCast<ast::CallExpr>(w.target.get())) return LowerCall(*call, &w, nullptr);
        Report(w.span, "call policies (`with {…}`) apply to tool calls only");
        return Lower(*w.target);
      }
      case ast::ExprKind::kUnary: {
        const auto& u = ast::Cast<ast::UnaryExpr>(e);
        Reg operand = Lower(*u.operand);
        bool is_not = u.op == ast::UnaryOp::kNot;
        Reg dst = NewReg("", is_not ? TypeTag::kBool : fn_->regs[operand].type);
        Emit(is_not ? Op::kNot : Op::kNeg, e.span, dst, {operand});
        return dst;
      }
      case ast::ExprKind::kBinary: return LowerBinary(ast::Cast<ast::BinaryExpr>(e));
      case ast::ExprKind::kPipeline: {
        const auto& p = ast::Cast<ast::PipelineExpr>(e);
        const ast::Expr* stage = p.stage.get();
        const ast::WithExpr* with = ast::DynCast<ast::WithExpr>(stage);
        if (with) stage = with->target.get();
        if (const auto* call = ast::DynCast<ast::CallExpr>(stage)) return LowerCall(*call, with, p.input.get());
        if (const auto* name = ast::DynCast<ast::NameExpr>(stage)) return LowerNamedCall(*name, {}, p.input.get(), e.span);
        Report(p.stage->span, "the right side of `|` must be a call such as `map(x => …)` or a function name");
        return Const(Value(), e.span);
      }
      case ast::ExprKind::kLambda:
        Report(e.span, "a lambda can only be passed to a built-in such as `map` or `filter`");
        return Const(Value(), e.span);
      case ast::ExprKind::kConditional: {
        // if c then a else b  =>  if c { t = a } else { t = b }
        const auto& c = ast::Cast<ast::ConditionalExpr>(e);
        Reg cond = Lower(*c.test);
        Reg dst = NewReg();
        Block then_block, else_block;
        Reg value = kNoReg, otherwise = kNoReg;
        InBlock(then_block, [&] {
          value = Lower(*c.value);
          Emit(Op::kMove, c.value->span, dst, {value});
        });
        InBlock(else_block, [&] {
          otherwise = Lower(*c.otherwise);
          Emit(Op::kMove, c.otherwise->span, dst, {otherwise});
        });
        if (fn_->regs[value].type == fn_->regs[otherwise].type) fn_->regs[dst].type = fn_->regs[value].type;
        Instr& instr = Emit(Op::kIf, e.span, kNoReg, {cond});
        instr.blocks.push_back(std::move(then_block));
        instr.blocks.push_back(std::move(else_block));
        return dst;
      }
    }
    return Const(Value(), e.span);
  }

  Reg LowerString(const ast::StringExpr& s) {
    if (auto plain = s.PlainValue()) return Const(Value(std::move(*plain)), s.span);
    std::vector<Reg> parts;
    for (const ast::StringPart& part : s.parts) {
      if (part.kind == ast::StringPart::Kind::kText) {
        if (!part.text.empty()) parts.push_back(Const(Value(part.text), s.span));
      } else if (part.expr) {
        parts.push_back(Lower(*part.expr));
      }
    }
    Reg dst = NewReg("", TypeTag::kString);
    Emit(Op::kInterpolate, s.span, dst, std::move(parts));
    return dst;
  }

  Reg LowerBinary(const ast::BinaryExpr& b) {
    using B = ast::BinaryOp;
    switch (b.op) {
      case B::kAnd:
      case B::kOr: {
        // a and b  =>  t = bool(a); if t { t = bool(b) }
        // a or b   =>  t = bool(a); n = not t; if n { t = bool(b) }
        Reg lhs = Lower(*b.lhs);
        Reg dst = NewReg("", TypeTag::kBool);
        Emit(Op::kTruthy, b.lhs->span, dst, {lhs});
        Reg cond = dst;
        if (b.op == B::kOr) {
          cond = NewReg("", TypeTag::kBool);
          Emit(Op::kNot, b.span, cond, {dst});
        }
        Block rhs_block;
        InBlock(rhs_block, [&] {
          Reg rhs = Lower(*b.rhs);
          Emit(Op::kTruthy, b.rhs->span, dst, {rhs});
        });
        Instr& instr = Emit(Op::kIf, b.span, kNoReg, {cond});
        instr.blocks.push_back(std::move(rhs_block));
        instr.blocks.emplace_back();
        return dst;
      }
      case B::kCoalesce: {
        // a ?? b  =>  t = a; n = isnull t; if n { t = b }
        Reg lhs = Lower(*b.lhs);
        Reg dst = NewReg();
        Emit(Op::kMove, b.span, dst, {lhs});
        Reg is_null = NewReg("", TypeTag::kBool);
        Emit(Op::kIsNull, b.span, is_null, {dst});
        Block rhs_block;
        InBlock(rhs_block, [&] {
          Reg rhs = Lower(*b.rhs);
          Emit(Op::kMove, b.rhs->span, dst, {rhs});
        });
        Instr& instr = Emit(Op::kIf, b.span, kNoReg, {is_null});
        instr.blocks.push_back(std::move(rhs_block));
        instr.blocks.emplace_back();
        return dst;
      }
      default: break;
    }
    Reg lhs = Lower(*b.lhs);
    Reg rhs = Lower(*b.rhs);
    Op op = Op::kAdd;
    TypeTag tag = TypeTag::kBool;
    TypeTag lt = fn_->regs[lhs].type, rt = fn_->regs[rhs].type;
    auto arithmetic_tag = [&] {
      if (lt == TypeTag::kInt && rt == TypeTag::kInt) return TypeTag::kInt;
      if ((lt == TypeTag::kInt || lt == TypeTag::kNumber) && (rt == TypeTag::kInt || rt == TypeTag::kNumber)) {
        return TypeTag::kNumber;
      }
      if (lt == rt && (lt == TypeTag::kString || lt == TypeTag::kList || lt == TypeTag::kRecord)) return lt;
      return TypeTag::kAny;
    };
    switch (b.op) {
      case B::kEq: op = Op::kEq; break;
      case B::kNe: op = Op::kNe; break;
      case B::kLt: op = Op::kLt; break;
      case B::kLe: op = Op::kLe; break;
      case B::kGt: op = Op::kGt; break;
      case B::kGe: op = Op::kGe; break;
      case B::kIn: op = Op::kIn; break;
      case B::kAdd: op = Op::kAdd; tag = arithmetic_tag(); break;
      case B::kSub: op = Op::kSub; tag = arithmetic_tag(); break;
      case B::kMul: op = Op::kMul; tag = arithmetic_tag(); break;
      case B::kDiv: op = Op::kDiv; tag = TypeTag::kNumber; break;
      case B::kMod: op = Op::kRem; tag = arithmetic_tag(); break;
      default: break;
    }
    Reg dst = NewReg("", tag);
    Emit(op, b.span, dst, {lhs, rhs});
    return dst;
  }

  /// A call `callee(args)`, optionally with policies and a piped-in first argument.
  Reg LowerCall(const ast::CallExpr& call, const ast::WithExpr* with, const ast::Expr* piped) {
    if (const auto* name = ast::DynCast<ast::NameExpr>(call.callee.get())) {
      if (with) Report(with->policies_span, "call policies (`with {…}`) apply to tool calls only");
      return LowerNamedCall(*name, call.args, piped, call.span);
    }
    if (const auto* member = ast::DynCast<ast::MemberExpr>(call.callee.get())) {
      const auto* object = ast::DynCast<ast::NameExpr>(member->object.get());
      if (object && !Lookup(object->name.name)) {
        const std::string& left = object->name.name;
        if (auto agent = agents_.find(left); agent != agents_.end()) {
          std::string full = left + "." + member->member.name;
          if (with) Report(with->policies_span, "call policies (`with {…}`) apply to tool calls only");
          if (!functions_.count(full)) {
            Report(member->member.span, fmt::format("agent `{}` has no workflow `{}`", left, member->member.name));
            return Const(Value(), call.span);
          }
          return LowerWorkflowCall(functions_.at(full), call.args, piped, call.span);
        }
        if (IsServer(left)) return LowerToolCall(ServerIndex(left, object->span), *member, call, with, piped);
      }
    }
    Report(call.callee->span, "only tools (`server.tool(…)`), workflows and built-ins can be called");
    return Const(Value(), call.span);
  }

  Reg LowerNamedCall(const ast::NameExpr& name, const std::vector<ast::Argument>& args, const ast::Expr* piped,
                     Span span) {
    const std::string& callee = name.name.name;
    if (auto fn = functions_.find(callee); fn != functions_.end() && !Lookup(callee)) {
      return LowerWorkflowCall(fn->second, args, piped, span);
    }
    if (BuiltinNames().count(callee) && !Lookup(callee)) return LowerBuiltinCall(callee, args, piped, span);
    if (in_test_ && TestBuiltinNames().count(callee) && !Lookup(callee)) {
      if (callee == "calls" || callee == "call_args") return LowerCallLog(callee, args, piped, span);
      return LowerBuiltinCall(callee, args, piped, span);
    }
    Report(name.span, fmt::format("`{}` is not a workflow or built-in function", callee));
    return Const(Value(), span);
  }

  Reg LowerWorkflowCall(uint32_t index, const std::vector<ast::Argument>& args, const ast::Expr* piped, Span span) {
    // Copy what we need: lowering arguments may add functions' registers but never functions.
    const size_t num_params = module_.functions[index].params.size();
    std::vector<std::string> param_names;
    for (const Param& p : module_.functions[index].params) param_names.push_back(p.name);
    const std::string callee = module_.functions[index].name;
    std::vector<Reg> regs(num_params, kNoReg);
    size_t next_positional = 0;
    auto place = [&](size_t slot, Reg value, Span at) {
      if (slot >= num_params) {
        Report(at, fmt::format("workflow `{}` takes {} argument{}", callee, num_params, num_params == 1 ? "" : "s"));
        return;
      }
      regs[slot] = value;
    };
    if (piped) place(next_positional++, Lower(*piped), piped->span);
    for (const ast::Argument& arg : args) {
      Reg value = Lower(*arg.value);
      if (arg.name) {
        auto it = std::find(param_names.begin(), param_names.end(), arg.name->name);
        if (it == param_names.end()) {
          Report(arg.name->span, fmt::format("workflow `{}` has no parameter `{}`", callee, arg.name->name));
          continue;
        }
        place(static_cast<size_t>(it - param_names.begin()), value, arg.span);
      } else {
        place(next_positional++, value, arg.span);
      }
    }
    for (size_t i = 0; i < num_params; ++i) {
      if (regs[i] == kNoReg && !module_.functions[index].params[i].has_default) {
        Report(span, fmt::format("workflow `{}` needs the argument `{}`", callee, param_names[i]));
      }
    }
    Reg dst = NewReg();
    Emit(Op::kCallWorkflow, span, dst, std::move(regs)).imm = index;
    return dst;
  }

  Reg LowerBuiltinCall(const std::string& callee, const std::vector<ast::Argument>& args, const ast::Expr* piped,
                       Span span) {
    std::vector<Reg> regs;
    std::unique_ptr<Lambda> lambda;
    if (piped) regs.push_back(Lower(*piped));
    for (size_t i = 0; i < args.size(); ++i) {
      const auto* fn = ast::DynCast<ast::LambdaExpr>(args[i].value.get());
      if (!fn) {
        regs.push_back(Lower(*args[i].value));
        continue;
      }
      if (i + 1 != args.size()) {
        Report(fn->span, fmt::format("the function argument of `{}` must come last", callee));
        continue;
      }
      lambda = std::make_unique<Lambda>();
      scopes_.emplace_back();
      for (const ast::LambdaParam& p : fn->params) {
        Reg reg = NewReg(p.name.name, p.type ? TagOf(p.type.get(), nullptr) : TypeTag::kAny);
        Bind(p.name.name, reg);
        lambda->params.push_back(reg);
      }
      InBlock(lambda->body, [&] { lambda->result = Lower(*fn->body); });
      scopes_.pop_back();
    }
    Reg dst = NewReg();
    Instr instr;
    instr.op = Op::kCallBuiltin;
    instr.dst = dst;
    instr.args = std::move(regs);
    instr.imm = BuiltinIndex(callee);
    instr.lambda = std::move(lambda);
    instr.span = span;
    out_->instrs.push_back(std::move(instr));
    return dst;
  }

  Reg LowerToolCall(uint32_t server, const ast::MemberExpr& member, const ast::CallExpr& call,
                    const ast::WithExpr* with, const ast::Expr* piped) {
    if (piped) {
      Report(piped->span, "a tool call takes named arguments only; it cannot be the right side of `|`");
    }
    auto info = std::make_unique<ToolCall>();
    info->server = server;
    info->tool = member.member.name;
    std::vector<Reg> regs;
    for (const ast::Argument& arg : call.args) {
      Reg value = Lower(*arg.value);
      if (!arg.name) {
        Report(arg.span, fmt::format("tool arguments are named: write `{}.{}(name: value)`",
                                     module_.servers[server].alias, info->tool));
        continue;
      }
      info->arg_names.push_back(arg.name->name);
      regs.push_back(value);
    }
    if (with) {
      for (const ast::FieldInit& policy : with->policies) {
        Reg value = policy.value ? Lower(*policy.value) : Const(Value(), policy.span);
        const std::string& key = policy.key.name;
        if (key == "timeout") info->policy.timeout = value;
        else if (key == "retry") info->policy.retry = value;
        else if (key == "backoff") info->policy.backoff = value;
        else if (key == "cache") info->policy.cache = value;
        else Report(policy.key.span, fmt::format("unknown call policy `{}` (expected timeout, retry, backoff or cache)", key));
      }
    }
    Reg dst = NewReg();
    Instr instr;
    instr.op = Op::kCallTool;
    instr.dst = dst;
    instr.args = std::move(regs);
    instr.call = std::move(info);
    instr.span = call.span;
    out_->instrs.push_back(std::move(instr));
    return dst;
  }

  // --- tests -------------------------------------------------------------------------------

  /// What a `mock` or `calls(…)` names: a tool (sets *call) or a workflow (sets *function).
  bool MockTarget(const ast::Expr& target, std::unique_ptr<ToolCall>* call, uint32_t* function) {
    if (const auto* name = ast::DynCast<ast::NameExpr>(&target)) {
      auto it = functions_.find(name->name.name);
      if (it != functions_.end()) {
        *function = it->second;
        return true;
      }
    } else if (const auto* member = ast::DynCast<ast::MemberExpr>(&target)) {
      if (const auto* object = ast::DynCast<ast::NameExpr>(member->object.get())) {
        const std::string& left = object->name.name;
        if (agents_.count(left)) {
          auto it = functions_.find(left + "." + member->member.name);
          if (it != functions_.end()) {
            *function = it->second;
            return true;
          }
        } else if (IsServer(left)) {
          *call = std::make_unique<ToolCall>();
          (*call)->server = ServerIndex(left, object->span);
          (*call)->tool = member->member.name;
          return true;
        }
      }
    }
    Report(target.span, "expected a tool (`server.tool`) or a workflow here");
    return false;
  }

  void LowerMock(const ast::MockStmt& s) {
    std::unique_ptr<ToolCall> call;
    uint32_t function = kNone;
    if (!s.target || !s.result || !MockTarget(*s.target, &call, &function)) return;
    std::vector<Reg> args;
    std::vector<std::string> names;
    for (const ast::Argument& arg : s.pattern) {
      if (!arg.name) {
        Report(arg.span, "the arguments of a mock pattern are named: write `mock server.tool(name: value) => …`");
        continue;
      }
      names.push_back(arg.name->name);
      args.push_back(Lower(*arg.value));
    }
    std::unique_ptr<Lambda> lambda;
    if (const auto* fn = ast::DynCast<ast::LambdaExpr>(s.result.get())) {
      // `args => …`: the body runs in the test's frame when the mock is called.
      lambda = std::make_unique<Lambda>();
      scopes_.emplace_back();
      for (const ast::LambdaParam& p : fn->params) {
        Reg reg = NewReg(p.name.name, TypeTag::kRecord);
        Bind(p.name.name, reg);
        lambda->params.push_back(reg);
      }
      InBlock(lambda->body, [&] { lambda->result = Lower(*fn->body); });
      scopes_.pop_back();
      if (lambda->params.size() > 1) Report(fn->span, "a mock's function takes one parameter, the arguments record");
    } else {
      args.push_back(Lower(*s.result));
    }
    Instr& instr = Emit(Op::kMock, s.span, kNoReg, std::move(args));
    instr.names = std::move(names);
    instr.call = std::move(call);
    instr.imm = function;
    instr.lambda = std::move(lambda);
  }

  Reg LowerCallLog(const std::string& callee, const std::vector<ast::Argument>& args, const ast::Expr* piped,
                   Span span) {
    const ast::Expr* target = piped ? piped : (args.empty() ? nullptr : args[0].value.get());
    if (!target || args.size() + (piped ? 1 : 0) != 1) {
      Report(span, fmt::format("`{}` takes one tool or workflow, e.g. `{}(server.tool)`", callee, callee));
      return Const(Value(), span);
    }
    std::unique_ptr<ToolCall> call;
    uint32_t function = kNone;
    if (!MockTarget(*target, &call, &function)) return Const(Value(), span);
    Reg dst = NewReg("", callee == "calls" ? TypeTag::kInt : TypeTag::kList);
    Instr& instr = Emit(Op::kCallLog, span, dst);
    instr.names = {callee == "calls" ? "count" : "args"};
    instr.call = std::move(call);
    instr.imm = function;
    return dst;
  }

  compiler::DiagnosticSink& sink_;
  Module module_;
  bool in_test_ = false;
  bool failed_ = false;
  std::map<std::string, uint32_t, std::less<>> functions_;
  std::map<std::string, uint32_t, std::less<>> agents_;
  std::map<std::string, uint32_t, std::less<>> servers_;
  std::map<std::string, const ast::TypeAliasDecl*, std::less<>> aliases_;
  std::unordered_map<std::string, uint32_t> builtin_index_;
  std::unordered_map<std::string, uint32_t> constant_index_;
  Function* fn_ = nullptr;
  Block* out_ = nullptr;
  std::vector<std::unordered_map<std::string, Reg>> scopes_;
};

}  // namespace

std::optional<Module> BuildModule(const std::vector<const compiler::ast::File*>& files,
                                  compiler::DiagnosticSink& sink) {
  return Builder(sink).Build(files);
}

}  // namespace orch::ir
