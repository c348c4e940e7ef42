// Types written as source for generated parameter lists. Unlike the diagnostic printer this
// never elides, quotes field names that are reserved words, and writes named schema
// definitions (which the generated file does not declare) and function types as `any`.
#pragma once

#include <string>

#include "compiler/types/type.h"

namespace orch::compose {

/// `type` as `.orch` type syntax that parses and means the same (or `any` for the parts
/// a file cannot spell without declarations).
std::string TypeSource(const types::TypeRef& type);

}  // namespace orch::compose
