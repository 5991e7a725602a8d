// The names visible while binding one SELECT: the relations of its FROM
// clause and their columns, each column with the binding that produces it.
#pragma once

#include <string>
#include <vector>

#include "exec/expression.h"

namespace basalt {

struct ScopeColumn {
  std::string name;
  LogicalType type;
  ColumnBinding binding;
  // Hidden from `*` (the second copy of a USING column).
  bool hidden = false;
};

struct ScopeRelation {
  std::string alias;  // table name or alias; may be empty for an unaliased subquery
  std::vector<ScopeColumn> columns;
};

class BindScope {
 public:
  void AddRelation(ScopeRelation relation);
  void Merge(BindScope&& other);
  const std::vector<ScopeRelation>& relations() const { return relations_; }
  std::vector<ScopeRelation>& relations() { return relations_; }

  // Resolves `column` (optionally qualified by `relation`). Throws 42703 when
  // absent, 42702 when ambiguous, 42P01 for an unknown relation qualifier.
  const ScopeColumn& Resolve(const std::string& relation, const std::string& column,
                             int32_t position) const;
  // nullptr when absent (no error); still throws when ambiguous.
  const ScopeColumn* TryResolve(const std::string& relation, const std::string& column,
                                int32_t position) const;

 private:
  std::vector<ScopeRelation> relations_;
};

}  // namespace basalt
