// RuntimeError → Diagnostic, and the mapping from error kinds to E05xx codes.
#include "runtime/interp/runtime_error.h"

#include <algorithm>

#include <fmt/format.h>

namespace orch::interp {
namespace {
/// Distinct call sites labelled on a runtime error; deeper chains are summarised in a note.
constexpr size_t kMaxShownCallSites = 8;
/// Field names listed when a record lacks the one read.
constexpr size_t kMaxListedFields = 12;
}  // namespace

compiler::Diagnostic RuntimeError::ToDiagnostic() const {
  std::vector<std::string> args = diag_args;
  if (args.empty()) args.push_back(message);
  compiler::Diagnostic d = compiler::MakeDiagnostic(diag, span, args);
  // Each distinct call site once: a recursion 200 calls deep repeats the same few sites,
  // and labelling every frame buried the error under hundreds of identical lines.
  std::vector<compiler::Span> shown;
  for (const compiler::Span& site : call_sites) {
    bool seen = std::find(shown.begin(), shown.end(), site) != shown.end();
    if (!seen && shown.size() < kMaxShownCallSites) shown.push_back(site);
  }
  for (const compiler::Span& site : shown) d.AddSecondary(site, "called from here");
  if (call_sites.size() > shown.size()) {
    d.AddNote(fmt::format("the failing step is {} workflow calls deep; each call site is labelled once",
                          call_sites.size()));
  }
  for (const std::string& note : notes) d.AddNote(note);
  for (const std::string& help : helps) d.AddHelp(help);
  if (kind == "tool" || kind == "timeout" || kind == "transport" || kind == "fail" || kind == "schema") {
    d.AddHelp(fmt::format("wrap the step in `try {{ … }} catch e {{ … }}` to handle it (`e.kind` is \"{}\")", kind));
  }
  return d;
}

namespace {

/// Splits a lower layer's message into its first lines (the diagnostic's own message) and
/// the `  = note: …` / `  = help: …` lines it carries (a server's stderr, a way out), so
/// they render below the source excerpt like every diagnostic's notes. Lines that follow a
/// note or help without a marker (quoted stderr) continue it.
std::string SplitNotes(const std::string& message, std::vector<std::string>& notes, std::vector<std::string>& helps) {
  std::string head;
  std::vector<std::string>* last = nullptr;
  size_t begin = 0;
  while (begin <= message.size()) {
    size_t end = message.find('\n', begin);
    if (end == std::string::npos) end = message.size();
    std::string_view line(message.data() + begin, end - begin);
    if (line.starts_with("  = note: ")) {
      notes.emplace_back(line.substr(10));
      last = &notes;
    } else if (line.starts_with("  = help: ")) {
      helps.emplace_back(line.substr(10));
      last = &helps;
    } else if (last != nullptr) {
      last->back() += "\n";
      last->back() += line;
    } else {
      if (!head.empty()) head += '\n';
      head += line;
    }
    begin = end + 1;
  }
  return head;
}

}  // namespace

RuntimeError FromError(const Error& error, compiler::Span span, const std::string& what) {
  RuntimeError r;
  r.kind = error.kind;
  r.message = error.message;
  r.span = span;
  std::string head = SplitNotes(error.message, r.notes, r.helps);
  using compiler::DiagKind;
  if (error.kind == "tool") {
    r.diag = DiagKind::kToolReturnedError;
    r.diag_args = {what, head};
  } else if (error.kind == "timeout") {
    r.diag = DiagKind::kCallTimedOut;
    r.diag_args = {what, head};
  } else if (error.kind == "cancelled" || error.kind == "interrupted") {
    r.kind = "cancelled";
    r.diag = DiagKind::kInterrupted;
    r.diag_args = {head};
  } else if (error.kind == "transport" || error.kind == "protocol" || error.kind == "rpc" || error.kind == "config" ||
             error.kind == "io") {
    r.kind = "transport";
    r.diag = DiagKind::kServerFailed;
    r.diag_args = {what, head};
  } else if (error.kind == "schema") {
    r.diag = DiagKind::kOutputSchemaViolation;
    r.diag_args = {head};
  } else if (error.kind == "fail") {
    r.diag = DiagKind::kWorkflowFailed;
    r.diag_args = {head};
  } else if (error.kind == "value" || error.kind == "json") {
    r.diag = DiagKind::kValueError;
    r.diag_args = {head};
  } else if (error.kind == "runtime") {
    bool arithmetic = head.find("by zero") != std::string::npos ||
                      head.find("overflow") != std::string::npos;
    r.diag = arithmetic ? DiagKind::kArithmeticError : DiagKind::kRuntimeTypeError;
    r.diag_args = {head};
  } else {
    r.diag = DiagKind::kRuntimeTypeError;
    r.diag_args = {head};
  }
  return r;
}

RuntimeError MissingFieldError(const Record& record, const std::string& name, compiler::Span span) {
  RuntimeError r;
  r.kind = "runtime";
  r.diag = compiler::DiagKind::kMissingField;
  r.diag_args = {name};
  r.span = span;
  r.message = fmt::format("the record has no field `{}`", name);
  std::vector<std::string> names;
  for (const auto& field : record) names.push_back(field.first);
  if (names.empty()) {
    r.notes.push_back("the record is empty");
    return r;
  }
  std::string listed;
  for (size_t i = 0; i < names.size() && i < kMaxListedFields; ++i) {
    listed += fmt::format("{}`{}`", i == 0 ? "" : ", ", names[i]);
  }
  if (names.size() > kMaxListedFields) listed += fmt::format(" and {} more", names.size() - kMaxListedFields);
  r.notes.push_back(fmt::format("the record's field{} {}", names.size() == 1 ? " is" : "s are", listed));
  if (auto similar = compiler::SuggestSimilar(name, names)) {
    r.helps.push_back(fmt::format("a field with a similar name exists: `{}`", *similar));
  } else {
    r.helps.push_back(fmt::format("read it with `?.{}` to get null when it is missing", name));
  }
  return r;
}

}  // namespace orch::interp
