#include "exec/serde/expression_serde.h"

#include <fmt/format.h>

#include "catalog/catalog.h"
#include "catalog/system_table.h"
#include "common/exception.h"
#include "exec/cast.h"
#include "exec/functions/catalog_functions.h"
#include "exec/serde/value_serde.h"

namespace basalt {

namespace {

plan::ExprKind KindToProto(ExprKind kind) {
  switch (kind) {
    case ExprKind::kColumnRef:
      return plan::EXPR_KIND_COLUMN_REF;
    case ExprKind::kInputRef:
      return plan::EXPR_KIND_INPUT_REF;
    case ExprKind::kConstant:
      return plan::EXPR_KIND_CONSTANT;
    case ExprKind::kFunction:
      return plan::EXPR_KIND_FUNCTION;
    case ExprKind::kAnd:
      return plan::EXPR_KIND_AND;
    case ExprKind::kOr:
      return plan::EXPR_KIND_OR;
    case ExprKind::kNot:
      return plan::EXPR_KIND_NOT;
    case ExprKind::kIsNull:
      return plan::EXPR_KIND_IS_NULL;
    case ExprKind::kIsNotNull:
      return plan::EXPR_KIND_IS_NOT_NULL;
    case ExprKind::kCase:
      return plan::EXPR_KIND_CASE;
    case ExprKind::kCoalesce:
      return plan::EXPR_KIND_COALESCE;
    case ExprKind::kInList:
      return plan::EXPR_KIND_IN_LIST;
    case ExprKind::kParameter:
      return plan::EXPR_KIND_PARAMETER;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: unknown expression kind {}",
             static_cast<int>(kind));
}

ExprKind KindFromProto(plan::ExprKind kind) {
  switch (kind) {
    case plan::EXPR_KIND_COLUMN_REF:
      return ExprKind::kColumnRef;
    case plan::EXPR_KIND_INPUT_REF:
      return ExprKind::kInputRef;
    case plan::EXPR_KIND_CONSTANT:
      return ExprKind::kConstant;
    case plan::EXPR_KIND_FUNCTION:
      return ExprKind::kFunction;
    case plan::EXPR_KIND_AND:
      return ExprKind::kAnd;
    case plan::EXPR_KIND_OR:
      return ExprKind::kOr;
    case plan::EXPR_KIND_NOT:
      return ExprKind::kNot;
    case plan::EXPR_KIND_IS_NULL:
      return ExprKind::kIsNull;
    case plan::EXPR_KIND_IS_NOT_NULL:
      return ExprKind::kIsNotNull;
    case plan::EXPR_KIND_CASE:
      return ExprKind::kCase;
    case plan::EXPR_KIND_COALESCE:
      return ExprKind::kCoalesce;
    case plan::EXPR_KIND_IN_LIST:
      return ExprKind::kInList;
    case plan::EXPR_KIND_PARAMETER:
      return ExprKind::kParameter;
    default:
      break;
  }
  ThrowMalformedPlan("unknown expression kind {}", static_cast<int>(kind));
}

std::string TypeListText(const std::vector<LogicalType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); i++) out += (i > 0 ? ", " : "") + types[i].ToString();
  return out;
}

std::vector<LogicalType> TypesFromProto(
    const google::protobuf::RepeatedPtrField<plan::LogicalType>& types) {
  std::vector<LogicalType> out;
  out.reserve(types.size());
  for (const plan::LogicalType& t : types) out.push_back(TypeFromProto(t));
  return out;
}

// The number of children an expression of `kind` must have, checked so that
// the executor never indexes a child that is not there.
void CheckChildCount(const plan::Expression& m, ExprKind kind) {
  const int n = m.children_size();
  bool ok = true;
  const char* needs = "";
  switch (kind) {
    case ExprKind::kColumnRef:
    case ExprKind::kInputRef:
    case ExprKind::kConstant:
    case ExprKind::kParameter:
      ok = n == 0;
      needs = "none";
      break;
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
      ok = n == 1;
      needs = "one";
      break;
    case ExprKind::kCase:
      ok = n >= 3 && n % 2 == 1;
      needs = "WHEN / THEN pairs and an ELSE";
      break;
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kCoalesce:
    case ExprKind::kInList:
      ok = n >= 1;
      needs = "at least one";
      break;
    case ExprKind::kFunction:
      ok = n == m.function().arg_types_size();
      needs = "one per argument type";
      break;
  }
  if (!ok) {
    ThrowMalformedPlan("a {} expression with {} children (needs {})", plan::ExprKind_Name(m.kind()),
                       n, needs);
  }
}

void RequireType(const Expression& e, const LogicalType& type, const plan::Expression& m,
                 const char* what) {
  if (e.type != type) {
    ThrowMalformedPlan("a {} expression with {} of type {} (needs {})",
                       plan::ExprKind_Name(m.kind()), what, e.type.ToString(), type.ToString());
  }
}

// The typing rules of the kinds the executor evaluates itself (as the binder
// builds them, binder_expression.cc): the executor writes booleans for the
// logical kinds, and for CASE and COALESCE copies each branch's rows into a
// vector of the expression's type; IN compares every item as child 0's type.
void CheckOperatorTypes(const Expression& e, const plan::Expression& m) {
  static const LogicalType kBoolean(TypeId::kBoolean);
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
      RequireType(e, kBoolean, m, "a result");
      for (const auto& c : e.children) RequireType(*c, kBoolean, m, "an operand");
      break;
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
      RequireType(e, kBoolean, m, "a result");
      break;
    case ExprKind::kCase: {
      const size_t n = e.children.size();
      for (size_t i = 0; i + 1 < n; i += 2) {
        RequireType(*e.children[i], kBoolean, m, "a WHEN condition");
        RequireType(*e.children[i + 1], e.type, m, "a THEN result");
      }
      RequireType(*e.children[n - 1], e.type, m, "an ELSE result");
      break;
    }
    case ExprKind::kCoalesce:
      for (const auto& c : e.children) RequireType(*c, e.type, m, "an argument");
      break;
    case ExprKind::kInList:
      RequireType(e, kBoolean, m, "a result");
      // The items are read as constants of the tested value's type.
      for (size_t i = 1; i < e.children.size(); i++) {
        if (e.children[i]->kind != ExprKind::kConstant) {
          ThrowMalformedPlan("an IN list item #{} that is not a constant", i);
        }
        RequireType(*e.children[i], e.children[0]->type, m, "a list item");
      }
      break;
    default:
      break;
  }
}

// The registry entry that binds a function the binder named `name`: the
// name itself, except where a binder names its result after another entry
// that does not take the same arguments. Each exception is listed here (the
// test EveryRegisteredFunctionRebindsByItsBoundName finds new ones):
//   - array_length(list, 1) binds to len's kernel and is named "len", but
//     "len" takes the list alone.
std::string RegistryName(const std::string& name, size_t arg_count) {
  if (name == "len" && arg_count == 2) return "array_length";
  return name;
}

}  // namespace

const std::shared_ptr<const CatalogLookup>& FunctionRebinder::Lookup() {
  if (context_.catalog_lookup) return context_.catalog_lookup;
  if (!lookup_) {
    if (context_.catalog == nullptr) {
      ThrowMalformedPlan("a catalog function, and no catalog to bind it against");
    }
    CatalogSnapshot snapshot = context_.catalog->Snapshot();
    const SessionInfo defaults;
    const SessionInfo& session = context_.session ? *context_.session : defaults;
    lookup_ = MakeCatalogLookup(SystemTableInputs{snapshot, session});
  }
  return lookup_;
}

BoundScalarFunction FunctionRebinder::BindScalar(const plan::ScalarFunction& m,
                                                 const std::vector<ExpressionPtr>& args) {
  const std::vector<LogicalType> arg_types = TypesFromProto(m.arg_types());
  const LogicalType return_type = TypeFromProto(m.return_type());
  std::vector<const Value*> constants;
  for (const auto& a : args) {
    constants.push_back(a->kind == ExprKind::kConstant ? &a->constant : nullptr);
  }
  std::optional<BoundScalarFunction> bound;
  if (m.name() == "cast") {
    if (arg_types.size() == 1) bound = BindCast(arg_types[0], return_type);
  } else {
    bound = FunctionRegistry::Get().BindScalar(RegistryName(m.name(), arg_types.size()), arg_types,
                                               constants);
    if (!bound && IsCatalogFunction(m.name())) {
      bound = BindCatalogFunction(m.name(), arg_types, Lookup());
    }
  }
  if (!bound) {
    ThrowError(sqlstate::kUndefinedFunction,
               "plan function {}({}) returning {} does not exist on this node", m.name(),
               TypeListText(arg_types), return_type.ToString());
  }
  if (bound->return_type != return_type || bound->arg_types != arg_types) {
    ThrowError(sqlstate::kInternalError,
               "plan function {}({}) returning {} binds on this node to {}({}) returning {}",
               m.name(), TypeListText(arg_types), return_type.ToString(), m.name(),
               TypeListText(bound->arg_types), bound->return_type.ToString());
  }
  // The sender's name, which EXPLAIN shows (a binder may have named it
  // differently from the registry entry it was found under).
  bound->name = m.name();
  return std::move(*bound);
}

BoundAggregateFunction FunctionRebinder::BindAggregate(const plan::AggregateFunction& m) {
  const std::vector<LogicalType> arg_types = TypesFromProto(m.arg_types());
  const LogicalType return_type = TypeFromProto(m.return_type());
  std::optional<BoundAggregateFunction> bound =
      FunctionRegistry::Get().BindAggregate(m.name(), arg_types);
  if (!bound) {
    ThrowError(sqlstate::kUndefinedFunction,
               "plan aggregate {}({}) returning {} does not exist on this node", m.name(),
               TypeListText(arg_types), return_type.ToString());
  }
  if (bound->return_type != return_type || bound->arg_types != arg_types) {
    ThrowError(sqlstate::kInternalError,
               "plan aggregate {}({}) returning {} binds on this node to {}({}) returning {}",
               m.name(), TypeListText(arg_types), return_type.ToString(), m.name(),
               TypeListText(bound->arg_types), bound->return_type.ToString());
  }
  bound->name = m.name();
  return std::move(*bound);
}

void ExpressionToProto(const Expression& e, plan::Expression* out) {
  out->set_kind(KindToProto(e.kind));
  TypeToProto(e.type, out->mutable_type());
  switch (e.kind) {
    case ExprKind::kColumnRef:
      out->mutable_binding()->set_table_index(e.binding.table_index);
      out->mutable_binding()->set_column_index(e.binding.column_index);
      break;
    case ExprKind::kInputRef:
    case ExprKind::kParameter:
      out->set_input_index(e.input_index);
      break;
    case ExprKind::kConstant:
      ValueToProto(e.constant, out->mutable_constant());
      break;
    case ExprKind::kFunction: {
      plan::ScalarFunction* f = out->mutable_function();
      f->set_name(e.function.name);
      for (const LogicalType& t : e.function.arg_types) TypeToProto(t, f->add_arg_types());
      TypeToProto(e.function.return_type, f->mutable_return_type());
      f->set_deterministic(e.function.deterministic);
      break;
    }
    default:
      break;
  }
  for (const auto& c : e.children) ExpressionToProto(*c, out->add_children());
  if (!e.alias.empty()) out->set_alias(e.alias);
  if (e.untyped_literal) out->set_untyped_literal(true);
}

ExpressionPtr ExpressionFromProto(const plan::Expression& m, const std::vector<LogicalType>& input,
                                  FunctionRebinder& functions) {
  CheckPlanStack();
  const ExprKind kind = KindFromProto(m.kind());
  CheckChildCount(m, kind);
  auto e = std::make_unique<Expression>();
  e->kind = kind;
  e->type = TypeFromProto(m.type());
  e->alias = m.alias();
  e->untyped_literal = m.untyped_literal();
  for (const plan::Expression& c : m.children()) {
    e->children.push_back(ExpressionFromProto(c, input, functions));
  }
  switch (kind) {
    case ExprKind::kColumnRef:
      e->binding.table_index = m.binding().table_index();
      e->binding.column_index = m.binding().column_index();
      break;
    case ExprKind::kInputRef:
      if (m.input_index() >= input.size()) {
        ThrowMalformedPlan("input column #{} of an input with {} columns", m.input_index(),
                           input.size());
      }
      if (input[m.input_index()] != e->type) {
        ThrowMalformedPlan("input column #{} read as {}, but it is {}", m.input_index(),
                           e->type.ToString(), input[m.input_index()].ToString());
      }
      e->input_index = m.input_index();
      break;
    case ExprKind::kParameter:
      e->input_index = m.input_index();
      break;
    case ExprKind::kConstant:
      if (!m.has_constant()) ThrowMalformedPlan("a constant expression without its value");
      e->constant = ValueFromProto(m.constant());
      // The executor makes a constant's vector from the value, and its
      // consumers read it as e->type says.
      if (e->constant.IsNull()) {
        e->constant = Value::Null(e->type);
      } else if (e->constant.type() != e->type) {
        ThrowMalformedPlan("a constant of type {} holding a {} value", e->type.ToString(),
                           e->constant.type().ToString());
      }
      break;
    case ExprKind::kFunction:
      if (!m.has_function()) ThrowMalformedPlan("a function expression without its function");
      e->function = functions.BindScalar(m.function(), e->children);
      for (size_t i = 0; i < e->children.size(); i++) {
        if (e->children[i]->type != e->function.arg_types[i]) {
          ThrowMalformedPlan("argument {} of {} is {}, but the function takes {}", i + 1,
                             m.function().name(), e->children[i]->type.ToString(),
                             e->function.arg_types[i].ToString());
        }
      }
      // The executor allocates the result by e->type; the kernel writes
      // its return type.
      if (e->type != e->function.return_type) {
        ThrowMalformedPlan("a call of {} typed {}, but the function returns {}",
                           m.function().name(), e->type.ToString(),
                           e->function.return_type.ToString());
      }
      break;
    default:
      CheckOperatorTypes(*e, m);
      break;
  }
  return e;
}

void AggregateFunctionToProto(const BoundAggregateFunction& function,
                              plan::AggregateFunction* out) {
  out->set_name(function.name);
  for (const LogicalType& t : function.arg_types) TypeToProto(t, out->add_arg_types());
  TypeToProto(function.return_type, out->mutable_return_type());
}

}  // namespace basalt
