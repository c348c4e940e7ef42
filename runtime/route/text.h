// Text analysis for tool routing: UTF-8 checking, splitting identifiers and prose into
// lowercase words (camelCase, snake_case, kebab-case, digits), stop words, and the
// analyzer that turns text into index terms (word → stem). Non-ASCII letters (for example
// CJK descriptions) become one term per code point, so they still match each other.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orch::route {

/// Byte offset of the first byte that is not part of well-formed UTF-8, or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

/// Splits `text` into lowercase words: non-alphanumerics separate, and so do
/// lower→upper (`getUser`), acronym→word (`HTTPServer` → http server) and
/// letter↔digit boundaries; a run that splits also yields its whole lowercase form after
/// its parts ("MySQL" → my, sql, mysql). Each non-ASCII code point is a word of its own.
std::vector<std::string> SplitWords(std::string_view text);

/// `text` without its negated clauses: from "not for", "do not use", "don't use", "never
/// use", "instead of" and the like to the end of the sentence. Tool descriptions use them
/// to say what a tool is *not* for ("Not for listing multiple keys"), and those words must
/// not count as evidence for the tool.
std::string DropNegatedClauses(std::string_view text);

/// True for common English function words that carry no routing signal.
bool IsStopWord(std::string_view word);

/// How text becomes index terms; the same options must be used for tools and queries.
struct AnalyzerOptions {
  bool stem = true;             // Porter stemming
  bool drop_stop_words = true;  // remove IsStopWord() words
  bool drop_negated = true;     // index descriptions without DropNegatedClauses() text
};

/// Words of `text` turned into terms (stemmed, stop words removed), in order.
std::vector<std::string> Analyze(std::string_view text, const AnalyzerOptions& options);

}  // namespace orch::route
