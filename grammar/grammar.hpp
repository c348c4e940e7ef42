// The PEGTL grammar of `.orch` files (DESIGN.md §4): the single source of truth for the
// language's syntax. Rules only, no actions: compiler/parse/parser.cpp attaches a Control
// that records the selected rules into a flat syntax tree and turns it into the AST.
//
// Layout. Statements end at the end of a line or at `;`. Inside brackets (`( [ {` of calls,
// lists, records, parameters) newlines are padding, so an expression continues while a
// bracket is open; after a binary operator, `=`, `=>` or `,` the padding also crosses
// lines, and a line that starts with `|` continues the pipeline of the line before.
// The padding rules `_` and `__` ask the parse state which layout is active: statement
// blocks, brackets, or the inside of a string interpolation (never crosses a line).
//
// Depth. Every bracket, block and recursive operator goes through a guard that counts
// nesting and throws a SyntaxError past grammar::kMaxNestingDepth, so hostile input
// (10,000 `(`) gets one clean error instead of a stack overflow.
//
// Recovery. `recover<>` wraps a statement or declaration: on a syntax error it records
// the error, skips to the next plausible start and continues, so one run reports several
// errors.
//
// Custom rules need a parse state with the members documented on `GrammarState`.
// PEGTL is included only by this header, errors.hpp and compiler/parse/parser.cpp.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "grammar/tokens.h"

namespace orch::grammar {

namespace pegtl = tao::pegtl;

/// How padding treats newlines at the current position.
enum class Layout : uint8_t {
  kStatements,  ///< in a block: a newline ends the statement
  kBrackets,    ///< inside `( [ {`: newlines are padding
  kInline,      ///< inside `${…}`: nothing crosses a line, comments included
};

/// What a syntax error is about; the parser maps each to a diagnostic kind E01xx.
enum class ErrorKind : uint8_t {
  kNone,                       ///< no kError<> entry: a must<> point without a message
  kExpected,                   ///< E0101 expected {what}, found {found}
  kUnclosed,                   ///< E0102 expected {what} opened at L:C, found {found}
  kUnterminatedString,         ///< E0103
  kUnterminatedInterpolation,  ///< E0104
  kUnknownEscape,              ///< E0105
  kNestingTooDeep,             ///< E0107
  kChainedComparison,          ///< E0110
  kUnknownDurationUnit,        ///< E0111
};

/// One must<> point's message: `what` completes "expected …"; `help` is optional advice.
struct ErrorInfo {
  ErrorKind kind = ErrorKind::kNone;
  std::string_view what;
  std::string_view help;
};

/// Thrown by the parser's Control::raise() and by the depth guard; caught by recover<>
/// (statement/declaration level) or by the parser's entry point.
struct SyntaxError {
  ErrorInfo info;
  /// Byte offset of the error: where the unexpected input starts.
  uint32_t offset = 0;
  /// Byte offset of the bracket or quote the error is about (kUnclosed, unterminated).
  uint32_t opener = UINT32_MAX;
};

/// The part of the parse state the grammar's own custom rules use. The parser's state
/// derives from it and adds `Checkpoint()`, `Restore()` and `RecordError()` for recover<>.
struct GrammarState {
  /// Start of the text being parsed; offsets are relative to it.
  const char* base = nullptr;
  const char* end = nullptr;
  /// Open brackets, innermost last: where each was opened and the layout inside it.
  struct Open {
    uint32_t offset;
    Layout layout;
  };
  std::vector<Open> open;
  /// Nesting of recursive constructs (brackets, blocks, unary operators, lambdas).
  int depth = 0;
  /// End of the last token before the current padding (for "expected `)` here").
  uint32_t last_token_end = 0;
  /// Every comment seen, as [begin, end) offsets in source order (deduplicated).
  std::vector<std::pair<uint32_t, uint32_t>> comments;

  Layout layout() const { return open.empty() ? Layout::kStatements : open.back().layout; }
  uint32_t Offset(const char* p) const { return static_cast<uint32_t>(p - base); }
  void AddComment(const char* b, const char* e) {
    uint32_t begin = Offset(b);
    if (comments.empty() || comments.back().first < begin) comments.emplace_back(begin, Offset(e));
  }
};

/// Throws the nesting-depth error at `at`.
[[noreturn]] inline void ThrowNestingTooDeep(const GrammarState& state, const char* at) {
  throw SyntaxError{ErrorInfo{ErrorKind::kNestingTooDeep, "less nesting", "split the expression with `let` bindings"},
                    state.Offset(at), UINT32_MAX};
}

namespace internal {

/// Skips blanks, comments and (when `newlines`) line breaks; records comments.
template <typename Input>
void SkipPadding(Input& in, GrammarState& st, bool newlines, bool comments) {
  const char* p = in.current();
  const char* end = in.end();
  if (p > st.base) {
    char prev = p[-1];
    if (prev != ' ' && prev != '\t' && prev != '\r' && prev != '\n') st.last_token_end = st.Offset(p);
  }
  while (p < end) {
    char c = *p;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++p;
    } else if (c == '\n' && newlines) {
      ++p;
    } else if (c == '#' && comments) {
      const char* b = p;
      while (p < end && *p != '\n') ++p;
      st.AddComment(b, p);
    } else {
      break;
    }
  }
  in.bump(static_cast<std::size_t>(p - in.current()));
}

/// Finds the GrammarState among the parse states (always the first one).
template <typename State, typename... Rest>
GrammarState& StateOf(State& st, Rest&... /*rest*/) {
  return st;
}

}  // namespace internal

// clang-format off

// ---------------------------------------------------------------------------------------
// Padding
// ---------------------------------------------------------------------------------------

/// _ ::= (blank | comment)*, plus newlines inside brackets. Never fails.
struct _ {
  using rule_t = _;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename Input, typename... States>
  static bool match(Input& in, States&... st) {
    GrammarState& gs = internal::StateOf(st...);
    Layout layout = gs.layout();
    internal::SkipPadding(in, gs, layout == Layout::kBrackets, layout != Layout::kInline);
    return true;
  }
};

/// __ ::= (blank | comment | newline)*, except inside an interpolation. Never fails.
/// Used where the language lets a line continue: after `(`, `,`, `=`, `=>`, operators.
struct __ {
  using rule_t = __;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename Input, typename... States>
  static bool match(Input& in, States&... st) {
    GrammarState& gs = internal::StateOf(st...);
    Layout layout = gs.layout();
    internal::SkipPadding(in, gs, layout != Layout::kInline, layout != Layout::kInline);
    return true;
  }
};

/// Matches Open, then Body and Close with `layout` in force; Close is a must<> point whose
/// message names the opener. Counts toward the nesting limit.
template <typename Open, typename Body, typename Close, Layout kLayout = Layout::kBrackets>
struct bracketed {
  using rule_t = bracketed;
  using subs_t = pegtl::type_list<Open, Body, Close>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename Input, typename... States>
  static bool match(Input& in, States&... st) {
    GrammarState& gs = internal::StateOf(st...);
    auto marker = in.template mark<M>();
    const char* at = in.current();
    if (!pegtl::match<Open, A, pegtl::rewind_mode::dontcare, Action, Control>(in, st...)) return marker(false);
    if (gs.depth >= kMaxNestingDepth) ThrowNestingTooDeep(gs, at);
    Layout layout = gs.layout() == Layout::kInline && kLayout == Layout::kBrackets ? Layout::kInline : kLayout;
    ++gs.depth;
    gs.open.push_back({gs.Offset(at), layout});
    struct Leave {
      GrammarState& gs;
      size_t open_size;
      ~Leave() { --gs.depth; gs.open.resize(open_size); }
    } leave{gs, gs.open.size() - 1};
    bool ok = pegtl::match<pegtl::seq<Body, pegtl::must<Close>>, A, pegtl::rewind_mode::dontcare, Action, Control>(in, st...);
    return marker(ok);
  }
};

/// Matches Rule one nesting level deeper (recursive prefix operators, lambda bodies).
template <typename Rule>
struct nested {
  using rule_t = nested;
  using subs_t = pegtl::type_list<Rule>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename Input, typename... States>
  static bool match(Input& in, States&... st) {
    GrammarState& gs = internal::StateOf(st...);
    if (gs.depth >= kMaxNestingDepth) ThrowNestingTooDeep(gs, in.current());
    ++gs.depth;
    struct Leave {
      GrammarState& gs;
      ~Leave() { --gs.depth; }
    } leave{gs};
    return pegtl::match<Rule, A, M, Action, Control>(in, st...);
  }
};

/// Matches must<Rule>; on a SyntaxError, records it, skips input with `Skip` and succeeds,
/// so the enclosing repetition continues with the next statement or declaration.
/// The state provides Checkpoint(), Restore(checkpoint) and RecordError(error) -> bool
/// (false when too many errors were reported: the error is rethrown).
template <typename Rule, typename Skip>
struct recover {
  using rule_t = recover;
  using subs_t = pegtl::type_list<Rule>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename Input, typename State>
  static bool match(Input& in, State& st) {
    const char* start = in.current();
    auto checkpoint = st.Checkpoint();
    try {
      return pegtl::match<pegtl::must<Rule>, A, M, Action, Control>(in, st);
    } catch (const SyntaxError& error) {
      st.Restore(checkpoint);
      if (!st.RecordError(error)) throw;
      const char* resume = Skip::Resume(st, start, error);
      in.iterator() = resume;
      return true;
    }
  }
};

// ---------------------------------------------------------------------------------------
// Lexical rules
// ---------------------------------------------------------------------------------------

struct eol : pegtl::sor<pegtl::one<'\n'>, pegtl::string<'\r', '\n'>> {};
struct ident_first : pegtl::ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : pegtl::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct ident : pegtl::seq<ident_first, pegtl::star<ident_other>> {};

namespace kw {
#define ORCH_KEYWORD(Name, Spelling, Category) struct Name : TAO_PEGTL_KEYWORD(Spelling) {};
#include "grammar/tokens.def"
}  // namespace kw

/// Any reserved word (tokens.def): reads a whole identifier and looks it up, instead of
/// trying each keyword in turn.
struct keyword {
  using rule_t = keyword;
  using subs_t = pegtl::empty_list;
  template <typename Input>
  static bool match(Input& in) {
    const char* p = in.current();
    const char* end = in.end();
    auto is_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (p == end || !is_first(*p)) return false;
    const char* q = p + 1;
    while (q < end && (is_first(*q) || (*q >= '0' && *q <= '9'))) ++q;
    if (!IsKeyword(std::string_view(p, static_cast<size_t>(q - p)))) return false;
    in.bump(static_cast<size_t>(q - p));
    return true;
  }
};

// plain_name ::= ident - keyword
struct plain_name : pegtl::seq<pegtl::not_at<keyword>, ident> {};
struct quoted_name_body : pegtl::plus<pegtl::not_one<'`', '\n', '\r'>> {};
struct quoted_name_close : pegtl::one<'`'> {};
// quoted_name ::= '`' (any character but '`' and newline)+ '`'
struct quoted_name : pegtl::seq<pegtl::one<'`'>, pegtl::must<quoted_name_body>, pegtl::must<quoted_name_close>> {};
// name ::= plain_name | quoted_name
struct name : pegtl::sor<quoted_name, plain_name> {};
// label ::= ident | quoted_name      (a field, argument or tool name after `.`, or before `:`:
//                                     reserved words are allowed there, as JSON data and tool
//                                     schemas use them: `block.type`, `{ type: "text" }`)
struct label_word : ident {};
struct label : pegtl::sor<quoted_name, label_word> {};

struct digits : pegtl::plus<pegtl::digit> {};
struct fraction : pegtl::seq<pegtl::one<'.'>, digits> {};
struct exponent_digits : digits {};
struct exponent : pegtl::seq<pegtl::one<'e', 'E'>, pegtl::opt<pegtl::one<'+', '-'>>, pegtl::must<exponent_digits>> {};
// duration_unit ::= 'ms' | 's' | 'm' | 'h'      (directly after the number)
struct duration_unit : pegtl::seq<pegtl::sor<
#define ORCH_DURATION_UNIT(Name, Suffix, Milliseconds) TAO_PEGTL_STRING(Suffix),
#include "grammar/tokens.def"
    pegtl::failure>, pegtl::not_at<ident_other>> {};
/// A number directly followed by letters that are not a unit (`10x`, `5min`).
struct number_suffix : pegtl::not_at<ident_other> {};
// number ::= digit+ ['.' digit+] [('e' | 'E') ['+' | '-'] digit+] [duration_unit]
struct number : pegtl::seq<digits, pegtl::opt<fraction>, pegtl::opt<exponent>, pegtl::opt<duration_unit>,
                           pegtl::must<number_suffix>> {};

struct expression;
struct string_text : pegtl::plus<pegtl::sor<pegtl::not_one<'"', '\\', '$', '\n', '\r'>,
                                            pegtl::seq<pegtl::one<'$'>, pegtl::not_at<pegtl::one<'{'>>>>> {};
struct unicode_open : pegtl::one<'{'> {};
struct unicode_digits : pegtl::rep_min_max<1, 6, pegtl::xdigit> {};
struct unicode_close : pegtl::one<'}'> {};
struct unicode_escape : pegtl::seq<pegtl::one<'u'>, pegtl::must<unicode_open>, pegtl::must<unicode_digits>,
                                   pegtl::must<unicode_close>> {};
struct escape_code : pegtl::sor<pegtl::one<'n', 't', 'r', '"', '\\', '$'>, unicode_escape> {};
// escape ::= '\\' ('n' | 't' | 'r' | '"' | '\\' | '$' | 'u{' hex_digit+ '}')
struct escape : pegtl::seq<pegtl::one<'\\'>, pegtl::must<escape_code>> {};
struct interpolation_value : pegtl::seq<expression> {};
struct interpolation_close : pegtl::one<'}'> {};
struct interpolation : bracketed<TAO_PEGTL_STRING("${"), pegtl::seq<_, pegtl::must<interpolation_value>, _>,
                                 interpolation_close, Layout::kInline> {};
struct string_body : pegtl::star<pegtl::sor<string_text, escape, interpolation>> {};
struct string_close : pegtl::one<'"'> {};
// string ::= '"' (text | escape | '${' expression '}')* '"'      (on one line)
struct string : bracketed<pegtl::one<'"'>, string_body, string_close, Layout::kInline> {};

// ---------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------

struct type_expr;
struct comma : pegtl::seq<_, pegtl::one<','>, __> {};

// list_type ::= '[' type ']'
struct list_type_element : pegtl::seq<type_expr> {};
struct list_type_close : pegtl::one<']'> {};
struct list_type : bracketed<pegtl::one<'['>, pegtl::seq<__, pegtl::must<list_type_element>, __>, list_type_close> {};

struct map_key_type : pegtl::seq<TAO_PEGTL_KEYWORD("string")> {};
struct map_key_close : pegtl::one<']'> {};
struct map_colon : pegtl::one<':'> {};
struct map_value_type : pegtl::seq<type_expr> {};
struct map_type_body : pegtl::seq<pegtl::one<'['>, __, pegtl::must<map_key_type>, __, pegtl::must<map_key_close>, __,
                                  pegtl::must<map_colon>, __, pegtl::must<map_value_type>, __,
                                  pegtl::opt<pegtl::one<','>, __>> {};
struct map_type_open : pegtl::seq<pegtl::one<'{'>, __, pegtl::at<pegtl::one<'['>>> {};
// field_type ::= (label | string) ['?'] ':' type
struct field_type_optional : pegtl::one<'?'> {};
struct field_type_colon : pegtl::one<':'> {};
struct field_type_value : pegtl::seq<type_expr> {};
struct field_type : pegtl::seq<pegtl::sor<label, string>, _, pegtl::opt<field_type_optional>, _,
                               pegtl::must<field_type_colon>, __, pegtl::must<field_type_value>> {};
struct record_type_fields : pegtl::seq<__, pegtl::opt<pegtl::list_tail<field_type, comma>>, __> {};
struct record_type_close : pegtl::one<'}'> {};
// map_type ::= '{' '[' 'string' ']' ':' type [','] '}'
struct map_type : bracketed<map_type_open, map_type_body, record_type_close> {};
// record_type ::= '{' [field_type (',' field_type)* [',']] '}'
struct record_type : bracketed<pegtl::one<'{'>, record_type_fields, record_type_close> {};
struct paren_type_value : pegtl::seq<type_expr> {};
struct paren_type_close : pegtl::one<')'> {};
struct paren_type : bracketed<pegtl::one<'('>, pegtl::seq<__, pegtl::must<paren_type_value>, __>, paren_type_close> {};
struct null_type : kw::Null {};
struct named_type : name {};
struct string_type : string {};
// primary_type ::= list_type | map_type | record_type | '(' type ')' | string | 'null' | name
struct primary_type : pegtl::sor<list_type, map_type, record_type, paren_type, string_type, null_type, named_type> {};
// optional_type ::= primary_type '?'*
struct optional_mark : pegtl::one<'?'> {};
struct optional_type : pegtl::seq<primary_type, pegtl::star<optional_mark>> {};
// type ::= optional_type ('|' optional_type)*
struct union_member : pegtl::seq<optional_type> {};
struct union_sep : pegtl::seq<__, pegtl::one<'|'>> {};
struct type_expr : pegtl::seq<optional_type, pegtl::star<union_sep, __, pegtl::must<union_member>>> {};

// ---------------------------------------------------------------------------------------
// Expressions (precedence low → high: lambda, |, ??, or, and, not, comparison, + -, * / %,
// unary -, postfix, primary)
// ---------------------------------------------------------------------------------------

struct fat_arrow : TAO_PEGTL_STRING("=>") {};

// record_field ::= (label | string) ':' expression | name      (`{ x }` means `{ x: x }`)
struct field_value : pegtl::seq<expression> {};
struct field_key : pegtl::sor<pegtl::seq<label, pegtl::at<_, pegtl::one<':'>>>, name, string> {};
struct record_field : pegtl::seq<field_key, pegtl::opt<_, pegtl::one<':'>, __, pegtl::must<field_value>>> {};
struct record_fields : pegtl::seq<__, pegtl::opt<pegtl::list_tail<record_field, comma>>, __> {};
struct record_close : pegtl::one<'}'> {};
// record ::= '{' [record_field (',' record_field)* [',']] '}'
struct record : bracketed<pegtl::one<'{'>, record_fields, record_close> {};

// list ::= '[' [expression (',' expression)* [',']] ']'
struct list_element : pegtl::seq<expression> {};
struct list_close : pegtl::one<']'> {};
struct list : bracketed<pegtl::one<'['>, pegtl::seq<__, pegtl::opt<pegtl::list_tail<list_element, comma>>, __>,
                        list_close> {};

struct paren_value : pegtl::seq<expression> {};
struct paren_close : pegtl::one<')'> {};
struct paren : bracketed<pegtl::one<'('>, pegtl::seq<__, pegtl::must<paren_value>, __>, paren_close> {};

struct true_literal : kw::True {};
struct false_literal : kw::False {};
struct null_literal : kw::Null {};
struct name_ref : name {};
// primary ::= number | string | true | false | null | list | record | '(' expression ')' | name
struct primary : pegtl::sor<number, string, true_literal, false_literal, null_literal, list, record, paren,
                            name_ref> {};

// arguments ::= '(' [argument (',' argument)* [',']] ')'      argument ::= [label ':'] expression
struct argument_name : pegtl::seq<label, _, pegtl::one<':'>, pegtl::not_at<pegtl::one<':'>>> {};
struct argument_value : pegtl::seq<expression> {};
struct named_argument : pegtl::seq<argument_name, __, pegtl::must<argument_value>> {};
struct positional_argument : pegtl::seq<expression> {};
struct argument : pegtl::sor<named_argument, positional_argument> {};
struct call_close : pegtl::one<')'> {};
struct call_args : bracketed<pegtl::one<'('>, pegtl::seq<__, pegtl::opt<pegtl::list_tail<argument, comma>>, __>,
                             call_close> {};

struct member_name : label {};
struct member : pegtl::seq<pegtl::one<'.'>, _, pegtl::must<member_name>> {};
struct index_value : pegtl::seq<expression> {};
struct index_close : pegtl::one<']'> {};
struct index : bracketed<pegtl::one<'['>, pegtl::seq<__, pegtl::must<index_value>, __>, index_close> {};
struct optional_index : index {};
struct optional_field : member_name {};
struct optional_member : pegtl::sor<optional_index, optional_field> {};
struct optional_chain : pegtl::seq<TAO_PEGTL_STRING("?."), _, pegtl::must<optional_member>> {};
struct with_close : pegtl::one<'}'> {};
struct with_policies : bracketed<pegtl::one<'{'>, record_fields, with_close> {};
struct with_clause : pegtl::seq<kw::With, _, pegtl::must<with_policies>> {};
// postfix ::= primary ('.' label | '?.' label | '?.' '[' expression ']' | '[' expression ']' | arguments
//              | 'with' record)*
struct postfix_op : pegtl::seq<_, pegtl::sor<optional_chain, member, index, call_args, with_clause>> {};
struct postfix : pegtl::seq<primary, pegtl::star<postfix_op>> {};

// unary ::= '-' unary | postfix
struct negate_op : pegtl::seq<pegtl::one<'-'>, pegtl::not_at<pegtl::one<'>'>>> {};
struct unary;
struct negate_operand : nested<unary> {};
struct negate : pegtl::seq<negate_op, _, pegtl::must<negate_operand>> {};
struct unary : pegtl::sor<negate, postfix> {};

// multiplicative ::= unary (('*' | '/' | '%') unary)*
struct multiplicative_op : pegtl::one<'*', '/', '%'> {};
struct multiplicative_rhs : pegtl::seq<unary> {};
struct multiplicative : pegtl::seq<unary, pegtl::star<_, multiplicative_op, __, pegtl::must<multiplicative_rhs>>> {};

// additive ::= multiplicative (('+' | '-') multiplicative)*
struct additive_op : pegtl::sor<pegtl::one<'+'>, pegtl::seq<pegtl::one<'-'>, pegtl::not_at<pegtl::one<'>'>>>> {};
struct additive_rhs : pegtl::seq<multiplicative> {};
struct additive : pegtl::seq<multiplicative, pegtl::star<_, additive_op, __, pegtl::must<additive_rhs>>> {};

// comparison ::= additive [('==' | '!=' | '<=' | '>=' | '<' | '>' | 'in') additive]   (non-associative)
struct comparison_op : pegtl::sor<TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="),
                                  TAO_PEGTL_STRING(">="), pegtl::one<'<'>, pegtl::one<'>'>, kw::In> {};
struct comparison_rhs : pegtl::seq<additive> {};
struct no_chained_comparison : pegtl::not_at<_, comparison_op> {};
struct comparison : pegtl::seq<additive, pegtl::opt<_, comparison_op, __, pegtl::must<comparison_rhs>,
                                                    pegtl::must<no_chained_comparison>>> {};

struct not_expr;
struct not_operand : nested<not_expr> {};
struct not_op : kw::Not {};
struct logical_not : pegtl::seq<not_op, _, pegtl::must<not_operand>> {};
// not ::= 'not' not | comparison
struct not_expr : pegtl::sor<logical_not, comparison> {};

struct and_op : kw::And {};
struct and_rhs : pegtl::seq<not_expr> {};
// and ::= not ('and' not)*
struct and_expr : pegtl::seq<not_expr, pegtl::star<_, and_op, __, pegtl::must<and_rhs>>> {};
struct or_op : kw::Or {};
struct or_rhs : pegtl::seq<and_expr> {};
// or ::= and ('or' and)*
struct or_expr : pegtl::seq<and_expr, pegtl::star<_, or_op, __, pegtl::must<or_rhs>>> {};
struct coalesce_op : TAO_PEGTL_STRING("??") {};
struct coalesce_rhs : pegtl::seq<or_expr> {};
// coalesce ::= or ('??' or)*
struct coalesce : pegtl::seq<or_expr, pegtl::star<_, coalesce_op, __, pegtl::must<coalesce_rhs>>> {};

// pipeline ::= coalesce ('|' coalesce)*        (a line starting with `|` continues)
struct pipe_op : pegtl::seq<pegtl::one<'|'>, pegtl::not_at<pegtl::one<'|'>>> {};
struct pipe_stage : pegtl::seq<coalesce> {};
struct pipeline : pegtl::seq<coalesce, pegtl::star<__, pipe_op, __, pegtl::must<pipe_stage>>> {};

// lambda ::= (name | '(' [name [':' type] (',' name [':' type])* [',']] ')') '=>' expression
struct lambda_param_type : pegtl::seq<type_expr> {};
struct lambda_param : pegtl::seq<name, pegtl::opt<_, pegtl::one<':'>, __, lambda_param_type>> {};
struct lambda_params_parenthesized : pegtl::seq<pegtl::one<'('>, __, pegtl::opt<pegtl::list_tail<lambda_param, comma>>,
                                                __, pegtl::one<')'>> {};
struct lambda_params : pegtl::sor<lambda_params_parenthesized, name> {};
struct lambda_body : nested<expression> {};
/// Lookahead: does a lambda start here (`name =>` or `( … ) =>`)? Scans only characters
/// that can appear in a parameter list, so `(a + b)` is rejected at the `+` and ordinary
/// expressions are not parsed twice.
struct lambda_ahead {
  using rule_t = lambda_ahead;
  using subs_t = pegtl::empty_list;
  template <typename Input>
  static bool match(Input& in) {
    const char* p = in.current();
    const char* end = in.end();
    auto ident = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    if (p < end && *p == '(') {
      int depth = 0;
      for (; p < end; ++p) {
        char c = *p;
        if (c == '(') {
          if (++depth > 1) return false;  // parameter lists hold no parentheses
        } else if (c == ')') {
          ++p;
          break;
        } else if (c == '`') {
          for (++p; p < end && *p != '`' && *p != '\n'; ++p) {
          }
        } else if (!(ident(c) || blank(c) || c == ',' || c == ':' || c == '?' || c == '|' || c == '[' ||
                     c == ']' || c == '{' || c == '}' || c == '"')) {
          return false;
        }
      }
    } else if (p < end && *p == '`') {
      for (++p; p < end && *p != '`' && *p != '\n'; ++p) {
      }
      if (p == end) return false;
      ++p;
    } else if (p < end && ident(*p) && !(*p >= '0' && *p <= '9')) {
      while (p < end && ident(*p)) ++p;
    } else {
      return false;
    }
    while (p < end && (*p == ' ' || *p == '\t')) ++p;
    return end - p >= 2 && p[0] == '=' && p[1] == '>';
  }
};
struct lambda : pegtl::seq<pegtl::at<lambda_ahead>, lambda_params, _, fat_arrow, __, pegtl::must<lambda_body>> {};

// conditional ::= 'if' expression 'then' expression 'else' expression
//                                    (an expression; `else` is required, and its branch
//                                     extends as far right as it can, like a lambda's body)
struct conditional_test : nested<expression> {};
struct conditional_then : kw::Then {};
struct conditional_then_value : nested<expression> {};
struct conditional_else : kw::Else {};
struct conditional_else_value : nested<expression> {};
struct conditional : pegtl::seq<kw::If, __, pegtl::must<conditional_test>, __, pegtl::must<conditional_then>, __,
                                pegtl::must<conditional_then_value>, __, pegtl::must<conditional_else>, __,
                                pegtl::must<conditional_else_value>> {};

// expression ::= lambda | conditional | pipeline
struct expression : pegtl::sor<lambda, conditional, pipeline> {};

// ---------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------

struct statement;
struct block_close : pegtl::one<'}'> {};
/// Skip policy of statement recovery (implemented by the parser).
struct skip_statement {
  template <typename State>
  static const char* Resume(State& st, const char* start, const SyntaxError& error) {
    return st.ResumeAfterStatement(start, error);
  }
};
struct statement_line;
struct block_items : pegtl::seq<__, pegtl::star<pegtl::not_at<pegtl::one<'}'>>, pegtl::not_at<pegtl::eof>,
                                                recover<statement_line, skip_statement>, __>> {};
// block ::= '{' statement* '}'
struct block : bracketed<pegtl::one<'{'>, block_items, block_close, Layout::kStatements> {};

struct assign_op : pegtl::seq<pegtl::one<'='>, pegtl::not_at<pegtl::one<'=', '>'>>> {};
struct binding_type : pegtl::seq<type_expr> {};
struct type_annotation : pegtl::seq<pegtl::one<':'>, __, pegtl::must<binding_type>> {};

// let ::= 'let' name [':' type] '=' expression
struct let_name : name {};
struct let_eq : assign_op {};
struct let_value : pegtl::seq<expression> {};
struct let_stmt : pegtl::seq<kw::Let, _, pegtl::must<let_name>, pegtl::opt<_, type_annotation>, _,
                             pegtl::must<let_eq>, __, pegtl::must<let_value>> {};

// var ::= 'var' name [':' type] ['=' expression]
struct var_name : name {};
struct var_value : pegtl::seq<expression> {};
struct var_stmt : pegtl::seq<kw::Var, _, pegtl::must<var_name>, pegtl::opt<_, type_annotation>,
                             pegtl::opt<_, assign_op, __, pegtl::must<var_value>>> {};

// if ::= 'if' expression block ['else' (if | block)]
struct if_condition : pegtl::seq<expression> {};
struct if_body : block {};
struct if_stmt;
struct else_if : pegtl::seq<if_stmt> {};
struct else_block : block {};
struct else_body : pegtl::sor<else_if, else_block> {};
struct else_clause : pegtl::seq<__, kw::Else, _, pegtl::must<else_body>> {};
struct if_stmt : pegtl::seq<kw::If, _, pegtl::must<if_condition>, _, pegtl::must<if_body>, pegtl::opt<else_clause>> {};

// for ::= 'for' name 'in' expression ['parallel' ['(' arguments ')']] block
struct for_variable : name {};
struct for_in : kw::In {};
struct for_iterable : pegtl::seq<expression> {};
struct for_parallel : pegtl::seq<kw::Parallel, pegtl::opt<_, call_args>> {};
struct for_body : block {};
struct for_stmt : pegtl::seq<kw::For, _, pegtl::must<for_variable>, _, pegtl::must<for_in>, _,
                             pegtl::must<for_iterable>, _, pegtl::opt<for_parallel, _>, pegtl::must<for_body>> {};

// parallel ::= 'parallel' block
struct parallel_body : block {};
struct parallel_stmt : pegtl::seq<kw::Parallel, _, pegtl::must<parallel_body>> {};

// try ::= 'try' block 'catch' [name] block
struct try_body : block {};
struct try_catch : kw::Catch {};
struct catch_name : name {};
struct catch_body : block {};
struct try_stmt : pegtl::seq<kw::Try, _, pegtl::must<try_body>, __, pegtl::must<try_catch>, _,
                             pegtl::opt<catch_name, _>, pegtl::must<catch_body>> {};

struct return_value : pegtl::seq<expression> {};
// return ::= 'return' [expression]
struct return_stmt : pegtl::seq<kw::Return, pegtl::opt<_, return_value>> {};
struct fail_message : pegtl::seq<expression> {};
// fail ::= 'fail' expression
struct fail_stmt : pegtl::seq<kw::Fail, _, pegtl::must<fail_message>> {};
struct log_message : pegtl::seq<expression> {};
// log ::= 'log' expression
struct log_stmt : pegtl::seq<kw::Log, _, pegtl::must<log_message>> {};

// assert ::= 'assert' expression [',' expression]
struct assert_condition : pegtl::seq<expression> {};
struct assert_message : pegtl::seq<expression> {};
struct assert_stmt : pegtl::seq<kw::Assert, _, pegtl::must<assert_condition>,
                                pegtl::opt<_, pegtl::one<','>, __, pegtl::must<assert_message>>> {};

// mock ::= 'mock' name ('.' label)* [arguments] '=>' expression
struct mock_target_member : label {};
struct mock_target : pegtl::seq<name, pegtl::star<_, pegtl::one<'.'>, _, pegtl::must<mock_target_member>>> {};
struct mock_pattern : call_args {};
struct mock_arrow : fat_arrow {};
struct mock_result : pegtl::seq<expression> {};
struct mock_stmt : pegtl::seq<kw::Mock, _, pegtl::must<mock_target>, _, pegtl::opt<mock_pattern, _>,
                              pegtl::must<mock_arrow>, __, pegtl::must<mock_result>> {};

// expression_statement ::= expression ['=' expression]
struct assign_value : pegtl::seq<expression> {};
struct assignment : pegtl::seq<_, assign_op, __, pegtl::must<assign_value>> {};
struct expression_stmt : pegtl::seq<expression, pegtl::opt<assignment>> {};

// statement ::= let | var | if | for | parallel | try | return | fail | log | assert | mock
//               | expression_statement
struct statement : pegtl::sor<let_stmt, var_stmt, if_stmt, for_stmt, parallel_stmt, try_stmt, return_stmt,
                              fail_stmt, log_stmt, assert_stmt, mock_stmt, expression_stmt> {};
struct stmt_end : pegtl::sor<pegtl::one<';'>, eol, pegtl::at<pegtl::one<'}'>>, pegtl::eof> {};
// statement_line ::= statement (newline | ';' | before '}')
struct statement_line : pegtl::seq<statement, _, pegtl::must<stmt_end>> {};

// ---------------------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------------------

// use ::= 'use' name ['=' string]
struct use_name : name {};
struct use_target : string {};
struct use_decl : pegtl::seq<kw::Use, _, pegtl::must<use_name>, pegtl::opt<_, assign_op, _, pegtl::must<use_target>>> {};

// server ::= 'server' name '=' name arguments
struct server_name : name {};
struct server_eq : assign_op {};
struct server_transport : name {};
struct server_args : call_args {};
struct server_decl : pegtl::seq<kw::Server, _, pegtl::must<server_name>, _, pegtl::must<server_eq>, _,
                                pegtl::must<server_transport>, _, pegtl::must<server_args>> {};

// import ::= 'import' string
struct import_path : string {};
struct import_decl : pegtl::seq<kw::Import, _, pegtl::must<import_path>> {};

// type_decl ::= 'type' name '=' ['|'] type      (a leading `|` allows one member per line)
struct type_decl_name : name {};
struct type_decl_eq : assign_op {};
struct type_decl_value : pegtl::seq<type_expr> {};
struct type_decl_leading_bar : pegtl::seq<pegtl::one<'|'>, __> {};
struct type_decl : pegtl::seq<kw::Type, _, pegtl::must<type_decl_name>, _, pegtl::must<type_decl_eq>, __,
                              pegtl::opt<type_decl_leading_bar>, pegtl::must<type_decl_value>> {};

// workflow ::= 'workflow' name '(' [param (',' param)* [',']] ')' ['->' type] block
// param ::= name ':' type ['=' expression]
struct workflow_name : name {};
struct param_colon : pegtl::one<':'> {};
struct param_type : pegtl::seq<type_expr> {};
struct param_default : pegtl::seq<expression> {};
struct param : pegtl::seq<name, _, pegtl::must<param_colon>, __, pegtl::must<param_type>,
                          pegtl::opt<_, assign_op, __, pegtl::must<param_default>>> {};
struct params_close : pegtl::one<')'> {};
struct params : bracketed<pegtl::one<'('>, pegtl::seq<__, pegtl::opt<pegtl::list_tail<param, comma>>, __>,
                          params_close> {};
struct return_arrow : TAO_PEGTL_STRING("->") {};
struct return_type : pegtl::seq<type_expr> {};
struct workflow_body : block {};
struct workflow_decl : pegtl::seq<kw::Workflow, _, pegtl::must<workflow_name>, _, pegtl::must<params>, _,
                                  pegtl::opt<return_arrow, _, pegtl::must<return_type>, _>,
                                  pegtl::must<workflow_body>> {};

struct tool_pattern_wildcard : pegtl::one<'*'> {};
struct tool_pattern_tool : pegtl::sor<tool_pattern_wildcard, name> {};
// tool_pattern ::= name ['.' (name | '*')]
struct tool_pattern : pegtl::seq<name, pegtl::opt<_, pegtl::one<'.'>, _, pegtl::must<tool_pattern_tool>>> {};
// uses ::= 'uses' tool_pattern (',' tool_pattern)*
struct uses_decl : pegtl::seq<kw::Uses, _, pegtl::must<tool_pattern>,
                              pegtl::star<comma, pegtl::must<tool_pattern>>> {};

// agent ::= 'agent' name '{' (uses | workflow)* '}'
struct agent_name : name {};
struct agent_open : pegtl::one<'{'> {};
struct agent_member : pegtl::sor<uses_decl, workflow_decl> {};
struct agent_member_line : pegtl::seq<agent_member, _, pegtl::must<stmt_end>> {};
struct agent_items : pegtl::seq<__, pegtl::star<pegtl::not_at<pegtl::one<'}'>>, pegtl::not_at<pegtl::eof>,
                                                recover<agent_member_line, skip_statement>, __>> {};
struct agent_close : pegtl::one<'}'> {};
struct agent_body : bracketed<agent_open, agent_items, agent_close, Layout::kStatements> {};
struct agent_decl : pegtl::seq<kw::Agent, _, pegtl::must<agent_name>, _, pegtl::must<agent_body>> {};

// test ::= 'test' string block
struct test_name : string {};
struct test_body : block {};
struct test_decl : pegtl::seq<kw::Test, _, pegtl::must<test_name>, _, pegtl::must<test_body>> {};

// declaration ::= use | server | import | type_decl | workflow | agent | test
struct declaration : pegtl::sor<use_decl, server_decl, import_decl, type_decl, workflow_decl, agent_decl,
                                test_decl> {};
struct decl_end : pegtl::sor<pegtl::one<';'>, eol, pegtl::eof> {};
// declaration_line ::= declaration (newline | ';' | end of file)
struct declaration_line : pegtl::seq<declaration, _, pegtl::must<decl_end>> {};

/// Skip policy of declaration recovery (implemented by the parser).
struct skip_declaration {
  template <typename State>
  static const char* Resume(State& st, const char* start, const SyntaxError& error) {
    return st.ResumeAfterDeclaration(start, error);
  }
};

// file ::= declaration_line*        (comments, including a first-line shebang, are padding)
struct file : pegtl::seq<__, pegtl::star<pegtl::not_at<pegtl::eof>, recover<declaration_line, skip_declaration>, __>,
                         pegtl::eof> {};

// clang-format on

}  // namespace orch::grammar

namespace tao::pegtl {

// Custom rules tell the grammar analysis how they consume input.
template <typename Name>
struct analyze_traits<Name, orch::grammar::_> : analyze_opt_traits<> {};
template <typename Name>
struct analyze_traits<Name, orch::grammar::keyword> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, orch::grammar::lambda_ahead> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, orch::grammar::__> : analyze_opt_traits<> {};
template <typename Name, typename Open, typename Body, typename Close, orch::grammar::Layout L>
struct analyze_traits<Name, orch::grammar::bracketed<Open, Body, Close, L>> : analyze_seq_traits<Open, Body, Close> {};
template <typename Name, typename Rule>
struct analyze_traits<Name, orch::grammar::nested<Rule>> : analyze_seq_traits<Rule> {};
template <typename Name, typename Rule, typename Skip>
struct analyze_traits<Name, orch::grammar::recover<Rule, Skip>> : analyze_seq_traits<Rule> {};

}  // namespace tao::pegtl
