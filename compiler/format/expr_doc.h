// Expressions, types, parameters and names as Docs for the formatter: precedence-driven
// parentheses (the AST keeps none), literal spellings from the source, and breakable
// groups for argument lists, collections, records, pipelines and operator chains.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/format/doc.h"
#include "compiler/source/source.h"

namespace orch::compiler::format {

class ExprDocs {
 public:
  ExprDocs(const SourceFile& source, int indent) : source_(source), indent_(indent) {}

  Doc Expr(const ast::Expr& expr);
  Doc Type(const ast::TypeExpr& type);
  /// `(a, name: b)` (or `()`), breaking one argument per line; a sole record or list
  /// argument (or a lambda returning one) breaks inside its own brackets instead.
  Doc Args(const std::vector<ast::Argument>& args);
  /// `(name: T = default, …)`.
  Doc Params(const std::vector<ast::Param>& params);
  /// An identifier as it must be written: backticks when it is not a plain identifier or
  /// is a reserved word.
  static std::string Name(const ast::Identifier& id);
  static std::string Name(std::string_view name);
  /// A field, argument or tool name (after `.`, before `:`): reserved words need no
  /// backticks there, only names that are not identifiers do; backticks the author wrote
  /// are kept.
  static std::string Label(const ast::Identifier& id);
  /// A decoded string as a string literal with escapes.
  static std::string Quote(std::string_view decoded);
  /// The source text of `span`.
  std::string_view Raw(Span span) const;

 private:
  Doc Wrapped(const ast::Expr& expr, int min_precedence);
  Doc Collection(std::string_view open, std::vector<Doc> items, std::string_view close, bool spaced);
  Doc Fields(const std::vector<ast::FieldInit>& fields);
  Doc String(const ast::StringExpr& expr);

  const SourceFile& source_;
  int indent_;
};

/// Binding strength of an expression's outermost operator (grammar/tokens.h levels).
int PrecedenceOf(const ast::Expr& expr);

}  // namespace orch::compiler::format
