// Values a request supplies, and what they are values of. "Show me the key <key_name> in
// the vault 'prod-kv'" supplies two values: a placeholder after "key" and a quoted string
// after "vault". A value is a `<placeholder>`, a quoted string, or an identifier-like token
// (letters with digits, or words joined by `-`, `_`, `.`, `/`, `:`, `@`; not hyphenated
// English such as "in-depth"); what it fills is named by
// the word before it ("key", skipping "the", "named", "called", …) or, when that word
// says nothing, by the placeholder's own last word (`for <key_name>` → key).
// The ranker holds these against a tool's parameters: a value filling a parameter means the
// request is about that specific item; a required parameter the request names without a
// value ("the keys") means a sibling tool is meant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/route/text.h"

namespace orch::route {

/// One value of a request: the analyzed terms that may name the parameter it fills.
struct RequestValue {
  std::vector<std::string> slot_terms;
};

/// The values of `query` whose slot could be named, in order of appearance.
std::vector<RequestValue> FindRequestValues(std::string_view query, const AnalyzerOptions& analyzer);

/// `chunk` without the sentence punctuation around it ("vm-01," → "vm-01", "(prod)" → "prod").
std::string_view TrimPunctuation(std::string_view chunk);

/// Whether `chunk` reads as an identifier: letters mixed with digits ("vm2"), or
/// alphanumerics joined by `-`, `_`, `.`, `/`, `:` or `@` ("prod-kv-01", "report.pdf"),
/// nothing else; lowercase words joined only by hyphens ("in-depth") are English, not names.
bool IsIdentifierLike(std::string_view chunk);

/// Whether a whitespace-delimited token of a request is (or opens) a value: a
/// `<placeholder>`, a quoted string, or an identifier-like token, punctuation aside.
bool IsValueToken(std::string_view token);

/// The term naming a parameter called `name` ("resource-group" → the term of "group",
/// "account_name" → "account"): its last word that is not a generic one (name, id). Empty
/// when the name has no such word.
std::string ParameterHead(std::string_view name, const AnalyzerOptions& analyzer);

}  // namespace orch::route
