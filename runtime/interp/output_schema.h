// OutputSchemaValidator: checks a tool's structuredContent against the tool's declared
// `outputSchema` at run time, so a server that breaks its own contract is caught at the
// step that called it (naming the offending field) instead of surfacing later as a
// confusing null or type error. JSON Schema validation is valijson's (draft 7 keywords);
// this file adapts orch::Value to it and words the first error for a person.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::interp {

class OutputSchemaValidator {
 public:
  ~OutputSchemaValidator();
  OutputSchemaValidator(const OutputSchemaValidator&) = delete;
  OutputSchemaValidator& operator=(const OutputSchemaValidator&) = delete;

  /// Compiles `schema` (a JSON Schema record). A schema valijson cannot use (a remote
  /// `$ref`, a malformed keyword) is an error of kind "schema" saying why.
  static ErrorOr<std::unique_ptr<OutputSchemaValidator>> Compile(const Value& schema);

  /// Nullopt when `value` satisfies the schema; otherwise the first problem, e.g.
  /// "at `items[2].price`: value type not permitted by 'type' constraint".
  std::optional<std::string> Check(const Value& value) const;

 private:
  struct Impl;
  explicit OutputSchemaValidator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace orch::interp
