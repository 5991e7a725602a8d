// The compiled pattern of a pattern-matching kernel (LIKE, regular
// expressions) whose pattern is not a constant: each row's pattern is
// compiled, keeping the last compilation, since a column of patterns often
// repeats one. A constant pattern is compiled once at bind time instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace basalt {

// One per kernel call (single-threaded). `Matcher` is the compiled form.
template <typename Matcher>
class PatternCache {
 public:
  // The matcher for `pattern` (and `escape`, for LIKE; empty where there is
  // none), from `compile(pattern, escape)` -- returning a
  // std::unique_ptr<Matcher> -- unless the previous call's was for the same.
  // When `compile` throws, the cache is unchanged.
  template <typename Compile>
  const Matcher& Get(std::string_view pattern, std::string_view escape, Compile&& compile) {
    if (!matcher_ || pattern != pattern_ || escape != escape_) {
      matcher_ = compile(pattern, escape);
      pattern_.assign(pattern);
      escape_.assign(escape);
    }
    return *matcher_;
  }

 private:
  std::unique_ptr<Matcher> matcher_;
  std::string pattern_;
  std::string escape_;
};

}  // namespace basalt
