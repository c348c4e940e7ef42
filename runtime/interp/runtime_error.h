// RuntimeError: why a workflow stopped. It carries the catchable `kind` the language
// shows as `e.kind` ("tool", "timeout", "transport", "fail", "runtime", "cancelled", ...),
// the registered diagnostic kind (E05xx) `run` renders, the source span of the failing
// instruction and the chain of workflow call sites that led there.
#pragma once

#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/source/source.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::interp {

struct RuntimeError {
  /// The kind a `catch` sees.
  std::string kind;
  std::string message;
  /// Which E05xx diagnostic describes it, with the arguments of its template.
  compiler::DiagKind diag = compiler::DiagKind::kRuntimeTypeError;
  std::vector<std::string> diag_args;
  /// The failing instruction.
  compiler::Span span;
  /// Workflow call sites, innermost first.
  std::vector<compiler::Span> call_sites;
  /// Extra `note:` and `help:` lines for the diagnostic (what the value held, a likely fix).
  std::vector<std::string> notes;
  std::vector<std::string> helps;

  /// The diagnostic for `run` to render (primary span, call chain as secondary labels).
  compiler::Diagnostic ToDiagnostic() const;
};

/// Converts an ErrorOr-level Error (from a value operation, a built-in or a server) into a
/// RuntimeError at `span`, choosing the diagnostic kind from the error's kind.
/// `what` names the call for tool errors ("std.read_file").
RuntimeError FromError(const Error& error, compiler::Span span, const std::string& what = "");

/// The error for reading field `name` of `record`, which lacks it: its note lists the
/// fields the record has, and a help line names one spelled like `name`.
RuntimeError MissingFieldError(const Record& record, const std::string& name, compiler::Span span);

}  // namespace orch::interp
