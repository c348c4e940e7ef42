// The arguments of `tools call`, read against the tool's inputSchema. A `--arg` value is
// JSON when it parses, except for a string parameter, which takes the text as written
// (`--arg zip=02134` stays "02134"). Before the call, missing required arguments, names
// the tool does not take and values of the wrong type are reported with the parameter
// list and a did-you-mean, instead of as the server's own validation message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::cli::tools {

/// One `--arg NAME=VALUE` as written.
struct RawArgument {
  std::string name;
  std::string text;
};

/// Splits `NAME=VALUE`; an error (kind "usage") without a name or `=`.
ErrorOr<RawArgument> SplitArgument(const std::string& written);

/// The arguments record: `base` (from --args-json, a record or null) with each raw
/// argument set on it, later ones winning. `input_schema` may be null (no schema known).
Value BuildArguments(const Value& base, const std::vector<RawArgument>& raw, const Value& input_schema);

/// Nullopt when `arguments` suit `input_schema`; otherwise what is wrong, with `help:`
/// lines. `call` is how to call the tool (`orchestrator tools call server/tool`).
std::optional<std::string> CheckArguments(const Value& arguments, const Value& input_schema, const std::string& call);

}  // namespace orch::cli::tools
