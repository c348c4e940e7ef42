// The tool index: every tool's text analyzed into terms per field (name, server,
// description without its negated clauses, parameters), with postings, document
// frequencies, each tool's top-level parameters (and the inverse: tools by parameter) and a
// character-trigram index over the vocabulary for spelling variants. Built from a Catalog, or loaded from
// the on-disk cache (index_cache.h) when the catalog's fingerprint has not changed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/route/catalog.h"
#include "runtime/route/text.h"

namespace orch::route {

/// The fields of a tool document, each weighted separately by BM25F.
enum Field : uint8_t { kNameField = 0, kServerField, kDescriptionField, kParamsField, kFieldCount };

/// Display name of a field, for `--explain`.
const char* FieldName(Field field);

/// One tool's occurrence of a term: how often it appears in each field.
struct Posting {
  uint32_t tool;
  std::array<uint16_t, kFieldCount> tf;
};

/// A top-level parameter of a tool, as the ranker matches it against a request's values.
struct ToolParam {
  uint32_t head;  // term id of the word naming it (ParameterHead: `resource-group` → group)
  bool required;
};

/// A tool taking a parameter named by some term (the inverse of IndexedTool::params).
struct ParamPosting {
  uint32_t tool;
  bool required;
};

/// What the index keeps about a tool besides its postings.
struct IndexedTool {
  std::string server;
  std::string name;
  std::string description;
  /// Number of terms per field (BM25 length normalisation).
  std::array<uint32_t, kFieldCount> length{};
  /// Distinct term ids of the name field, for name coverage.
  std::vector<uint32_t> name_terms;
  /// Top-level parameters whose name has a head word (see slots.h).
  std::vector<ToolParam> params;

  std::string Id() const { return server + "/" + name; }
};

class ToolIndex {
 public:
  /// Hash of a string or string_view, so lookups need not build a std::string.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  ToolIndex() = default;

  /// Indexes every tool of `catalog`.
  static ToolIndex Build(const Catalog& catalog, const AnalyzerOptions& options);
  /// Reassembles an index from its parts (what the cache stores): the tools with their
  /// field lengths and name terms, the vocabulary, and each term's postings. Returns
  /// nullopt when the parts do not fit together (a term or tool id out of range).
  static std::optional<ToolIndex> FromParts(std::vector<IndexedTool> tools, std::vector<std::string> terms,
                                            std::vector<std::vector<Posting>> postings,
                                            const AnalyzerOptions& options, std::string fingerprint);

  size_t size() const { return tools_.size(); }
  const IndexedTool& tool(uint32_t i) const { return tools_[i]; }
  const std::vector<IndexedTool>& tools() const { return tools_; }
  const AnalyzerOptions& analyzer() const { return analyzer_; }
  const std::string& fingerprint() const { return fingerprint_; }

  /// Id of `term`, or -1 when no tool contains it.
  int64_t TermId(std::string_view term) const;
  const std::string& Term(uint32_t id) const { return terms_[id]; }
  size_t vocabulary_size() const { return terms_.size(); }
  const std::vector<Posting>& Postings(uint32_t term) const { return postings_[term]; }
  /// The tools with a parameter whose head is `term` (once per such parameter).
  const std::vector<ParamPosting>& ParamPostings(uint32_t term) const { return param_postings_[term]; }
  /// Inverse document frequency (BM25's, always positive).
  double Idf(uint32_t term) const { return idf_[term]; }
  /// The words of tool `doc`'s name that say what it does: each also in its description and
  /// in at least one other tool's name (so not a brand, nor a word like `tool` that names
  /// carry but descriptions do not).
  const std::vector<uint32_t>& NameClaims(uint32_t doc) const { return name_claims_[doc]; }
  /// Whether `p`, a posting of `term`, makes the term one of its tool's NameClaims.
  bool IsNameClaim(uint32_t term, const Posting& p) const {
    return p.tf[kNameField] > 0 && p.tf[kDescriptionField] > 0 && name_frequency_[term] >= 2;
  }
  /// Number of tools whose name has `term`.
  uint32_t NameFrequency(uint32_t term) const { return name_frequency_[term]; }
  /// The idf summed over tool `doc`'s distinct name terms, and over its NameClaims.
  double NameIdf(uint32_t doc) const { return name_idf_[doc]; }
  double NameClaimIdf(uint32_t doc) const { return name_claim_idf_[doc]; }
  /// The idf a term would have if no tool contained it.
  double UnseenIdf() const { return unseen_idf_; }
  double AverageLength(Field field) const { return average_length_[field]; }

  /// Vocabulary terms spelled like `term`: Dice similarity of character trigrams at least
  /// `min_similarity`, best first, at most `limit`; never `term` itself.
  std::vector<std::pair<uint32_t, double>> SimilarTerms(std::string_view term, double min_similarity,
                                                        size_t limit) const;
  /// Index of the tool with id `server/name`, or -1.
  int64_t FindTool(std::string_view id) const;

 private:
  void Finish();

  AnalyzerOptions analyzer_;
  std::string fingerprint_;
  std::vector<IndexedTool> tools_;
  std::vector<std::string> terms_;
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> term_ids_;
  std::vector<std::vector<Posting>> postings_;
  std::vector<std::vector<ParamPosting>> param_postings_;
  std::vector<double> idf_;
  std::vector<std::vector<uint32_t>> name_claims_;
  std::vector<uint32_t> name_frequency_;  // per term: tools whose name has it
  std::vector<double> name_idf_, name_claim_idf_;
  double unseen_idf_ = 0;
  std::array<double, kFieldCount> average_length_{};
  /// Trigram (three bytes packed) → ids of terms containing it.
  std::unordered_map<uint32_t, std::vector<uint32_t>> trigrams_;
  /// Number of distinct trigrams of each term (0 for terms too short to be indexed).
  std::vector<uint16_t> trigram_count_;
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> tool_ids_;
};

/// The padded character trigrams of a term ("^ab", "abc", "bc$"), packed into integers.
std::vector<uint32_t> Trigrams(std::string_view term);

}  // namespace orch::route
