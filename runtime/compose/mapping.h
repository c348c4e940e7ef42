// Parameter mapping between steps: which value already available (an earlier step's
// output field, or a workflow parameter) should feed a tool input. Evidence, strongest
// first: the same name; similar names (shared words or field synonyms: `url` ~ `ticketUrl`,
// `link`); descriptions that share content words; and, for a required input when nothing
// else fits, the one value of the right type the previous step returns. Types must always
// agree (the value is assignable to the input's type). Each choice carries its reason.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/types/schema.h"
#include "compiler/types/type.h"

namespace orch::compose {

/// A value a step input could take.
struct Source {
  /// Source text: `search.results[0].title`, `query`.
  std::string expr;
  /// The name compared with the input's name (the last field, or the parameter).
  std::string name;
  types::TypeRef type;
  std::string description;
  /// The step that produced it (0-based), or -1 for a workflow parameter.
  int step = -1;
  /// "exa/web_search" or "workflow parameter".
  std::string origin;
  /// The path takes the first element of a list (`results[0]`).
  bool first_of_list = false;
};

/// The tool input being fed.
struct Target {
  std::string name;
  types::TypeRef type;
  std::string description;
  bool required = false;
};

/// How strongly a source matches, weakest first.
enum class Evidence { kTypeOnly, kDescription, kSimilarName, kSameName };

struct Candidate {
  Source source;
  Evidence evidence = Evidence::kTypeOnly;
  /// Within one evidence level, higher is better (0…1).
  double score = 0;
  /// Why, for a comment: "same name `venue`, both `string`".
  std::string reason;
};

/// What to pass for one input.
struct Choice {
  enum class Kind {
    kMapped,     ///< candidates[0] feeds it
    kHole,       ///< candidates are equally good: a typed hole lists them
    kParameter,  ///< nothing fits: a new workflow parameter
    kOmit,       ///< optional and nothing fits well: the tool's default applies
  };
  Kind kind = Kind::kOmit;
  std::vector<Candidate> candidates;
};

/// The values a step's result offers: `binding.text` for a tool without an outputSchema;
/// otherwise the result's fields, nested records' fields and the first element of lists of
/// records, up to three levels deep. Optional and nullable fields are left out (they could
/// be null where a value is needed).
std::vector<Source> OutputSources(const types::ToolType& tool, const std::string& binding, int step,
                                  const std::string& origin);

/// The evidence that `source` fits `target`, or nullopt when the types disagree or there is
/// no evidence beyond the type (type-only matches are decided by Choose).
std::optional<Candidate> Match(const Target& target, const Source& source);

/// Decides what feeds `target` among `sources`. `previous_step` is the index of the step
/// just before (type-only matches come only from it); `taken` holds the exprs already
/// chosen for other inputs of the same step (not offered as type-only matches).
Choice Choose(const Target& target, const std::vector<Source>& sources, int previous_step,
              const std::set<std::string>& taken);

/// The words of a name or phrase: split on case and punctuation, lowercase.
std::vector<std::string> NameWords(std::string_view name);

}  // namespace orch::compose
