// The syntax error type of the grammar and the message table of its must<> points.
//
// Every rule that appears inside `must<>` has a `kError<Rule>` entry saying what was
// expected there ("a name after `let`"); parser.cpp's Control::raise() static_asserts that
// the entry exists, so a new must<> point cannot ship without its own message, and never
// shows a PEGTL rule name. The parser turns a SyntaxError into a Diagnostic: it adds what
// was found at the offset ("found `)`") and, for unclosed brackets, where the bracket was
// opened ("opened at 3:14", plus a secondary label there).
//
// PEGTL is included only by this header, grammar.hpp and compiler/parse/parser.cpp.
#pragma once

#include "grammar/grammar.hpp"

namespace orch::grammar {

template <typename Rule>
inline constexpr ErrorInfo kError{};

#define ORCH_EXPECT(Rule, What) \
  template <>                   \
  inline constexpr ErrorInfo kError<Rule>{ErrorKind::kExpected, What, {}};
#define ORCH_EXPECT_HELP(Rule, What, Help) \
  template <>                              \
  inline constexpr ErrorInfo kError<Rule>{ErrorKind::kExpected, What, Help};
#define ORCH_UNCLOSED(Rule, What) \
  template <>                     \
  inline constexpr ErrorInfo kError<Rule>{ErrorKind::kUnclosed, What, {}};
#define ORCH_ERROR(Rule, Kind, What, Help) \
  template <>                              \
  inline constexpr ErrorInfo kError<Rule>{ErrorKind::Kind, What, Help};

// --- Declarations --------------------------------------------------------------------
ORCH_EXPECT_HELP(declaration_line,
                 "a declaration (`use`, `server`, `import`, `type`, `workflow`, `agent` or `test`)",
                 "statements belong inside a `workflow` or `test` body")
ORCH_EXPECT_HELP(decl_end, "a new line or `;` after the declaration",
                 "put each declaration on its own line")
ORCH_EXPECT(use_name, "the server name after `use`")
ORCH_EXPECT_HELP(use_target, "the server's configured name as a string after `=`",
                 "write `use alias = \"server-name\"`")
ORCH_EXPECT(server_name, "a name after `server`")
ORCH_EXPECT_HELP(server_eq, "`=` after the server name",
                 "write `server name = stdio(\"command\", [\"arg\"])`")
ORCH_EXPECT_HELP(server_transport, "a transport (`stdio(…)` or `http(…)`) after `=`",
                 "write `server name = stdio(\"command\", [\"arg\"])`")
ORCH_EXPECT(server_args, "`(` and the transport's arguments")
ORCH_EXPECT(import_path, "the imported file's path as a string after `import`")
ORCH_EXPECT(type_decl_name, "a name after `type`")
ORCH_EXPECT(type_decl_eq, "`=` after the type name")
ORCH_EXPECT(type_decl_value, "a type after `=`")
ORCH_EXPECT(workflow_name, "a name after `workflow`")
ORCH_EXPECT_HELP(params, "`(` to start the parameter list", "a workflow without parameters is written `name()`")
ORCH_EXPECT_HELP(param_colon, "`:` and a type after the parameter name", "parameters need a type: `name: string`")
ORCH_EXPECT(param_type, "a type after `:`")
ORCH_EXPECT(param_default, "a default value after `=`")
ORCH_UNCLOSED(params_close, "`)` to close the parameter list")
ORCH_EXPECT(return_type, "a type after `->`")
ORCH_EXPECT_HELP(workflow_body, "`{` to start the workflow body", "a workflow is `workflow name(params) -> Type { … }`")
ORCH_EXPECT(agent_name, "a name after `agent`")
ORCH_EXPECT(agent_body, "`{` to start the agent body")
ORCH_EXPECT_HELP(agent_member_line, "`uses` or `workflow` in the agent body",
                 "an agent holds `uses server.tool, …` lines and `workflow` declarations")
ORCH_UNCLOSED(agent_close, "`}` to close the agent")
ORCH_EXPECT_HELP(tool_pattern, "a tool after `uses`", "write `uses server.tool`, `uses server.*` or `uses server`")
ORCH_EXPECT(tool_pattern_tool, "a tool name or `*` after `.`")
ORCH_EXPECT(test_name, "the test's name as a string after `test`")
ORCH_EXPECT(test_body, "`{` to start the test body")

// --- Statements ------------------------------------------------------------------------
ORCH_EXPECT(statement_line, "a statement")
ORCH_EXPECT_HELP(stmt_end, "a new line or `;` after the statement", "put each statement on its own line")
ORCH_UNCLOSED(block_close, "`}` to close the block")
ORCH_EXPECT(let_name, "a name after `let`")
ORCH_EXPECT_HELP(let_eq, "`=` and a value after the name", "`let` needs a value: `let name = value`")
ORCH_EXPECT(let_value, "a value after `=`")
ORCH_EXPECT(binding_type, "a type after `:`")
ORCH_EXPECT(var_name, "a name after `var`")
ORCH_EXPECT(var_value, "a value after `=`")
ORCH_EXPECT(assign_value, "a value after `=`")
ORCH_EXPECT(if_condition, "a condition after `if`")
ORCH_EXPECT_HELP(if_body, "`{` to start the body of the `if`", "conditions need no parentheses, bodies need braces: `if x > 1 { … }`")
ORCH_EXPECT(else_body, "`{` or `if` after `else`")
ORCH_EXPECT(for_variable, "a loop variable after `for`")
ORCH_EXPECT_HELP(for_in, "`in` after the loop variable", "write `for item in items { … }`")
ORCH_EXPECT(for_iterable, "a list to loop over after `in`")
ORCH_EXPECT(for_body, "`{` to start the loop body")
ORCH_EXPECT(parallel_body, "`{` to start the `parallel` block")
ORCH_EXPECT(try_body, "`{` to start the `try` block")
ORCH_EXPECT_HELP(try_catch, "`catch` after the `try` block", "write `try { … } catch e { … }`")
ORCH_EXPECT(catch_body, "`{` to start the `catch` block")
ORCH_EXPECT(fail_message, "a message after `fail`")
ORCH_EXPECT(log_message, "a message after `log`")
ORCH_EXPECT(assert_condition, "a condition after `assert`")
ORCH_EXPECT(assert_message, "a message after `,`")
ORCH_EXPECT_HELP(mock_target, "the mocked tool or workflow after `mock`", "write `mock server.tool => result`")
ORCH_EXPECT(mock_target_member, "a name after `.`")
ORCH_EXPECT_HELP(mock_arrow, "`=>` and the mocked result", "write `mock server.tool => result`")
ORCH_EXPECT(mock_result, "the mocked result after `=>`")

// --- Expressions -------------------------------------------------------------------------
ORCH_EXPECT(lambda_body, "the lambda's body after `=>`")
ORCH_EXPECT(conditional_test, "a condition after `if`")
ORCH_EXPECT(conditional_then, "`then` and the value when the condition holds (an `if` expression is `if c then a else b`)")
ORCH_EXPECT(conditional_then_value, "a value after `then`")
ORCH_EXPECT(conditional_else, "`else` and the value when the condition fails (an `if` expression needs both)")
ORCH_EXPECT(conditional_else_value, "a value after `else`")
ORCH_EXPECT(pipe_stage, "a function call after `|`")
ORCH_EXPECT(coalesce_rhs, "an expression after `??`")
ORCH_EXPECT(or_rhs, "an expression after `or`")
ORCH_EXPECT(and_rhs, "an expression after `and`")
ORCH_EXPECT(not_operand, "an expression after `not`")
ORCH_EXPECT(comparison_rhs, "an expression after the comparison operator")
ORCH_ERROR(no_chained_comparison, kChainedComparison, "comparison operators cannot be chained",
           "combine two comparisons with `and`: `a < b and b < c`")
ORCH_EXPECT(additive_rhs, "an expression after the operator")
ORCH_EXPECT(multiplicative_rhs, "an expression after the operator")
ORCH_EXPECT(negate_operand, "an expression after `-`")
ORCH_EXPECT(member_name, "a field name after `.`")
ORCH_EXPECT(optional_member, "a field name or `[` after `?.`")
ORCH_EXPECT(index_value, "an index expression inside `[ ]`")
ORCH_UNCLOSED(index_close, "`]` to close the index")
ORCH_EXPECT(argument_value, "an argument")
ORCH_UNCLOSED(call_close, "`)` to close the call")
ORCH_EXPECT_HELP(with_policies, "`{` and call policies after `with`", "write `call(…) with { timeout: 10s, retry: 3 }`")
ORCH_UNCLOSED(with_close, "`}` to close the call policies")
ORCH_EXPECT(paren_value, "an expression inside `( )`")
ORCH_UNCLOSED(paren_close, "`)` to close the parenthesis")
ORCH_UNCLOSED(list_close, "`]` to close the list")
ORCH_EXPECT(field_value, "a value after `:`")
ORCH_UNCLOSED(record_close, "`}` to close the record")
ORCH_ERROR(number_suffix, kUnknownDurationUnit, "a duration unit", "duration units are `ms`, `s`, `m` and `h`, as in `250ms`")
ORCH_EXPECT(exponent_digits, "digits after the exponent `e`")
ORCH_EXPECT(quoted_name_body, "a name between the backticks")
ORCH_EXPECT(quoted_name_close, "a closing backtick after the name")

// --- Strings -------------------------------------------------------------------------------
ORCH_ERROR(string_close, kUnterminatedString, "`\"` to close the string", "strings end on the line they start; write a line break as `\\n`")
ORCH_ERROR(escape_code, kUnknownEscape, "an escape sequence", "the escapes are `\\n` `\\t` `\\r` `\\\"` `\\\\` `\\$` and `\\u{…}`")
ORCH_EXPECT(unicode_open, "`{` after `\\u`, as in `\\u{1F600}`")
ORCH_EXPECT(unicode_digits, "1 to 6 hexadecimal digits in `\\u{…}`")
ORCH_EXPECT(unicode_close, "`}` to close `\\u{…}`")
ORCH_EXPECT(interpolation_value, "an expression inside `${ }`")
ORCH_ERROR(interpolation_close, kUnterminatedInterpolation, "`}` to close the interpolation", "an interpolation `${…}` ends on the line it starts")

// --- Types ---------------------------------------------------------------------------------
ORCH_EXPECT(union_member, "a type after `|`")
ORCH_EXPECT(list_type_element, "an element type inside `[ ]`")
ORCH_UNCLOSED(list_type_close, "`]` to close the list type")
ORCH_EXPECT_HELP(map_key_type, "`string` as the key type", "only string keys exist: `{[string]: T}`")
ORCH_EXPECT(map_key_close, "`]` after the key type")
ORCH_EXPECT(map_colon, "`:` after `[string]`")
ORCH_EXPECT(map_value_type, "the value type after `:`")
ORCH_EXPECT_HELP(field_type_colon, "`:` and a type after the field name", "record types list fields as `name: Type` or `name?: Type`")
ORCH_EXPECT(field_type_value, "a type after `:`")
ORCH_UNCLOSED(record_type_close, "`}` to close the record type")
ORCH_EXPECT(paren_type_value, "a type inside `( )`")
ORCH_UNCLOSED(paren_type_close, "`)` to close the parenthesis")

#undef ORCH_EXPECT
#undef ORCH_EXPECT_HELP
#undef ORCH_UNCLOSED
#undef ORCH_ERROR

}  // namespace orch::grammar
