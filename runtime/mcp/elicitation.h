// The elicitation policy: how orchestrator answers a server's `elicitation/create`
// request (a form the server wants the user to fill in). In order:
//   1. answers from a file (`--answers FILE`, or `answers:` in the configuration): a JSON
//      or YAML mapping of field name to value, optionally nested under the server's name;
//   2. on a terminal, an interactive prompt for each field still missing (Enter keeps the
//      schema's default);
//   3. the schema's `default` values;
// and the request is accepted when every required field has a value. Otherwise it is
// declined, and the notice callback says which field was missing and how to supply it.
// URL-mode requests (2025-11-25) are declined: orchestrator never opens a browser.
#pragma once

#include <functional>
#include <string>

#include "runtime/mcp/client_options.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::mcp {

struct ElicitationPolicyOptions {
  /// Answers file; empty for none.
  std::string answers_file;
  /// Prompt on the terminal (/dev/tty) for fields the answers do not give.
  bool interactive = false;
  /// Told about every decline (one line, lowercase, for stderr).
  std::function<void(const std::string& notice)> on_notice;
};

/// Builds the handler. The answers file is read once, now: a missing or malformed file
/// is an error of kind "config".
ErrorOr<ElicitationHandler> MakeElicitationHandler(ElicitationPolicyOptions options);

/// The non-interactive core, exposed for tests: fills `requestedSchema`'s fields from
/// `answers` (the record for this server), then from defaults; returns the ElicitResult.
/// `missing` receives the first required field with no value, when the result is a decline.
Value AnswerElicitation(const Value& params, const Value& answers, std::string* missing);

}  // namespace orch::mcp
