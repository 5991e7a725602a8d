#include "shell/meta_command.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

TEST(MetaCommandTest, Recognises) {
  EXPECT_TRUE(IsMetaCommand(".quit\n"));
  EXPECT_TRUE(IsMetaCommand("  .mode csv"));
  EXPECT_TRUE(IsMetaCommand("\\q"));
  EXPECT_FALSE(IsMetaCommand("select 1;"));
  EXPECT_FALSE(IsMetaCommand("   \n"));
  EXPECT_FALSE(IsMetaCommand(""));
}

TEST(MetaCommandTest, SplitsWords) {
  MetaCommand command = ParseMetaCommand("  .mode   csv \n");
  EXPECT_EQ(command.name, ".mode");
  EXPECT_EQ(command.args, std::vector<std::string>{"csv"});
  command = ParseMetaCommand(".timer on;\n");
  EXPECT_EQ(command.name, ".timer");
  EXPECT_EQ(command.args, std::vector<std::string>{"on"});
  command = ParseMetaCommand(".quit;");
  EXPECT_EQ(command.name, ".quit");
  EXPECT_TRUE(command.args.empty());
}

}  // namespace
}  // namespace basalt
