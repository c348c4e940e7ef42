// Binary index cache: a header, the vocabulary, each tool's strings, field lengths and name
// terms, then each term's postings: loading it needs no text analysis and no hashing of
// every word of every tool.
#include "runtime/route/index_cache.h"

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace orch::route {
namespace {

constexpr char kMagic[] = "ORCHRIX3";
namespace fs = std::filesystem;

class Writer {
 public:
  void U32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void U16(uint16_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string& data() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool U32(uint32_t& v) {
    if (pos_ + sizeof v > data_.size()) return false;
    std::memcpy(&v, data_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  bool U16(uint16_t& v) {
    if (pos_ + sizeof v > data_.size()) return false;
    std::memcpy(&v, data_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  bool Str(std::string& s) {
    uint32_t n;
    if (!U32(n) || pos_ + n > data_.size()) return false;
    s.assign(data_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

std::string AnalyzerKey(const AnalyzerOptions& a) {
  return std::string(a.stem ? "stem" : "plain") + (a.drop_stop_words ? "-stop" : "-all") +
         (a.drop_negated ? "-neg" : "");
}

fs::path CachePath(const fs::path& dir, const AnalyzerOptions& a) {
  return dir / ("route-index-" + AnalyzerKey(a) + ".bin");
}

}  // namespace

ErrorOr<void> WriteIndexCache(const fs::path& path, const ToolIndex& index) {
  Writer w;
  w.data().append(kMagic, sizeof kMagic - 1);
  w.Str(index.fingerprint());
  w.Str(AnalyzerKey(index.analyzer()));
  w.U32(static_cast<uint32_t>(index.vocabulary_size()));
  for (uint32_t t = 0; t < index.vocabulary_size(); ++t) w.Str(index.Term(t));
  w.U32(static_cast<uint32_t>(index.size()));
  for (uint32_t i = 0; i < index.size(); ++i) {
    const IndexedTool& tool = index.tool(i);
    w.Str(tool.server);
    w.Str(tool.name);
    w.Str(tool.description);
    for (int f = 0; f < kFieldCount; ++f) w.U32(tool.length[f]);
    w.U32(static_cast<uint32_t>(tool.name_terms.size()));
    for (uint32_t t : tool.name_terms) w.U32(t);
    w.U32(static_cast<uint32_t>(tool.params.size()));
    for (const ToolParam& p : tool.params) {
      w.U32(p.head);
      w.U32(p.required ? 1 : 0);
    }
  }
  for (uint32_t t = 0; t < index.vocabulary_size(); ++t) {
    const auto& postings = index.Postings(t);
    w.U32(static_cast<uint32_t>(postings.size()));
    for (const Posting& p : postings) {
      w.U32(p.tool);
      for (uint16_t tf : p.tf) w.U16(tf);
    }
  }
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError("io", "cannot write the route index cache `" + tmp.string() + "`");
    out.write(w.data().data(), static_cast<std::streamsize>(w.data().size()));
    if (!out) return MakeError("io", "cannot write the route index cache `" + tmp.string() + "`");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return MakeError("io", "cannot replace the route index cache `" + path.string() + "`");
  }
  return {};
}

std::optional<ToolIndex> ReadIndexCache(const fs::path& path, const std::string& fingerprint,
                                        const AnalyzerOptions& analyzer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string data = buffer.str();
  if (data.compare(0, sizeof kMagic - 1, kMagic) != 0) return std::nullopt;
  Reader r(std::string_view(data).substr(sizeof kMagic - 1));
  std::string stored_fingerprint, stored_analyzer;
  if (!r.Str(stored_fingerprint) || stored_fingerprint != fingerprint) return std::nullopt;
  if (!r.Str(stored_analyzer) || stored_analyzer != AnalyzerKey(analyzer)) return std::nullopt;
  uint32_t vocabulary;
  if (!r.U32(vocabulary)) return std::nullopt;
  if (vocabulary > data.size()) return std::nullopt;
  std::vector<std::string> vocab(vocabulary);
  for (auto& term : vocab) {
    if (!r.Str(term)) return std::nullopt;
  }
  uint32_t count;
  if (!r.U32(count)) return std::nullopt;
  std::vector<IndexedTool> tools;
  tools.reserve(std::min<size_t>(count, data.size()));
  for (uint32_t i = 0; i < count; ++i) {
    IndexedTool tool;
    if (!r.Str(tool.server) || !r.Str(tool.name) || !r.Str(tool.description)) return std::nullopt;
    for (int f = 0; f < kFieldCount; ++f) {
      if (!r.U32(tool.length[f])) return std::nullopt;
    }
    uint32_t names;
    if (!r.U32(names) || names > data.size()) return std::nullopt;
    tool.name_terms.resize(names);
    for (uint32_t& t : tool.name_terms) {
      if (!r.U32(t)) return std::nullopt;
    }
    uint32_t params;
    if (!r.U32(params) || params > data.size()) return std::nullopt;
    tool.params.resize(params);
    for (ToolParam& p : tool.params) {
      uint32_t required;
      if (!r.U32(p.head) || !r.U32(required) || required > 1) return std::nullopt;
      p.required = required == 1;
    }
    tools.push_back(std::move(tool));
  }
  std::vector<std::vector<Posting>> postings(vocab.size());
  for (auto& list : postings) {
    uint32_t n;
    if (!r.U32(n) || n > count) return std::nullopt;
    list.resize(n);
    for (Posting& p : list) {
      if (!r.U32(p.tool)) return std::nullopt;
      for (uint16_t& tf : p.tf) {
        if (!r.U16(tf)) return std::nullopt;
      }
    }
  }
  if (!r.AtEnd()) return std::nullopt;
  return ToolIndex::FromParts(std::move(tools), std::move(vocab), std::move(postings), analyzer, fingerprint);
}

ToolIndex LoadIndex(const Catalog& catalog, const AnalyzerOptions& analyzer, const std::optional<fs::path>& cache_dir,
                    IndexSource* source) {
  if (cache_dir) {
    if (auto cached = ReadIndexCache(CachePath(*cache_dir, analyzer), catalog.fingerprint, analyzer)) {
      if (source) *source = IndexSource::kCache;
      return std::move(*cached);
    }
  }
  ToolIndex index = ToolIndex::Build(catalog, analyzer);
  if (cache_dir) (void)WriteIndexCache(CachePath(*cache_dir, analyzer), index);
  if (source) *source = IndexSource::kBuilt;
  return index;
}

}  // namespace orch::route
