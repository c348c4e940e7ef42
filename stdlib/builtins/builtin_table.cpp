// The built-in table: builtin_list.def expanded into BuiltinInfo rows and a name index.
#include <string>
#include <unordered_map>

#include "stdlib/builtins/builtin_functions.h"
#include "stdlib/builtins/builtins.h"

namespace orch::stdlib {
namespace {

constexpr interp::BuiltinInfo kBuiltins[] = {
#define ORCH_BUILTIN_IMPL(name, Fn, min_args, max_args, lambda_arity, signature) \
  {#name, min_args, max_args, lambda_arity, &detail::Fn, signature},
#include "stdlib/builtins/builtin_list.def"
};

class Table final : public interp::BuiltinTable {
 public:
  Table() {
    for (const auto& info : kBuiltins) by_name_.emplace(info.name, &info);
  }
  const interp::BuiltinInfo* Find(std::string_view name) const override {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const interp::BuiltinInfo*> by_name_;
};

}  // namespace

std::span<const interp::BuiltinInfo> AllBuiltins() { return kBuiltins; }

const interp::BuiltinTable& Builtins() {
  static const Table table;
  return table;
}

}  // namespace orch::stdlib
