#include "exec/functions/nested_casts.h"

#include <string>
#include <vector>

#include "common/nested_type.h"
#include "common/nested_value.h"
#include "common/string_ref.h"
#include "exec/cast.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/nested_text_cast.h"

namespace basalt {

namespace {

// Re-encodes one value item by item, each item cast with CastValue: the
// element casts are the scalar ones, so their errors (22003, ...) are too.
std::string CastNested(const LogicalType& from, const LogicalType& to, std::string_view bytes) {
  NestedReader r = from.id() == TypeId::kList ? NestedReader::List(bytes, from)
                                              : NestedReader::Struct(bytes, from);
  NestedBuilder b;
  bool valid = false;
  std::string_view payload;
  for (idx_t i = 0; r.Next(&valid, &payload); i++) {
    if (!valid) {
      b.AppendNull();
      continue;
    }
    const LogicalType& item_to =
        to.id() == TypeId::kList ? ListChildType(to) : StructFields(to)[i].type;
    Value v = CastValue(ElementToValue(r.ItemType(i), payload), item_to);
    if (v.IsNull()) {
      b.AppendNull();
    } else {
      AppendElementValue(b.AppendValid(), item_to, v);
    }
  }
  return to.id() == TypeId::kList ? b.FinishList() : b.FinishStruct();
}

struct NestedCastData : FunctionData {
  LogicalType from;
  LogicalType to;
};

void NestedCastKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData* data, Vector& result) {
  const auto& d = DataAs<NestedCastData>(data);
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&](const StringRef& v) {
    return result.AddString(CastNested(d.from, d.to, v.view()));
  });
}

bool SameFieldNames(const LogicalType& a, const LogicalType& b) {
  const auto& fa = StructFields(a);
  const auto& fb = StructFields(b);
  if (fa.size() != fb.size()) return false;
  for (size_t i = 0; i < fa.size(); i++) {
    if (fa[i].name != fb[i].name) return false;
  }
  return true;
}

// Items whose type does not change are copied as they are; NULL elements
// take no bytes, so a list of NULL (the type of `[]` or `[NULL]`) has the
// bytes of every list type.
bool SameBytes(const LogicalType& from, const LogicalType& to) {
  if (from.id() != TypeId::kList || to.id() != TypeId::kList) return false;
  return ListChildType(from).id() == TypeId::kNull;
}

void TextToNestedKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                        const FunctionData* data, Vector& result) {
  const auto& d = DataAs<NestedCastData>(data);
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&](const StringRef& v) {
    return result.AddString(ParseNestedText(v.view(), d.to));
  });
}

}  // namespace

std::optional<BoundScalarFunction> BindNestedCast(const LogicalType& from, const LogicalType& to) {
  if (from.id() == TypeId::kVarchar && to.IsNested()) {
    auto data = std::make_shared<NestedCastData>();
    data->from = from;
    data->to = to;
    return MakeScalar("cast", {from}, to, &TextToNestedKernel, std::move(data));
  }
  if (from.id() != to.id() || !from.IsNested()) return std::nullopt;
  if (from.id() == TypeId::kList) {
    if (!BindCast(ListChildType(from), ListChildType(to))) return std::nullopt;
  } else {
    const auto& ff = StructFields(from);
    const auto& ft = StructFields(to);
    if (ff.size() != ft.size()) return std::nullopt;
    for (size_t i = 0; i < ff.size(); i++) {
      if (!BindCast(ff[i].type, ft[i].type)) return std::nullopt;
    }
  }
  auto data = std::make_shared<NestedCastData>();
  data->from = from;
  data->to = to;
  if (SameBytes(from, to)) {
    return MakeScalar("cast", {from}, to, [](const std::vector<Vector>& args,
                                             const SelectionVector* sel, idx_t count,
                                             const FunctionData*, Vector& result) {
      UnaryExecute<StringRef, StringRef>(args[0], sel, count, result,
                                         [&](const StringRef& v) { return result.AddString(v.view()); });
    });
  }
  return MakeScalar("cast", {from}, to, &NestedCastKernel, std::move(data));
}

bool CanImplicitNestedCast(const LogicalType& from, const LogicalType& to) {
  if (from.id() != to.id() || !from.IsNested()) return false;
  if (from.id() == TypeId::kList) return CanImplicitCast(ListChildType(from), ListChildType(to));
  if (!SameFieldNames(from, to)) return false;
  const auto& ff = StructFields(from);
  const auto& ft = StructFields(to);
  for (size_t i = 0; i < ff.size(); i++) {
    if (!CanImplicitCast(ff[i].type, ft[i].type)) return false;
  }
  return true;
}

LogicalType NestedCommonSupertype(const LogicalType& a, const LogicalType& b) {
  if (a.id() != b.id() || !a.IsNested()) return TypeId::kInvalid;
  if (a.id() == TypeId::kList) {
    LogicalType child = CommonSupertype(ListChildType(a), ListChildType(b));
    if (child.id() == TypeId::kInvalid) return TypeId::kInvalid;
    return ListType(child);
  }
  if (!SameFieldNames(a, b)) return TypeId::kInvalid;
  std::vector<StructField> fields;
  const auto& fa = StructFields(a);
  const auto& fb = StructFields(b);
  for (size_t i = 0; i < fa.size(); i++) {
    LogicalType t = CommonSupertype(fa[i].type, fb[i].type);
    if (t.id() == TypeId::kInvalid) return TypeId::kInvalid;
    fields.push_back({fa[i].name, t});
  }
  return StructType(std::move(fields));
}

}  // namespace basalt
