// Helpers shared by the CSV and file glob tests: a scratch directory that is
// removed afterwards (common/temp_dir_test_util.h), and a check on a
// BasaltError's code and message.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"

namespace basalt::testing {

// Runs `f` and checks that it throws a BasaltError with this SQLSTATE and a
// message equal to `message`.
template <typename F>
void ExpectError(F&& f, const char* code, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "expected error " << code << ": " << message;
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), code) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace basalt::testing
