// Binding of FROM clauses: tables, views, CTEs, subqueries, joins and table
// functions (files read in place).
#include <fmt/format.h>

#include "common/decimal.h"
#include "common/exception.h"
#include "exec/cast.h"
#include "exec/expression_executor.h"
#include "exec/operators/file_ranges.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"
#include "sql/parser.h"
#include "storage/csv_options.h"
#include "storage/csv_sniffer.h"
#include "storage/file_glob.h"
#include "storage/json/json_schema.h"
#include "storage/parquet/parquet_reader.h"

namespace basalt {

namespace {
constexpr int kMaxViewDepth = 32;

// Applies `column_aliases` (AS t(a, b)) over `names`.
std::vector<std::string> ApplyColumnAliases(std::vector<std::string> names,
                                            const std::vector<std::string>& aliases,
                                            const std::string& relation, int32_t position) {
  if (aliases.size() > names.size()) {
    ThrowErrorAt(sqlstate::kInvalidColumnReference /* 42P10 */, position,
                 "table \"{}\" has {} columns available but {} columns specified", relation,
                 names.size(), aliases.size());
  }
  for (size_t i = 0; i < aliases.size(); i++) names[i] = aliases[i];
  return names;
}

// A copy of `fn` in which positional arguments written `name = value` (as
// DuckDB accepts in table functions) become named arguments, like
// `name => value`. In FROM there is no column such a comparison could read.
std::unique_ptr<sql::FunctionCallExpression> NormalizeNamedArguments(
    const sql::FunctionCallExpression& fn) {
  sql::ExpressionPtr copy = fn.Copy();
  std::unique_ptr<sql::FunctionCallExpression> result(
      static_cast<sql::FunctionCallExpression*>(copy.release()));
  std::vector<sql::ExpressionPtr> positional;
  for (size_t i = 0; i < result->args.size(); i++) {
    sql::ExpressionPtr& arg = result->args[i];
    if (i > 0 && arg->Is<sql::ComparisonExpression>()) {
      auto& comparison = arg->As<sql::ComparisonExpression>();
      if (comparison.op == sql::ComparisonOperator::kEqual &&
          comparison.left->Is<sql::ColumnRefExpression>() &&
          comparison.left->As<sql::ColumnRefExpression>().names.size() == 1) {
        sql::NamedArgument named;
        named.name = comparison.left->As<sql::ColumnRefExpression>().column_name();
        named.position = comparison.left->position;
        named.value = std::move(comparison.right);
        result->named_args.push_back(std::move(named));
        continue;
      }
    }
    positional.push_back(std::move(arg));
  }
  result->args = std::move(positional);
  return result;
}

// Applies `name` = `value` when it is a file column option; false otherwise
// (read_csv then treats it as a CSV option).
bool ApplyFileColumnOption(FileColumnOptions& options, const std::string& name, const Value& value,
                           int32_t position) {
  if (name != "filename" && name != "hive_partitioning") return false;
  if (value.IsNull() || value.type().id() != TypeId::kBoolean) {
    ThrowErrorAt(sqlstate::kDatatypeMismatch, position, "{} expects a boolean (true or false)",
                 name);
  }
  if (name == "filename") {
    options.filename = value.GetBool();
  } else {
    options.hive_partitioning = value.GetBool();
  }
  return true;
}

// Appends the partition and filename columns to the scan and its relation.
void AddFileVirtualColumns(LogicalFileScan& scan, ScopeRelation& relation,
                           const FileColumnOptions& options, int32_t position) {
  try {
    scan.virtual_columns =
        BuildFileVirtualColumns(scan.files, scan.names, options.hive_partitioning, options.filename);
  } catch (const BasaltError& e) {
    if (e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), position);
  }
  if (!scan.virtual_columns) return;
  const FileVirtualColumns& columns = *scan.virtual_columns;
  for (size_t k = 0; k < columns.names.size(); k++) {
    const auto id = static_cast<uint32_t>(scan.names.size());
    scan.names.push_back(columns.names[k]);
    scan.types.push_back(columns.types[k]);
    scan.column_ids.push_back(id);
    relation.columns.push_back({columns.names[k], columns.types[k], ColumnBinding{scan.table_index, id}});
  }
}
}  // namespace

FileColumnOptions Binder::BindFileColumnOptions(const sql::FunctionCallExpression& fn) {
  FileColumnOptions options;
  for (const auto& arg : fn.named_args) {
    std::optional<Value> v =
        EvaluateConstantOrUnknown(*BindConstantExpression(*arg.value), arg.position);
    if (!v) {
      ThrowErrorAt(sqlstate::kFeatureNotSupported, arg.position,
                   "{} with a parameter cannot be described before the parameter has a value: "
                   "its columns come from the file",
                   fn.name);
    }
    if (!ApplyFileColumnOption(options, arg.name, *v, arg.position)) {
      ThrowErrorAt(sqlstate::kUndefinedFunction, arg.position,
                   "{} has no parameter \"{}\"; it takes filename and hive_partitioning", fn.name,
                   arg.name);
    }
  }
  return options;
}

LogicalOperatorPtr Binder::BindTableRef(const sql::TableRef& ref, BindScope& scope) {
  switch (ref.kind) {
    case sql::TableRefKind::kBaseTable:
      return BindBaseTable(ref.As<sql::BaseTableRef>(), scope);
    case sql::TableRefKind::kSubquery: {
      const auto& sub = ref.As<sql::SubqueryRef>();
      return BindSubqueryRef(*sub.query, ref, ref.alias, ref.column_aliases, scope);
    }
    case sql::TableRefKind::kJoin:
      return BindJoin(ref.As<sql::JoinRef>(), scope);
    case sql::TableRefKind::kTableFunction:
      return BindTableFunction(ref.As<sql::TableFunctionRef>(), scope);
  }
  ThrowErrorAt(sqlstate::kFeatureNotSupported, ref.position, "unsupported FROM item");
}

LogicalOperatorPtr Binder::BindBaseTable(const sql::BaseTableRef& ref, BindScope& scope) {
  const std::string alias = ref.alias.empty() ? ref.name : ref.alias;
  if (ref.schema.empty()) {
    auto cte = ctes_.find(ref.name);
    if (cte != ctes_.end()) {
      // Each reference binds the CTE's query afresh (inlining); a CTE may not
      // see itself, so bind it with the CTEs that were visible before it.
      auto saved = ctes_;
      ctes_.erase(cte->first);
      auto names = ref.column_aliases.empty() ? cte->second.cte->column_names : ref.column_aliases;
      auto plan = BindSubqueryRef(*cte->second.cte->query, ref, alias, names, scope);
      ctes_ = std::move(saved);
      return plan;
    }
  }
  const std::string schema = ref.schema.empty() ? kDefaultSchema : ref.schema;
  std::shared_ptr<TableEntry> system_table = FindSystemTable(ref);
  if (!system_table && !catalog_.SchemaExists(schema)) {
    // PostgreSQL names the relation, not the schema, when reading.
    ThrowErrorAt(sqlstate::kUndefinedTable, ref.position, "relation \"{}.{}\" does not exist",
                 schema, ref.name);
  }
  if (auto table = system_table ? system_table : catalog_.GetTable(schema, ref.name)) {
    if (table->external) {
      return BindExternalTable(table, ref.column_aliases, alias, ref.position, scope);
    }
    auto get = std::make_unique<LogicalGet>();
    get->table_index = NextTableIndex();
    get->table = table;
    std::vector<std::string> names;
    for (const auto& c : table->columns) names.push_back(c.name);
    names = ApplyColumnAliases(std::move(names), ref.column_aliases, alias, ref.position);
    ScopeRelation relation;
    relation.alias = alias;
    for (size_t i = 0; i < table->columns.size(); i++) {
      get->column_ids.push_back(i);
      relation.columns.push_back(
          {names[i], table->columns[i].type, ColumnBinding{get->table_index, static_cast<uint32_t>(i)}});
    }
    scope.AddRelation(std::move(relation));
    return get;
  }
  if (auto view = catalog_.GetView(schema, ref.name)) {
    if (shared_->view_depth >= kMaxViewDepth) {
      ThrowErrorAt(sqlstate::kProgramLimitExceeded, ref.position,
                   "views nested too deeply (more than {} levels) at \"{}\"", kMaxViewDepth,
                   ref.name);
    }
    auto statements = sql::ParseSql(view->query_text);
    if (statements.size() != 1 || !statements[0]->Is<sql::SelectStatement>()) {
      ThrowErrorAt(sqlstate::kInternalError, ref.position, "view \"{}\" is not a query", ref.name);
    }
    const auto& query = *statements[0]->As<sql::SelectStatement>().query;
    auto names = ref.column_aliases.empty() ? view->column_names : ref.column_aliases;
    // A view does not see the CTEs of the query that uses it.
    auto saved = ctes_;
    ctes_.clear();
    shared_->view_depth++;
    LogicalOperatorPtr plan;
    try {
      plan = BindSubqueryRef(query, ref, alias, names, scope);
    } catch (...) {
      shared_->view_depth--;
      ctes_ = std::move(saved);
      throw;
    }
    shared_->view_depth--;
    ctes_ = std::move(saved);
    return plan;
  }
  ThrowErrorAt(sqlstate::kUndefinedTable, ref.position, "relation \"{}\" does not exist",
               ref.schema.empty() ? ref.name : ref.schema + "." + ref.name);
}

LogicalOperatorPtr Binder::BindSubqueryRef(const sql::QueryNode& query, const sql::TableRef& ref,
                                           const std::string& default_alias,
                                           const std::vector<std::string>& column_names,
                                           BindScope& scope) {
  Binder child(catalog_, shared_, ctes_);
  BoundQuery bound = child.BindQuery(query);
  auto names = ApplyColumnAliases(bound.names, column_names, default_alias, ref.position);
  // A projection gives the subquery's columns bindings of their own.
  auto bindings = bound.plan->GetColumnBindings();
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = NextTableIndex();
  ScopeRelation relation;
  relation.alias = default_alias;
  for (size_t i = 0; i < bindings.size(); i++) {
    projection->expressions.push_back(
        Expression::MakeColumnRef(bindings[i], bound.types[i], names[i]));
    relation.columns.push_back(
        {names[i], bound.types[i], ColumnBinding{projection->table_index, static_cast<uint32_t>(i)}});
  }
  projection->children.push_back(std::move(bound.plan));
  scope.AddRelation(std::move(relation));
  return projection;
}

LogicalOperatorPtr Binder::BindJoin(const sql::JoinRef& ref, BindScope& scope) {
  BindScope left_scope, right_scope;
  auto left = BindTableRef(*ref.left, left_scope);
  auto right = BindTableRef(*ref.right, right_scope);
  auto join = std::make_unique<LogicalJoin>();
  switch (ref.join_type) {
    case sql::JoinType::kInner:
      join->join_type = LogicalJoinType::kInner;
      break;
    case sql::JoinType::kLeft:
      join->join_type = LogicalJoinType::kLeft;
      break;
    case sql::JoinType::kRight:
      join->join_type = LogicalJoinType::kRight;
      break;
    case sql::JoinType::kFull:
      join->join_type = LogicalJoinType::kFull;
      break;
    case sql::JoinType::kCross:
      join->join_type = LogicalJoinType::kCross;
      break;
  }

  std::vector<std::string> using_columns = ref.using_columns;
  if (ref.natural) {
    for (const auto& lr : left_scope.relations()) {
      for (const auto& lc : lr.columns) {
        if (lc.hidden) continue;
        if (right_scope.TryResolve("", lc.name, ref.position)) using_columns.push_back(lc.name);
      }
    }
  }

  BindScope merged;
  if (!using_columns.empty()) {
    // USING (a): join on left.a = right.a; the output has one column a. For
    // a full join it is COALESCE(left.a, right.a); a projection below is not
    // needed because scope columns may point at either side.
    std::vector<ExpressionPtr> conditions;
    ScopeRelation using_relation;
    for (const auto& name : using_columns) {
      const ScopeColumn* l = left_scope.TryResolve("", name, ref.position);
      const ScopeColumn* r = right_scope.TryResolve("", name, ref.position);
      if (!l || !r) {
        ThrowErrorAt(sqlstate::kUndefinedColumn, ref.position,
                     "column \"{}\" specified in USING clause does not exist in {} table", name,
                     l ? "right" : "left");
      }
      std::vector<ExpressionPtr> args;
      args.push_back(Expression::MakeColumnRef(l->binding, l->type, l->name));
      args.push_back(Expression::MakeColumnRef(r->binding, r->type, r->name));
      conditions.push_back(BindScalarFunction("=", std::move(args), ref.position));
      // The merged column is the left one except in right joins.
      const ScopeColumn* keep = ref.join_type == sql::JoinType::kRight ? r : l;
      using_relation.columns.push_back({name, keep->type, keep->binding, false});
    }
    // Hide the per-side copies from unqualified names and from *.
    auto hide = [&](BindScope& s) {
      for (auto& rel : s.relations()) {
        for (auto& c : rel.columns) {
          for (const auto& name : using_columns) {
            if (c.name == name) c.hidden = true;
          }
        }
      }
    };
    hide(left_scope);
    hide(right_scope);
    merged.AddRelation(std::move(using_relation));
    for (auto& c : conditions) join->conditions.push_back(std::move(c));
    if (join->join_type == LogicalJoinType::kCross) join->join_type = LogicalJoinType::kInner;
  }
  merged.Merge(std::move(left_scope));
  merged.Merge(std::move(right_scope));

  if (ref.condition) {
    SelectContext ctx;
    ctx.scope = &merged;
    ctx.aggregate_error_context = "JOIN conditions";
    auto condition = BindBoolean(*ref.condition, ctx, "JOIN/ON");
    SplitConjunctions(std::move(condition), join->conditions);
  }
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  LogicalOperatorPtr result = std::move(join);
  if (ref.join_type == sql::JoinType::kFull && !using_columns.empty()) {
    result = MergeFullJoinUsingColumns(std::move(result), using_columns, merged, ref.position);
  }
  for (auto& r : merged.relations()) {
    // A USING relation has no alias and may repeat across joins.
    if (r.alias.empty()) {
      scope.relations().push_back(std::move(r));
    } else {
      scope.AddRelation(std::move(r));
    }
  }
  return result;
}

LogicalOperatorPtr Binder::MergeFullJoinUsingColumns(LogicalOperatorPtr join,
                                                     const std::vector<std::string>& using_columns,
                                                     BindScope& merged, int32_t position) {
  // In a full join either side of a USING column may be NULL, so the merged
  // column is COALESCE(left.a, right.a): a projection passes every join
  // column through and adds the merged ones.
  auto bindings = join->GetColumnBindings();
  auto types = join->GetTypes();
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = NextTableIndex();
  for (size_t i = 0; i < bindings.size(); i++) {
    projection->expressions.push_back(Expression::MakeColumnRef(bindings[i], types[i]));
  }
  auto remap = [&](ColumnBinding b) {
    for (size_t i = 0; i < bindings.size(); i++) {
      if (bindings[i] == b) return ColumnBinding{projection->table_index, static_cast<uint32_t>(i)};
    }
    return b;
  };
  // The merged USING relation is the first one in `merged`; its columns
  // point at the left side (see BindJoin). Find each side's column by name.
  ScopeRelation& using_relation = merged.relations()[0];
  for (auto& col : using_relation.columns) {
    const ScopeColumn* l = nullptr;
    const ScopeColumn* r = nullptr;
    for (size_t rel = 1; rel < merged.relations().size(); rel++) {
      for (const auto& c : merged.relations()[rel].columns) {
        if (c.name != col.name || !c.hidden) continue;
        if (!l) {
          l = &c;
        } else if (!r) {
          r = &c;
        }
      }
    }
    BASALT_CHECK(l && r);
    LogicalType type = CommonSupertype(l->type, r->type);
    auto coalesce = std::make_unique<Expression>();
    coalesce->kind = ExprKind::kCoalesce;
    coalesce->type = type;
    coalesce->alias = col.name;
    coalesce->children.push_back(AddCast(Expression::MakeColumnRef(l->binding, l->type), type, position));
    coalesce->children.push_back(AddCast(Expression::MakeColumnRef(r->binding, r->type), type, position));
    projection->expressions.push_back(std::move(coalesce));
    col.binding = ColumnBinding{projection->table_index,
                                static_cast<uint32_t>(projection->expressions.size() - 1)};
    col.type = type;
  }
  for (size_t rel = 1; rel < merged.relations().size(); rel++) {
    for (auto& c : merged.relations()[rel].columns) c.binding = remap(c.binding);
  }
  projection->children.push_back(std::move(join));
  return projection;
}

LogicalOperatorPtr Binder::BindSeries(const sql::FunctionCallExpression& fn,
                                      const sql::TableFunctionRef& ref, BindScope& scope) {
  // range(stop), range(start, stop[, step]): stop excluded (DuckDB);
  // generate_series(start, stop[, step]): stop included (PostgreSQL).
  const bool inclusive = fn.name == "generate_series";
  if (fn.args.empty() || fn.args.size() > 3 || (inclusive && fn.args.size() == 1)) {
    ThrowErrorAt(sqlstate::kUndefinedFunction, ref.position, "function {} takes {} arguments",
                 fn.name, inclusive ? "2 or 3" : "1 to 3");
  }
  std::vector<int64_t> args;
  bool describing_without_values = false;
  for (const auto& a : fn.args) {
    ExpressionPtr bound;
    try {
      bound = BindConstantExpression(*a);
    } catch (const BasaltError& e) {
      // A column here could only be another FROM item's (LATERAL).
      std::string_view code = e.code();
      if (code != sqlstate::kUndefinedColumn && code != sqlstate::kUndefinedTable) throw;
      ThrowErrorAt(sqlstate::kFeatureNotSupported, a->position,
                   "arguments of {} in FROM cannot refer to columns yet (LATERAL is not supported)",
                   fn.name);
    }
    std::optional<Value> v = EvaluateConstantOrUnknown(
        *AddCast(std::move(bound), TypeId::kBigint, a->position), a->position);
    if (!v) {
      describing_without_values = true;
      continue;
    }
    if (v->IsNull()) {
      ThrowErrorAt(sqlstate::kNullValueNotAllowed, a->position, "{} arguments must not be NULL",
                   fn.name);
    }
    args.push_back(v->GetInt64());
  }
  int128_t count = 0;
  int64_t start = 0, step = 1;
  // A statement described before its $n have values gets no rows: the one
  // BIGINT column is the same whatever the bounds.
  if (!describing_without_values) {
    start = args.size() == 1 ? 0 : args[0];
    int64_t stop = args.size() == 1 ? args[0] : args[1];
    step = args.size() == 3 ? args[2] : 1;
    if (step == 0) {
      ThrowErrorAt(sqlstate::kInvalidParameterValue, ref.position, "step size cannot equal zero");
    }
    // Count the rows in 128 bits so extreme bounds cannot overflow.
    int128_t distance =
        step > 0 ? static_cast<int128_t>(stop) - start : static_cast<int128_t>(start) - stop;
    int128_t stride = step > 0 ? step : -static_cast<int128_t>(step);
    if (inclusive) {
      if (distance >= 0) count = distance / stride + 1;
    } else if (distance > 0) {
      count = (distance + stride - 1) / stride;
    }
  }
  constexpr int128_t kMaxRows = int128_t{1} << 31;
  if (count > kMaxRows) {
    ThrowErrorAt(sqlstate::kProgramLimitExceeded, ref.position,
                 "{} would produce {} rows; at most {} are supported", fn.name,
                 Int128ToString(count), Int128ToString(kMaxRows));
  }
  // The rows are generated once at bind time into a table of their own, which
  // the ordinary parallel table scan then reads.
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = fn.name;
  table->columns.push_back({fn.name, LogicalType(TypeId::kBigint), true});
  table->storage = std::make_shared<DataTable>(table->Types());
  std::vector<DataChunk> chunks;
  int64_t value = start;
  for (int128_t produced = 0; produced < count;) {
    idx_t n = static_cast<idx_t>(std::min<int128_t>(kBatchSize, count - produced));
    DataChunk& chunk = chunks.emplace_back(std::vector<LogicalType>{LogicalType(TypeId::kBigint)});
    int64_t* data = chunk.column(0).Data<int64_t>();
    for (idx_t i = 0; i < n; i++, value += step) data[i] = value;
    chunk.SetSize(n);
    produced += n;
  }
  table->storage->AppendAll(std::move(chunks));
  auto get = std::make_unique<LogicalGet>();
  get->table_index = NextTableIndex();
  get->table = table;
  get->column_ids = {0};
  std::string alias = ref.alias.empty() ? fn.name : ref.alias;
  auto names = ApplyColumnAliases({fn.name}, ref.column_aliases, alias, ref.position);
  ScopeRelation relation;
  relation.alias = alias;
  relation.columns.push_back({names[0], LogicalType(TypeId::kBigint), ColumnBinding{get->table_index, 0}});
  scope.AddRelation(std::move(relation));
  return get;
}

LogicalOperatorPtr Binder::BindTableFunction(const sql::TableFunctionRef& ref, BindScope& scope) {
  std::string name = "read_csv";
  std::string pattern;
  CsvOptions options;
  FileColumnOptions file_options;
  if (ref.is_path) {
    pattern = ref.path;
    std::string lower;
    for (char c : pattern) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool is_csv = lower.ends_with(".csv") || lower.ends_with(".tbl") || lower.ends_with(".tsv") ||
                  lower.ends_with(".txt") || lower.ends_with(".csv.gz");
    if (lower.ends_with(".parquet")) return BindParquet(pattern, ref, scope, {});
    if (lower.ends_with(".json") || lower.ends_with(".jsonl") || lower.ends_with(".ndjson")) {
      return BindJson(pattern, ref, scope, {});
    }
    if (!is_csv) {
      ThrowErrorAt(sqlstate::kFeatureNotSupported, ref.position,
                   "cannot tell the format of \"{}\" from its name; use read_csv('...'), "
                   "read_json('...') or read_parquet('...')", pattern);
    }
  } else {
    std::unique_ptr<sql::FunctionCallExpression> normalized =
        NormalizeNamedArguments(*ref.function);
    const auto& fn = *normalized;
    name = fn.name;
    if (name == "range" || name == "generate_series") return BindSeries(fn, ref, scope);
    if (name == "read_parquet" || name == "parquet_scan" || name == "read_json" ||
        name == "read_json_auto") {
      if (fn.args.size() != 1) {
        ThrowErrorAt(sqlstate::kUndefinedFunction, ref.position,
                     "{} takes one argument: the file path or glob", name);
      }
      std::optional<Value> path =
          EvaluateConstantOrUnknown(*BindConstantExpression(*fn.args[0]), fn.args[0]->position);
      if (!path) {
        ThrowErrorAt(sqlstate::kFeatureNotSupported, fn.args[0]->position,
                     "{} with a parameter cannot be described before the parameter has a value: "
                     "its columns come from the file",
                     name);
      }
      if (path->IsNull() || path->type().id() != TypeId::kVarchar) {
        ThrowErrorAt(sqlstate::kDatatypeMismatch, fn.args[0]->position,
                     "{} expects a file path string", name);
      }
      const FileColumnOptions file_columns = BindFileColumnOptions(fn);
      if (name == "read_json" || name == "read_json_auto") {
        return BindJson(path->GetString(), ref, scope, file_columns);
      }
      return BindParquet(path->GetString(), ref, scope, file_columns);
    }
    if (name != "read_csv" && name != "read_csv_auto") {
      ThrowErrorAt(sqlstate::kUndefinedFunction, ref.position, "table function \"{}\" does not exist",
                   name);
    }
    if (fn.args.size() != 1) {
      ThrowErrorAt(sqlstate::kUndefinedFunction, ref.position,
                   "{} takes one positional argument: the file path or glob", name);
    }
    // The file decides the columns, so without its path (or options) there
    // is no describe-time default.
    auto value_of = [&](const sql::ParsedExpression& arg) {
      std::optional<Value> v =
          EvaluateConstantOrUnknown(*BindConstantExpression(arg), arg.position);
      if (!v) {
        ThrowErrorAt(sqlstate::kFeatureNotSupported, arg.position,
                     "{} with a parameter cannot be described before the parameter has a value: "
                     "its columns come from the file",
                     name);
      }
      return *v;
    };
    Value path = value_of(*fn.args[0]);
    if (path.IsNull() || path.type().id() != TypeId::kVarchar) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, fn.args[0]->position,
                   "{} expects a file path string", name);
    }
    pattern = path.GetString();
    for (const auto& arg : fn.named_args) {
      Value v = value_of(*arg.value);
      if (ApplyFileColumnOption(file_options, arg.name, v, arg.position)) continue;
      try {
        ApplyCsvOption(options, arg.name, v);
      } catch (const BasaltError& e) {
        throw BasaltError(e.code(), e.what(), arg.position);
      }
    }
    ValidateCsvOptions(options);
  }
  std::vector<std::string> files;
  CsvSchema schema;
  try {
    files = ExpandGlob(pattern);
    schema = SniffCsv(files[0], options);
  } catch (const BasaltError& e) {
    if (e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), ref.position);
  }
  auto scan = std::make_unique<LogicalFileScan>();
  scan->table_index = NextTableIndex();
  scan->format = FileFormat::kCsv;
  scan->files = std::move(files);
  scan->options = std::make_shared<CsvOptions>(schema.options);
  scan->split_size = shared_->session ? FileSplitSizeSetting(shared_->session->settings)
                                      : FileRangeQueue::kAutomatic;
  scan->types = schema.types;
  std::string alias = ref.alias.empty() ? name : ref.alias;
  auto names = ApplyColumnAliases(schema.names, ref.column_aliases, alias, ref.position);
  scan->names = names;
  ScopeRelation relation;
  relation.alias = alias;
  for (size_t i = 0; i < names.size(); i++) {
    scan->column_ids.push_back(i);
    relation.columns.push_back(
        {names[i], schema.types[i], ColumnBinding{scan->table_index, static_cast<uint32_t>(i)}});
  }
  AddFileVirtualColumns(*scan, relation, file_options, ref.position);
  scope.AddRelation(std::move(relation));
  return scan;
}

// read_parquet('glob') and FROM 'x.parquet': every file's footer is read
// now, so the columns are known and differing schemas fail before any row.
LogicalOperatorPtr Binder::BindParquet(const std::string& pattern, const sql::TableFunctionRef& ref,
                                       BindScope& scope, const FileColumnOptions& file_options) {
  std::vector<std::string> files;
  std::shared_ptr<const ParquetFileList> opened;
  try {
    files = ExpandGlob(pattern);
    opened = std::make_shared<const ParquetFileList>(OpenParquetFiles(files));
  } catch (const BasaltError& e) {
    if (e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), ref.position);
  }
  const ParquetFile& first = *(*opened)[0];
  auto scan = std::make_unique<LogicalFileScan>();
  scan->table_index = NextTableIndex();
  scan->format = FileFormat::kParquet;
  scan->files = std::move(files);
  scan->options = opened;
  scan->types = first.Types();
  std::string alias = ref.alias.empty() ? (ref.is_path ? "read_parquet" : ref.function->name)
                                        : ref.alias;
  auto names = ApplyColumnAliases(first.Names(), ref.column_aliases, alias, ref.position);
  scan->names = names;
  ScopeRelation relation;
  relation.alias = alias;
  for (size_t i = 0; i < names.size(); i++) {
    scan->column_ids.push_back(i);
    relation.columns.push_back(
        {names[i], scan->types[i], ColumnBinding{scan->table_index, static_cast<uint32_t>(i)}});
  }
  AddFileVirtualColumns(*scan, relation, file_options, ref.position);
  scope.AddRelation(std::move(relation));
  return scan;
}

// read_json('glob') and FROM 'x.json' / 'x.jsonl' / 'x.ndjson': the columns
// come from a sample of the files' records (storage/json/json_schema.h).
LogicalOperatorPtr Binder::BindJson(const std::string& pattern, const sql::TableFunctionRef& ref,
                                    BindScope& scope, const FileColumnOptions& file_options) {
  std::vector<std::string> files;
  JsonSchema schema;
  try {
    files = ExpandGlob(pattern);
    schema = InferJsonSchema(files);
  } catch (const BasaltError& e) {
    if (e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), ref.position);
  }
  auto scan = std::make_unique<LogicalFileScan>();
  scan->table_index = NextTableIndex();
  scan->format = FileFormat::kJson;
  scan->files = std::move(files);
  scan->types = schema.types;
  std::string alias = ref.alias.empty() ? (ref.is_path ? "read_json" : ref.function->name)
                                        : ref.alias;
  auto names = ApplyColumnAliases(schema.names, ref.column_aliases, alias, ref.position);
  // The keys stay with the scan: column aliases rename the SQL names only.
  scan->options = std::make_shared<const std::vector<std::string>>(schema.names);
  scan->split_size = shared_->session ? FileSplitSizeSetting(shared_->session->settings)
                                      : FileRangeQueue::kAutomatic;
  scan->names = names;
  ScopeRelation relation;
  relation.alias = alias;
  for (size_t i = 0; i < names.size(); i++) {
    scan->column_ids.push_back(i);
    relation.columns.push_back(
        {names[i], scan->types[i], ColumnBinding{scan->table_index, static_cast<uint32_t>(i)}});
  }
  AddFileVirtualColumns(*scan, relation, file_options, ref.position);
  scope.AddRelation(std::move(relation));
  return scan;
}

}  // namespace basalt
