#include <gtest/gtest.h>

#include "common/exception.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Value S(const std::string& s) { return Value::Varchar(s); }
Value I(int32_t v) { return Value::Integer(v); }

std::string Text(const std::string& name, const std::vector<Value>& args) {
  return Eval(name, args).ToString();
}

// Expected values below were checked against PostgreSQL 15.
TEST(StringFunctionsTest, Substring) {
  EXPECT_EQ(Text("substring", {S("hello"), I(0), I(3)}), "he");
  EXPECT_EQ(Text("substring", {S("hello"), I(-1)}), "hello");
  EXPECT_EQ(Text("substring", {S("hello"), I(2)}), "ello");
  EXPECT_EQ(Text("substr", {S("héllo"), I(2), I(3)}), "éll");
  EXPECT_EQ(Text("substring", {S("hello"), I(10), I(3)}), "");
  EXPECT_EQ(Text("substring", {S("hello"), I(-5), I(3)}), "");
  ExpectError(
      [] {
        Eval("substring", {S("hello"), I(1), I(-1)});
      },
      sqlstate::kSubstringError, "negative substring length not allowed");
  // A long result points into the input's bytes.
  std::string long_text = "the quick brown fox jumps over the lazy dog";
  EXPECT_EQ(Text("substring", {S(long_text), I(5), I(30)}), long_text.substr(4, 30));
}

TEST(StringFunctionsTest, SubstringOfFlatAndDictionaryWithSelection) {
  Vector strings =
      MakeFlat(TypeId::kVarchar, {S("alpha beta gamma delta"), Value::Null(TypeId::kVarchar),
                                  S("x"), S("épsilon zeta eta theta")});
  Vector starts = MakeConstant(Value::Bigint(3));
  SelectionVector sel = MakeSelection({0, 1, 3});
  Vector r = RunScalar("substring", {strings, starts}, 3, &sel);
  EXPECT_EQ(r.GetValue(0), S("pha beta gamma delta"));
  EXPECT_TRUE(r.IsNull(1));
  EXPECT_EQ(r.GetValue(3), S("silon zeta eta theta"));
  Vector dict = MakeDictionary(TypeId::kVarchar, {S("0123456789abcdef"), S("ab")}, {1, 0, 0});
  Vector r2 = RunScalar("left", {dict, MakeConstant(Value::Integer(14))}, 3);
  EXPECT_EQ(r2.GetValue(0), S("ab"));
  EXPECT_EQ(r2.GetValue(1), S("0123456789abcd"));
  EXPECT_EQ(r2.GetValue(2), S("0123456789abcd"));
}

TEST(StringFunctionsTest, LeftRightPad) {
  EXPECT_EQ(Text("left", {S("héllo"), I(-2)}), "hél");
  EXPECT_EQ(Text("right", {S("héllo"), I(-2)}), "llo");
  EXPECT_EQ(Text("right", {S("abc"), I(5)}), "abc");
  EXPECT_EQ(Text("lpad", {S("hi"), I(5)}), "   hi");
  EXPECT_EQ(Text("lpad", {S("hi"), I(5), S("xy")}), "xyxhi");
  EXPECT_EQ(Text("rpad", {S("hi"), I(5), S("é")}), "hiééé");
  EXPECT_EQ(Text("rpad", {S("hello"), I(3)}), "hel");
  EXPECT_EQ(Text("lpad", {S("hi"), I(5), S("")}), "hi");
}

TEST(StringFunctionsTest, Trim) {
  EXPECT_EQ(Text("trim", {S("  a b  ")}), "a b");
  EXPECT_EQ(Text("ltrim", {S("xxaxx"), S("x")}), "axx");
  EXPECT_EQ(Text("rtrim", {S("xxaxx"), S("x")}), "xxa");
  EXPECT_EQ(Text("btrim", {S("éaé"), S("é")}), "a");
  EXPECT_EQ(Text("trim", {S("xyaxy"), S("yx")}), "a");
  // Characters that vary by row.
  Vector s = MakeFlat(TypeId::kVarchar, {S("--a--"), S("++b++")});
  Vector chars = MakeFlat(TypeId::kVarchar, {S("-"), S("+")});
  Vector r = RunScalar("trim", {s, chars}, 2);
  EXPECT_EQ(r.GetValue(0), S("a"));
  EXPECT_EQ(r.GetValue(1), S("b"));
}

TEST(StringFunctionsTest, CaseAndLength) {
  EXPECT_EQ(Text("upper", {S("héllo ß")}), "HÉLLO ß");
  EXPECT_EQ(Text("lower", {S("ÀÉÎ ΣΑΣ Ж")}), "àéî σασ ж");
  EXPECT_EQ(Eval("length", {S("héllo")}), I(5));
  EXPECT_EQ(Eval("char_length", {S("")}), I(0));
  EXPECT_EQ(Eval("octet_length", {S("héllo")}), I(6));
}

TEST(StringFunctionsTest, SearchFunctions) {
  // position(sub, str) is POSITION(sub IN str); strpos(str, sub).
  EXPECT_EQ(Eval("position", {S("lo"), S("héllo")}), I(4));
  EXPECT_EQ(Eval("strpos", {S("héllo"), S("lo")}), I(4));
  EXPECT_EQ(Eval("strpos", {S("abc"), S("")}), I(1));
  EXPECT_EQ(Eval("strpos", {S("abc"), S("d")}), I(0));
  EXPECT_EQ(Text("replace", {S("aaa"), S("a"), S("bb")}), "bbbbbb");
  EXPECT_EQ(Text("replace", {S("abc"), S(""), S("x")}), "abc");
  EXPECT_EQ(Eval("starts_with", {S("hello"), S("he")}), Value::Boolean(true));
  EXPECT_EQ(Eval("ends_with", {S("hello"), S("he")}), Value::Boolean(false));
  EXPECT_EQ(Text("split_part", {S("a,b,c"), S(","), I(2)}), "b");
  EXPECT_EQ(Text("split_part", {S("a,b,c"), S(","), I(-1)}), "c");
  EXPECT_EQ(Text("split_part", {S("a,b,c"), S(","), I(5)}), "");
  EXPECT_EQ(Text("split_part", {S("a::b::c"), S("::"), I(-2)}), "b");
  ExpectError(
      [] {
        Eval("split_part", {S("a"), S(","), I(0)});
      },
      sqlstate::kInvalidParameterValue, "field position must not be zero");
}

TEST(StringFunctionsTest, Misc) {
  EXPECT_EQ(Text("reverse", {S("héllo")}), "olléh");
  EXPECT_EQ(Text("repeat", {S("ab"), I(3)}), "ababab");
  EXPECT_EQ(Text("repeat", {S("ab"), I(-1)}), "");
  EXPECT_EQ(Eval("ascii", {S("é")}), I(233));
  EXPECT_EQ(Text("chr", {I(233)}), "é");
  ExpectError([] { Eval("chr", {I(0)}); }, sqlstate::kProgramLimitExceeded,
              "null character not permitted");
  EXPECT_EQ(Text("md5", {S("abc")}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Text("md5", {S("")}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Text("md5", {S("The quick brown fox jumps over the lazy dog")}),
            "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(Text("md5", {S(std::string(100, 'a'))}), "36a92cc94a9e0fa21f625f8bfb007adf");
  EXPECT_EQ(Text("md5", {S(std::string(56, 'a'))}), "3b0c8ac703f828b04c6c197006d17218");
  EXPECT_EQ(Text("md5", {S(std::string(64, 'a'))}), "014842d480b571495a4a0363793f7367");
}

TEST(StringFunctionsTest, Concatenation) {
  EXPECT_EQ(Text("||", {S("ab"), S("cd")}), "abcd");
  EXPECT_TRUE(Eval("||", {S("ab"), Value::Null(TypeId::kVarchar)}).IsNull());
  EXPECT_EQ(Text("||", {S("n="), I(42)}), "n=42");
  EXPECT_EQ(Text("||", {Value::Double(1.5), S("x")}), "1.5x");
  EXPECT_FALSE(FunctionRegistry::Get()
                   .BindScalar("||", {TypeId::kInteger, TypeId::kInteger}, {})
                   .has_value());
  EXPECT_EQ(Text("concat", {S("a"), Value::Null(TypeId::kVarchar), I(1)}), "a1");
  EXPECT_EQ(Text("concat", {Value::Null(TypeId::kVarchar)}), "");
  EXPECT_EQ(Text("concat_ws", {S(","), S("a"), Value::Null(TypeId::kVarchar), S("b")}), "a,b");
  EXPECT_TRUE(Eval("concat_ws", {Value::Null(TypeId::kVarchar), S("a")}).IsNull());
  // Long strings through flat vectors with NULLs.
  Vector a =
      MakeFlat(TypeId::kVarchar, {S("a long string of text, "), Value::Null(TypeId::kVarchar)});
  Vector b = MakeFlat(TypeId::kVarchar, {S("and another long one"), S("x")});
  Vector r = RunScalar("||", {a, b}, 2);
  EXPECT_EQ(r.GetValue(0), S("a long string of text, and another long one"));
  EXPECT_TRUE(r.IsNull(1));
}

}  // namespace
}  // namespace basalt
