#include "exec/serde/plan_serde.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/exception.h"
#include "common/nested_type.h"
#include "common/nested_value.h"
#include "exec/cast.h"
#include "exec/expression_executor.h"
#include "exec/operators/column_statistics.h"
#include "exec/operators/file_scan.h"
#include "exec/operators/filter.h"
#include "exec/operators/hash_aggregate.h"
#include "exec/operators/hash_join.h"
#include "exec/operators/json_scan.h"
#include "exec/operators/nested_loop_join.h"
#include "exec/operators/projection.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/union_all.h"
#include "exec/operators/values.h"
#include "exec/operators/window.h"
#include "exec/serde/expression_serde.h"
#include "exec/serde/value_serde.h"
#include "storage/managed/segment_handle.h"
#include "storage/segment/segment_test_util.h"

namespace basalt {
namespace {

const LogicalType kInt(TypeId::kInteger);
const LogicalType kBigint(TypeId::kBigint);
const LogicalType kText(TypeId::kVarchar);
const LogicalType kBool(TypeId::kBoolean);

// The BasaltError `f` throws (its code and message), or fails the test.
template <typename F>
BasaltError Raised(F&& f) {
  try {
    f();
  } catch (const BasaltError& e) {
    return e;
  }
  ADD_FAILURE() << "no BasaltError raised";
  return BasaltError(sqlstate::kInternalError, "none");
}

// Through binary and through JSON: both must give the value back exactly.
void ExpectRoundTrip(const Value& v) {
  plan::Value m;
  ValueToProto(v, &m);
  plan::Value parsed;
  ASSERT_TRUE(parsed.ParseFromString(m.SerializeAsString()));
  Value back = ValueFromProto(parsed);
  EXPECT_EQ(back, v) << v.ToString() << " came back as " << back.ToString();
  EXPECT_EQ(back.type(), v.type());
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(m, &json).ok());
  plan::Value from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &from_json).ok()) << json;
  EXPECT_EQ(ValueFromProto(from_json), v) << json;
}

int128_t Pow10(int n) {
  int128_t v = 1;
  for (int i = 0; i < n; i++) v *= 10;
  return v;
}

TEST(PlanSerdeTest, EveryValueTypeRoundTrips) {
  const LogicalType all[] = {TypeId::kNull,
                             TypeId::kBoolean,
                             TypeId::kSmallint,
                             TypeId::kInteger,
                             TypeId::kBigint,
                             TypeId::kReal,
                             TypeId::kDouble,
                             LogicalType::Decimal(38, 10),
                             LogicalType::Decimal(9, 2),
                             TypeId::kVarchar,
                             TypeId::kDate,
                             TypeId::kTimestamp,
                             TypeId::kInterval,
                             ListType(kInt),
                             StructType({{"a", kInt}, {"b", kText}})};
  for (const LogicalType& t : all) ExpectRoundTrip(Value::Null(t));

  ExpectRoundTrip(Value::Boolean(true));
  ExpectRoundTrip(Value::Boolean(false));
  ExpectRoundTrip(Value::Smallint(std::numeric_limits<int16_t>::min()));
  ExpectRoundTrip(Value::Integer(std::numeric_limits<int32_t>::min()));
  ExpectRoundTrip(Value::Bigint(std::numeric_limits<int64_t>::min()));
  ExpectRoundTrip(Value::Bigint(std::numeric_limits<int64_t>::max()));
  ExpectRoundTrip(Value::Real(1.1f));
  ExpectRoundTrip(Value::Real(-std::numeric_limits<float>::infinity()));
  ExpectRoundTrip(Value::Real(std::numeric_limits<float>::quiet_NaN()));
  ExpectRoundTrip(Value::Double(0.1));
  ExpectRoundTrip(Value::Double(std::numeric_limits<double>::denorm_min()));
  ExpectRoundTrip(Value::Double(std::numeric_limits<double>::infinity()));
  ExpectRoundTrip(Value::Double(std::numeric_limits<double>::quiet_NaN()));
  // DECIMAL(38): the extremes need both 64-bit halves, with the sign in the high one.
  const int128_t max38 = Pow10(38) - 1;
  ExpectRoundTrip(Value::Decimal(max38, 38, 0));
  ExpectRoundTrip(Value::Decimal(-max38, 38, 0));
  ExpectRoundTrip(Value::Decimal(-max38, 38, 38));
  ExpectRoundTrip(Value::Decimal(-1, 38, 10));
  ExpectRoundTrip(Value::Decimal(int128_t{1} << 64, 38, 2));
  ExpectRoundTrip(Value::Decimal(-12345, 9, 2));
  ExpectRoundTrip(Value::Varchar(""));
  ExpectRoundTrip(Value::Varchar("héllo, 世界 🪨"));
  // Not UTF-8: travels as bytes, unchanged.
  ExpectRoundTrip(Value::Varchar(std::string("a\xff\xfe\0b", 5)));
  ExpectRoundTrip(Value::Varchar("\xed\xa0\x80"));  // an encoded surrogate
  ExpectRoundTrip(Value::Date(-719528));
  ExpectRoundTrip(Value::Timestamp(-1));
  ExpectRoundTrip(Value::Timestamp(std::numeric_limits<int64_t>::max()));
  ExpectRoundTrip(Value::FromInterval(Interval{-14, -3, -4000001}));
  ExpectRoundTrip(Value::FromInterval(Interval{1, -1, 1}));

  // Nested values keep their structural type and their bytes.
  const LogicalType list = ListType(kInt);
  NestedBuilder b;
  AppendElementValue(b.AppendValid(), kInt, Value::Integer(7));
  b.AppendNull();
  ExpectRoundTrip(Value::Nested(list, b.FinishList()));
  const LogicalType inner = StructType({{"x", LogicalType::Decimal(20, 3)}, {"y c", list}});
  const LogicalType outer = ListType(inner);
  plan::LogicalType type_message;
  TypeToProto(outer, &type_message);
  EXPECT_EQ(TypeFromProto(type_message), outer);
  EXPECT_EQ(type_message.list_child().fields(1).name(), "y c");
}

TEST(PlanSerdeTest, MalformedValuesAreRefused) {
  plan::Value m;
  TypeToProto(TypeId::kSmallint, m.mutable_type());
  m.set_int_value(70000);
  EXPECT_EQ(Raised([&] { ValueFromProto(m); }).code(), std::string(sqlstate::kProtocolViolation));
  m.clear_int_value();
  m.set_double_value(1.0);
  EXPECT_EQ(Raised([&] { ValueFromProto(m); }).code(), std::string(sqlstate::kProtocolViolation));
  plan::LogicalType t;
  t.set_id(plan::TYPE_ID_DECIMAL);
  t.set_precision(39);
  EXPECT_EQ(Raised([&] { TypeFromProto(t); }).code(), std::string(sqlstate::kProtocolViolation));
}

// -------------------------------------------------------------- expressions

ExpressionPtr Call(const std::string& name, std::vector<ExpressionPtr> args) {
  std::vector<LogicalType> types;
  std::vector<const Value*> constants;
  for (const auto& a : args) {
    types.push_back(a->type);
    constants.push_back(a->IsConstant() ? &a->constant : nullptr);
  }
  auto f = FunctionRegistry::Get().BindScalar(name, types, constants);
  EXPECT_TRUE(f.has_value()) << name;
  auto e = Expression::MakeFunction(std::move(*f), std::move(args));
  return e;
}

ExpressionPtr RoundTrip(const Expression& e, const std::vector<LogicalType>& input,
                        const DeserializeContext& context = {}) {
  plan::Expression m;
  ExpressionToProto(e, &m);
  plan::Expression parsed;
  EXPECT_TRUE(parsed.ParseFromString(m.SerializeAsString()));
  FunctionRebinder functions(context);
  return ExpressionFromProto(parsed, input, functions);
}

DataChunk Strings(const std::vector<std::string>& rows) {
  DataChunk chunk({kText});
  for (size_t i = 0; i < rows.size(); i++) chunk.column(0).SetString(i, rows[i]);
  chunk.SetSize(rows.size());
  return chunk;
}

std::vector<Value> Evaluate(const Expression& e, const DataChunk& input) {
  ExpressionExecutor executor;
  Vector result(e.type);
  executor.Execute(e, input, result);
  std::vector<Value> out;
  for (idx_t i = 0; i < input.size(); i++) out.push_back(result.GetValue(i));
  return out;
}

TEST(PlanSerdeTest, LikeCompilesItsPatternAgain) {
  std::vector<ExpressionPtr> args;
  args.push_back(Expression::MakeInputRef(0, kText));
  args.push_back(Expression::MakeConstant(Value::Varchar("ba%_x")));
  ExpressionPtr like = Call("like", std::move(args));
  ASSERT_NE(like->function.data, nullptr);  // the pattern compiled at bind time

  ExpressionPtr back = RoundTrip(*like, {kText});
  EXPECT_EQ(back->function.name, "like");
  EXPECT_EQ(back->function.kernel, like->function.kernel);
  ASSERT_NE(back->function.data, nullptr);  // and compiled again here
  EXPECT_NE(back->function.data, like->function.data);
  EXPECT_EQ(back->ToString(), like->ToString());
  DataChunk input = Strings({"banana_x", "bax", "bayx", "cabax"});
  EXPECT_EQ(Evaluate(*back, input), Evaluate(*like, input));
  EXPECT_EQ(Evaluate(*back, input)[2], Value::Boolean(true));
}

TEST(PlanSerdeTest, CastAndCaseRoundTrip) {
  // CASE WHEN #0 > 10 THEN CAST(#0 AS DECIMAL(12,2)) ELSE 1.50 END
  std::optional<BoundScalarFunction> cast = BindCast(kInt, LogicalType::Decimal(12, 2));
  ASSERT_TRUE(cast.has_value());
  std::vector<ExpressionPtr> cast_args;
  cast_args.push_back(Expression::MakeInputRef(0, kInt));
  ExpressionPtr cast_expr = Expression::MakeFunction(*cast, std::move(cast_args));
  cast_expr->type = LogicalType::Decimal(12, 2);

  std::vector<ExpressionPtr> gt_args;
  gt_args.push_back(Expression::MakeInputRef(0, kInt));
  gt_args.push_back(Expression::MakeConstant(Value::Integer(10)));
  auto case_expr = std::make_unique<Expression>();
  case_expr->kind = ExprKind::kCase;
  case_expr->type = LogicalType::Decimal(12, 2);
  case_expr->children.push_back(Call(">", std::move(gt_args)));
  case_expr->children.push_back(std::move(cast_expr));
  case_expr->children.push_back(Expression::MakeConstant(Value::Decimal(150, 12, 2)));

  ExpressionPtr back = RoundTrip(*case_expr, {kInt});
  EXPECT_EQ(back->ToString(), case_expr->ToString());
  EXPECT_EQ(back->children[1]->function.name, "cast");
  EXPECT_EQ(back->children[1]->function.kernel, case_expr->children[1]->function.kernel);
  EXPECT_EQ(back->children[0]->function.kernel, case_expr->children[0]->function.kernel);

  DataChunk input({kInt});
  input.column(0).Data<int32_t>()[0] = 5;
  input.column(0).Data<int32_t>()[1] = 12345;
  input.SetSize(2);
  EXPECT_EQ(Evaluate(*back, input),
            (std::vector<Value>{Value::Decimal(150, 12, 2), Value::Decimal(1234500, 12, 2)}));
}

TEST(PlanSerdeTest, UnknownFunctionIsAClearError) {
  std::vector<ExpressionPtr> args;
  args.push_back(Expression::MakeInputRef(0, kInt));
  args.push_back(Expression::MakeInputRef(1, kInt));
  ExpressionPtr plus = Call("+", std::move(args));
  plan::Expression m;
  ExpressionToProto(*plus, &m);

  plan::Expression unknown = m;
  unknown.mutable_function()->set_name("no_such_function");
  FunctionRebinder functions(DeserializeContext{});
  BasaltError e = Raised([&] { ExpressionFromProto(unknown, {kInt, kInt}, functions); });
  EXPECT_EQ(e.code(), std::string(sqlstate::kUndefinedFunction));
  EXPECT_NE(std::string(e.what()).find("no_such_function(INTEGER, INTEGER)"), std::string::npos)
      << e.what();

  // A return type the function does not have here: never silently another.
  plan::Expression other_type = m;
  TypeToProto(kBigint, other_type.mutable_function()->mutable_return_type());
  e = Raised([&] { ExpressionFromProto(other_type, {kInt, kInt}, functions); });
  EXPECT_EQ(e.code(), std::string(sqlstate::kInternalError));
  EXPECT_NE(std::string(e.what()).find("plan function +(INTEGER, INTEGER) returning BIGINT"),
            std::string::npos)
      << e.what();

  // A column past the input, or of another type than the input's.
  e = Raised([&] { ExpressionFromProto(m, {kInt}, functions); });
  EXPECT_EQ(e.code(), std::string(sqlstate::kProtocolViolation));
  e = Raised([&] { ExpressionFromProto(m, {kInt, kText}, functions); });
  EXPECT_EQ(e.code(), std::string(sqlstate::kProtocolViolation));
  EXPECT_NE(std::string(e.what()).find("read as INTEGER, but it is VARCHAR"), std::string::npos)
      << e.what();

  // A function with a child missing.
  plan::Expression missing = m;
  missing.mutable_children()->RemoveLast();
  e = Raised([&] { ExpressionFromProto(missing, {kInt, kInt}, functions); });
  EXPECT_EQ(e.code(), std::string(sqlstate::kProtocolViolation));
  EXPECT_NE(std::string(e.what()).find("1 children"), std::string::npos) << e.what();
}

// -------------------------------------------------------------- plans

// Values (k INTEGER, s VARCHAR) -> Filter k > 1 -> Projection -> gather ->
// HashAggregate count_star: two fragments, an exchange, every expression kind
// the planner uses most.
FragmentedPlan SmallPlan() {
  auto values = std::make_unique<ValuesNode>();
  values->id = 4;
  values->types = {kInt, kText};
  values->estimated_rows = 3;
  for (int i = 0; i < 3; i++) {
    values->rows.push_back({Value::Integer(i), i == 1 ? Value::Null(kText) : Value::Varchar("x")});
  }
  auto filter = std::make_unique<FilterNode>();
  filter->id = 3;
  filter->types = values->types;
  std::vector<ExpressionPtr> gt;
  gt.push_back(Expression::MakeInputRef(0, kInt));
  gt.push_back(Expression::MakeConstant(Value::Integer(1)));
  filter->predicate = Call(">", std::move(gt));
  filter->children.push_back(std::move(values));
  auto projection = std::make_unique<ProjectionNode>();
  projection->id = 2;
  projection->types = {kText};
  projection->expressions.push_back(Expression::MakeInputRef(1, kText));
  projection->children.push_back(std::move(filter));

  auto receiver = std::make_unique<ExchangeReceiverNode>();
  receiver->id = 1;
  receiver->types = {kText};
  receiver->exchange_id = 0;
  receiver->source_fragment = 1;
  auto aggregate = std::make_unique<HashAggregateNode>();
  aggregate->id = 0;
  aggregate->types = {kBigint};
  AggregateCall count;
  count.function = *FunctionRegistry::Get().BindAggregate("count_star", {});
  aggregate->aggregates.push_back(std::move(count));
  aggregate->children.push_back(std::move(receiver));

  FragmentedPlan plan;
  plan.fragments.resize(2);
  plan.fragments[0].id = 0;
  plan.fragments[0].root = std::move(aggregate);
  plan.fragments[1].id = 1;
  plan.fragments[1].root = std::move(projection);
  plan.fragments[1].parallelism = 3;
  plan.fragments[1].output_exchange = 0;
  plan.num_exchanges = 1;
  plan.exchange_consumer = {0};
  plan.column_names = {"n"};
  plan.column_types = {kBigint};
  return plan;
}

TEST(PlanSerdeTest, PlanRoundTripsAndJsonIsStable) {
  FragmentedPlan plan = SmallPlan();
  const std::string json = PlanToJson(plan);
  FragmentedPlan back = PlanFromJson(json, DeserializeContext{});
  EXPECT_EQ(back.ToString(), plan.ToString());
  EXPECT_EQ(PlanToJson(back), json);

  // json -> proto -> json gives the same text.
  plan::FragmentedPlan message;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok());
  std::string again;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(message, &again).ok());
  EXPECT_EQ(again, json);

  FragmentedPlan from_binary = PlanFromBinary(PlanToBinary(plan), DeserializeContext{});
  EXPECT_EQ(from_binary.ToString(), plan.ToString());
  EXPECT_EQ(PlanToBinary(from_binary), PlanToBinary(plan));
  const auto* values = dynamic_cast<const ValuesNode*>(
      from_binary.fragments[1].root->children[0]->children[0].get());
  ASSERT_NE(values, nullptr);
  EXPECT_EQ(values->rows[1][1], Value::Null(kText));
}

TEST(PlanSerdeTest, MalformedPlansAreRefused) {
  plan::FragmentedPlan good = PlanToProto(SmallPlan());
  auto code = [](const plan::FragmentedPlan& m) {
    return std::string(Raised([&] { PlanFromProto(m, DeserializeContext{}); }).code());
  };
  const std::string protocol = sqlstate::kProtocolViolation;

  // A node whose kind this side does not know arrives with no kind set.
  plan::FragmentedPlan unknown = good;
  unknown.mutable_fragments(1)->mutable_root()->mutable_children(0)->clear_node();
  EXPECT_EQ(code(unknown), protocol);

  // A Filter without its child.
  plan::FragmentedPlan childless = good;
  childless.mutable_fragments(1)->mutable_root()->mutable_children(0)->clear_children();
  BasaltError e = Raised([&] { PlanFromProto(childless, DeserializeContext{}); });
  EXPECT_EQ(std::string(e.code()), protocol);
  EXPECT_NE(std::string(e.what()).find("(Filter) has 0 children; it needs 1"), std::string::npos)
      << e.what();

  plan::FragmentedPlan rootless = good;
  rootless.mutable_fragments(0)->clear_root();
  EXPECT_EQ(code(rootless), protocol);

  plan::FragmentedPlan bad_exchange = good;
  bad_exchange.mutable_fragments(0)
      ->mutable_root()
      ->mutable_children(0)
      ->mutable_exchange_receiver()
      ->set_exchange_id(5);
  EXPECT_EQ(code(bad_exchange), protocol);

  plan::FragmentedPlan bad_version = good;
  bad_version.set_format_version(kPlanFormatVersion + 1);
  EXPECT_EQ(code(bad_version), protocol);

  EXPECT_EQ(std::string(Raised([] { PlanFromBinary("\xff\xff garbage", {}); }).code()), protocol);
  EXPECT_EQ(std::string(Raised([] { PlanFromJson("{\"fragments\": 3}", {}); }).code()), protocol);
}

class UnsupportedNode : public PhysicalNode {
 public:
  std::string Name() const override { return "Mystery"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext&) const override { return nullptr; }
};

TEST(PlanSerdeTest, UnsupportedNodeNamesItself) {
  FragmentedPlan plan;
  plan.fragments.resize(1);
  plan.fragments[0].root = std::make_unique<UnsupportedNode>();
  BasaltError e = Raised([&] { PlanToProto(plan); });
  EXPECT_EQ(std::string(e.code()), std::string(sqlstate::kFeatureNotSupported));
  EXPECT_NE(std::string(e.what()).find("does not support Mystery"), std::string::npos);
}

std::unique_ptr<TableScanNode> ScanOf(std::shared_ptr<TableEntry> table) {
  auto scan = std::make_unique<TableScanNode>();
  scan->types = {kBigint};
  scan->column_ids = {0};
  std::vector<ExpressionPtr> args;
  args.push_back(Expression::MakeInputRef(0, kBigint));
  args.push_back(Expression::MakeConstant(Value::Bigint(2)));
  scan->filter = Call("<>", std::move(args));
  scan->table = std::move(table);
  return scan;
}

TEST(PlanSerdeTest, TablesResolveInTheReceiversCatalog) {
  Catalog catalog;
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = "t";
  table->columns = {{"k", kBigint}};
  table->storage = std::make_shared<DataTable>(table->Types());
  catalog.CreateTable(table, false);
  ASSERT_NE(table->oid, 0u);

  plan::PhysicalNode m;
  NodeToProto(*ScanOf(table), &m);
  EXPECT_FALSE(m.table_scan().has_inline_rows());
  DeserializeContext context;
  context.catalog = &catalog;
  auto back = NodeFromProto(m, context);
  EXPECT_EQ(dynamic_cast<TableScanNode&>(*back).table, table);  // the very same entry

  Catalog elsewhere;
  context.catalog = &elsewhere;
  EXPECT_EQ(std::string(Raised([&] { NodeFromProto(m, context); }).code()),
            std::string(sqlstate::kUndefinedTable));
  // The same name, but another table than the plan was made for (dropped
  // and created again: another oid).
  auto make = [](const std::string& name) {
    auto t = std::make_shared<TableEntry>();
    t->schema = kDefaultSchema;
    t->name = name;
    t->columns = {{"k", kBigint}};
    t->storage = std::make_shared<DataTable>(t->Types());
    return t;
  };
  elsewhere.CreateTable(make("u"), false);
  elsewhere.CreateTable(make("t"), false);
  BasaltError e = Raised([&] { NodeFromProto(m, context); });
  EXPECT_EQ(std::string(e.code()), "40001");
  EXPECT_NE(std::string(e.what()).find("replaced"), std::string::npos) << e.what();
}

// A managed table "main.m" (k BIGINT) whose segments are real files under
// `dir`: segment i holds rows_per_segment[i] rows 0, 1, ...
std::shared_ptr<TableEntry> ManagedTable(const std::string& dir,
                                         const std::vector<int>& rows_per_segment) {
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = "m";
  table->oid = 16500;
  table->columns = {{"k", kBigint}};
  table->storage = std::make_shared<DataTable>(table->Types());
  auto data = std::make_shared<TableData>();
  for (size_t i = 0; i < rows_per_segment.size(); i++) {
    SegmentRecord record;
    record.segment_id = fmt::format("m_-infinity_infinity_3_{}", i);
    record.table_oid = table->oid;
    record.version = 3;
    record.partition = int32_t(i);
    record.num_rows = uint64_t(rows_per_segment[i]);
    record.directory = "warehouse/main/m/" + record.segment_id;
    const std::string directory = dir + "/" + record.directory;
    std::filesystem::create_directories(directory);
    std::vector<segment_test::Row> rows;
    for (int r = 0; r < rows_per_segment[i]; r++) rows.push_back({Value::Bigint(r)});
    record.size_bytes =
        segment_test::WriteSegment(directory + "/" + kSegmentFileName, {{"k", kBigint}}, rows);
    data->row_count += record.num_rows;
    data->segments.push_back(std::make_shared<SegmentHandle>(record, directory, nullptr));
  }
  table->storage->Install(std::move(data), {});
  return table;
}

TEST(PlanSerdeTest, ManagedTablesCarryTheirSegments) {
  segment_test::TempDir dir;
  auto table = ManagedTable(dir.path(), {1000, 2500});
  plan::PhysicalNode m;
  NodeToProto(*ScanOf(table), &m);
  ASSERT_TRUE(m.table_scan().has_managed());
  EXPECT_FALSE(m.table_scan().has_inline_rows());
  const plan::ManagedSegments& managed = m.table_scan().managed();
  EXPECT_EQ(managed.partition_column(), -1);
  ASSERT_EQ(managed.segments_size(), 2);
  EXPECT_EQ(managed.segments(1).id(), "m_-infinity_infinity_3_1");
  EXPECT_EQ(managed.segments(1).directory(),
            dir.path() + "/warehouse/main/m/m_-infinity_infinity_3_1");
  EXPECT_EQ(managed.segments(1).num_rows(), 2500u);
  EXPECT_EQ(managed.segments(1).version(), 3);
  EXPECT_EQ(managed.segments(1).partition(), 1);
  EXPECT_EQ(managed.segments(0).chunk_start(), kChunkMinusInfinity);
  EXPECT_EQ(managed.segments(0).chunk_end(), kChunkPlusInfinity);
  EXPECT_GT(managed.segments(0).size_bytes(), 0u);
  EXPECT_EQ(m.table_scan().row_count(), 3500u);

  // An executor: no catalog, a segment source. The table is made from the
  // message, and its segments come from the source.
  std::vector<std::string> asked;
  DeserializeContext context;
  context.executor_plan = true;
  context.segment_source = [&](const SegmentRecord& record, const std::string& directory) {
    asked.push_back(record.segment_id + " " + directory);
    return std::make_shared<SegmentHandle>(record, directory, nullptr);
  };
  auto back = NodeFromProto(m, context);
  const auto& scan = dynamic_cast<TableScanNode&>(*back);
  ASSERT_NE(scan.table, table);
  EXPECT_EQ(scan.table->name, "m");
  EXPECT_EQ(scan.table->oid, 16500u);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[0], "m_-infinity_infinity_3_0 " + dir.path() +
                          "/warehouse/main/m/m_-infinity_infinity_3_0");
  std::shared_ptr<const TableData> data = scan.table->storage->Snapshot();
  EXPECT_EQ(data->row_count, 3500u);
  ASSERT_EQ(data->segments.size(), 2u);
  uint64_t rows = 0;
  for (const auto& segment : data->segments) {
    rows += segment_test::ReadRows(segment->reader()).size();
  }
  EXPECT_EQ(rows, 3500u);
  EXPECT_EQ(scan.Details(), ScanOf(table)->Details());

  // The plan round-trip (no segment source): looked up in the catalog.
  Catalog catalog;
  DeserializeContext no_source;
  no_source.catalog = &catalog;
  EXPECT_EQ(std::string(Raised([&] { NodeFromProto(m, no_source); }).code()),
            std::string(sqlstate::kUndefinedTable));

  // An empty managed table travels as one with no segments.
  auto empty = std::make_shared<TableEntry>();
  empty->schema = kDefaultSchema;
  empty->name = "e";
  empty->oid = 16501;
  empty->columns = {{"k", kBigint}};
  empty->storage = std::make_shared<DataTable>(empty->Types());
  empty->storage->MarkManaged();
  plan::PhysicalNode e;
  NodeToProto(*ScanOf(empty), &e);
  ASSERT_TRUE(e.table_scan().has_managed());
  EXPECT_EQ(e.table_scan().managed().segments_size(), 0);
  auto empty_back = NodeFromProto(e, context);
  EXPECT_EQ(dynamic_cast<TableScanNode&>(*empty_back).table->storage->RowCount(), 0u);

  // A catalog table held in memory carries no segments.
  auto in_memory = std::make_shared<TableEntry>();
  in_memory->schema = kDefaultSchema;
  in_memory->name = "i";
  in_memory->oid = 16502;
  in_memory->columns = {{"k", kBigint}};
  in_memory->storage = std::make_shared<DataTable>(in_memory->Types());
  plan::PhysicalNode i;
  NodeToProto(*ScanOf(in_memory), &i);
  EXPECT_FALSE(i.table_scan().has_managed());
}

TEST(PlanSerdeTest, MalformedSegmentsAreRefused) {
  segment_test::TempDir dir;
  plan::PhysicalNode m;
  NodeToProto(*ScanOf(ManagedTable(dir.path(), {10})), &m);
  DeserializeContext context;
  context.segment_source = [](const SegmentRecord& record, const std::string& directory) {
    return std::make_shared<SegmentHandle>(record, directory, nullptr);
  };
  ASSERT_NO_THROW(NodeFromProto(m, context));
  auto refused = [&](auto change, const char* part) {
    plan::PhysicalNode bad = m;
    change(bad.mutable_table_scan()->mutable_managed());
    BasaltError e = Raised([&] { NodeFromProto(bad, context); });
    EXPECT_EQ(std::string(e.code()), std::string(sqlstate::kProtocolViolation)) << e.what();
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  };
  refused([](plan::ManagedSegments* s) { s->mutable_segments(0)->set_id(""); }, "segment");
  refused([](plan::ManagedSegments* s) { s->mutable_segments(0)->set_id("../../etc"); },
          "../../etc");
  refused([](plan::ManagedSegments* s) { s->mutable_segments(0)->set_id("a/b"); }, "a/b");
  refused([](plan::ManagedSegments* s) { s->mutable_segments(0)->set_id(".."); }, "..");
  refused([](plan::ManagedSegments* s) { s->mutable_segments(0)->set_directory("warehouse/x"); },
          "not absolute");
  refused([](plan::ManagedSegments* s) { s->mutable_segments(0)->set_directory(""); },
          "not absolute");
  refused([](plan::ManagedSegments* s) { s->set_granularity(9); }, "granularity");
  refused(
      [](plan::ManagedSegments* s) {
        s->set_granularity(2);
        s->set_partition_column(0);  // a BIGINT column
      },
      "partitioned by column");
}

TEST(PlanSerdeTest, PlanOnlyTablesTravelWithTheirRows) {
  // generate_series's rows: a table outside the catalog (oid 0).
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = "generate_series";
  table->columns = {{"generate_series", kBigint, true}};
  table->storage = std::make_shared<DataTable>(table->Types());
  std::vector<DataChunk> chunks;
  for (int b = 0; b < 2; b++) {
    DataChunk& chunk = chunks.emplace_back(table->Types());
    for (idx_t i = 0; i < kBatchSize; i++) {
      chunk.column(0).Data<int64_t>()[i] = static_cast<int64_t>(b * kBatchSize + i);
    }
    chunk.column(0).SetNull(7);
    chunk.SetSize(b == 0 ? kBatchSize : 5);
  }
  table->storage->AppendAll(std::move(chunks));

  plan::PhysicalNode m;
  NodeToProto(*ScanOf(table), &m);
  ASSERT_TRUE(m.table_scan().has_inline_rows());
  auto back = NodeFromProto(m, DeserializeContext{});
  const auto& copy = dynamic_cast<TableScanNode&>(*back).table;
  ASSERT_NE(copy, table);
  auto original = table->storage->Snapshot();
  auto received = copy->storage->Snapshot();
  ASSERT_EQ(received->row_count, original->row_count);
  ASSERT_EQ(received->batches.size(), original->batches.size());
  for (size_t b = 0; b < original->batches.size(); b++) {
    ASSERT_EQ(received->batches[b]->size(), original->batches[b]->size());
    for (idx_t i = 0; i < original->batches[b]->size(); i++) {
      EXPECT_EQ(received->batches[b]->column(0).GetValue(i),
                original->batches[b]->column(0).GetValue(i));
    }
  }
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

// Argument type lists to try every registered function with.
std::vector<std::vector<LogicalType>> ArgumentLists() {
  const std::vector<LogicalType> many = {TypeId::kNull,
                                         TypeId::kBoolean,
                                         TypeId::kSmallint,
                                         TypeId::kInteger,
                                         TypeId::kBigint,
                                         TypeId::kReal,
                                         TypeId::kDouble,
                                         LogicalType::Decimal(10, 2),
                                         LogicalType::Decimal(30, 5),
                                         TypeId::kVarchar,
                                         TypeId::kDate,
                                         TypeId::kTimestamp,
                                         TypeId::kInterval,
                                         ListType(kInt),
                                         ListType(kText),
                                         StructType({{"a", kInt}})};
  const std::vector<LogicalType> few = {
      TypeId::kNull,      TypeId::kInteger,  TypeId::kBigint,
      TypeId::kDouble,    TypeId::kVarchar,  TypeId::kDate,
      TypeId::kTimestamp, TypeId::kInterval, LogicalType::Decimal(10, 2),
      ListType(kInt)};
  std::vector<std::vector<LogicalType>> lists = {{}};
  for (const auto& a : many) lists.push_back({a});
  for (const auto& a : many) {
    for (const auto& b : many) lists.push_back({a, b});
  }
  for (const auto& a : few) {
    for (const auto& b : few) {
      for (const auto& c : few) lists.push_back({a, b, c});
    }
  }
  return lists;
}

std::string Signature(const std::string& name, const std::vector<LogicalType>& types) {
  std::string out = name + "(";
  for (size_t i = 0; i < types.size(); i++) out += (i ? ", " : "") + types[i].ToString();
  return out + ")";
}

// What a plan carries of every function the registry binds (its bound name,
// argument and return types) must bind again, on the receiving side, to the
// same kernel: whatever name the binder gave it, and whatever argument types
// it asked the caller to cast to.
// A constant of `type` for binders that look at constant arguments (a LIKE
// pattern, array_length's dimension, round's digits); NULL for other types.
Value SampleConstant(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return Value::Boolean(true);
    case TypeId::kSmallint:
      return Value::Smallint(1);
    case TypeId::kInteger:
      return Value::Integer(1);
    case TypeId::kBigint:
      return Value::Bigint(1);
    case TypeId::kDouble:
      return Value::Double(1);
    case TypeId::kVarchar:
      return Value::Varchar("a%");
    case TypeId::kDate:
      return Value::Date(1);
    case TypeId::kDecimal:
      return Value::Decimal(100, type.precision(), type.scale());
    default:
      return Value::Null(type);
  }
}

TEST(PlanSerdeTest, EveryRegisteredFunctionRebindsByItsBoundName) {
  const FunctionRegistry& registry = FunctionRegistry::Get();
  const auto lists = ArgumentLists();
  DeserializeContext context;
  std::vector<std::string> failures;
  int checked = 0;
  for (const std::string& name : registry.ScalarNames()) {
    for (const auto& types : lists) {
      // Once with columns, once with constants: binders may differ.
      for (bool constant : {false, true}) {
        std::vector<Value> values;
        std::vector<const Value*> constants(types.size());
        if (constant) {
          for (const auto& t : types) values.push_back(SampleConstant(t));
          for (size_t i = 0; i < types.size(); i++) constants[i] = &values[i];
        }
        std::optional<BoundScalarFunction> bound;
        try {
          bound = registry.BindScalar(name, types, constants);
        } catch (const BasaltError&) {
          continue;  // a binder that needs (another) constant argument
        }
        if (!bound) continue;
        checked++;
        std::vector<ExpressionPtr> args;
        for (size_t i = 0; i < bound->arg_types.size(); i++) {
          // The planner casts arguments to the bound types; constants are folded.
          std::optional<Value> folded;
          if (constant && i < values.size()) {
            try {
              folded = CastValue(values[i], bound->arg_types[i]);
            } catch (const BasaltError&) {
            }
          }
          if (folded) {
            args.push_back(Expression::MakeConstant(*folded));
          } else {
            args.push_back(Expression::MakeInputRef(i, bound->arg_types[i]));
          }
        }
        auto call = Expression::MakeFunction(*bound, std::move(args));
        try {
          ExpressionPtr back = RoundTrip(*call, bound->arg_types, context);
          if (back->function.kernel != bound->kernel) {
            failures.push_back(Signature(name, types) + " bound as " + bound->name +
                               ": another kernel");
          }
        } catch (const BasaltError& e) {
          failures.push_back(Signature(name, types) + " bound as " + bound->name + ": " + e.what());
        }
      }
    }
  }
  for (const std::string& name : registry.AggregateNames()) {
    for (const auto& types : lists) {
      std::optional<BoundAggregateFunction> bound;
      try {
        bound = registry.BindAggregate(name, types);
      } catch (const BasaltError&) {
        continue;
      }
      if (!bound) continue;
      checked++;
      plan::AggregateFunction m;
      AggregateFunctionToProto(*bound, &m);
      FunctionRebinder functions(context);
      try {
        BoundAggregateFunction back = functions.BindAggregate(m);
        if (back.update != bound->update || back.finalize != bound->finalize ||
            back.combine != bound->combine || back.state_size != bound->state_size) {
          failures.push_back(Signature(name, types) + ": another aggregate");
        }
      } catch (const BasaltError& e) {
        failures.push_back(Signature(name, types) + ": " + e.what());
      }
    }
  }
  EXPECT_GT(checked, 1000);
  std::printf("%d bindings checked\n", checked);
  std::string all;
  for (const auto& f : failures) all += f + "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " functions do not rebind:\n" << all;
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

// Casts travel as "cast" from the argument type to the return type and bind
// again through BindCast: every cast between the types of ArgumentLists.
TEST(PlanSerdeTest, EveryCastRebinds) {
  std::vector<LogicalType> types;
  for (const auto& list : ArgumentLists()) {
    if (list.size() == 1) types.push_back(list[0]);
  }
  types.push_back(ListType(ListType(kBigint)));
  types.push_back(StructType({{"a", kBigint}}));
  int checked = 0;
  for (const LogicalType& from : types) {
    for (const LogicalType& to : types) {
      std::optional<BoundScalarFunction> cast = BindCast(from, to);
      if (!cast) continue;
      checked++;
      std::vector<ExpressionPtr> args;
      args.push_back(Expression::MakeInputRef(0, from));
      auto call = Expression::MakeFunction(*cast, std::move(args));
      call->type = to;
      ExpressionPtr back = RoundTrip(*call, {from});
      EXPECT_EQ(back->function.kernel, cast->kernel) << from.ToString() << " -> " << to.ToString();
      EXPECT_EQ(back->ToString(), call->ToString());
    }
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

// Deep plans: binary carries what the binder allows; a message nested past
// kMaxPlanMessageDepth is refused, not followed down the stack; JSON's
// depth limit is a clear error.
TEST(PlanSerdeTest, DeepPlans) {
  auto deep_filter = [](int depth) {
    FragmentedPlan plan = SmallPlan();
    auto& filter = dynamic_cast<FilterNode&>(*plan.fragments[1].root->children[0]);
    for (int i = 0; i < depth; i++) {
      std::vector<ExpressionPtr> args;
      args.push_back(std::move(filter.predicate));
      filter.predicate = Expression::MakeBoolean(ExprKind::kNot, std::move(args));
    }
    return plan;
  };
  FragmentedPlan ok = deep_filter(1000);
  EXPECT_EQ(PlanFromBinary(PlanToBinary(ok), {}).ToString(), ok.ToString());
  EXPECT_EQ(std::string(Raised([&] { PlanToJson(ok); }).code()),
            std::string(sqlstate::kProgramLimitExceeded));
  FragmentedPlan too_deep = deep_filter(kMaxPlanMessageDepth);
  EXPECT_EQ(std::string(Raised([&] { PlanFromBinary(PlanToBinary(too_deep), {}); }).code()),
            std::string(sqlstate::kProtocolViolation));
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

TEST(PlanSerdeTest, CsvOptionsAndStatisticsSinks) {
  auto scan = std::make_unique<FileScanNode>();
  scan->files = {"a.csv", "b.csv"};
  auto options = std::make_shared<CsvOptions>();
  options->delimiter = '\xa7';  // a byte past ASCII
  options->quote = '\'';
  options->escape = '\\';
  options->header = true;
  options->null_string = "\\N";
  options->delimiter_set = options->null_set = true;
  scan->options = options;
  scan->names = {"x"};
  scan->file_types = {kInt};
  scan->types = {kInt};
  scan->column_ids = {0};
  scan->split_size = 12345;

  auto stats = std::make_unique<ColumnStatisticsNode>();
  stats->input_types = {kInt};
  stats->sink = std::make_shared<ColumnStatisticsSink>(stats->input_types);
  stats->children.push_back(std::move(scan));

  plan::PhysicalNode m;
  NodeToProto(*stats, &m);
  auto back = NodeFromProto(m, {});
  auto& stats_back = dynamic_cast<ColumnStatisticsNode&>(*back);
  EXPECT_EQ(stats_back.input_types, stats->input_types);
  ASSERT_NE(stats_back.sink, nullptr);
  EXPECT_NE(stats_back.sink, stats->sink);  // the receiver's own
  auto& scan_back = dynamic_cast<FileScanNode&>(*stats_back.children[0]);
  EXPECT_EQ(scan_back.files, (std::vector<std::string>{"a.csv", "b.csv"}));
  EXPECT_EQ(scan_back.options->delimiter, '\xa7');
  EXPECT_EQ(scan_back.options->quote, '\'');
  EXPECT_EQ(scan_back.options->escape, '\\');
  EXPECT_TRUE(scan_back.options->header);
  EXPECT_EQ(scan_back.options->null_string, "\\N");
  EXPECT_TRUE(scan_back.options->delimiter_set && scan_back.options->null_set);
  EXPECT_FALSE(scan_back.options->quote_set);
  EXPECT_EQ(scan_back.split_size, 12345);
  EXPECT_EQ(scan_back.Details(), stats->children[0]->Details());
}

}  // namespace
}  // namespace basalt

// -------------------------------------------------------------- typing
//
// An executor takes plans from the network and allocates every vector by
// the types a plan names, while kernels and operators write what they
// really produce: each test below makes a well-formed plan, changes what a
// hostile or broken sender could change, and expects 08P01.

namespace basalt {
namespace {

const std::string kProtocol = sqlstate::kProtocolViolation;

ExpressionPtr FromProto(const plan::Expression& m, const std::vector<LogicalType>& input) {
  FunctionRebinder functions(DeserializeContext{});
  return ExpressionFromProto(m, input, functions);
}

void ExpectRefused(const plan::Expression& m, const std::vector<LogicalType>& input,
                   const std::string& part) {
  BasaltError e = Raised([&] { FromProto(m, input); });
  EXPECT_EQ(std::string(e.code()), kProtocol) << e.what();
  EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
}

template <typename F>
void ExpectRefusedBy(F&& f, const std::string& part) {
  BasaltError e = Raised(f);
  EXPECT_EQ(std::string(e.code()), kProtocol) << e.what();
  EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
}

plan::Expression ToProto(const Expression& e) {
  plan::Expression m;
  ExpressionToProto(e, &m);
  return m;
}

ExpressionPtr Make(ExprKind kind, const LogicalType& type, std::vector<ExpressionPtr> children) {
  auto e = std::make_unique<Expression>();
  e->kind = kind;
  e->type = type;
  e->children = std::move(children);
  return e;
}

template <typename... Args>
std::vector<ExpressionPtr> List(Args... args) {
  std::vector<ExpressionPtr> out;
  (out.push_back(std::move(args)), ...);
  return out;
}

TEST(PlanSerdeTest, FunctionTypeMustBeItsReturnType) {
  ExpressionPtr plus =
      Call("+", List(Expression::MakeInputRef(0, kBigint), Expression::MakeInputRef(1, kBigint)));
  ASSERT_EQ(plus->type, kBigint);
  plan::Expression m = ToProto(*plus);
  EXPECT_EQ(FromProto(m, {kBigint, kBigint})->type, kBigint);
  // Declared narrower than the kernel's result: the executor would allocate
  // four bytes a row where the kernel writes eight.
  TypeToProto(kInt, m.mutable_type());
  ExpectRefused(m, {kBigint, kBigint}, "typed INTEGER, but the function returns BIGINT");
}

TEST(PlanSerdeTest, ConstantsHoldValuesOfTheirType) {
  plan::Expression m = ToProto(*Expression::MakeConstant(Value::Varchar("abc")));
  EXPECT_EQ(FromProto(m, {})->constant, Value::Varchar("abc"));
  TypeToProto(kBigint, m.mutable_type());
  ExpectRefused(m, {}, "a constant of type BIGINT holding a VARCHAR value");

  // A NULL takes the expression's type, whatever type the value named.
  plan::Expression null = ToProto(*Expression::MakeConstant(Value::Null()));
  TypeToProto(kInt, null.mutable_type());
  ExpressionPtr back = FromProto(null, {});
  EXPECT_TRUE(back->constant.IsNull());
  EXPECT_EQ(back->constant.type(), kInt);
}

TEST(PlanSerdeTest, CaseAndCoalesceBranchesHaveTheirType) {
  // CASE WHEN #0 THEN #1 ELSE 'x' END over (BOOLEAN, VARCHAR).
  plan::Expression good =
      ToProto(*Make(ExprKind::kCase, kText,
                    List(Expression::MakeInputRef(0, kBool), Expression::MakeInputRef(1, kText),
                         Expression::MakeConstant(Value::Varchar("x")))));
  EXPECT_EQ(FromProto(good, {kBool, kText})->type, kText);

  plan::Expression other_type = good;
  TypeToProto(kBigint, other_type.mutable_type());
  ExpectRefused(other_type, {kBool, kText}, "a THEN result of type VARCHAR (needs BIGINT)");

  plan::Expression condition = good;
  TypeToProto(kInt, condition.mutable_children(0)->mutable_type());
  ExpectRefused(condition, {kInt, kText}, "a WHEN condition of type INTEGER");

  plan::Expression else_branch = good;
  *else_branch.mutable_children(2) = ToProto(*Expression::MakeConstant(Value::Integer(7)));
  ExpectRefused(else_branch, {kBool, kText}, "an ELSE result of type INTEGER");

  // COALESCE(#0, 0) over INTEGER, declared BIGINT.
  plan::Expression coalesce = ToProto(
      *Make(ExprKind::kCoalesce, kInt,
            List(Expression::MakeInputRef(0, kInt), Expression::MakeConstant(Value::Integer(0)))));
  EXPECT_EQ(FromProto(coalesce, {kInt})->type, kInt);
  TypeToProto(kBigint, coalesce.mutable_type());
  ExpectRefused(coalesce, {kInt}, "an argument of type INTEGER (needs BIGINT)");
}

TEST(PlanSerdeTest, InListItemsAreConstantsOfTheValuesType) {
  // #0 IN (1, NULL) over INTEGER.
  plan::Expression good = ToProto(
      *Make(ExprKind::kInList, kBool,
            List(Expression::MakeInputRef(0, kInt), Expression::MakeConstant(Value::Integer(1)),
                 Expression::MakeConstant(Value::Null(kInt)))));
  EXPECT_EQ(FromProto(good, {kInt})->type, kBool);

  // A string compared as a 4-byte integer.
  plan::Expression text_item = good;
  *text_item.mutable_children(1) = ToProto(*Expression::MakeConstant(Value::Varchar("1")));
  ExpectRefused(text_item, {kInt}, "a list item of type VARCHAR (needs INTEGER)");

  plan::Expression column_item = good;
  *column_item.mutable_children(2) = ToProto(*Expression::MakeInputRef(0, kInt));
  ExpectRefused(column_item, {kInt}, "not a constant");

  plan::Expression result = good;
  TypeToProto(kBigint, result.mutable_type());
  ExpectRefused(result, {kInt}, "a result of type BIGINT (needs BOOLEAN)");
}

TEST(PlanSerdeTest, LogicalOperatorsAreBoolean) {
  plan::Expression both =
      ToProto(*Make(ExprKind::kAnd, kBool,
                    List(Expression::MakeInputRef(0, kBool), Expression::MakeInputRef(1, kBool))));
  EXPECT_EQ(FromProto(both, {kBool, kBool})->type, kBool);
  plan::Expression text_operand = both;
  TypeToProto(kText, text_operand.mutable_children(1)->mutable_type());
  ExpectRefused(text_operand, {kBool, kText}, "an operand of type VARCHAR (needs BOOLEAN)");
  plan::Expression either = both;
  either.set_kind(plan::EXPR_KIND_OR);
  TypeToProto(kInt, either.mutable_type());
  ExpectRefused(either, {kBool, kBool}, "a result of type INTEGER (needs BOOLEAN)");

  plan::Expression negation =
      ToProto(*Make(ExprKind::kNot, kBool, List(Expression::MakeInputRef(0, kBool))));
  EXPECT_EQ(FromProto(negation, {kBool})->type, kBool);
  TypeToProto(kText, negation.mutable_type());
  ExpectRefused(negation, {kBool}, "a result of type VARCHAR");

  // IS NULL tests any type, and is BOOLEAN.
  plan::Expression is_null =
      ToProto(*Make(ExprKind::kIsNull, kBool, List(Expression::MakeInputRef(0, kText))));
  EXPECT_EQ(FromProto(is_null, {kText})->type, kBool);
  is_null.set_kind(plan::EXPR_KIND_IS_NOT_NULL);
  TypeToProto(kBigint, is_null.mutable_type());
  ExpectRefused(is_null, {kText}, "a result of type BIGINT (needs BOOLEAN)");
}

// SmallPlan's nodes: fragment 0 is HashAggregate <- ExchangeReceiver;
// fragment 1 is Projection <- Filter <- Values.
plan::PhysicalNode* Node(plan::FragmentedPlan& m, int fragment, int depth) {
  plan::PhysicalNode* n = m.mutable_fragments(fragment)->mutable_root();
  for (int i = 0; i < depth; i++) n = n->mutable_children(0);
  return n;
}

void SetTypes(plan::PhysicalNode* n, const std::vector<LogicalType>& types) {
  n->clear_types();
  for (const LogicalType& t : types) TypeToProto(t, n->add_types());
}

TEST(PlanSerdeTest, NodeOutputTypesAreDerivedByTheReceiver) {
  const plan::FragmentedPlan good = PlanToProto(SmallPlan());
  EXPECT_EQ(PlanFromProto(good, {}).ToString(), SmallPlan().ToString());
  auto refused = [](const plan::FragmentedPlan& m, const std::string& part) {
    ExpectRefusedBy([&] { PlanFromProto(m, {}); }, part);
  };

  plan::FragmentedPlan projection = good;
  SetTypes(Node(projection, 1, 0), {kInt});
  refused(projection, "(Projection) declares output (INTEGER), but outputs (VARCHAR)");

  plan::FragmentedPlan filter = good;
  SetTypes(Node(filter, 1, 1), {kInt, kBigint});
  refused(filter, "(Filter) declares output (INTEGER, BIGINT), but outputs (INTEGER, VARCHAR)");

  plan::FragmentedPlan aggregate = good;
  SetTypes(Node(aggregate, 0, 0), {kInt});
  refused(aggregate, "(HashAggregate) declares output (INTEGER), but outputs (BIGINT)");

  // The receiver gets what fragment 1's root sends.
  plan::FragmentedPlan receiver = good;
  SetTypes(Node(receiver, 0, 1), {kBigint});
  refused(receiver, "declares (BIGINT); fragment 1 sends (VARCHAR)");

  // A filter whose predicate is no boolean.
  plan::FragmentedPlan predicate = good;
  *Node(predicate, 1, 1)->mutable_filter()->mutable_predicate() =
      ToProto(*Expression::MakeInputRef(0, kInt));
  refused(predicate, "a Filter predicate of type INTEGER");
}

std::unique_ptr<ValuesNode> EmptyValues(std::vector<LogicalType> types) {
  auto values = std::make_unique<ValuesNode>();
  values->types = std::move(types);
  return values;
}

std::unique_ptr<PhysicalNode> NodeBack(const PhysicalNode& node,
                                       const DeserializeContext& context = {}) {
  plan::PhysicalNode m;
  NodeToProto(node, &m);
  return NodeFromProto(m, context);
}

TEST(PlanSerdeTest, JoinUnionAndAggregateTypesAreChecked) {
  auto join = [](JoinType type, const LogicalType& build_key, std::vector<LogicalType> types) {
    auto j = std::make_unique<HashJoinNode>();
    j->join_type = type;
    j->types = std::move(types);
    j->probe_keys.push_back(Expression::MakeInputRef(0, kInt));
    j->build_keys.push_back(Expression::MakeInputRef(0, build_key));
    j->children.push_back(EmptyValues({kInt}));
    j->children.push_back(EmptyValues({build_key}));
    return j;
  };
  EXPECT_NO_THROW(NodeBack(*join(JoinType::kInner, kInt, {kInt, kInt})));
  EXPECT_NO_THROW(NodeBack(*join(JoinType::kSemi, kInt, {kInt})));
  // A semi join outputs the probe side only.
  ExpectRefusedBy(
      [&] {
        NodeBack(*join(JoinType::kSemi, kInt, {kInt, kInt}));
      },
      "(HashJoin) declares output (INTEGER, INTEGER), but outputs (INTEGER)");
  // Keys hashed and compared as different types.
  ExpectRefusedBy(
      [&] {
        NodeBack(*join(JoinType::kInner, kBigint, {kInt, kBigint}));
      },
      "HashJoin key #0 of type INTEGER on the probe side and BIGINT");

  auto nested = std::make_unique<NestedLoopJoinNode>();
  nested->join_type = JoinType::kLeft;
  nested->types = {kInt};
  nested->children.push_back(EmptyValues({kInt}));
  nested->children.push_back(EmptyValues({kText}));
  ExpectRefusedBy([&] { NodeBack(*nested); },
                  "(NestedLoopJoin) declares output (INTEGER), but outputs (INTEGER, VARCHAR)");

  auto union_all = std::make_unique<UnionAllNode>();
  union_all->types = {kInt};
  union_all->children.push_back(EmptyValues({kInt}));
  union_all->children.push_back(EmptyValues({kText}));
  ExpectRefusedBy([&] { NodeBack(*union_all); }, "a UnionAll of (INTEGER) and (VARCHAR)");

  // sum(BIGINT) handed an INTEGER column.
  auto aggregate = std::make_unique<HashAggregateNode>();
  AggregateCall sum;
  std::optional<BoundAggregateFunction> bound =
      FunctionRegistry::Get().BindAggregate("sum", {kBigint});
  ASSERT_TRUE(bound.has_value());
  sum.function = *bound;
  sum.args.push_back(Expression::MakeInputRef(0, kInt));
  aggregate->types = {bound->return_type};
  aggregate->aggregates.push_back(std::move(sum));
  aggregate->children.push_back(EmptyValues({kInt}));
  ExpectRefusedBy([&] { NodeBack(*aggregate); },
                  "argument 1 of aggregate sum is INTEGER, but the aggregate takes BIGINT");
}

TEST(PlanSerdeTest, WindowTypesAreChecked) {
  // sum(#0) OVER () over an INTEGER column, bound as sum(BIGINT).
  auto window = [](const LogicalType& arg, std::vector<LogicalType> types) {
    auto w = std::make_unique<WindowNode>();
    WindowFunction f;
    f.kind = WindowFunctionKind::kAggregate;
    f.aggregate = *FunctionRegistry::Get().BindAggregate("sum", {kBigint});
    f.args.push_back(Expression::MakeInputRef(0, arg));
    f.return_type = f.aggregate.return_type;
    w->functions.push_back(std::move(f));
    w->types = std::move(types);
    w->children.push_back(EmptyValues({arg}));
    return w;
  };
  const LogicalType sum_type = FunctionRegistry::Get().BindAggregate("sum", {kBigint})->return_type;
  EXPECT_NO_THROW(NodeBack(*window(kBigint, {kBigint, sum_type})));
  ExpectRefusedBy(
      [&] {
        NodeBack(*window(kBigint, {kBigint, kInt}));
      },
      "(Window) declares output (BIGINT, INTEGER)");
  ExpectRefusedBy(
      [&] {
        NodeBack(*window(kInt, {kInt, sum_type}));
      },
      "argument 1 of window aggregate sum is INTEGER, but it takes BIGINT");
}

std::unique_ptr<FileScanNode> CsvScan() {
  auto scan = std::make_unique<FileScanNode>();
  scan->files = {"a.csv"};
  scan->options = std::make_shared<CsvOptions>();
  scan->names = {"x"};
  scan->file_types = {kInt};
  scan->types = {kInt};
  scan->column_ids = {0};
  return scan;
}

TEST(PlanSerdeTest, ScanAndStatisticsTypesAreChecked) {
  EXPECT_NO_THROW(NodeBack(*CsvScan()));
  auto scan = CsvScan();
  scan->types = {kText};
  ExpectRefusedBy([&] { NodeBack(*scan); },
                  "(FileScan) declares output (VARCHAR), but outputs (INTEGER)");

  // A virtual column's value of another type than the column.
  auto with_file_name = CsvScan();
  auto virtual_columns = std::make_shared<FileVirtualColumns>();
  virtual_columns->file_column_count = 1;
  virtual_columns->names = {"filename"};
  virtual_columns->types = {kText};
  virtual_columns->values = {{Value::Varchar("a.csv")}};
  with_file_name->virtual_columns = virtual_columns;
  with_file_name->column_ids = {0, 1};
  with_file_name->types = {kInt, kText};
  plan::PhysicalNode m;
  NodeToProto(*with_file_name, &m);
  EXPECT_NO_THROW(NodeFromProto(m, {}));
  ValueToProto(
      Value::Integer(5),
      m.mutable_file_scan()->mutable_virtual_columns()->mutable_values(0)->mutable_values(0));
  ExpectRefusedBy([&] { NodeFromProto(m, {}); },
                  "a virtual column of type VARCHAR with a INTEGER value");

  auto stats = std::make_unique<ColumnStatisticsNode>();
  stats->input_types = {kText};
  stats->sink = std::make_shared<ColumnStatisticsSink>(stats->input_types);
  stats->children.push_back(CsvScan());
  ExpectRefusedBy([&] { NodeBack(*stats); },
                  "a ColumnStatistics of input (VARCHAR) over a child that outputs (INTEGER)");
}

TEST(PlanSerdeTest, ReceiversSitWithTheirExchangesConsumer) {
  const plan::FragmentedPlan good = PlanToProto(SmallPlan());
  auto refused = [](const plan::FragmentedPlan& m, const std::string& part) {
    ExpectRefusedBy([&] { PlanFromProto(m, {}); }, part);
  };
  // Exchange 0 said to be consumed by fragment 1 while fragment 0 receives it.
  plan::FragmentedPlan consumer = good;
  consumer.set_exchange_consumer(0, 1);
  refused(consumer, "a receiver of exchange 0 in fragment 0; fragment 1 consumes it");

  // The source named is fragment 0, which sends to the client.
  plan::FragmentedPlan source = good;
  Node(source, 0, 1)->mutable_exchange_receiver()->set_source_fragment(0);
  refused(source, "a receiver of exchange 0 from fragment 0, which sends to exchange -1");
}

TEST(PlanSerdeTest, FragmentParallelismIsBounded) {
  plan::FragmentedPlan m = PlanToProto(SmallPlan());
  m.mutable_fragments(1)->set_parallelism(kMaxFragmentParallelism);
  EXPECT_EQ(PlanFromProto(m, {}).fragments[1].parallelism, kMaxFragmentParallelism);
  m.mutable_fragments(1)->set_parallelism(kMaxFragmentParallelism + 1);
  ExpectRefusedBy([&] { PlanFromProto(m, {}); }, "fragment 1 of 4097 instances");
  m.mutable_fragments(1)->set_parallelism(std::numeric_limits<int32_t>::max());
  ExpectRefusedBy([&] { PlanFromProto(m, {}); }, "instances");
}

TEST(PlanSerdeTest, ExecutorPlansRefuseCoordinatorOnlyNodes) {
  DeserializeContext executor;
  executor.executor_plan = true;
  EXPECT_NO_THROW(PlanFromBinary(PlanToBinary(SmallPlan()), executor));

  // File scans run on executors (one shared file system).
  EXPECT_NO_THROW(NodeBack(*CsvScan(), executor));

  auto json = std::make_unique<JsonScanNode>();
  json->files = {"a.json"};
  json->keys = {"k"};
  json->file_types = {kInt};
  json->column_ids = {0};
  json->types = {kInt};
  EXPECT_NO_THROW(NodeBack(*json, executor));

  auto stats = std::make_unique<ColumnStatisticsNode>();
  stats->input_types = {kInt};
  stats->sink = std::make_shared<ColumnStatisticsSink>(stats->input_types);
  stats->children.push_back(EmptyValues({kInt}));
  EXPECT_NO_THROW(NodeBack(*stats));
  ExpectRefusedBy([&] { NodeBack(*stats, executor); }, "an executor does not run ColumnStatistics");

  // Catalog and plan-only table scans still run on executors.
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = "generate_series";
  table->columns = {{"generate_series", kBigint, true}};
  table->storage = std::make_shared<DataTable>(table->Types());
  EXPECT_NO_THROW(NodeBack(*ScanOf(table), executor));
}

// The executor reads plans with PlanFromBinary (executor_service.cc):
// protobuf's default parser stops at 100 nested messages, fewer than the
// expressions the binder accepts.
TEST(PlanSerdeTest, BinaryEntryPointTakesPlansDeeperThanProtobufsDefault) {
  FragmentedPlan plan = SmallPlan();
  auto& filter = dynamic_cast<FilterNode&>(*plan.fragments[1].root->children[0]);
  for (int i = 0; i < 200; i++) {
    filter.predicate = Expression::MakeBoolean(ExprKind::kNot, List(std::move(filter.predicate)));
  }
  const std::string bytes = PlanToBinary(plan);
  plan::FragmentedPlan message;
  EXPECT_FALSE(message.ParseFromString(bytes));
  DeserializeContext executor;
  executor.executor_plan = true;
  EXPECT_EQ(PlanFromBinary(bytes, executor).ToString(), plan.ToString());
}

}  // namespace
}  // namespace basalt
