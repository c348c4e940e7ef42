// JSON Schema → type conversion; see schema.h for what is supported.
#include "compiler/types/schema.h"

#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "compiler/types/assign.h"
#include "compiler/types/print.h"

namespace orch::types {

namespace {

// Deeper schemas than this are almost certainly generated garbage; stop before the stack does.
constexpr int kMaxDepth = 64;

// Keywords that change what a value may look like but have no static counterpart here.
const char* const kUnsupportedShapeKeywords[] = {
    "not", "if", "then", "else", "dependentSchemas", "dependencies", "unevaluatedProperties",
    "unevaluatedItems", "$dynamicRef", "$recursiveRef", "contains",
};

std::string EscapePointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string UnescapePointerToken(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// Percent-decoding for `$ref` fragments ("#/$defs/a%20b").
std::string PercentDecode(std::string_view s) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

class Converter {
 public:
  explicit Converter(const Value& root) : root_(root) {}

  SchemaType Run() {
    SchemaType out;
    TypeRef type = Convert(root_, "", 0);
    // A `$ref: "#"` somewhere made the root recursive: name it so those references resolve.
    if (auto it = defs_.find(""); it != defs_.end()) {
      it->second.def->target = type;
      type = Named(it->second.def);
    }
    out.type = std::move(type);
    for (auto& [pointer, entry] : defs_) out.defs.push_back(entry.def);
    out.notes = std::move(notes_);
    return out;
  }

 private:
  struct DefEntry {
    std::shared_ptr<NamedDef> def;
    bool in_progress = false;
  };

  void Note(const std::string& pointer, std::string message) {
    notes_.push_back({pointer, std::move(message)});
  }

  TypeRef Convert(const Value& s, const std::string& ptr, int depth) {
    if (depth > kMaxDepth) {
      Note(ptr, "the schema nests deeper than " + std::to_string(kMaxDepth) +
                    " levels; the rest is typed `any`");
      return Any();
    }
    if (s.is_bool()) return s.as_bool() ? Any() : Never();
    if (!s.is_record()) {
      Note(ptr, std::string("expected a schema object, found a ") + s.kind_name() +
                    "; typed `any`");
      return Any();
    }
    const orch::Record& r = s.as_record();
    for (const char* keyword : kUnsupportedShapeKeywords) {
      if (r.Contains(keyword)) {
        Note(ptr + "/" + keyword,
             std::string("`") + keyword + "` is not checked statically; it is checked when the tool runs");
      }
    }

    TypeRef type;
    if (const Value* ref = r.Find("$ref")) {
      type = ConvertRef(*ref, ptr, depth);
    } else {
      type = ConvertBase(r, ptr, depth);
      if (const Value* e = r.Find("enum")) type = ConvertEnum(*e, ptr + "/enum", type);
      if (const Value* c = r.Find("const")) type = TypeOfConst(*c);
      type = ApplyCombinators(r, ptr, depth, type);
    }
    if (const Value* n = r.Find("nullable"); n && n->is_bool() && n->as_bool()) {
      type = Optional(type);
    }
    return type ? type : Any();
  }

  // `type` plus the object/array keywords; nullptr when the schema says nothing about shape.
  TypeRef ConvertBase(const orch::Record& r, const std::string& ptr, int depth) {
    const Value* t = r.Find("type");
    if (!t) {
      if (r.Contains("properties") || r.Contains("additionalProperties") ||
          r.Contains("required") || r.Contains("patternProperties")) {
        return ConvertObject(r, ptr, depth);
      }
      if (r.Contains("items") || r.Contains("prefixItems")) return ConvertArray(r, ptr, depth);
      return nullptr;
    }
    if (t->is_string()) return ConvertTypeName(t->as_string(), r, ptr, depth);
    if (t->is_list()) {
      std::vector<TypeRef> members;
      for (const Value& name : t->as_list()) {
        if (!name.is_string()) {
          Note(ptr + "/type", "`type` lists a non-string entry; it is ignored");
          continue;
        }
        members.push_back(ConvertTypeName(name.as_string(), r, ptr, depth));
      }
      if (members.empty()) return Any();
      return Union(std::move(members));
    }
    Note(ptr + "/type", std::string("`type` should be a string or a list of strings, found a ") +
                            t->kind_name() + "; typed `any`");
    return Any();
  }

  TypeRef ConvertTypeName(const std::string& name, const orch::Record& r, const std::string& ptr,
                          int depth) {
    if (name == "string") return String();
    if (name == "integer") return Int();
    if (name == "number") return Number();
    if (name == "boolean") return Bool();
    if (name == "null") return Null();
    if (name == "object") return ConvertObject(r, ptr, depth);
    if (name == "array") return ConvertArray(r, ptr, depth);
    if (name == "any") return Any();  // old drafts
    Note(ptr + "/type", "unknown type name `" + name + "`; typed `any`");
    return Any();
  }

  TypeRef ConvertObject(const orch::Record& r, const std::string& ptr, int depth) {
    std::set<std::string> required;
    if (const Value* req = r.Find("required"); req && req->is_list()) {
      for (const Value& n : req->as_list()) {
        if (n.is_string()) required.insert(n.as_string());
      }
    }
    const Value* props = r.Find("properties");
    const Value* additional = r.Find("additionalProperties");
    const Value* patterns = r.Find("patternProperties");

    TypeRef rest;
    bool closed = false;
    if (additional) {
      if (additional->is_bool()) {
        closed = !additional->as_bool();
      } else {
        rest = Convert(*additional, ptr + "/additionalProperties", depth + 1);
      }
    }
    if (patterns && patterns->is_record()) {
      std::vector<TypeRef> pattern_types;
      if (rest) pattern_types.push_back(rest);
      for (const auto& [pattern, schema] : patterns->as_record()) {
        pattern_types.push_back(Convert(
            schema, ptr + "/patternProperties/" + EscapePointerToken(pattern), depth + 1));
      }
      rest = Union(std::move(pattern_types));
      closed = false;
    }

    if (!props || !props->is_record()) {
      if (props) Note(ptr + "/properties", "`properties` should be an object; it is ignored");
      // No listed fields: a map of the additional type (any when unconstrained).
      if (required.empty()) {
        if (closed) return Record({}, true);
        return Map(rest ? rest : Any());
      }
      std::vector<Field> fields;
      for (const std::string& name : required) fields.push_back({name, Any(), false, ""});
      return Record(std::move(fields), closed, rest);
    }

    std::vector<Field> fields;
    for (const auto& [name, schema] : props->as_record()) {
      Field f;
      f.name = name;
      f.type = Convert(schema, ptr + "/properties/" + EscapePointerToken(name), depth + 1);
      bool has_default = schema.is_record() && schema.as_record().Contains("default");
      f.optional = !required.count(name) || has_default;
      if (const Value* d = schema.Find("description"); d && d->is_string()) {
        f.description = d->as_string();
      }
      fields.push_back(std::move(f));
    }
    // Required names without a property schema are required fields of any type.
    for (const std::string& name : required) {
      if (!props->as_record().Contains(name)) fields.push_back({name, Any(), false, ""});
    }
    return Record(std::move(fields), closed, rest);
  }

  TypeRef ConvertArray(const orch::Record& r, const std::string& ptr, int depth) {
    std::vector<TypeRef> elements;
    if (const Value* prefix = r.Find("prefixItems"); prefix && prefix->is_list()) {
      size_t i = 0;
      for (const Value& item : prefix->as_list()) {
        elements.push_back(Convert(item, ptr + "/prefixItems/" + std::to_string(i++), depth + 1));
      }
    }
    if (const Value* items = r.Find("items")) {
      if (items->is_list()) {
        // Draft-4 tuple form.
        size_t i = 0;
        for (const Value& item : items->as_list()) {
          elements.push_back(Convert(item, ptr + "/items/" + std::to_string(i++), depth + 1));
        }
      } else {
        elements.push_back(Convert(*items, ptr + "/items", depth + 1));
      }
    } else if (elements.empty()) {
      elements.push_back(Any());
    }
    if (elements.empty()) return List(Any());
    return List(Union(std::move(elements)));
  }

  static TypeRef TypeOfConst(const Value& v) {
    switch (v.kind()) {
      case Value::Kind::kNull: return Null();
      case Value::Kind::kBool: return Bool();
      case Value::Kind::kInt: return Int();
      case Value::Kind::kNumber: return Number();
      case Value::Kind::kString: return Literal(v.as_string());
      case Value::Kind::kList: return List(Any());
      case Value::Kind::kRecord: return Map(Any());
    }
    return Any();
  }

  TypeRef ConvertEnum(const Value& e, const std::string& ptr, const TypeRef& base) {
    if (!e.is_list() || e.as_list().empty()) {
      Note(ptr, "`enum` should be a non-empty list; it is ignored");
      return base;
    }
    std::vector<TypeRef> members;
    for (const Value& v : e.as_list()) members.push_back(TypeOfConst(v));
    return Union(std::move(members));
  }

  TypeRef ApplyCombinators(const orch::Record& r, const std::string& ptr, int depth, TypeRef base) {
    if (const Value* all = r.Find("allOf")) {
      if (!all->is_list()) {
        Note(ptr + "/allOf", "`allOf` should be a list; it is ignored");
      } else {
        size_t i = 0;
        for (const Value& part : all->as_list()) {
          std::string part_ptr = ptr + "/allOf/" + std::to_string(i++);
          TypeRef t = Convert(part, part_ptr, depth + 1);
          base = base ? Merge(base, t, part_ptr) : t;
        }
      }
    }
    for (const char* keyword : {"anyOf", "oneOf"}) {
      const Value* alts = r.Find(keyword);
      if (!alts) continue;
      if (!alts->is_list() || alts->as_list().empty()) {
        Note(ptr + "/" + keyword, std::string("`") + keyword + "` should be a non-empty list; it is ignored");
        continue;
      }
      std::vector<TypeRef> members;
      bool all_constraints = true;
      size_t i = 0;
      for (const Value& alt : alts->as_list()) {
        std::string alt_ptr = ptr + "/" + keyword + "/" + std::to_string(i++);
        if (!IsConstraintOnly(alt)) all_constraints = false;
        TypeRef t = Convert(alt, alt_ptr, depth + 1);
        members.push_back(base ? Merge(base, t, alt_ptr) : t);
      }
      // `{type: object, properties: …, anyOf: [{required: [a]}, {required: [b]}]}` only adds
      // validation; the base already says everything a type can.
      if (base && all_constraints) continue;
      base = Union(std::move(members));
    }
    return base;
  }

  // True for schemas that add validation without saying anything about shape.
  static bool IsConstraintOnly(const Value& s) {
    if (!s.is_record()) return false;
    for (const char* k : {"type", "properties", "items", "enum", "const", "$ref", "anyOf",
                          "oneOf", "allOf", "additionalProperties", "prefixItems"}) {
      if (s.as_record().Contains(k)) return false;
    }
    return true;
  }

  // allOf: both must hold. Records merge field by field; otherwise keep the narrower one.
  TypeRef Merge(const TypeRef& a, const TypeRef& b, const std::string& ptr) {
    const TypeRef& ra = Resolve(a);
    const TypeRef& rb = Resolve(b);
    if (ra->kind() == TypeKind::kAny) return b;
    if (rb->kind() == TypeKind::kAny) return a;
    if (ra->kind() == TypeKind::kRecord && rb->kind() == TypeKind::kRecord) {
      std::vector<Field> fields = ra->fields();
      for (const Field& fb : rb->fields()) {
        bool merged = false;
        for (Field& fa : fields) {
          if (fa.name != fb.name) continue;
          fa.type = Merge(fa.type, fb.type, ptr + "/properties/" + EscapePointerToken(fb.name));
          fa.optional = fa.optional && fb.optional;
          if (fa.description.empty()) fa.description = fb.description;
          merged = true;
        }
        if (!merged) fields.push_back(fb);
      }
      // Each part's `additionalProperties: false` would reject the other's fields; keep the
      // merged record closed only when every part is.
      TypeRef rest = ra->rest() ? ra->rest() : rb->rest();
      return Record(std::move(fields), ra->closed() && rb->closed(), rest);
    }
    if ((ra->kind() == TypeKind::kMap && rb->kind() == TypeKind::kRecord)) return b;
    if ((rb->kind() == TypeKind::kMap && ra->kind() == TypeKind::kRecord)) return a;
    if (IsAssignable(a, b)) return a;
    if (IsAssignable(b, a)) return b;
    Note(ptr, "`allOf` combines `" + PrintShort(a) + "` and `" + PrintShort(b) +
                  "`, which no value satisfies; the first is kept");
    return a;
  }

  TypeRef ConvertRef(const Value& ref, const std::string& ptr, int depth) {
    if (!ref.is_string()) {
      Note(ptr + "/$ref", "`$ref` should be a string; typed `any`");
      return Any();
    }
    const std::string& text = ref.as_string();
    if (text.empty() || text[0] != '#') {
      Note(ptr + "/$ref", "`$ref` to another document (`" + text + "`) is not followed; typed `any`");
      return Any();
    }
    std::string pointer = PercentDecode(std::string_view(text).substr(1));
    if (!pointer.empty() && pointer[0] != '/') {
      Note(ptr + "/$ref", "`$ref` anchor `" + text + "` is not supported; typed `any`");
      return Any();
    }
    auto it = defs_.find(pointer);
    if (it != defs_.end()) {
      if (it->second.in_progress || pointer.empty()) {
        return NamedWeak(it->second.def, it->second.def->name);
      }
      return Named(it->second.def);
    }
    // Walk the pointer.
    const Value* target = &root_;
    std::string name = "Self";
    if (!pointer.empty()) {
      size_t pos = 1;
      while (target) {
        size_t slash = pointer.find('/', pos);
        std::string token = UnescapePointerToken(
            std::string_view(pointer).substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
        name = token;
        if (target->is_record()) {
          target = target->Find(token);
        } else if (target->is_list()) {
          char* end = nullptr;
          unsigned long index = std::strtoul(token.c_str(), &end, 10);
          target = (!token.empty() && *end == '\0' && index < target->as_list().size())
                       ? &target->as_list()[index]
                       : nullptr;
        } else {
          target = nullptr;
        }
        if (slash == std::string::npos) break;
        pos = slash + 1;
      }
    }
    if (!target) {
      Note(ptr + "/$ref", "`$ref` `" + text + "` points at nothing in this schema; typed `any`");
      return Any();
    }
    DefEntry& entry = defs_[pointer];
    entry.def = std::make_shared<NamedDef>();
    entry.def->name = name;
    if (pointer.empty()) {
      // The root is being converted by Run(); it fills the slot in at the end.
      entry.in_progress = true;
      return NamedWeak(entry.def, name);
    }
    entry.in_progress = true;
    TypeRef body = Convert(*target, pointer, depth + 1);
    DefEntry& done = defs_[pointer];
    done.def->target = body;
    done.in_progress = false;
    return Named(done.def);
  }

  const Value& root_;
  std::map<std::string, DefEntry> defs_;
  std::vector<SchemaNote> notes_;
};

}  // namespace

SchemaType FromJsonSchema(const Value& schema) { return Converter(schema).Run(); }

ToolType ToolTypeFromSchemas(const Value& input_schema, const Value& output_schema) {
  ToolType out;
  if (input_schema.is_null()) {
    out.params = Map(Any());
    out.notes.push_back({"", "the tool has no inputSchema; any arguments are accepted"});
  } else {
    SchemaType in = FromJsonSchema(input_schema);
    out.params = std::move(in.type);
    out.defs = std::move(in.defs);
    for (SchemaNote& n : in.notes) {
      n.pointer = "inputSchema" + n.pointer;
      out.notes.push_back(std::move(n));
    }
  }
  if (output_schema.is_null()) {
    out.result = ToolResult();
  } else {
    SchemaType res = FromJsonSchema(output_schema);
    out.result = std::move(res.type);
    out.structured = true;
    for (auto& d : res.defs) out.defs.push_back(std::move(d));
    for (SchemaNote& n : res.notes) {
      n.pointer = "outputSchema" + n.pointer;
      out.notes.push_back(std::move(n));
    }
  }
  return out;
}

}  // namespace orch::types
