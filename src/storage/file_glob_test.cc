#include "storage/file_glob.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/exception.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

using testing::ExpectError;
using testing::TempDir;

class FileGlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"b.csv", "a.csv", "c.txt", "a1.csv", "a2.csv", "ab.csv", "sub/d.csv",
                             "sub/deeper/e.csv", "sub/.hidden/f.csv", "w[x]/g.csv", ".dot.csv"}) {
      dir_.Write(name, "1\n");
    }
    std::filesystem::create_directories(dir_.path() + "/dir.csv");
  }
  std::string P(const std::string& relative) const { return dir_.path() + "/" + relative; }

  TempDir dir_;
};

TEST_F(FileGlobTest, PlainPathIsReturnedAsIs) {
  EXPECT_EQ(ExpandGlob(P("b.csv")), std::vector<std::string>{P("b.csv")});
}

TEST_F(FileGlobTest, MissingPlainPath) {
  std::string missing = P("nope.csv");
  ExpectError([&] { ExpandGlob(missing); }, sqlstate::kUndefinedFile,
              "could not open file \"" + missing + "\": No such file or directory");
}

TEST_F(FileGlobTest, StarIsSortedAndSkipsDirectoriesAndDotFiles) {
  EXPECT_EQ(ExpandGlob(P("*.csv")), (std::vector<std::string>{P("a.csv"), P("a1.csv"), P("a2.csv"),
                                                              P("ab.csv"), P("b.csv")}));
}

TEST_F(FileGlobTest, QuestionMarkAndBrackets) {
  EXPECT_EQ(ExpandGlob(P("a?.csv")),
            (std::vector<std::string>{P("a1.csv"), P("a2.csv"), P("ab.csv")}));
  EXPECT_EQ(ExpandGlob(P("a[0-9].csv")), (std::vector<std::string>{P("a1.csv"), P("a2.csv")}));
  EXPECT_EQ(ExpandGlob(P("[bc].*")), (std::vector<std::string>{P("b.csv"), P("c.txt")}));
}

TEST_F(FileGlobTest, DoubleStarMatchesAnyDepth) {
  EXPECT_EQ(ExpandGlob(P("sub/**/*.csv")),
            (std::vector<std::string>{P("sub/d.csv"), P("sub/deeper/e.csv")}));
  EXPECT_EQ(ExpandGlob(P("**/e.csv")), (std::vector<std::string>{P("sub/deeper/e.csv")}));
  // Directory names with glob characters are matched literally below "**".
  EXPECT_EQ(ExpandGlob(P("**/g.csv")), (std::vector<std::string>{P("w[x]/g.csv")}));
  EXPECT_EQ(ExpandGlob(P("sub/**")),
            (std::vector<std::string>{P("sub/d.csv"), P("sub/deeper/e.csv")}));
  EXPECT_EQ(ExpandGlob(P("s*/**/e.csv")), (std::vector<std::string>{P("sub/deeper/e.csv")}));
}

TEST_F(FileGlobTest, RelativeDoubleStar) {
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());
  std::vector<std::string> found;
  try {
    found = ExpandGlob("**/*.txt");
  } catch (...) {
    std::filesystem::current_path(old);
    throw;
  }
  std::filesystem::current_path(old);
  EXPECT_EQ(found, std::vector<std::string>{"c.txt"});
}

TEST_F(FileGlobTest, NoMatch) {
  std::string pattern = P("*.parquet");
  ExpectError([&] { ExpandGlob(pattern); }, sqlstate::kUndefinedFile,
              "No files found that match the pattern \"" + pattern + "\"");
  ExpectError([&] { ExpandGlob(P("missing/**/*.csv")); }, sqlstate::kUndefinedFile,
              "No files found that match the pattern \"" + P("missing/**/*.csv") + "\"");
}

TEST_F(FileGlobTest, FileWhoseNameLooksLikeAPattern) {
  std::string odd = dir_.Write("x[1].csv", "1\n");
  EXPECT_EQ(ExpandGlob(odd), std::vector<std::string>{odd});
}

TEST_F(FileGlobTest, HasGlobCharacters) {
  EXPECT_FALSE(HasGlobCharacters("/data/lineitem.tbl"));
  EXPECT_TRUE(HasGlobCharacters("/data/*.tbl"));
  EXPECT_TRUE(HasGlobCharacters("a?.csv"));
  EXPECT_TRUE(HasGlobCharacters("a[12].csv"));
}

}  // namespace
}  // namespace basalt
