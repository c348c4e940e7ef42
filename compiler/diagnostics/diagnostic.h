// Diagnostic: the one error/warning type of every phase and of the runtime. Kinds are
// registered in kinds.def; phases report into a DiagnosticSink and never print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace orch::compiler {

enum class Severity : uint8_t { kError, kWarning, kNote };

enum class DiagKind : uint16_t {
#define ORCH_DIAG(Name, Severity, Code, Message, Explanation) k##Name,
#include "compiler/diagnostics/kinds.def"
  kCount
};

/// Static facts about a kind, from kinds.def.
struct DiagKindInfo {
  std::string_view name;
  Severity severity;
  std::string_view code;
  std::string_view message_template;
  std::string_view explanation;
};
const DiagKindInfo& InfoOf(DiagKind kind);
/// Looks a kind up by its code ("E0204"), case-insensitively.
std::optional<DiagKind> KindByCode(std::string_view code);
/// Every registered kind, in table order.
std::vector<DiagKind> AllKinds();
/// A one-line summary of `kind` for listings (`orchestrator explain --list`): its message
/// template with each argument shown as `…` ("cannot find type `…`"); for a template that
/// is only an argument ("{0}"), the first sentence of the explanation instead.
std::string SummaryOf(DiagKind kind);

/// A span with a short text drawn under it.
struct Label {
  Span span;
  std::string text;
};

/// A machine-applicable edit: replace `span` with `replacement`.
struct FixIt {
  Span span;
  std::string replacement;
};

struct Diagnostic {
  DiagKind kind{};
  Severity severity = Severity::kError;
  std::string message;
  Label primary;
  std::vector<Label> secondary;
  std::vector<std::string> notes;
  std::vector<std::string> help;
  std::vector<FixIt> fixits;

  std::string_view code() const { return InfoOf(kind).code; }

  // Builder helpers, so reporting sites read as one expression.
  Diagnostic& WithLabel(std::string text) & { primary.text = std::move(text); return *this; }
  Diagnostic& AddSecondary(Span span, std::string text) & { secondary.push_back({span, std::move(text)}); return *this; }
  Diagnostic& AddNote(std::string text) & { notes.push_back(std::move(text)); return *this; }
  Diagnostic& AddHelp(std::string text) & { help.push_back(std::move(text)); return *this; }
  Diagnostic& AddFix(Span span, std::string replacement) & { fixits.push_back({span, std::move(replacement)}); return *this; }
};

/// Builds a diagnostic of `kind` at `span`, formatting the kind's template with `args`.
Diagnostic MakeDiagnostic(DiagKind kind, Span span, const std::vector<std::string>& args = {});

/// Collects diagnostics from every phase.
class DiagnosticSink {
 public:
  /// Adds `diagnostic` and returns a reference to the stored copy for further building.
  Diagnostic& Report(Diagnostic diagnostic);
  /// Shorthand for Report(MakeDiagnostic(kind, span, args)).
  Diagnostic& Report(DiagKind kind, Span span, const std::vector<std::string>& args = {});
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  /// Orders diagnostics by file and position (stable for equal positions).
  void SortByPosition();

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
};

/// Closest candidate to `name` by edit distance, if one is close enough to suggest.
std::optional<std::string> SuggestSimilar(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace orch::compiler
