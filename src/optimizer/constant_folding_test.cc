#include "optimizer/constant_folding.h"

#include <gtest/gtest.h>

#include "optimizer/optimizer_test_util.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

TEST(ConstantFoldingTest, FoldsArithmetic) {
  ExpressionPtr e = FoldExpression(Call("+", Int(1), Call("*", Int(2), Int(3))));
  ASSERT_TRUE(e->IsConstant());
  EXPECT_EQ(e->constant, Value::Integer(7));
  EXPECT_EQ(e->type, LogicalType(TypeId::kInteger));
}

TEST(ConstantFoldingTest, FoldsInsideColumnExpressions) {
  ExpressionPtr e = FoldExpression(Call(">", Col(1, 0), Call("+", Int(1), Int(2))));
  ASSERT_EQ(e->kind, ExprKind::kFunction);
  ASSERT_TRUE(e->children[1]->IsConstant());
  EXPECT_EQ(e->children[1]->constant, Value::Integer(3));
}

TEST(ConstantFoldingTest, SimplifiesAndOr) {
  ExpressionPtr x = Call(">", Col(1, 0), Int(5));
  ExpressionPtr e = FoldExpression(And(x->Copy(), Bool(true)));
  EXPECT_TRUE(e->Equals(*x));

  std::vector<ExpressionPtr> args = Exprs(x->Copy(), Bool(false));
  e = FoldExpression(Expression::MakeBoolean(ExprKind::kOr, std::move(args)));
  EXPECT_TRUE(e->Equals(*x));

  e = FoldExpression(And(x->Copy(), Bool(false)));
  EXPECT_TRUE(IsFalseConstant(*e));

  args = Exprs(x->Copy(), Bool(true));
  e = FoldExpression(Expression::MakeBoolean(ExprKind::kOr, std::move(args)));
  ASSERT_TRUE(e->IsConstant());
  EXPECT_EQ(e->constant, Value::Boolean(true));
}

TEST(ConstantFoldingTest, ErrorsAreLeftForRunTime) {
  ExpressionPtr e;
  ASSERT_NO_THROW(e = FoldExpression(Call("/", Int(1), Int(0))));
  EXPECT_EQ(e->kind, ExprKind::kFunction);
}

TEST(ConstantFoldingTest, RemovesTrueFilterKeepsFalseFilter) {
  auto t = MakeTable("t", {"a"}, 10);
  LogicalOperatorPtr plan = Filter(Get(t, 1), Call("=", Int(1), Int(1)));
  FoldConstants(plan);
  EXPECT_EQ(plan->type, LogicalOperatorType::kGet);

  plan = Filter(Get(t, 1), Call("=", Int(1), Int(2)));
  FoldConstants(plan);
  ASSERT_EQ(plan->type, LogicalOperatorType::kFilter);
  auto& filter = static_cast<LogicalFilter&>(*plan);
  ASSERT_EQ(filter.conditions.size(), 1u);
  EXPECT_TRUE(IsFalseConstant(*filter.conditions[0]));

  // x AND NULL-comparison: the NULL conjunct alone decides.
  plan = Filter(Get(t, 1),
                And(Call(">", Col(1, 0), Int(1)),
                    Call("=", Expression::MakeConstant(Value::Null(TypeId::kInteger)), Int(1))));
  FoldConstants(plan);
  auto& null_filter = static_cast<LogicalFilter&>(*plan);
  ASSERT_EQ(null_filter.conditions.size(), 1u);
  EXPECT_TRUE(null_filter.conditions[0]->IsConstant());
  EXPECT_TRUE(null_filter.conditions[0]->constant.IsNull());
}

}  // namespace
}  // namespace basalt
