// Parsed queries: query nodes (SELECT, set operations, VALUES) and the table
// references of their FROM clauses. They are mutually recursive (a subquery in
// FROM holds a query), so they share this header. Same conventions as
// ast_expression.h: plain data, unique_ptr ownership, byte positions into the
// whole input, names already case-folded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/exception.h"
#include "sql/ast_expression.h"

namespace basalt::sql {

// ---------------------------------------------------------------------------
// Table references (FROM clause)
// ---------------------------------------------------------------------------

enum class TableRefKind : uint8_t { kBaseTable, kSubquery, kJoin, kTableFunction };

class TableRef {
 public:
  virtual ~TableRef() = default;
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;

  // SQL text of the reference, aliases included.
  virtual std::string ToString() const = 0;
  virtual std::unique_ptr<TableRef> Copy() const = 0;

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
  template <typename T>
  T& As() {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& As() const {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const TableRefKind kind;
  int32_t position;
  std::string alias;                        // empty when none
  std::vector<std::string> column_aliases;  // AS t(a, b); empty when none

 protected:
  TableRef(TableRefKind kind, int32_t position) : kind(kind), position(position) {}
  std::string AliasToString() const;  // " AS t(a, b)" or ""
  void CopyAliasTo(TableRef& target) const;
};

using TableRefPtr = std::unique_ptr<TableRef>;

// [schema.]name
class BaseTableRef : public TableRef {
 public:
  static constexpr TableRefKind kKind = TableRefKind::kBaseTable;
  explicit BaseTableRef(int32_t position) : TableRef(kKind, position) {}

  std::string ToString() const override;
  TableRefPtr Copy() const override;

  std::string schema;  // empty when unqualified
  std::string name;
};

// (query) [AS alias[(columns)]], including (VALUES ...) AS v(a, b). The alias
// is optional in the grammar; the binder may require or invent one.
class SubqueryRef : public TableRef {
 public:
  static constexpr TableRefKind kKind = TableRefKind::kSubquery;
  SubqueryRef(std::unique_ptr<QueryNode> query, int32_t position);
  ~SubqueryRef() override;

  std::string ToString() const override;
  TableRefPtr Copy() const override;

  std::unique_ptr<QueryNode> query;
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };

// left [NATURAL] <type> JOIN right [ON condition | USING (columns)].
// `FROM a, b, c` becomes ((a CROSS JOIN b) CROSS JOIN c). Exactly one of
// condition / using_columns is set for non-natural, non-cross joins; neither
// for NATURAL or CROSS. A parenthesised join may carry an alias.
//
// Long join lists are left-deep trees; destruction, Copy and ToString walk
// the `left` spine iteratively.
class JoinRef : public TableRef {
 public:
  static constexpr TableRefKind kKind = TableRefKind::kJoin;
  JoinRef(JoinType join_type, TableRefPtr left, TableRefPtr right, int32_t position)
      : TableRef(kKind, position),
        join_type(join_type),
        left(std::move(left)),
        right(std::move(right)) {}
  ~JoinRef() override;

  std::string ToString() const override;
  TableRefPtr Copy() const override;

  JoinType join_type;
  TableRefPtr left;
  TableRefPtr right;
  ExpressionPtr condition;                 // ON ...; null otherwise
  std::vector<std::string> using_columns;  // USING (...); empty otherwise
  bool natural = false;
};

// A table-valued function, `read_csv('data/*.csv', delim => '|', header => true)`
// (function set, is_path false), or a bare path, FROM 'data/x.csv' (is_path
// true, path set, function null: the binder picks a reader from the name).
class TableFunctionRef : public TableRef {
 public:
  static constexpr TableRefKind kKind = TableRefKind::kTableFunction;
  explicit TableFunctionRef(int32_t position) : TableRef(kKind, position) {}

  std::string ToString() const override;
  TableRefPtr Copy() const override;

  std::unique_ptr<FunctionCallExpression> function;
  bool is_path = false;
  std::string path;
};

// ---------------------------------------------------------------------------
// Query nodes
// ---------------------------------------------------------------------------

enum class QueryNodeKind : uint8_t { kSelect, kSetOperation, kValues };

// WITH name [(column_names)] AS (query).
struct CommonTableExpression {
  std::string name;
  std::vector<std::string> column_names;  // empty when not given
  std::unique_ptr<QueryNode> query;
  int32_t position = 0;

  CommonTableExpression Copy() const;
};

// A query. WITH, ORDER BY, LIMIT and OFFSET belong to the node they were
// written on, so they work the same on a plain SELECT, a set operation (where
// they apply to its result) and a parenthesised query. The binder evaluates
// them in SQL order: ctes visible inside, then the body, ORDER BY, OFFSET,
// LIMIT.
class QueryNode {
 public:
  virtual ~QueryNode() = default;
  QueryNode(const QueryNode&) = delete;
  QueryNode& operator=(const QueryNode&) = delete;

  // SQL text of the query (used for EXPLAIN and in subquery expressions'
  // ToString); reparsing it yields an equal tree.
  std::string ToString() const;
  virtual std::unique_ptr<QueryNode> Copy() const = 0;

  // True when ctes, order_by, limit or offset are present.
  bool HasModifiers() const {
    return !ctes.empty() || !order_by.empty() || limit != nullptr || offset != nullptr;
  }

  template <typename T>
  bool Is() const {
    return kind == T::kKind;
  }
  template <typename T>
  T& As() {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& As() const {
    BASALT_CHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const QueryNodeKind kind;
  int32_t position;
  std::vector<CommonTableExpression> ctes;
  std::vector<OrderByItem> order_by;
  ExpressionPtr limit;   // null: no LIMIT (also LIMIT ALL); FETCH FIRST n ROWS ONLY lands here
  ExpressionPtr offset;  // null: no OFFSET

 protected:
  QueryNode(QueryNodeKind kind, int32_t position) : kind(kind), position(position) {}
  // The body without WITH / ORDER BY / LIMIT / OFFSET.
  virtual std::string BodyToString() const = 0;
  void CopyModifiersTo(QueryNode& target) const;
};

using QueryNodePtr = std::unique_ptr<QueryNode>;

struct SelectItem {
  ExpressionPtr expression;
  std::string alias;  // empty when no alias was written
};

// GROUP BY as grouping sets over a list of distinct expressions.
//   no GROUP BY                      -> grouping_sets empty
//   GROUP BY a, b                    -> expressions [a, b], sets {{0, 1}}
//   GROUP BY ()                      -> expressions [],     sets {{}}
//   GROUP BY ROLLUP(a, b)            -> sets {{0, 1}, {0}, {}}
//   GROUP BY CUBE(a, b)              -> sets {{0, 1}, {0}, {1}, {}}
//   GROUP BY GROUPING SETS ((a, b), (a), ()) -> sets {{0, 1}, {0}, {}}
//   GROUP BY a, ROLLUP(b)            -> sets {{0, 1}, {0}} (cross product)
// Expressions are deduplicated by their ToString(), and indices within a
// set are ascending. A plain GROUP BY list is exactly one set holding every
// expression in written order; `plain` records that no grouping-set syntax
// was used.
struct GroupByClause {
  std::vector<ExpressionPtr> expressions;
  std::vector<std::vector<size_t>> grouping_sets;
  bool plain = true;

  bool empty() const { return grouping_sets.empty(); }
  GroupByClause Copy() const;
  std::string ToString() const;  // "a, b" or "GROUPING SETS ((a, b), ())"; "" when empty
};

// SELECT [DISTINCT] select_list [FROM from] [WHERE where] [GROUP BY ...]
// [HAVING having].
class SelectNode : public QueryNode {
 public:
  static constexpr QueryNodeKind kKind = QueryNodeKind::kSelect;
  explicit SelectNode(int32_t position) : QueryNode(kKind, position) {}

  QueryNodePtr Copy() const override;

  bool distinct = false;
  std::vector<SelectItem> select_list;  // never empty
  TableRefPtr from;                     // null for SELECT without FROM
  ExpressionPtr where;                  // null when absent
  GroupByClause group_by;
  ExpressionPtr having;  // null when absent

 protected:
  std::string BodyToString() const override;
};

enum class SetOperationType : uint8_t { kUnion, kIntersect, kExcept };

// left UNION|INTERSECT|EXCEPT [ALL] right. INTERSECT binds tighter than
// UNION and EXCEPT, which associate left to right, so a long chain is a
// left-deep tree; destruction, Copy and ToString walk the `left` spine
// iteratively.
class SetOperationNode : public QueryNode {
 public:
  static constexpr QueryNodeKind kKind = QueryNodeKind::kSetOperation;
  SetOperationNode(SetOperationType op, bool all, QueryNodePtr left, QueryNodePtr right,
                   int32_t position)
      : QueryNode(kKind, position),
        op(op),
        all(all),
        left(std::move(left)),
        right(std::move(right)) {}
  ~SetOperationNode() override;

  QueryNodePtr Copy() const override;

  SetOperationType op;
  bool all;  // UNION ALL keeps duplicates
  QueryNodePtr left;
  QueryNodePtr right;

 protected:
  std::string BodyToString() const override;
};

// VALUES (1, 2), (3, 4). Every row has the same, non-zero, number of values.
class ValuesNode : public QueryNode {
 public:
  static constexpr QueryNodeKind kKind = QueryNodeKind::kValues;
  explicit ValuesNode(int32_t position) : QueryNode(kKind, position) {}

  QueryNodePtr Copy() const override;

  std::vector<std::vector<ExpressionPtr>> rows;

 protected:
  std::string BodyToString() const override;
};

}  // namespace basalt::sql
