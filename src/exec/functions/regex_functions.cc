// The POSIX regular expression match operators "~", "!~", "~*", "!~*"
// (string, pattern), matched with RE2: linear time in the input whatever the
// pattern, so a client's pattern cannot stall a worker. RE2 covers the
// subset of PostgreSQL's regular expressions catalog queries and most users
// write (anchors, classes, groups, alternation, repetition, \d \w \s);
// back-references and lookaround are rejected as invalid (2201B), not
// silently matched differently. A constant pattern is compiled once at bind
// time; otherwise each row's pattern is compiled, reusing the previous row's
// when it repeats.
#include <re2/re2.h>

#include <memory>
#include <optional>

#include "common/exception.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/pattern_cache.h"
#include "exec/functions/register_functions.h"

namespace basalt {
namespace {

std::unique_ptr<RE2> CompileRegex(std::string_view pattern, bool case_insensitive) {
  RE2::Options options;
  options.set_case_sensitive(!case_insensitive);
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    ThrowError(sqlstate::kInvalidRegularExpression, "invalid regular expression: {}", re->error());
  }
  return re;
}

struct RegexData : FunctionData {
  std::unique_ptr<RE2> re;
};

bool Matches(const RE2& re, const StringRef& s) {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), re);
}

template <bool kNegate, bool kCaseInsensitive>
void RegexKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData* data, Vector& result) {
  if (data != nullptr) {
    const RE2& re = *DataAs<RegexData>(data).re;
    UnaryExecute<StringRef, bool>(args[0], sel, count, result,
                                  [&re](const StringRef& s) { return Matches(re, s) != kNegate; });
    return;
  }
  PatternCache<RE2> cache;
  auto compile = [](std::string_view pattern, std::string_view) {
    return CompileRegex(pattern, kCaseInsensitive);
  };
  BinaryExecute<StringRef, StringRef, bool>(
      args[0], args[1], sel, count, result, [&](const StringRef& s, const StringRef& p) {
        return Matches(cache.Get(p.view(), {}, compile), s) != kNegate;
      });
}

template <bool kNegate, bool kCaseInsensitive>
ScalarBinder RegexBinder() {
  return [](const std::vector<LogicalType>& args,
            const std::vector<const Value*>& constants) -> std::optional<BoundScalarFunction> {
    if (args.size() != 2 || !IsVarcharOrNull(args[0]) || !IsVarcharOrNull(args[1])) {
      return std::nullopt;
    }
    std::shared_ptr<const FunctionData> data;
    if (const std::string* pattern = ConstantString(constants, 1)) {
      auto compiled = std::make_shared<RegexData>();
      compiled->re = CompileRegex(*pattern, kCaseInsensitive);
      data = std::move(compiled);
    }
    const LogicalType text = TypeId::kVarchar;
    return MakeScalar("", {text, text}, TypeId::kBoolean, &RegexKernel<kNegate, kCaseInsensitive>,
                      std::move(data));
  };
}

}  // namespace

void RegisterRegexFunctions(FunctionRegistry& registry) {
  registry.AddScalar("~", RegexBinder<false, false>());
  registry.AddScalar("!~", RegexBinder<true, false>());
  registry.AddScalar("~*", RegexBinder<false, true>());
  registry.AddScalar("!~*", RegexBinder<true, true>());
}

}  // namespace basalt
