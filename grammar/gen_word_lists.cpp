// The word lists of the editor grammars, read from the token tables (grammar/tokens.h).
#include "grammar/gen_editor_grammars.h"
#include "grammar/tokens.h"

namespace orch::grammar {

EditorWordLists CollectEditorWordLists() {
  EditorWordLists words;
  for (const KeywordInfo& k : kKeywords) {
    std::string spelling(k.spelling);
    switch (k.category) {
      case KeywordCategory::kDeclaration: words.declaration_keywords.push_back(spelling); break;
      case KeywordCategory::kControl: words.control_keywords.push_back(spelling); break;
      case KeywordCategory::kOperatorWord: words.operator_words.push_back(spelling); break;
      case KeywordCategory::kLiteral: words.literal_words.push_back(spelling); break;
      case KeywordCategory::kOther: words.other_keywords.push_back(spelling); break;
    }
  }
  for (const PunctInfo& p : kPunctuation) {
    // Member access `.` is structure, not an operator worth colouring.
    bool is_operator = p.category == PunctCategory::kOperator || p.category == PunctCategory::kArrow;
    if (is_operator && p.spelling != ".") words.operators.emplace_back(p.spelling);
  }
  for (const TypeNameInfo& t : kTypeNames) {
    // `null` is already a literal keyword; a type name that is reserved stays a keyword.
    if (!IsKeyword(t.spelling)) words.type_names.emplace_back(t.spelling);
  }
  for (const BuiltinInfo& b : kBuiltins) words.builtin_functions.emplace_back(b.spelling);
  for (const BuiltinInfo& b : kTestBuiltins) words.builtin_functions.emplace_back(b.spelling);
  for (const BuiltinInfo& b : kTransports) words.builtin_functions.emplace_back(b.spelling);
  for (const DurationUnitInfo& u : kDurationUnits) words.duration_units.emplace_back(u.suffix);
  return words;
}

}  // namespace orch::grammar
