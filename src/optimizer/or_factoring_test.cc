#include "optimizer/or_factoring.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

ExpressionPtr Column(uint32_t c) {
  return Expression::MakeColumnRef(ColumnBinding{1, c}, LogicalType(TypeId::kBoolean),
                                   "c" + std::to_string(c));
}

ExpressionPtr And(std::vector<ExpressionPtr> xs) {
  return Expression::MakeBoolean(ExprKind::kAnd, std::move(xs));
}

ExpressionPtr Or(std::vector<ExpressionPtr> xs) {
  return Expression::MakeBoolean(ExprKind::kOr, std::move(xs));
}

template <typename... T>
std::vector<ExpressionPtr> List(T... xs) {
  std::vector<ExpressionPtr> v;
  (v.push_back(std::move(xs)), ...);
  return v;
}

TEST(OrFactoringTest, PullsOutConjunctsEveryBranchHas) {
  // (c0 AND c1 AND c2) OR (c1 AND c0 AND c3) -> c0 AND c1 AND (c2 OR c3)
  auto e = Or(List(And(List(Column(0), Column(1), Column(2))),
                   And(List(Column(1), Column(0), Column(3)))));
  auto f = FactorOrConditions(std::move(e));
  EXPECT_EQ(f->ToString(), "(c0 AND c1 AND (c2 OR c3))");
}

TEST(OrFactoringTest, ABranchThatIsAllCommonMakesTheOrTrue) {
  // (c0) OR (c0 AND c1) -> c0
  auto f = FactorOrConditions(Or(List(Column(0), And(List(Column(0), Column(1))))));
  EXPECT_EQ(f->ToString(), "c0");
}

TEST(OrFactoringTest, LeavesOrsWithoutCommonPartsAlone) {
  auto f = FactorOrConditions(Or(List(And(List(Column(0), Column(1))), Column(2))));
  EXPECT_EQ(f->ToString(), "((c0 AND c1) OR c2)");
}

}  // namespace
}  // namespace basalt
