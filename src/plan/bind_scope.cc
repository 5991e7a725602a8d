#include "plan/bind_scope.h"

#include "common/exception.h"

namespace basalt {

void BindScope::AddRelation(ScopeRelation relation) {
  if (!relation.alias.empty()) {
    for (const auto& r : relations_) {
      if (r.alias == relation.alias) {
        ThrowError(sqlstate::kDuplicateAlias,
                   "table name \"{}\" specified more than once", relation.alias);
      }
    }
  }
  relations_.push_back(std::move(relation));
}

void BindScope::Merge(BindScope&& other) {
  for (auto& r : other.relations_) AddRelation(std::move(r));
}

const ScopeColumn* BindScope::TryResolve(const std::string& relation, const std::string& column,
                                         int32_t position) const {
  const ScopeColumn* found = nullptr;
  bool relation_found = relation.empty();
  for (const auto& r : relations_) {
    if (!relation.empty()) {
      if (r.alias != relation) continue;
      relation_found = true;
    }
    for (const auto& c : r.columns) {
      if (c.name != column) continue;
      if (c.hidden && relation.empty()) continue;  // USING column: use the merged one
      if (found && !(found->binding == c.binding)) {
        ThrowErrorAt(sqlstate::kAmbiguousColumn, position, "column reference \"{}\" is ambiguous",
                     column);
      }
      found = &c;
    }
  }
  if (!relation_found) {
    ThrowErrorAt(sqlstate::kUndefinedTable, position,
                 "missing FROM-clause entry for table \"{}\"", relation);
  }
  return found;
}

const ScopeColumn& BindScope::Resolve(const std::string& relation, const std::string& column,
                                      int32_t position) const {
  const ScopeColumn* c = TryResolve(relation, column, position);
  if (!c) {
    if (relation.empty()) {
      ThrowErrorAt(sqlstate::kUndefinedColumn, position, "column \"{}\" does not exist", column);
    }
    ThrowErrorAt(sqlstate::kUndefinedColumn, position, "column {}.{} does not exist", relation,
                 column);
  }
  return *c;
}

}  // namespace basalt
