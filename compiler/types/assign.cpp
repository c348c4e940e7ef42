// Assignability with explanations; see assign.h for the rules.
#include "compiler/types/assign.h"

#include <set>
#include <utility>

#include "compiler/types/print.h"

namespace orch::types {

namespace {

std::string JoinPath(const std::string& path, const std::string& field) {
  std::string name = IsIdentifier(field) ? field : "`" + field + "`";
  return path.empty() ? name : path + "." + name;
}

class Checker {
 public:
  /// Returns true when `from` fits `to`; on false, `mismatch_` says why (if `report`).
  bool Fits(const TypeRef& from, const TypeRef& to, const std::string& path, bool report) {
    // Coinduction for recursive aliases: a pair already under comparison is assumed to fit.
    if (from->kind() == TypeKind::kNamed || to->kind() == TypeKind::kNamed) {
      auto key = std::make_pair(from.get(), to.get());
      if (assumed_.count(key)) return true;
      if (assumed_.size() > kMaxAssumptions) return true;  // pathological; be permissive
      assumed_.insert(key);
      bool ok = Fits(Resolve(from), Resolve(to), path, report);
      assumed_.erase(key);
      return ok;
    }
    const TypeKind fk = from->kind(), tk = to->kind();
    if (fk == TypeKind::kAny || tk == TypeKind::kAny || fk == TypeKind::kNever) return true;

    if (fk == TypeKind::kUnion) {
      for (const TypeRef& m : from->members()) {
        if (!Fits(m, to, path, false)) {
          if (report) {
            // Explain through the member that fails; name the whole union as found.
            Fits(m, to, path, true);
            if (mismatch_.path == path && mismatch_.reason.empty()) {
              mismatch_.found = PrintShort(from);
              if (m->kind() == TypeKind::kNull) {
                mismatch_.reason = "expected `" + mismatch_.expected +
                                   "`, found `" + mismatch_.found + "` (the value may be null)";
              }
            }
          }
          return false;
        }
      }
      return true;
    }
    if (tk == TypeKind::kUnion) {
      for (const TypeRef& m : to->members()) {
        if (Fits(from, m, path, false)) return true;
      }
      if (report) {
        // When exactly one member has the value's shape, its reason is the useful one.
        const TypeRef* same_shape = nullptr;
        int count = 0;
        for (const TypeRef& m : to->members()) {
          if (SameShape(from, Resolve(m))) {
            same_shape = &m;
            ++count;
          }
        }
        if (count == 1) {
          Fits(from, *same_shape, path, true);
        } else {
          Fail(from, to, path, "");
        }
      }
      return false;
    }

    switch (tk) {
      case TypeKind::kNever:
        return FailIf(report, from, to, path);
      case TypeKind::kNull:
      case TypeKind::kBool:
      case TypeKind::kInt:
      case TypeKind::kString:
        if (fk == tk || (tk == TypeKind::kString && fk == TypeKind::kLiteral)) return true;
        return FailIf(report, from, to, path);
      case TypeKind::kNumber:
        if (fk == TypeKind::kNumber || fk == TypeKind::kInt) return true;
        return FailIf(report, from, to, path);
      case TypeKind::kLiteral:
        if (fk == TypeKind::kLiteral && from->literal() == to->literal()) return true;
        return FailIf(report, from, to, path);
      case TypeKind::kList:
        if (fk != TypeKind::kList) return FailIf(report, from, to, path);
        return Fits(from->element(), to->element(), path + "[]", report);
      case TypeKind::kMap:
        return FitsMap(from, to, path, report);
      case TypeKind::kRecord:
        return FitsRecord(from, to, path, report);
      case TypeKind::kFunction:
        return FitsFunction(from, to, path, report);
      default:
        return FailIf(report, from, to, path);
    }
  }

  Mismatch TakeMismatch() { return std::move(mismatch_); }

 private:
  static constexpr size_t kMaxAssumptions = 4096;

  static bool SameShape(const TypeRef& a, const TypeRef& b) {
    auto shape = [](TypeKind k) {
      switch (k) {
        case TypeKind::kInt: return TypeKind::kNumber;
        case TypeKind::kLiteral: return TypeKind::kString;
        case TypeKind::kMap: return TypeKind::kRecord;
        default: return k;
      }
    };
    return shape(a->kind()) == shape(b->kind());
  }

  bool FailIf(bool report, const TypeRef& from, const TypeRef& to, const std::string& path) {
    if (report) Fail(from, to, path, "");
    return false;
  }

  void Fail(const TypeRef& from, const TypeRef& to, const std::string& path, std::string reason) {
    mismatch_ = Mismatch{path, PrintShort(to), PrintShort(from), std::move(reason)};
  }

  bool FitsMap(const TypeRef& from, const TypeRef& to, const std::string& path, bool report) {
    const TypeRef& value = to->element();
    if (from->kind() == TypeKind::kMap) {
      return Fits(from->element(), value, path + "[]", report);
    }
    if (from->kind() != TypeKind::kRecord) return FailIf(report, from, to, path);
    for (const Field& f : from->fields()) {
      if (!Fits(f.type, value, JoinPath(path, f.name), report)) return false;
    }
    if (from->rest() && !Fits(from->rest(), value, path + "[]", report)) return false;
    return true;
  }

  bool FitsRecord(const TypeRef& from, const TypeRef& to, const std::string& path, bool report) {
    if (from->kind() == TypeKind::kMap) {
      // A map may lack any key: only records whose fields are all optional accept one.
      for (const Field& f : to->fields()) {
        if (!f.optional) {
          if (report) {
            Fail(from, to, path, "a map may lack the required field `" + f.name + "`");
          }
          return false;
        }
        if (!Fits(from->element(), f.type, JoinPath(path, f.name), report)) return false;
      }
      return true;
    }
    if (from->kind() != TypeKind::kRecord) return FailIf(report, from, to, path);
    for (const Field& tf : to->fields()) {
      const Field* ff = from->FindField(tf.name);
      if (!ff) {
        if (tf.optional) continue;
        if (report) Fail(from, to, path, "missing required field `" + tf.name + "`");
        return false;
      }
      if (ff->optional && !tf.optional) {
        if (report) {
          Fail(from, to, JoinPath(path, tf.name), "the field is required but may be absent");
        }
        return false;
      }
      if (!Fits(ff->type, tf.type, JoinPath(path, tf.name), report)) return false;
    }
    for (const Field& ff : from->fields()) {
      if (to->FindField(ff.name)) continue;
      if (to->rest()) {
        if (!Fits(ff.type, to->rest(), JoinPath(path, ff.name), report)) return false;
      } else if (to->closed()) {
        if (report) {
          std::string known;
          for (const Field& tf : to->fields()) {
            known += known.empty() ? "`" : ", `";
            known += tf.name + "`";
          }
          Fail(from, to, path,
               "field `" + ff.name + "` is not accepted (the record allows only " +
                   (known.empty() ? std::string("no fields") : known) + ")");
        }
        return false;
      }
    }
    return true;
  }

  bool FitsFunction(const TypeRef& from, const TypeRef& to, const std::string& path,
                    bool report) {
    if (from->kind() != TypeKind::kFunction) return FailIf(report, from, to, path);
    if (from->params().size() != to->params().size()) {
      if (report) {
        Fail(from, to, path,
             "the function takes " + std::to_string(from->params().size()) +
                 " parameter(s), " + std::to_string(to->params().size()) + " expected");
      }
      return false;
    }
    for (size_t i = 0; i < to->params().size(); ++i) {
      if (!Fits(to->params()[i], from->params()[i], path, false)) {
        if (report) {
          Fail(from, to, path, "parameter " + std::to_string(i + 1) + " does not accept `" +
                                   PrintShort(to->params()[i]) + "`");
        }
        return false;
      }
    }
    return Fits(from->element(), to->element(), path, report);
  }

  std::set<std::pair<const Type*, const Type*>> assumed_;
  Mismatch mismatch_;
};

}  // namespace

std::string Mismatch::Describe() const {
  std::string out;
  if (!path.empty()) out = "at `" + path + "`: ";
  out += reason.empty() ? "expected `" + expected + "`, found `" + found + "`" : reason;
  return out;
}

std::optional<Mismatch> CheckAssignable(const TypeRef& from, const TypeRef& to) {
  Checker checker;
  const TypeRef f = from ? from : Any();
  const TypeRef t = to ? to : Any();
  if (checker.Fits(f, t, "", false)) return std::nullopt;
  Checker explainer;
  explainer.Fits(f, t, "", true);
  return explainer.TakeMismatch();
}

TypeRef Join(const TypeRef& a, const TypeRef& b) {
  if (!a) return b;
  if (!b) return a;
  if (IsAssignable(a, b)) return b;
  if (IsAssignable(b, a)) return a;
  return Union({a, b});
}

}  // namespace orch::types
