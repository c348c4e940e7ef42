// The parser: runs the PEGTL grammar over a source file with a Control that records the
// selected rules into a flat CST (compiler/parse/cst.h), turns syntax errors into
// diagnostics (what was expected, what was found, where a bracket was opened), and hands
// the CST to Lower() for the AST. The only .cpp that includes PEGTL.
#include <tao/pegtl.hpp>

#include <fmt/format.h>

#include <algorithm>

#include "compiler/parse/lower.h"
#include "compiler/parse/parse.h"
#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"
#include "grammar/tokens.h"

namespace orch::compiler {
namespace {

namespace g = orch::grammar;
namespace pegtl = tao::pegtl;
using parse::Cst;

/// Stop reporting after this many syntax errors in one file: later ones are mostly echoes.
constexpr size_t kMaxSyntaxErrors = 50;

// --- Which rules become CST nodes ------------------------------------------------------

template <typename Rule>
inline constexpr Cst kSelect = Cst::kNone;
/// Chain rules (binary levels, postfix, optional/union types) that stand for their only
/// child when they have one, so `x` does not become ten nested nodes.
template <typename Rule>
inline constexpr bool kFoldOne = false;

#define ORCH_SELECT(Rule, Id) \
  template <>                 \
  inline constexpr Cst kSelect<g::Rule> = Cst::Id;
#define ORCH_SELECT_FOLD(Rule, Id) \
  ORCH_SELECT(Rule, Id)            \
  template <>                      \
  inline constexpr bool kFoldOne<g::Rule> = true;

ORCH_SELECT(plain_name, kPlainName)
ORCH_SELECT(label_word, kPlainName)
ORCH_SELECT(quoted_name, kQuotedName)
ORCH_SELECT(number, kNumber)
ORCH_SELECT(string, kString)
ORCH_SELECT(string_type, kString)
ORCH_SELECT(use_target, kString)
ORCH_SELECT(import_path, kString)
ORCH_SELECT(test_name, kString)
ORCH_SELECT(string_text, kStringText)
ORCH_SELECT(escape, kEscape)
ORCH_SELECT(interpolation, kInterpolation)
ORCH_SELECT(true_literal, kTrue)
ORCH_SELECT(false_literal, kFalse)
ORCH_SELECT(null_literal, kNull)
ORCH_SELECT(list, kList)
ORCH_SELECT(record, kRecord)
ORCH_SELECT(record_field, kRecordField)
ORCH_SELECT_FOLD(postfix, kPostfix)
ORCH_SELECT(member, kMember)
ORCH_SELECT(optional_field, kOptionalField)
ORCH_SELECT(optional_index, kOptionalIndex)
ORCH_SELECT(index, kIndex)
ORCH_SELECT(call_args, kCallArgs)
ORCH_SELECT(server_args, kCallArgs)
ORCH_SELECT(mock_pattern, kCallArgs)
ORCH_SELECT(named_argument, kNamedArgument)
ORCH_SELECT(positional_argument, kPositionalArgument)
ORCH_SELECT(with_policies, kWith)
ORCH_SELECT(negate, kNegate)
ORCH_SELECT(negate_op, kNegateOp)
ORCH_SELECT(logical_not, kNot)
ORCH_SELECT(not_op, kNotOp)
ORCH_SELECT_FOLD(multiplicative, kMultiplicative)
ORCH_SELECT(multiplicative_op, kMultiplicativeOp)
ORCH_SELECT_FOLD(additive, kAdditive)
ORCH_SELECT(additive_op, kAdditiveOp)
ORCH_SELECT_FOLD(comparison, kComparison)
ORCH_SELECT(comparison_op, kComparisonOp)
ORCH_SELECT_FOLD(and_expr, kAnd)
ORCH_SELECT(and_op, kAndOp)
ORCH_SELECT_FOLD(or_expr, kOr)
ORCH_SELECT(or_op, kOrOp)
ORCH_SELECT_FOLD(coalesce, kCoalesce)
ORCH_SELECT(coalesce_op, kCoalesceOp)
ORCH_SELECT_FOLD(pipeline, kPipeline)
ORCH_SELECT(pipe_op, kPipeOp)
ORCH_SELECT(lambda, kLambda)
ORCH_SELECT(conditional, kConditional)
ORCH_SELECT(lambda_params_parenthesized, kLambdaParamsParenthesized)
ORCH_SELECT(lambda_param, kLambdaParam)
ORCH_SELECT(null_type, kNullType)
ORCH_SELECT(list_type, kListType)
ORCH_SELECT(map_type, kMapType)
ORCH_SELECT(record_type, kRecordType)
ORCH_SELECT(field_type, kFieldType)
ORCH_SELECT(field_type_optional, kFieldTypeOptional)
ORCH_SELECT_FOLD(optional_type, kOptionalType)
ORCH_SELECT(optional_mark, kOptionalMark)
ORCH_SELECT_FOLD(type_expr, kUnionType)
ORCH_SELECT(if_body, kBlock)
ORCH_SELECT(else_block, kBlock)
ORCH_SELECT(for_body, kBlock)
ORCH_SELECT(parallel_body, kBlock)
ORCH_SELECT(try_body, kBlock)
ORCH_SELECT(catch_body, kBlock)
ORCH_SELECT(workflow_body, kBlock)
ORCH_SELECT(test_body, kBlock)
ORCH_SELECT(let_stmt, kLet)
ORCH_SELECT(binding_type, kBindingType)
ORCH_SELECT(var_stmt, kVar)
ORCH_SELECT(if_stmt, kIf)
ORCH_SELECT(for_stmt, kFor)
ORCH_SELECT(for_parallel, kForParallel)
ORCH_SELECT(parallel_stmt, kParallel)
ORCH_SELECT(try_stmt, kTry)
ORCH_SELECT(catch_name, kCatchName)
ORCH_SELECT(return_stmt, kReturn)
ORCH_SELECT(fail_stmt, kFail)
ORCH_SELECT(log_stmt, kLog)
ORCH_SELECT(assert_stmt, kAssert)
ORCH_SELECT(mock_stmt, kMock)
ORCH_SELECT(mock_target, kMockTarget)
ORCH_SELECT(expression_stmt, kExpressionStmt)
ORCH_SELECT(assignment, kAssignment)
ORCH_SELECT(use_decl, kUse)
ORCH_SELECT(server_decl, kServer)
ORCH_SELECT(import_decl, kImport)
ORCH_SELECT(type_decl, kTypeDecl)
ORCH_SELECT(workflow_decl, kWorkflow)
ORCH_SELECT(params, kParams)
ORCH_SELECT(param, kParam)
ORCH_SELECT(param_default, kParamDefault)
ORCH_SELECT(return_type, kReturnType)
ORCH_SELECT(uses_decl, kUses)
ORCH_SELECT(tool_pattern, kToolPattern)
ORCH_SELECT(tool_pattern_wildcard, kToolWildcard)
ORCH_SELECT(agent_decl, kAgent)
ORCH_SELECT(test_decl, kTest)

#undef ORCH_SELECT
#undef ORCH_SELECT_FOLD

/// Whether a rule can have selected rules among its descendants (looking `Level` levels
/// down; deeper is assumed yes). Only such rules need a mark to undo their nodes when they
/// fail; skipping the mark for lexical rules (keywords, characters, padding) halves the
/// parser's time.
template <unsigned Level, typename Rule>
inline constexpr bool kMayHoldNodes = true;
template <unsigned Level, typename List>
inline constexpr bool kAnyMayHoldNodes = true;
template <unsigned Level, typename... Rules>
inline constexpr bool kAnyMayHoldNodes<Level, pegtl::type_list<Rules...>> = (kMayHoldNodes<Level, Rules> || ...);
template <unsigned Level, typename Rule>
  requires(Level > 0)
inline constexpr bool kMayHoldNodes<Level, Rule> =
    kSelect<Rule> != Cst::kNone || kAnyMayHoldNodes<Level - 1, typename Rule::subs_t>;
template <typename Rule>
inline constexpr bool kNeedsMark = kMayHoldNodes<8, Rule>;

// --- Parse state -------------------------------------------------------------------------

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// The first word of the line starting at `p` (after blanks), or "".
std::string_view FirstWord(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  const char* b = p;
  while (p < end && IsIdentChar(*p)) ++p;
  return {b, static_cast<size_t>(p - b)};
}

bool StartsStatementOrDeclaration(std::string_view word) {
  auto keyword = g::FindKeyword(word);
  return keyword && (keyword->category == g::KeywordCategory::kControl ||
                     keyword->category == g::KeywordCategory::kDeclaration);
}

struct ParseState : g::GrammarState {
  struct Saved {
    size_t tree_size, open_size;
    int depth;
  };

  parse::CstTree tree;
  std::vector<g::SyntaxError> errors;
  bool gave_up = false;

  Saved Checkpoint() const { return {tree.nodes.size(), open.size(), depth}; }
  void Restore(const Saved& c) {
    tree.nodes.resize(c.tree_size);
    open.resize(c.open_size);
    depth = c.depth;
  }
  bool RecordError(const g::SyntaxError& error) {
    if (errors.size() >= kMaxSyntaxErrors) {
      gave_up = true;
      return false;
    }
    errors.push_back(error);
    return true;
  }

  /// Start of the line containing `p`.
  const char* LineStart(const char* p) const {
    while (p > base && p[-1] != '\n') --p;
    return p;
  }
  bool OnlyBlanksBefore(const char* p) const {
    for (const char* q = LineStart(p); q < p; ++q) {
      if (*q != ' ' && *q != '\t') return false;
    }
    return true;
  }

  /// Where to continue after a statement that failed at `error`: the line of the
  /// offending token when it starts a later line, else after the statement's brackets
  /// balance at a line end, stopping before the `}` that closes the enclosing block.
  const char* ResumeAfterStatement(const char* start, const g::SyntaxError& error) const {
    const char* at = base + std::min<size_t>(error.offset, static_cast<size_t>(end - base));
    if (at > start && at < end && OnlyBlanksBefore(at) && LineStart(at) > start) return LineStart(at);
    int balance = 0;
    for (const char* p = start; p < end; ++p) {
      char c = *p;
      if (c == '"') {
        for (++p; p < end && *p != '"' && *p != '\n'; ++p) {
          if (*p == '\\' && p + 1 < end && p[1] != '\n') ++p;
        }
        if (p < end && *p == '\n') --p;  // let the loop see the line end
      } else if (c == '#') {
        while (p + 1 < end && p[1] != '\n') ++p;
      } else if (c == '(' || c == '[' || c == '{') {
        ++balance;
      } else if (c == ')' || c == ']') {
        --balance;
      } else if (c == '}') {
        if (balance <= 0 && p > start) return p;
        --balance;
      } else if (c == '\n' || c == ';') {
        if (p >= at && balance <= 0) return p + 1;
        if (c == '\n' && p >= at && StartsStatementOrDeclaration(FirstWord(p + 1, end))) return p + 1;
      }
    }
    return end;
  }

  /// Where to continue after a declaration that failed: the next line that starts, in
  /// column 1, with a declaration keyword.
  const char* ResumeAfterDeclaration(const char* start, const g::SyntaxError& error) const {
    const char* at = base + std::min<size_t>(error.offset, static_cast<size_t>(end - base));
    const char* line = LineStart(at);
    if (line <= start) line = start;
    auto is_decl_line = [&](const char* p) {
      auto keyword = g::FindKeyword(FirstWord(p, end));
      return p < end && *p != ' ' && *p != '\t' && keyword && keyword->category == g::KeywordCategory::kDeclaration;
    };
    if (line > start && is_decl_line(line)) return line;
    for (const char* p = line; p < end; ++p) {
      if (*p == '\n' && is_decl_line(p + 1)) return p + 1;
    }
    return end;
  }
};

template <typename Rule>
struct Control : pegtl::normal<Rule> {
  /// Wraps the match of every rule that may record nodes: remembers where it started (in
  /// locals, not a side stack: this runs for every rule attempt, millions of times on a
  /// large file), records a node when a selected rule succeeds, and drops the nodes of a
  /// rule that failed so the next alternative starts from a clean tree.
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Ctl, typename Input>
  [[nodiscard]] static bool match(Input& in, ParseState& st) {
    if constexpr (!kNeedsMark<Rule>) {
      return pegtl::normal<Rule>::template match<A, M, Action, Ctl>(in, st);
    } else {
      const auto tree_size = static_cast<uint32_t>(st.tree.nodes.size());
      const uint32_t begin = st.Offset(in.current());
      if (!pegtl::normal<Rule>::template match<A, M, Action, Ctl>(in, st)) {
        // Most failing rules recorded nothing; skip the (out-of-line) resize for them.
        if (st.tree.nodes.size() > tree_size) st.tree.nodes.resize(tree_size);
        return false;
      }
      if constexpr (kSelect<Rule> != Cst::kNone) {
        if constexpr (kFoldOne<Rule>) {
          // Exactly one direct child: it stands for this node.
          if (st.tree.nodes.size() > tree_size && st.tree.nodes.back().subtree_begin == tree_size) {
            return true;
          }
        }
        st.tree.nodes.push_back({kSelect<Rule>, begin, st.Offset(in.current()), tree_size});
      }
      return true;
    }
  }

  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, ParseState& st) {
    static_assert(g::kError<Rule>.kind != g::ErrorKind::kNone,
                  "add a kError<> entry in grammar/errors.hpp for this must<> point");
    uint32_t opener = st.open.empty() ? UINT32_MAX : st.open.back().offset;
    throw g::SyntaxError{g::kError<Rule>, st.Offset(in.current()), opener};
  }
};

// --- Turning syntax errors into diagnostics -------------------------------------------------

/// What is at `offset`, for "found …", and how many bytes it covers.
std::pair<std::string, uint32_t> DescribeAt(std::string_view text, uint32_t offset) {
  if (offset >= text.size()) return {"the end of the file", 0};
  char c = text[offset];
  if (c == '\n' || c == '\r') return {"the end of the line", 1};
  size_t n = 0;
  if (IsIdentChar(c)) {
    while (offset + n < text.size() && IsIdentChar(text[offset + n]) && n < 40) ++n;
    std::string word(text.substr(offset, n));
    if (g::IsKeyword(word)) return {fmt::format("the keyword `{}`", word), static_cast<uint32_t>(n)};
    return {fmt::format("`{}`", word), static_cast<uint32_t>(n)};
  }
  if (c == '"') return {"a string", 1};
  if (c == '`') return {"a backtick", 1};
  for (const auto& punct : g::kPunctuation) {
    if (text.substr(offset, punct.spelling.size()) == punct.spelling) {
      return {fmt::format("`{}`", punct.spelling), static_cast<uint32_t>(punct.spelling.size())};
    }
  }
  auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7f) return {fmt::format("the control character U+{:04X}", byte), 1};
  n = 1;
  if (byte >= 0x80) {
    while (offset + n < text.size() && (static_cast<unsigned char>(text[offset + n]) & 0xC0) == 0x80) ++n;
  }
  return {fmt::format("`{}`", text.substr(offset, n)), static_cast<uint32_t>(n)};
}

std::string LineColText(const SourceFile& source, uint32_t offset) {
  LineCol lc = source.Locate(offset);
  return fmt::format("{}:{}", lc.line, lc.column);
}

Diagnostic ToDiagnostic(const g::SyntaxError& error, const SourceFile& source, FileId file) {
  std::string_view text = source.text();
  uint32_t offset = std::min<uint32_t>(error.offset, static_cast<uint32_t>(text.size()));
  auto [found, length] = DescribeAt(text, offset);
  Span at{file, offset, offset + length};
  std::string what(error.info.what);
  Diagnostic d;
  switch (error.info.kind) {
    case g::ErrorKind::kUnclosed:
      if (error.opener != UINT32_MAX) {
        d = MakeDiagnostic(DiagKind::kUnclosedBracket, at, {what, LineColText(source, error.opener), found});
        d.WithLabel("expected here");
        d.AddSecondary(Span{file, error.opener, error.opener + 1}, "opened here");
        break;
      }
      d = MakeDiagnostic(DiagKind::kExpectedSyntax, at, {what, found});
      break;
    case g::ErrorKind::kUnterminatedString:
    case g::ErrorKind::kUnterminatedInterpolation: {
      bool string = error.info.kind == g::ErrorKind::kUnterminatedString;
      if (!string && offset < text.size() && text[offset] == '"') found = "the closing `\"` of the string";
      uint32_t begin = error.opener != UINT32_MAX ? error.opener : offset;
      d = MakeDiagnostic(string ? DiagKind::kUnterminatedString : DiagKind::kUnterminatedInterpolation,
                         Span{file, begin, std::max(offset, begin + 1)}, {found});
      d.WithLabel(string ? "this string is not closed" : "this interpolation is not closed");
      break;
    }
    case g::ErrorKind::kUnknownEscape: {
      // The offset is just after the backslash.
      uint32_t n = offset < text.size() ? 1 : 0;
      while (offset + n < text.size() && (static_cast<unsigned char>(text[offset + n]) & 0xC0) == 0x80) ++n;
      std::string seen = n == 0 ? std::string() : std::string(text.substr(offset, n));
      if (seen == "\n" || seen == "\r") seen.clear();
      d = MakeDiagnostic(DiagKind::kUnknownEscape, Span{file, offset - 1, offset + n}, {seen});
      break;
    }
    case g::ErrorKind::kNestingTooDeep:
      d = MakeDiagnostic(DiagKind::kNestingTooDeep, Span{file, offset, offset + 1},
                         {std::to_string(g::kMaxNestingDepth)});
      d.WithLabel("nesting limit reached here");
      break;
    case g::ErrorKind::kChainedComparison: {
      uint32_t p = offset;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
      auto [op, op_length] = DescribeAt(text, p);
      d = MakeDiagnostic(DiagKind::kChainedComparison, Span{file, p, p + op_length});
      d.WithLabel(fmt::format("second comparison {}", op));
      break;
    }
    case g::ErrorKind::kUnknownDurationUnit: {
      uint32_t e = offset;
      while (e < text.size() && IsIdentChar(text[e])) ++e;
      d = MakeDiagnostic(DiagKind::kUnknownDurationUnit, Span{file, offset, e},
                         {std::string(text.substr(offset, e - offset))});
      break;
    }
    case g::ErrorKind::kExpected:
    case g::ErrorKind::kNone:
      d = MakeDiagnostic(DiagKind::kExpectedSyntax, at, {what, found});
      break;
  }
  if (!error.info.help.empty()) d.AddHelp(std::string(error.info.help));
  // Errors at a `}` or a keyword that starts a statement usually mean something is
  // missing earlier; say so.
  if (error.info.kind == g::ErrorKind::kExpected && offset < text.size()) {
    if (text[offset] == '}' && error.info.what.find("declaration") != std::string_view::npos) {
      d.AddHelp("this `}` has no matching `{`");
    }
    // `let x = try { … }`, `let ys = for …`: statements where a value was expected.
    uint32_t e = offset;
    while (e < text.size() && IsIdentChar(text[e])) ++e;
    std::string_view word = text.substr(offset, e - offset);
    bool wants_value = error.info.what.find("value") != std::string_view::npos;
    if (wants_value && (word == "try" || word == "parallel")) {
      d.AddHelp(fmt::format("`{}` is a statement and has no value: declare `var x` before it and assign `x` "
                            "inside its blocks",
                            word));
    } else if (wants_value && word == "for") {
      d.AddHelp("`for` is a statement and has no value: build the list with `xs | map(x => …)` (or "
                "`filter`, `reduce`)");
    }
  }
  return d;
}

}  // namespace

std::optional<ast::File> Parse(const SourceMap& sources, FileId file, DiagnosticSink& sink) {
  const SourceFile& source = sources.file(file);
  const std::string& text = source.text();
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf> in(text.data(), text.size(), source.path());
  ParseState state;
  state.base = text.data();
  state.end = text.data() + text.size();
  try {
    pegtl::parse<g::file, pegtl::nothing, Control>(in, state);
  } catch (const g::SyntaxError& error) {
    // Only reached when recovery gave up (too many errors) or outside any declaration.
    // The recover<> points restored the tree to the last complete declaration.
    if (!state.gave_up) state.errors.push_back(error);
  }
  for (size_t i = 0; i < state.errors.size(); ++i) {
    Diagnostic& d = sink.Report(ToDiagnostic(state.errors[i], source, file));
    if (state.gave_up && i + 1 == state.errors.size()) {
      d.AddNote(fmt::format("stopped after {} syntax errors; fix these and run again", kMaxSyntaxErrors));
    }
  }
  return parse::Lower(state.tree, source, file, state.comments, sink);
}

}  // namespace orch::compiler
