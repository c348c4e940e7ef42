// Checking generated or model-written source against the schemas compose used, without a
// project on disk: the text goes through the compiler's pipeline with a catalog built from
// those schemas (plus the built-in `std`) and every schema's server counted as configured.
#pragma once

#include <string>
#include <vector>

#include "compiler/lock/lock_file.h"
#include "runtime/value/error_or.h"

namespace orch::compose {

/// Diagnostics of one check, rendered one line each (`NAME.orch:3:5: error[E0324]: …`).
struct SourceCheck {
  std::vector<std::string> errors;
  /// The typed holes (E0324) among `errors`, with their notes (candidates), for a prompt.
  std::vector<std::string> holes;
};

/// Checks `text` as the file `display_name`. An error means the check could not run (the
/// temporary file could not be written).
ErrorOr<SourceCheck> CheckSourceText(const std::string& text, const lock::LockFile& schemas,
                                     const std::string& display_name);

}  // namespace orch::compose
