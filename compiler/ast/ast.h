// The abstract syntax tree of an `.orch` file (DESIGN.md §4): what the parser builds and
// what the resolver, type checker, formatter and IR builder read.
//
// Four node families — declarations (Decl), statements (Stmt), expressions (Expr) and type
// expressions (TypeExpr) — each a base class with a `kind()` from compiler/ast/nodes.def and
// one final class per kind. Test and convert with `Isa<T>(node)`, `Cast<T>(node)` and
// `DynCast<T>(node)` (LLVM style), or switch over `kind()`. Nodes own their children
// (`std::unique_ptr` / `std::vector`); every node and every named part carries a `Span` of
// byte offsets (line and column are computed only when rendering).
//
// Names written in backticks (``everything.`get-sum` ``) are stored without the backticks
// and marked `quoted`. String contents are stored decoded (escapes applied); the exact
// source text is always recoverable from a span. Every comment of the file, doc comments
// and the shebang line included, is kept in `File::comments` in source order so the
// formatter can put each one back; `##` doc comments are also attached, as text, to the
// declaration that follows them.
//
// Stability: other phases code against this header. Add fields and kinds; do not rename.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "compiler/source/source.h"

namespace orch::compiler::ast {

class Decl;
class Stmt;
class Expr;
class TypeExpr;
class WorkflowDecl;
class IfStmt;

using DeclPtr = std::unique_ptr<Decl>;
using StmtPtr = std::unique_ptr<Stmt>;
using ExprPtr = std::unique_ptr<Expr>;
using TypePtr = std::unique_ptr<TypeExpr>;

// ---------------------------------------------------------------------------------------
// Kinds and casting
// ---------------------------------------------------------------------------------------

/// Kinds of declarations, one per row of nodes.def.
enum class DeclKind : uint8_t {
#define ORCH_AST_DECL(Name) k##Name,
#include "compiler/ast/nodes.def"
};

/// Kinds of statements, one per row of nodes.def.
enum class StmtKind : uint8_t {
#define ORCH_AST_STMT(Name) k##Name,
#include "compiler/ast/nodes.def"
};

/// Kinds of expressions, one per row of nodes.def.
enum class ExprKind : uint8_t {
#define ORCH_AST_EXPR(Name) k##Name,
#include "compiler/ast/nodes.def"
};

/// Kinds of type expressions, one per row of nodes.def.
enum class TypeKind : uint8_t {
#define ORCH_AST_TYPE(Name) k##Name,
#include "compiler/ast/nodes.def"
};

/// The row name of a kind in nodes.def ("Workflow", "Let", "Call", "Record", …).
std::string_view KindName(DeclKind kind);
std::string_view KindName(StmtKind kind);
std::string_view KindName(ExprKind kind);
std::string_view KindName(TypeKind kind);

/// True when `node` is a `T` (e.g. `Isa<CallExpr>(expr)`).
template <typename T, typename Base>
  requires(!std::is_pointer_v<Base>)
bool Isa(const Base& node) {
  return node.kind() == T::kKind;
}
template <typename T, typename Base>
bool Isa(const Base* node) {
  return node != nullptr && node->kind() == T::kKind;
}

/// `node` as a `T`; the caller has checked the kind.
template <typename T, typename Base>
T& Cast(Base& node) {
  return static_cast<T&>(node);
}
template <typename T, typename Base>
const T& Cast(const Base& node) {
  return static_cast<const T&>(node);
}

/// `node` as a `T*`, or nullptr when it is another kind (or null).
template <typename T, typename Base>
T* DynCast(Base* node) {
  return Isa<T>(node) ? static_cast<T*>(node) : nullptr;
}
template <typename T, typename Base>
const T* DynCast(const Base* node) {
  return Isa<T>(node) ? static_cast<const T*>(node) : nullptr;
}

// ---------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------

/// A name as written in the source. `name` never contains the backticks of a quoted name.
struct Identifier {
  std::string name;
  Span span;
  /// Written in backticks (``` `get-sum` ```), because it is not a plain identifier or is
  /// a reserved word.
  bool quoted = false;
};

/// A `##` doc comment block: consecutive `##` lines directly before a declaration.
struct DocComment {
  /// The lines without their `##` and one following space, joined with '\n'.
  std::string text;
  Span span;
};

/// One comment of the file, in source order.
struct Comment {
  enum class Kind : uint8_t {
    kLine,     ///< `# …`
    kDoc,      ///< `## …` (also attached to the following declaration as DocComment)
    kShebang,  ///< `#!…` on the first line
  };
  Kind kind = Kind::kLine;
  /// The full comment text as written, from `#` to the end of the line (no newline).
  std::string text;
  Span span;
  /// True when code precedes the comment on its line (`let x = 1  # why`).
  bool trailing = false;
};

/// One argument of a call: `value` or `name: value`.
struct Argument {
  std::optional<Identifier> name;
  ExprPtr value;
  Span span;
};

/// One `key: value` entry of a record literal or of a `with {…}` policy.
struct FieldInit {
  Identifier key;
  /// Null only while parsing; for shorthand `{ x }` it is a NameExpr for `x`.
  ExprPtr value;
  Span span;
  /// The key was written as a string literal (`"content-type": …`).
  bool string_key = false;
  /// Written as `{ x }`, meaning `{ x: x }`.
  bool shorthand = false;
};

/// A `{ … }` statement block.
struct Block {
  std::vector<StmtPtr> statements;
  /// From `{` to `}` inclusive.
  Span span;
};

/// A workflow parameter: `name: T [= default]`.
struct Param {
  Identifier name;
  TypePtr type;
  /// The default value, or null when the parameter is required.
  ExprPtr default_value;
  Span span;
};

/// A lambda parameter: `x` or `(x: T)`.
struct LambdaParam {
  Identifier name;
  /// Null when no type was written.
  TypePtr type;
};

/// One field of a record type: `name: T` or `name?: T` (optional field).
struct FieldType {
  Identifier name;
  TypePtr type;
  bool optional = false;
  /// The name was written as a string literal (`"content-type": string`).
  bool string_key = false;
  Span span;
};

/// One entry of an agent's `uses` list: `server.tool`, `server.*`, or `server` (all tools).
struct ToolPattern {
  Identifier server;
  /// The tool name; absent for `server.*` and for a bare `server`.
  std::optional<Identifier> tool;
  /// Written as `server.*`.
  bool wildcard = false;
  Span span;
};

/// Infix operators, one per ORCH_BINARY_OP row of grammar/tokens.def.
enum class BinaryOp : uint8_t {
#define ORCH_BINARY_OP(Name, Spelling, Precedence) k##Name,
#include "grammar/tokens.def"
};

/// Prefix operators, one per ORCH_UNARY_OP row of grammar/tokens.def.
enum class UnaryOp : uint8_t {
#define ORCH_UNARY_OP(Name, Spelling, Precedence) k##Name,
#include "grammar/tokens.def"
};

/// Duration units, one per ORCH_DURATION_UNIT row of grammar/tokens.def.
enum class DurationUnit : uint8_t {
#define ORCH_DURATION_UNIT(Name, Suffix, Milliseconds) k##Name,
#include "grammar/tokens.def"
};

/// Built-in types, one per ORCH_TYPE_NAME row of grammar/tokens.def.
enum class PrimitiveKind : uint8_t {
#define ORCH_TYPE_NAME(Name, Spelling) k##Name,
#include "grammar/tokens.def"
};

/// Source spelling of an operator ("+", "and", "??") and its precedence (tokens.def).
std::string_view Spelling(BinaryOp op);
std::string_view Spelling(UnaryOp op);
std::string_view Spelling(DurationUnit unit);
std::string_view Spelling(PrimitiveKind kind);
int Precedence(BinaryOp op);
int Precedence(UnaryOp op);
/// Milliseconds in one `unit`.
int64_t Milliseconds(DurationUnit unit);
/// True for the non-associative comparison operators (`==` … `in`).
bool IsComparison(BinaryOp op);

// ---------------------------------------------------------------------------------------
// Type expressions
// ---------------------------------------------------------------------------------------

/// Base of every type expression.
class TypeExpr {
 public:
  virtual ~TypeExpr() = default;
  TypeExpr(const TypeExpr&) = delete;
  TypeExpr& operator=(const TypeExpr&) = delete;
  TypeKind kind() const { return kind_; }
  Span span;

 protected:
  TypeExpr(TypeKind kind, Span span) : span(span), kind_(kind) {}

 private:
  TypeKind kind_;
};

/// `string`, `int`, `number`, `bool`, `null`, `any`.
class PrimitiveType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kPrimitive;
  PrimitiveType(Span span, PrimitiveKind primitive) : TypeExpr(kKind, span), primitive(primitive) {}
  PrimitiveKind primitive;
};

/// A `type` alias by name: `Plan`.
class NamedType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kNamed;
  NamedType(Span span, Identifier name) : TypeExpr(kKind, span), name(std::move(name)) {}
  Identifier name;
};

/// `[T]`.
class ListType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kList;
  ListType(Span span, TypePtr element) : TypeExpr(kKind, span), element(std::move(element)) {}
  TypePtr element;
};

/// `{a: T, b?: T}` (an empty `{}` is a record with no fields).
class RecordType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kRecord;
  explicit RecordType(Span span) : TypeExpr(kKind, span) {}
  std::vector<FieldType> fields;
};

/// `{[string]: T}`: a record with arbitrary keys, all values of type `value`.
class MapType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kMap;
  MapType(Span span, TypePtr key, TypePtr value)
      : TypeExpr(kKind, span), key(std::move(key)), value(std::move(value)) {}
  /// The key type as written (the grammar accepts only `string`).
  TypePtr key;
  TypePtr value;
};

/// `T?`: `T` or null.
class OptionalType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kOptional;
  OptionalType(Span span, TypePtr inner) : TypeExpr(kKind, span), inner(std::move(inner)) {}
  TypePtr inner;
};

/// `A | B | C` (flattened: never a union directly inside a union).
class UnionType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kUnion;
  explicit UnionType(Span span) : TypeExpr(kKind, span) {}
  std::vector<TypePtr> members;
};

/// A string literal type: `"draft"`; `value` is decoded.
class LiteralType final : public TypeExpr {
 public:
  static constexpr TypeKind kKind = TypeKind::kLiteral;
  LiteralType(Span span, std::string value) : TypeExpr(kKind, span), value(std::move(value)) {}
  std::string value;
};

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

/// Base of every expression.
class Expr {
 public:
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
  ExprKind kind() const { return kind_; }
  Span span;

 protected:
  Expr(ExprKind kind, Span span) : span(span), kind_(kind) {}

 private:
  ExprKind kind_;
};

/// An integer literal; values beyond int64 are a syntax error.
class IntExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kInt;
  IntExpr(Span span, int64_t value) : Expr(kKind, span), value(value) {}
  int64_t value;
};

/// A number literal with a fraction or exponent (`4.2`, `1e3`).
class NumberExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kNumber;
  NumberExpr(Span span, double value) : Expr(kKind, span), value(value) {}
  double value;
};

/// One piece of a string literal: literal text or a `${…}` interpolation.
struct StringPart {
  enum class Kind : uint8_t { kText, kInterpolation };
  Kind kind = Kind::kText;
  /// Decoded text (escapes applied) of a kText part.
  std::string text;
  /// The expression of a kInterpolation part.
  ExprPtr expr;
  /// kText: the raw text in the source; kInterpolation: from `${` to `}` inclusive.
  Span span;
};

/// A string literal: `"a ${b} c"`. Adjacent text is merged into one part; an empty string
/// has no parts.
class StringExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kString;
  explicit StringExpr(Span span) : Expr(kKind, span) {}
  std::vector<StringPart> parts;
  /// True when the string has no interpolation.
  bool IsPlain() const;
  /// The decoded value of a plain string; nullopt when it interpolates.
  std::optional<std::string> PlainValue() const;
};

/// `true` or `false`.
class BoolExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kBool;
  BoolExpr(Span span, bool value) : Expr(kKind, span), value(value) {}
  bool value;
};

/// `null`.
class NullExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kNull;
  explicit NullExpr(Span span) : Expr(kKind, span) {}
};

/// A duration: a number directly followed by a unit (`250ms`, `1.5s`, `5m`, `1h`).
class DurationExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kDuration;
  DurationExpr(Span span, double amount, DurationUnit unit) : Expr(kKind, span), amount(amount), unit(unit) {}
  /// The number as written, before the unit.
  double amount;
  DurationUnit unit;
  /// The duration in whole milliseconds, or nullopt when it is not a whole number of
  /// milliseconds or does not fit in int64 (the resolver reports those).
  std::optional<int64_t> TotalMilliseconds() const;
};

/// `[a, b, c]`.
class ListExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kList;
  explicit ListExpr(Span span) : Expr(kKind, span) {}
  std::vector<ExprPtr> elements;
};

/// `{a: 1, "b-c": 2, d}`.
class RecordExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kRecord;
  explicit RecordExpr(Span span) : Expr(kKind, span) {}
  std::vector<FieldInit> fields;
};

/// A bare name: a binding, parameter, workflow, agent, server alias or built-in.
class NameExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kName;
  NameExpr(Span span, Identifier name) : Expr(kKind, span), name(std::move(name)) {}
  Identifier name;
};

/// `object.member` or `object?.member`. `server.tool` and `agent.workflow` are also
/// members; the resolver tells them apart.
class MemberExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kMember;
  MemberExpr(Span span, ExprPtr object, Identifier member, bool optional)
      : Expr(kKind, span), object(std::move(object)), member(std::move(member)), optional(optional) {}
  ExprPtr object;
  Identifier member;
  /// Written `?.`: null when `object` is null.
  bool optional;
};

/// `object[index]` or `object?.[index]`.
class IndexExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kIndex;
  IndexExpr(Span span, ExprPtr object, ExprPtr index, bool optional)
      : Expr(kKind, span), object(std::move(object)), index(std::move(index)), optional(optional) {}
  ExprPtr object;
  ExprPtr index;
  /// Written `?.[`: null when `object` is null.
  bool optional;
};

/// `callee(args…)`: a tool (`server.tool(name: v)`), workflow, agent workflow or built-in.
class CallExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kCall;
  CallExpr(Span span, ExprPtr callee) : Expr(kKind, span), callee(std::move(callee)) {}
  ExprPtr callee;
  std::vector<Argument> args;
  /// From `(` to `)` inclusive.
  Span args_span;
};

/// `target with { timeout: 10s, retry: 3 }`: call policies attached to a call.
class WithExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kWith;
  WithExpr(Span span, ExprPtr target) : Expr(kKind, span), target(std::move(target)) {}
  ExprPtr target;
  std::vector<FieldInit> policies;
  /// From `{` to `}` inclusive.
  Span policies_span;
};

/// `-operand` or `not operand`.
class UnaryExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryExpr(Span span, UnaryOp op, ExprPtr operand) : Expr(kKind, span), op(op), operand(std::move(operand)) {}
  UnaryOp op;
  ExprPtr operand;
  Span op_span;
};

/// `lhs op rhs` for every operator of tokens.def's ORCH_BINARY_OP rows.
class BinaryExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryExpr(Span span, BinaryOp op, ExprPtr lhs, ExprPtr rhs)
      : Expr(kKind, span), op(op), lhs(std::move(lhs)), rhs(std::move(rhs)) {}
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
  Span op_span;
};

/// `input | stage`: the input becomes the first argument of the stage, which is usually
/// a call (`xs | map(f)` means `map(xs, f)`) and may be a bare name (`xs | unique`).
class PipelineExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kPipeline;
  PipelineExpr(Span span, ExprPtr input, ExprPtr stage)
      : Expr(kKind, span), input(std::move(input)), stage(std::move(stage)) {}
  ExprPtr input;
  ExprPtr stage;
  Span op_span;
};

/// `x => body`, `(a, b) => body`, `(x: T) => body`.
class LambdaExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kLambda;
  explicit LambdaExpr(Span span) : Expr(kKind, span) {}
  std::vector<LambdaParam> params;
  ExprPtr body;
  /// The parameters were written in parentheses.
  bool parenthesized = false;
};

/// `if test then value else otherwise`: one of two values, chosen by a bool.
class ConditionalExpr final : public Expr {
 public:
  static constexpr ExprKind kKind = ExprKind::kConditional;
  ConditionalExpr(Span span, ExprPtr test, ExprPtr value, ExprPtr otherwise)
      : Expr(kKind, span), test(std::move(test)), value(std::move(value)), otherwise(std::move(otherwise)) {}
  ExprPtr test;
  ExprPtr value;
  ExprPtr otherwise;
};

// ---------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------

/// Base of every statement.
class Stmt {
 public:
  virtual ~Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  StmtKind kind() const { return kind_; }
  Span span;

 protected:
  Stmt(StmtKind kind, Span span) : span(span), kind_(kind) {}

 private:
  StmtKind kind_;
};

/// `let name[: T] = value` (immutable binding).
class LetStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kLet;
  explicit LetStmt(Span span) : Stmt(kKind, span) {}
  Identifier name;
  /// Null when no annotation was written.
  TypePtr type;
  ExprPtr value;
};

/// `var name[: T] [= value]` (mutable binding; at least one of type and value).
class VarStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kVar;
  explicit VarStmt(Span span) : Stmt(kKind, span) {}
  Identifier name;
  /// Null when no annotation was written.
  TypePtr type;
  /// Null when no initial value was written.
  ExprPtr value;
};

/// `target = value`; the target is a NameExpr, MemberExpr or IndexExpr (the resolver
/// checks it names a `var`).
class AssignStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kAssign;
  AssignStmt(Span span, ExprPtr target, ExprPtr value)
      : Stmt(kKind, span), target(std::move(target)), value(std::move(value)) {}
  ExprPtr target;
  ExprPtr value;
};

/// `if condition { … } [else if … | else { … }]`.
class IfStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kIf;
  explicit IfStmt(Span span) : Stmt(kKind, span) {}
  ExprPtr condition;
  Block then_body;
  /// `else if …`: the chained if (then `else_body` is empty).
  std::unique_ptr<IfStmt> else_if;
  /// `else { … }`.
  std::optional<Block> else_body;
};

/// `for variable in iterable [parallel[(limit: n)]] { … }`.
class ForStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kFor;
  explicit ForStmt(Span span) : Stmt(kKind, span) {}
  Identifier variable;
  ExprPtr iterable;
  /// Written with `parallel`.
  bool parallel = false;
  /// The options of `parallel(…)` (`limit: n`), empty without parentheses.
  std::vector<Argument> parallel_options;
  /// The `parallel` clause, keyword to `)`; invalid when `parallel` is false.
  Span parallel_span;
  Block body;
};

/// `parallel { … }`: each statement of the body is a branch.
class ParallelStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kParallel;
  explicit ParallelStmt(Span span) : Stmt(kKind, span) {}
  Block body;
};

/// `try { … } catch [e] { … }`.
class TryStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kTry;
  explicit TryStmt(Span span) : Stmt(kKind, span) {}
  Block body;
  /// The error binding; absent for `catch { … }`.
  std::optional<Identifier> error_name;
  Block catch_body;
  /// From `catch` to the end of its block.
  Span catch_span;
};

/// `return [value]`.
class ReturnStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kReturn;
  ReturnStmt(Span span, ExprPtr value) : Stmt(kKind, span), value(std::move(value)) {}
  /// Null for a bare `return`.
  ExprPtr value;
};

/// `fail message`.
class FailStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kFail;
  FailStmt(Span span, ExprPtr message) : Stmt(kKind, span), message(std::move(message)) {}
  ExprPtr message;
};

/// `log message`.
class LogStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kLog;
  LogStmt(Span span, ExprPtr message) : Stmt(kKind, span), message(std::move(message)) {}
  ExprPtr message;
};

/// `assert condition [, message]`.
class AssertStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kAssert;
  AssertStmt(Span span, ExprPtr condition, ExprPtr message)
      : Stmt(kKind, span), condition(std::move(condition)), message(std::move(message)) {}
  ExprPtr condition;
  /// Null when no message was written.
  ExprPtr message;
};

/// `mock target => result` (test blocks): replaces a tool (`server.tool`), workflow or
/// agent workflow by `result`, a value or a lambda over the call's arguments record.
class MockStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kMock;
  MockStmt(Span span, ExprPtr target, ExprPtr result)
      : Stmt(kKind, span), target(std::move(target)), result(std::move(result)) {}
  /// A NameExpr or MemberExpr naming what is mocked.
  ExprPtr target;
  /// `mock target(arg: value, …) => …`: the mock answers only calls whose arguments
  /// include these values (named arguments).
  std::vector<Argument> pattern;
  /// Parentheses were written (even empty ones).
  bool has_pattern = false;
  ExprPtr result;
};

/// An expression evaluated for its effect (typically a call).
class ExprStmt final : public Stmt {
 public:
  static constexpr StmtKind kKind = StmtKind::kExpr;
  ExprStmt(Span span, ExprPtr expr) : Stmt(kKind, span), expr(std::move(expr)) {}
  ExprPtr expr;
};

// ---------------------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------------------

/// Base of every declaration.
class Decl {
 public:
  virtual ~Decl() = default;
  Decl(const Decl&) = delete;
  Decl& operator=(const Decl&) = delete;
  DeclKind kind() const { return kind_; }
  Span span;
  /// The `##` block directly before the declaration, if any.
  std::optional<DocComment> doc;

 protected:
  Decl(DeclKind kind, Span span) : span(span), kind_(kind) {}

 private:
  DeclKind kind_;
};

/// `use exa` or `use maps = "google-maps"`.
class UseDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kUse;
  explicit UseDecl(Span span) : Decl(kKind, span) {}
  /// The name the program uses (`exa`, `maps`).
  Identifier name;
  /// The server's name in the configuration: equal to `name.name` without an alias.
  std::string server;
  /// The string after `=`; invalid without an alias.
  Span server_span;
  /// Written as `use name = "server"`.
  bool has_alias = false;
};

/// `server name = transport(args…)`, e.g. `stdio("npx", ["-y", "pkg"])`.
class ServerDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kServer;
  explicit ServerDecl(Span span) : Decl(kKind, span) {}
  Identifier name;
  /// `stdio` or `http` (grammar/builtins.def ORCH_TRANSPORT); checked by the resolver.
  Identifier transport;
  std::vector<Argument> args;
};

/// `import "path"`.
class ImportDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kImport;
  explicit ImportDecl(Span span) : Decl(kKind, span) {}
  /// Decoded path, relative to the importing file's directory.
  std::string path;
  Span path_span;
};

/// `type Name = T`.
class TypeAliasDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kTypeAlias;
  explicit TypeAliasDecl(Span span) : Decl(kKind, span) {}
  Identifier name;
  TypePtr type;
};

/// `workflow name(params) [-> T] { … }`, at top level or inside an agent.
class WorkflowDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kWorkflow;
  explicit WorkflowDecl(Span span) : Decl(kKind, span) {}
  Identifier name;
  std::vector<Param> params;
  /// Null when no `-> T` was written.
  TypePtr return_type;
  Block body;
};

/// `uses exa.*, brave.web_search` inside an agent.
class UsesDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kUses;
  explicit UsesDecl(Span span) : Decl(kKind, span) {}
  std::vector<ToolPattern> tools;
};

/// `agent name { uses …  workflow … }`.
class AgentDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kAgent;
  explicit AgentDecl(Span span) : Decl(kKind, span) {}
  Identifier name;
  /// UsesDecl and WorkflowDecl members in source order.
  std::vector<DeclPtr> members;
  /// The agent's workflows, in source order (views into `members`).
  std::vector<const WorkflowDecl*> Workflows() const;
  /// Every tool pattern of every `uses` member, in source order.
  std::vector<const ToolPattern*> Uses() const;
};

/// `test "name" { … }`.
class TestDecl final : public Decl {
 public:
  static constexpr DeclKind kKind = DeclKind::kTest;
  explicit TestDecl(Span span) : Decl(kKind, span) {}
  /// Decoded name.
  std::string name;
  Span name_span;
  Block body;
};

// ---------------------------------------------------------------------------------------
// File
// ---------------------------------------------------------------------------------------

/// One parsed source file.
struct File {
  FileId file = kNoFile;
  /// Top-level declarations in source order.
  std::vector<DeclPtr> declarations;
  /// Every comment in source order (line, doc and shebang), for the formatter.
  std::vector<Comment> comments;
  /// The whole file.
  Span span;
};

// ---------------------------------------------------------------------------------------
// Visiting
// ---------------------------------------------------------------------------------------

/// Calls `f(Cast<XDecl>(decl))` for the dynamic class of `decl` and returns its result.
template <typename F>
decltype(auto) Visit(const Decl& decl, F&& f) {
  switch (decl.kind()) {
#define ORCH_AST_DECL(Name) \
  case DeclKind::k##Name:   \
    return f(static_cast<const Name##Decl&>(decl));
#include "compiler/ast/nodes.def"
  }
  __builtin_unreachable();
}

/// Calls `f(Cast<XStmt>(stmt))` for the dynamic class of `stmt` and returns its result.
template <typename F>
decltype(auto) Visit(const Stmt& stmt, F&& f) {
  switch (stmt.kind()) {
#define ORCH_AST_STMT(Name) \
  case StmtKind::k##Name:   \
    return f(static_cast<const Name##Stmt&>(stmt));
#include "compiler/ast/nodes.def"
  }
  __builtin_unreachable();
}

/// Calls `f(Cast<XExpr>(expr))` for the dynamic class of `expr` and returns its result.
template <typename F>
decltype(auto) Visit(const Expr& expr, F&& f) {
  switch (expr.kind()) {
#define ORCH_AST_EXPR(Name) \
  case ExprKind::k##Name:   \
    return f(static_cast<const Name##Expr&>(expr));
#include "compiler/ast/nodes.def"
  }
  __builtin_unreachable();
}

/// Calls `f(Cast<XType>(type))` for the dynamic class of `type` and returns its result.
template <typename F>
decltype(auto) Visit(const TypeExpr& type, F&& f) {
  switch (type.kind()) {
#define ORCH_AST_TYPE(Name) \
  case TypeKind::k##Name:   \
    return f(static_cast<const Name##Type&>(type));
#include "compiler/ast/nodes.def"
  }
  __builtin_unreachable();
}

}  // namespace orch::compiler::ast
