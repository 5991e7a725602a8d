#include "storage/external_location.h"

#include <gtest/gtest.h>

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"

namespace basalt {
namespace {

using testing::TempDir;

TEST(ExternalLocationTest, DirectoryIsWalkedForTheFormat) {
  TempDir dir;
  dir.Write("b.parquet", "x");
  dir.Write("year=2024/month=1/a.PARQUET", "x");
  dir.Write("year=2023/c.parquet", "x");
  dir.Write("notes.csv", "x");
  dir.Write("_SUCCESS", "");
  dir.Write("_tmp/d.parquet", "x");
  dir.Write(".staging/e.parquet", "x");
  dir.Write(".hidden.parquet", "x");
  std::filesystem::create_directories(dir.path() + "/empty");
  const std::string root = dir.path();
  EXPECT_EQ(ListExternalFiles(root, "parquet"),
            (std::vector<std::string>{root + "/b.parquet", root + "/year=2023/c.parquet",
                                      root + "/year=2024/month=1/a.PARQUET"}));
  // A trailing slash gives the same paths.
  EXPECT_EQ(ListExternalFiles(root + "/", "parquet").size(), 3u);
  EXPECT_EQ(ListExternalFiles(root, "csv"), (std::vector<std::string>{root + "/notes.csv"}));
  EXPECT_TRUE(ListExternalFiles(root, "json").empty());
  EXPECT_TRUE(ListExternalFiles(root + "/empty", "parquet").empty());
}

TEST(ExternalLocationTest, FilesAndGlobs) {
  TempDir dir;
  dir.Write("a.json", "{}");
  dir.Write("b.jsonl", "{}");
  const std::string root = dir.path();
  // A file is itself whatever its name; a glob is ExpandGlob's.
  EXPECT_EQ(ListExternalFiles(root + "/a.json", "parquet"),
            (std::vector<std::string>{root + "/a.json"}));
  EXPECT_EQ(ListExternalFiles(root + "/*.json*", "json").size(), 2u);
  try {
    ListExternalFiles(root + "/none_*.json", "json");
    FAIL() << "expected 58P01";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kUndefinedFile);
  }
  try {
    ListExternalFiles(root + "/missing", "json");
    FAIL() << "expected 58P01";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kUndefinedFile);
  }
}

// A subdirectory that cannot be opened must fail the listing: silently
// skipping it (and everything the walk had not reached yet) would give a
// table with some of its rows missing. libstdc++ turns a failed step of the
// iterator into the end iterator, so the error is only seen by checking
// after each increment.
//
// chmod 000 does not stop root, and tests often run as root, so the walk
// runs in a child process that first drops to the unprivileged user nobody
// (65534) when it is root. If it cannot drop, the test is skipped.
TEST(ExternalLocationTest, UnreadableSubdirectoryIsAnError) {
  TempDir dir;
  dir.Write("a/x.parquet", "x");
  dir.Write("b/y.parquet", "x");
  dir.Write("c/z.parquet", "x");
  const std::string root = dir.path();
  const std::string unreadable = root + "/b";
  ASSERT_EQ(::chmod(root.c_str(), 0755), 0);  // mkdtemp makes it 0700
  ASSERT_EQ(::chmod(unreadable.c_str(), 0), 0);
  // Exit codes of the child: 0 the expected error, 1 no error, 2 another
  // error, 3 could not drop privileges.
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      ::_exit(3);
    }
    try {
      ListExternalFiles(root, "parquet");
    } catch (const BasaltError& e) {
      const std::string message = e.what();
      const bool expected = std::string(e.code()) == sqlstate::kIoError &&
                            message.find(unreadable) != std::string::npos;
      ::_exit(expected ? 0 : 2);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::chmod(unreadable.c_str(), 0755);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "cannot drop root privileges to user nobody";
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << (WEXITSTATUS(status) == 1 ? "the listing succeeded, missing the unreadable directory"
                                   : "the listing raised another error than 58030 naming it");
}

TEST(ExternalLocationTest, Extensions) {
  EXPECT_TRUE(HasFormatExtension("x/a.csv.gz", "csv"));
  EXPECT_TRUE(HasFormatExtension("a.TBL", "csv"));
  EXPECT_TRUE(HasFormatExtension("a.ndjson", "json"));
  EXPECT_FALSE(HasFormatExtension("a.parquet.tmp", "parquet"));
  EXPECT_FALSE(HasFormatExtension("a.json", "csv"));
}

}  // namespace
}  // namespace basalt
