// Functions over LIST and STRUCT values (docs/types_and_functions.md, "Lists
// and structs"): building them (list_value for [a, b], struct_pack for
// {'f': v}), element access (l[i], list_extract), len / array_length /
// cardinality, and struct_extract (s.f). Registered before the functions of
// the catalog's text arrays, so a LIST argument picks these and a VARCHAR one
// still reaches array_text_functions.cc.
#include <algorithm>
#include <string>
#include <vector>

#include "common/exception.h"
#include "common/nested_type.h"
#include "common/nested_value.h"
#include "common/string_ref.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct NestedData : FunctionData {
  LogicalType type;       // the LIST or STRUCT argument's or result's type
  idx_t field = 0;        // struct_extract: the field's index
};

std::vector<UnifiedFormat> Unify(const std::vector<Vector>& args, const SelectionVector* sel,
                                 idx_t count) {
  idx_t rows = 0;
  for (idx_t i = 0; i < count; i++) rows = std::max<idx_t>(rows, RowAt(sel, i) + 1);
  std::vector<UnifiedFormat> out(args.size());
  for (size_t a = 0; a < args.size(); a++) args[a].ToUnified(rows, &out[a]);
  return out;
}

// Every argument becomes one item; a NULL argument a NULL item.
void BuildKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData* data, Vector& result, bool list) {
  std::vector<UnifiedFormat> in = Unify(args, sel, count);
  NestedBuilder b;
  std::string bytes;
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    for (size_t a = 0; a < args.size(); a++) {
      if (args[a].type().id() == TypeId::kNull ||
          !in[a].validity->IsValid(in[a].sel->Get(row))) {
        b.AppendNull();
      } else {
        AppendElement(b.AppendValid(), args[a].type(), in[a], row);
      }
    }
    bytes.clear();
    if (list) {
      b.FinishListInto(&bytes);
    } else {
      b.FinishStructInto(&bytes);
    }
    result.Data<StringRef>()[row] = result.AddString(bytes);
  }
}

void ListValueKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData* data, Vector& result) {
  BuildKernel(args, sel, count, data, result, true);
}

void StructPackKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData* data, Vector& result) {
  BuildKernel(args, sel, count, data, result, false);
}

// [a, b, ...]: the elements' common type (NULL for [] and [NULL, ...]).
std::optional<BoundScalarFunction> BindListValue(const std::vector<LogicalType>& args,
                                                 const std::vector<const Value*>&) {
  LogicalType child = TypeId::kNull;
  for (const auto& a : args) {
    LogicalType common = CommonSupertype(child, a);
    if (common.id() == TypeId::kInvalid) {
      ThrowError(sqlstate::kDatatypeMismatch, "list elements of types {} and {} cannot be matched",
                 child.ToString(), a.ToString());
    }
    child = common;
  }
  return MakeScalar("list_value", std::vector<LogicalType>(args.size(), child), ListType(child),
                    &ListValueKernel);
}

// struct_pack('a', x, 'b', y): the parser's form of {'a': x, 'b': y}; the
// names are constant strings.
std::optional<BoundScalarFunction> BindStructPack(const std::vector<LogicalType>& args,
                                                  const std::vector<const Value*>& constants) {
  if (args.empty() || args.size() % 2 != 0) return std::nullopt;
  std::vector<StructField> fields;
  std::vector<LogicalType> params;
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string* name = ConstantString(constants, i);
    if (!name) {
      ThrowError(sqlstate::kSyntaxError, "a STRUCT field name must be a constant string");
    }
    for (const auto& f : fields) {
      if (f.name == *name) {
        ThrowError(sqlstate::kDuplicateColumn, "STRUCT field \"{}\" is given twice", *name);
      }
    }
    // An untyped NULL field keeps the NULL type, so that VALUES and UNION
    // rows find the common STRUCT field by field.
    LogicalType type = args[i + 1];
    fields.push_back({*name, type});
    params.push_back(TypeId::kVarchar);
    params.push_back(type);
  }
  auto data = std::make_shared<NestedData>();
  LogicalType result = StructType(std::move(fields));
  data->type = result;
  // The name arguments are passed along and ignored by the kernel.
  return MakeScalar("struct_pack", std::move(params), result,
                    [](const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData* data, Vector& result) {
                      std::vector<Vector> values;
                      for (size_t i = 1; i < args.size(); i += 2) {
                        values.emplace_back();
                        values.back().Reference(args[i]);
                      }
                      StructPackKernel(values, sel, count, data, result);
                    },
                    std::move(data));
}

// l[i]: 1-based; NULL when i is out of range or the element is NULL.
void ListExtractKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData* data, Vector& result) {
  const LogicalType& type = DataAs<NestedData>(data).type;
  std::vector<UnifiedFormat> in = Unify(args, sel, count);
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t l = in[0].sel->Get(row);
    uint32_t x = in[1].sel->Get(row);
    if (!in[0].validity->IsValid(l) || !in[1].validity->IsValid(x)) {
      result.SetNull(row);
      continue;
    }
    int64_t index = in[1].Data<int64_t>()[x];
    NestedReader r = NestedReader::List(in[0].Data<StringRef>()[l].view(), type);
    bool found = false;
    bool valid = false;
    std::string_view payload;
    if (index >= 1 && static_cast<uint64_t>(index) <= r.count()) {
      for (int64_t k = 1; k <= index; k++) r.Next(&valid, &payload);
      found = valid;
    }
    if (found) {
      StoreElement(result, row, payload);
    } else {
      result.SetNull(row);
    }
  }
}

std::optional<BoundScalarFunction> BindListExtract(const std::string& name,
                                                   const std::vector<LogicalType>& args) {
  if (args.size() != 2) return std::nullopt;
  if (args[0].id() != TypeId::kList) {
    // VARCHAR is the catalog's array text (array_text_functions.cc).
    if (args[0].id() == TypeId::kVarchar || args[0].id() == TypeId::kNull) return std::nullopt;
    ThrowError(sqlstate::kDatatypeMismatch,
               "cannot subscript type {} because it is not a list", args[0].ToString());
  }
  if (!IsIntegerOrNull(args[1])) {
    ThrowError(sqlstate::kDatatypeMismatch, "a list subscript must be an integer, not {}",
               args[1].ToString());
  }
  auto data = std::make_shared<NestedData>();
  data->type = args[0];
  return MakeScalar(name, {args[0], TypeId::kBigint}, ListChildType(args[0]),
                    &ListExtractKernel, std::move(data));
}

void ListLengthKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData* data, Vector& result) {
  const LogicalType& type = DataAs<NestedData>(data).type;
  UnaryExecute<StringRef, int64_t>(args[0], sel, count, result, [&](const StringRef& v) {
    return static_cast<int64_t>(NestedReader::List(v.view(), type).count());
  });
}

// len(l), array_length(l [, 1]), cardinality(l): the number of elements.
ScalarBinder ListLengthBinder(std::string name, bool allow_dimension) {
  return [name, allow_dimension](const std::vector<LogicalType>& args,
                           const std::vector<const Value*>& constants)
             -> std::optional<BoundScalarFunction> {
    if (args.empty() || args[0].id() != TypeId::kList) return std::nullopt;
    if (args.size() == 2 && allow_dimension) {
      const Value* dim = ConstantArg(constants, 1);
      if (!dim || dim->IsNull() || !dim->type().IsInteger() || dim->GetInt64() != 1) {
        ThrowError(sqlstate::kFeatureNotSupported,
                   "array_length of a list takes dimension 1 only");
      }
    } else if (args.size() != 1) {
      return std::nullopt;
    }
    auto data = std::make_shared<NestedData>();
    data->type = args[0];
    BoundScalarFunction f =
        MakeScalar(name, {args[0]}, TypeId::kBigint, &ListLengthKernel, std::move(data));
    if (args.size() == 2) f.arg_types.push_back(args[1]);
    return f;
  };
}

void StructExtractKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData* data, Vector& result) {
  const auto& d = DataAs<NestedData>(data);
  std::vector<UnifiedFormat> in = Unify(args, sel, count);
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t s = in[0].sel->Get(row);
    if (!in[0].validity->IsValid(s)) {
      result.SetNull(row);
      continue;
    }
    NestedReader r = NestedReader::Struct(in[0].Data<StringRef>()[s].view(), d.type);
    bool valid = false;
    std::string_view payload;
    for (idx_t k = 0; k <= d.field; k++) r.Next(&valid, &payload);
    if (valid) {
      StoreElement(result, row, payload);
    } else {
      result.SetNull(row);
    }
  }
}

// struct_extract(s, 'f'), which s.f binds to.
std::optional<BoundScalarFunction> BindStructExtract(const std::vector<LogicalType>& args,
                                                     const std::vector<const Value*>& constants) {
  if (args.size() != 2 || args[0].id() != TypeId::kStruct) return std::nullopt;
  const std::string* name = ConstantString(constants, 1);
  if (!name) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "struct_extract needs the field name as a constant string");
  }
  std::optional<size_t> field = StructFieldIndex(args[0], *name);
  if (!field) {
    ThrowError(sqlstate::kUndefinedColumn, "{} has no field \"{}\"", args[0].ToString(), *name);
  }
  auto data = std::make_shared<NestedData>();
  data->type = args[0];
  data->field = *field;
  return MakeScalar("struct_extract", {args[0], TypeId::kVarchar},
                    StructFields(args[0])[*field].type, &StructExtractKernel, std::move(data));
}

}  // namespace

void RegisterNestedFunctions(FunctionRegistry& registry) {
  registry.AddScalar("list_value", &BindListValue);
  registry.AddScalar("struct_pack", &BindStructPack);
  for (const char* name : {"array_subscript", "list_extract"}) {
    registry.AddScalar(name, [name](const std::vector<LogicalType>& args,
                                    const std::vector<const Value*>&) {
      return BindListExtract(name, args);
    });
  }
  registry.AddScalar("len", ListLengthBinder("len", false));
  registry.AddScalar("length", ListLengthBinder("length", false));
  registry.AddScalar("cardinality", ListLengthBinder("cardinality", false));
  registry.AddScalar("array_length", ListLengthBinder("array_length", true));
  registry.AddScalar("struct_extract", &BindStructExtract);
}

}  // namespace basalt
