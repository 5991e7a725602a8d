#include "server/user_table.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

TEST(UserTableTest, PasswordsAndVerifiers) {
  std::string salt(16, 's');
  std::string verifier = FormatScramVerifier(MakeScramVerifier("pw", salt, 4096));
  std::string error;
  auto table = UserTable::Parse("# users\n\nalice:a:b:c\r\nbob:" + verifier + "\n", "f", &error);
  ASSERT_NE(table, nullptr) << error;
  EXPECT_EQ(table->size(), 2u);
  bool exists = false;
  // A plain password becomes a verifier with a fresh salt; it verifies "a:b:c".
  ScramVerifier alice = table->Find("alice", &exists);
  EXPECT_TRUE(exists);
  EXPECT_EQ(alice.iterations, kScramDefaultIterations);
  EXPECT_EQ(alice.salt.size(), kScramSaltLength);
  EXPECT_EQ(alice.stored_key, MakeScramVerifier("a:b:c", alice.salt).stored_key);
  ScramVerifier bob = table->Find("bob", &exists);
  EXPECT_TRUE(exists);
  EXPECT_EQ(FormatScramVerifier(bob), verifier);
  // Unknown users get a mock verifier, the same each time.
  ScramVerifier mock = table->Find("carol", &exists);
  EXPECT_FALSE(exists);
  EXPECT_EQ(mock.salt, table->Find("carol", &exists).salt);
  EXPECT_NE(mock.salt, table->Find("dave", &exists).salt);
}

TEST(UserTableTest, MalformedFiles) {
  std::string error;
  EXPECT_EQ(UserTable::Parse("alice\n", "users", &error), nullptr);
  EXPECT_EQ(error, "users:1: expected user:password or user:SCRAM-SHA-256$...");
  EXPECT_EQ(UserTable::Parse(":pw\n", "users", &error), nullptr);
  EXPECT_EQ(UserTable::Parse("a:x\n#\na:y\n", "users", &error), nullptr);
  EXPECT_EQ(error, "users:3: user \"a\" appears twice");
  EXPECT_EQ(UserTable::Parse("a:\n", "users", &error), nullptr);
  EXPECT_NE(error.find("empty password"), std::string::npos);
  EXPECT_EQ(UserTable::Parse("a:SCRAM-SHA-256$1:x\n", "users", &error), nullptr);
  EXPECT_NE(error.find("users:1: invalid SCRAM-SHA-256 verifier"), std::string::npos);
  EXPECT_EQ(UserTable::Load("/nonexistent/users", &error), nullptr);
  EXPECT_NE(error.find("cannot read users file"), std::string::npos);
  auto empty = UserTable::Parse("", "users", &error);
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->size(), 0u);
}

}  // namespace
}  // namespace basalt
