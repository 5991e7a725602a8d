#include "exec/expression.h"

#include <fmt/format.h>

namespace basalt {

std::unique_ptr<Expression> Expression::Copy() const {
  auto e = std::make_unique<Expression>();
  e->kind = kind;
  e->type = type;
  e->binding = binding;
  e->input_index = input_index;
  e->constant = constant;
  e->function = function;
  e->alias = alias;
  e->untyped_literal = untyped_literal;
  e->children.reserve(children.size());
  for (const auto& c : children) e->children.push_back(c->Copy());
  return e;
}

bool Expression::IsFoldable() const {
  bool foldable = true;
  VisitExpression(*this, [&](const Expression& e) {
    if (e.kind == ExprKind::kColumnRef || e.kind == ExprKind::kInputRef ||
        e.kind == ExprKind::kParameter ||
        (e.kind == ExprKind::kFunction && !e.function.deterministic)) {
      foldable = false;
    }
  });
  return foldable;
}

bool Expression::Equals(const Expression& o) const {
  if (kind != o.kind || type != o.type || children.size() != o.children.size()) return false;
  switch (kind) {
    case ExprKind::kColumnRef:
      if (!(binding == o.binding)) return false;
      break;
    case ExprKind::kInputRef:
      if (input_index != o.input_index) return false;
      break;
    case ExprKind::kConstant:
      if (constant != o.constant) return false;
      break;
    case ExprKind::kFunction:
      if (function.name != o.function.name || function.kernel != o.function.kernel ||
          !function.deterministic) {
        return false;
      }
      break;
    default:
      break;
  }
  for (size_t i = 0; i < children.size(); i++) {
    if (!children[i]->Equals(*o.children[i])) return false;
  }
  return true;
}

namespace {
bool IsOperatorName(const std::string& name) {
  return name == "+" || name == "-" || name == "*" || name == "/" || name == "%" || name == "=" ||
         name == "<>" || name == "<" || name == ">" || name == "<=" || name == ">=" ||
         name == "||" || name == "~~" || name == "!~~";
}
}  // namespace

std::string Expression::ToString() const {
  auto child = [&](size_t i) { return children[i]->ToString(); };
  switch (kind) {
    case ExprKind::kColumnRef:
      return alias.empty() ? fmt::format("#{}.{}", binding.table_index, binding.column_index)
                           : alias;
    case ExprKind::kInputRef:
      return fmt::format("#{}", input_index);
    case ExprKind::kConstant:
      if (constant.IsNull()) return "NULL";
      if (type.id() == TypeId::kVarchar) return "'" + constant.ToString() + "'";
      if (type.id() == TypeId::kDate) return "DATE '" + constant.ToString() + "'";
      if (type.id() == TypeId::kTimestamp) return "TIMESTAMP '" + constant.ToString() + "'";
      if (type.id() == TypeId::kInterval) return "INTERVAL '" + constant.ToString() + "'";
      return constant.ToString();
    case ExprKind::kFunction: {
      if (IsOperatorName(function.name) && children.size() == 2) {
        return fmt::format("({} {} {})", child(0), function.name, child(1));
      }
      if (function.name == "cast" && children.size() == 1) {
        return fmt::format("CAST({} AS {})", child(0), type.ToString());
      }
      return fmt::format("{}({})", function.name, JoinExpressions(children));
    }
    case ExprKind::kAnd:
    case ExprKind::kOr:
      return "(" + JoinExpressions(children, kind == ExprKind::kAnd ? " AND " : " OR ") + ")";
    case ExprKind::kNot:
      return fmt::format("(NOT {})", child(0));
    case ExprKind::kIsNull:
      return fmt::format("({} IS NULL)", child(0));
    case ExprKind::kIsNotNull:
      return fmt::format("({} IS NOT NULL)", child(0));
    case ExprKind::kCase: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < children.size(); i += 2) {
        out += fmt::format(" WHEN {} THEN {}", child(i), child(i + 1));
      }
      return out + fmt::format(" ELSE {} END", child(children.size() - 1));
    }
    case ExprKind::kCoalesce:
      return "COALESCE(" + JoinExpressions(children) + ")";
    case ExprKind::kInList: {
      std::string out = child(0) + " IN (";
      for (size_t i = 1; i < children.size(); i++) out += (i > 1 ? ", " : "") + child(i);
      return out + ")";
    }
    case ExprKind::kParameter:
      return fmt::format("${}", input_index + 1);
  }
  return "?";
}

std::string JoinExpressions(const std::vector<ExpressionPtr>& exprs, const char* separator) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); i++) {
    if (i > 0) out += separator;
    out += exprs[i]->ToString();
  }
  return out;
}

std::unique_ptr<Expression> Expression::MakeConstant(Value v) {
  auto e = std::make_unique<Expression>();
  e->kind = ExprKind::kConstant;
  e->type = v.type();
  e->constant = std::move(v);
  return e;
}

std::unique_ptr<Expression> Expression::MakeColumnRef(ColumnBinding b, LogicalType type,
                                                      std::string alias) {
  auto e = std::make_unique<Expression>();
  e->kind = ExprKind::kColumnRef;
  e->type = type;
  e->binding = b;
  e->alias = std::move(alias);
  return e;
}

std::unique_ptr<Expression> Expression::MakeInputRef(idx_t index, LogicalType type) {
  auto e = std::make_unique<Expression>();
  e->kind = ExprKind::kInputRef;
  e->type = type;
  e->input_index = index;
  return e;
}

std::unique_ptr<Expression> Expression::MakeFunction(BoundScalarFunction fn,
                                                     std::vector<std::unique_ptr<Expression>> args) {
  auto e = std::make_unique<Expression>();
  e->kind = ExprKind::kFunction;
  e->type = fn.return_type;
  e->function = std::move(fn);
  e->children = std::move(args);
  return e;
}

std::unique_ptr<Expression> Expression::MakeBoolean(ExprKind kind,
                                                    std::vector<std::unique_ptr<Expression>> args) {
  auto e = std::make_unique<Expression>();
  e->kind = kind;
  e->type = TypeId::kBoolean;
  e->children = std::move(args);
  return e;
}

}  // namespace basalt
