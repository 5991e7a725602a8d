// The binder turns parsed SQL into a logical plan: it resolves names against
// the catalog and the FROM clause, types every expression (adding the
// implicit casts PostgreSQL would), extracts aggregates and checks GROUP BY
// rules. Errors carry the position of the offending token.
//
// One Binder binds one statement; nested queries get child binders that share
// the table-index counter and the CTEs in scope.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/system_table.h"
#include "plan/bind_scope.h"
#include "plan/logical_operator.h"
#include "plan/statement_parameters.h"
#include "sql/ast_statement.h"
#include "storage/csv_options.h"

namespace basalt {

struct PendingWindow;  // binder_internal.h
struct CatalogLookup;  // exec/functions/catalog_functions.h

// A bound query: its plan and the names and types of its output columns.
struct BoundQuery {
  LogicalOperatorPtr plan;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
};

// Named arguments that every file table function takes: they add virtual
// columns (exec/operators/file_virtual_columns.h) rather than steer a reader.
struct FileColumnOptions {
  bool filename = false;
  std::optional<bool> hive_partitioning;  // unset: detect from the paths
};

// The options of an external table (CREATE EXTERNAL TABLE ... WITH (...)):
// filename and hive_partitioning for every format, CSV options for CSV.
struct ExternalTableOptions {
  FileColumnOptions files;
  CsvOptions csv;
};

class Binder {
 public:
  // `parameters` gives the statement's $n (extended query protocol); without
  // it a $n is an error (42P02), as in a simple query.
  explicit Binder(Catalog& catalog, const StatementParameters* parameters = nullptr);

  // The session the system tables and catalog functions describe
  // (catalog/system_table.h); without one, a default session.
  void SetSession(std::shared_ptr<const SessionInfo> session) { shared_->session = std::move(session); }

  BoundQuery BindQuery(const sql::QueryNode& node);
  // Binds a standalone expression with no columns in scope (for DEFAULTs,
  // LIMIT, option values).
  ExpressionPtr BindConstantExpression(const sql::ParsedExpression& expr);

  // External tables (binder_external_table.cc). Their options as stored;
  // 42883 for an option the format does not take, 22023 / 42804 for a bad value.
  static ExternalTableOptions ParseExternalTableOptions(const ExternalTableRecord& external);
  // For CSV, adds the header and delimiter the sniffer detects
  // in the first file as options where the user set none, so that every
  // later query reads the files as CREATE saw them (the sniffer's guess
  // could change with the first file). No files: nothing to pin.
  static void PinExternalCsvDialect(ExternalTableRecord& external);
  // The columns of the files of `external` as read_parquet / read_csv /
  // read_json would give them (with Hive partition and filename columns):
  // what an external table without declared columns gets at CREATE and
  // REFRESH. 58P01 when the location holds no files.
  static std::vector<TableColumn> InferExternalColumns(const ExternalTableRecord& external);
  // Binds a scan of `table` (external) as a query would, to report now
  // what a query would (a declared column missing from the files, a type
  // that cannot be cast). Nothing is read beyond footers and samples.
  void CheckExternalTable(const std::shared_ptr<TableEntry>& table);

  // Adds a cast of `expr` to `type` (folding it when `expr` is a constant).
  static ExpressionPtr AddCast(ExpressionPtr expr, const LogicalType& type, int32_t position = -1);

  // The value of `bound`, an expression without columns, for the clauses
  // whose value the binder itself needs: LIMIT / OFFSET, generate_series
  // bounds, window offsets, read_csv's arguments. nullopt while a prepared
  // statement is only described and `bound` uses one of its $n, which have
  // no values yet: the caller then goes on with a describe-time default that
  // gives the statement the same columns (each execution binds again, with
  // the values). Errors of the evaluation carry `position`.
  std::optional<Value> EvaluateConstantOrUnknown(const Expression& bound, int32_t position);
  // Whether `bound` uses a $n that has no value yet (describing only).
  bool AwaitsParameterValue(const Expression& bound) const;
  // The types parameters took where EvaluateConstantOrUnknown read them
  // (LIMIT $1 makes $1 a BIGINT): such uses leave no trace in the plan, so a
  // description fills `types` (one per parameter) from here where it has kInvalid.
  void AddTypesOfParametersOutsidePlan(std::vector<LogicalType>* types) const;

 private:
  struct SharedState {
    uint32_t next_table_index = 0;
    int view_depth = 0;
    // Nesting of expressions being bound; bounded so that every later pass
    // over the tree (optimizer, executor) recurses within a known depth.
    int expression_depth = 0;
    const StatementParameters* parameters = nullptr;
    std::shared_ptr<const SessionInfo> session;
    // The catalog as system tables and catalog functions see it, taken at
    // first use so that one statement sees one catalog.
    std::shared_ptr<const CatalogSnapshot> catalog_snapshot;
    std::shared_ptr<const CatalogLookup> catalog_lookup;
    // See AddTypesOfParametersOutsidePlan; indexed by parameter, kInvalid = unknown.
    std::vector<LogicalType> parameter_types_outside_plan;
  };
  class NestingGuard;
  struct CteBinding {
    const sql::CommonTableExpression* cte;
  };
  // State while binding one SELECT block's expressions.
  struct SelectContext;

  Binder(Catalog& catalog, std::shared_ptr<SharedState> shared,
         std::map<std::string, CteBinding> ctes);

  uint32_t NextTableIndex() { return shared_->next_table_index++; }

  // `grouping_set` (indices into the GROUP BY expressions) binds one branch
  // of a GROUPING SETS query, without its ORDER BY and LIMIT.
  BoundQuery BindSelect(const sql::SelectNode& node,
                        const std::vector<size_t>* grouping_set = nullptr);
  BoundQuery BindGroupingSets(const sql::SelectNode& node);
  // WHERE: conjuncts become a filter, [NOT] EXISTS / IN subqueries semi and
  // anti joins, and (in a subquery) conjuncts that refer to the enclosing
  // query are set aside in correlated_conditions_.
  LogicalOperatorPtr BindWhere(const sql::ParsedExpression& where, const BindScope& scope,
                               LogicalOperatorPtr plan);
  BoundQuery BindSetOperation(const sql::SetOperationNode& node);
  BoundQuery BindIntersectExcept(const sql::SetOperationNode& node, BoundQuery left,
                                 BoundQuery right, const std::vector<LogicalType>& types);
  BoundQuery BindValues(const sql::ValuesNode& node);
  // ORDER BY / LIMIT / OFFSET on a query whose output columns are `query`'s.
  void BindModifiersOnOutput(const sql::QueryNode& node, BoundQuery& query);

  LogicalOperatorPtr BindTableRef(const sql::TableRef& ref, BindScope& scope);
  // System tables and catalog functions (binder_system.cc).
  SystemTableInputs SystemInputs();
  // The rows of the system table `ref` names (pg_catalog is searched for
  // unqualified names first, as in PostgreSQL); nullptr when it names none.
  std::shared_ptr<TableEntry> FindSystemTable(const sql::BaseTableRef& ref);
  // What catalog functions (exec/functions/catalog_functions.h) look up.
  std::shared_ptr<const CatalogLookup> CatalogLookupForStatement();
  LogicalOperatorPtr BindBaseTable(const sql::BaseTableRef& ref, BindScope& scope);
  LogicalOperatorPtr BindSubqueryRef(const sql::QueryNode& query, const sql::TableRef& ref,
                                     const std::string& default_alias,
                                     const std::vector<std::string>& column_names,
                                     BindScope& scope);
  LogicalOperatorPtr BindJoin(const sql::JoinRef& ref, BindScope& scope);
  LogicalOperatorPtr MergeFullJoinUsingColumns(LogicalOperatorPtr join,
                                               const std::vector<std::string>& using_columns,
                                               BindScope& merged, int32_t position);
  LogicalOperatorPtr BindTableFunction(const sql::TableFunctionRef& ref, BindScope& scope);
  // An external table: a scan of the files its location lists now, cast to
  // the table's columns.
  LogicalOperatorPtr BindExternalTable(const std::shared_ptr<TableEntry>& table,
                                       const std::vector<std::string>& column_aliases,
                                       const std::string& alias, int32_t position,
                                       BindScope& scope);
  LogicalOperatorPtr BindJson(const std::string& pattern, const sql::TableFunctionRef& ref,
                            BindScope& scope, const FileColumnOptions& file_options);
  LogicalOperatorPtr BindParquet(const std::string& pattern, const sql::TableFunctionRef& ref,
                                 BindScope& scope, const FileColumnOptions& file_options);
  // filename and hive_partitioning of read_parquet / read_json.
  FileColumnOptions BindFileColumnOptions(const sql::FunctionCallExpression& fn);
  LogicalOperatorPtr BindSeries(const sql::FunctionCallExpression& fn,
                                const sql::TableFunctionRef& ref, BindScope& scope);

  // Expression binding (binder_expression.cc).
  ExpressionPtr BindExpression(const sql::ParsedExpression& expr, SelectContext& ctx);
  ExpressionPtr BindColumnRef(const sql::ColumnRefExpression& expr, SelectContext& ctx);
  ExpressionPtr BindStructFieldRef(const sql::ColumnRefExpression& expr, SelectContext& ctx);
  ExpressionPtr BindConstant(const sql::ConstantExpression& expr);
  ExpressionPtr BindParameter(const sql::ParameterExpression& expr);
  ExpressionPtr BindFunctionCall(const sql::FunctionCallExpression& expr, SelectContext& ctx);
  ExpressionPtr BindAggregateCall(const sql::FunctionCallExpression& expr, SelectContext& ctx);
  // binder_window.cc
  ExpressionPtr BindWindowCall(const sql::FunctionCallExpression& expr, SelectContext& ctx);
  LogicalOperatorPtr PlanWindows(std::vector<PendingWindow> windows, LogicalOperatorPtr plan);
  ExpressionPtr BindCase(const sql::CaseExpression& expr, SelectContext& ctx);
  ExpressionPtr BindInList(const sql::InListExpression& expr, SelectContext& ctx);
  ExpressionPtr BindScalarFunction(const std::string& name, std::vector<ExpressionPtr> args,
                                   int32_t position, const std::string& display_name = "");
  ExpressionPtr BindBoolean(const sql::ParsedExpression& expr, SelectContext& ctx,
                            const char* context_name);

  // Subqueries in expressions (binder_subquery.cc). A subquery is bound by a
  // child binder that may see the enclosing SELECT's scope (correlation);
  // the result becomes a join onto the enclosing plan.
  struct BoundSubquery {
    BoundQuery query;
    // WHERE conjuncts of the subquery that refer to the enclosing query;
    // they become join conditions.
    std::vector<ExpressionPtr> correlated_conditions;
  };
  BoundSubquery BindSubqueryNode(const sql::QueryNode& node, SelectContext& ctx);
  // A scalar or ARRAY subquery Basalt cannot plan yet, when its value is
  // known without running it: the enclosing query has no rows (ctx's
  // from_is_empty), or the subquery itself has none (NULL, ARRAY '{}').
  // nullptr otherwise.
  ExpressionPtr BindSubqueryOverNoRows(const sql::SubqueryExpression& expr, SelectContext& ctx);
  // Projection(x) over a plain plan -> Projection(single_value(x)) over an
  // aggregate of it.
  LogicalOperatorPtr WrapInSingleValue(LogicalOperatorPtr plan, const LogicalType& type);
  ExpressionPtr BindScalarSubquery(const sql::SubqueryExpression& expr, SelectContext& ctx);
  // EXISTS / IN used as a value (in SELECT, under OR, ...): joins that bring
  // in what decides it, and a boolean expression over them.
  ExpressionPtr BindSubqueryValue(const sql::SubqueryExpression& expr, SelectContext& ctx);
  // [NOT] EXISTS / [NOT] IN as a top-level WHERE conjunct: a semi or anti join.
  LogicalOperatorPtr PlanSubqueryPredicate(const sql::SubqueryExpression& expr, bool negated,
                                           SelectContext& ctx, LogicalOperatorPtr plan);

  Catalog& catalog_;
  std::shared_ptr<SharedState> shared_;
  std::map<std::string, CteBinding> ctes_;
  // The enclosing SELECT's scope when this binder binds a subquery in an
  // expression; its columns may be referenced in this query's WHERE.
  const BindScope* outer_scope_ = nullptr;
  std::vector<ExpressionPtr> correlated_conditions_;
};

// Builds a join of two plans.
LogicalOperatorPtr MakeJoin(LogicalJoinType type, LogicalOperatorPtr left, LogicalOperatorPtr right,
                            std::vector<ExpressionPtr> conditions);

// The column name PostgreSQL gives an unaliased select-list expression.
std::string DefaultColumnName(const sql::ParsedExpression& expr);

}  // namespace basalt
