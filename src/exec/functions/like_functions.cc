// "like", "not_like", "ilike", "not_ilike" with arguments (string, pattern
// [, escape]). A constant pattern (the usual case) is compiled once at bind
// time and shared by every thread; otherwise each row's pattern is compiled,
// reusing the previous row's compilation when the pattern repeats.
#include <memory>
#include <optional>

#include "exec/functions/bind_helpers.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/like_matcher.h"
#include "exec/functions/pattern_cache.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct LikeData : FunctionData {
  explicit LikeData(LikeMatcher m) : matcher(std::move(m)) {}
  LikeMatcher matcher;
};

constexpr std::string_view kDefaultEscape = "\\";

template <bool kNegate, bool kCaseInsensitive>
void LikeKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData* data, Vector& result) {
  if (data != nullptr) {
    const LikeMatcher& matcher = DataAs<LikeData>(data).matcher;
    // The pattern (and escape) were non-NULL constants when bound.
    UnaryExecute<StringRef, bool>(args[0], sel, count, result, [&matcher](const StringRef& s) {
      return matcher.Matches(s.view()) != kNegate;
    });
    return;
  }
  PatternCache<LikeMatcher> cache;
  auto compile = [](std::string_view pattern, std::string_view escape) {
    return std::make_unique<LikeMatcher>(pattern, escape, kCaseInsensitive);
  };
  if (args.size() == 2) {
    BinaryExecute<StringRef, StringRef, bool>(
        args[0], args[1], sel, count, result, [&](const StringRef& s, const StringRef& p) {
          return cache.Get(p.view(), kDefaultEscape, compile).Matches(s.view()) != kNegate;
        });
    return;
  }
  TernaryExecute<StringRef, StringRef, StringRef, bool>(
      args[0], args[1], args[2], sel, count, result,
      [&](const StringRef& s, const StringRef& p, const StringRef& escape) {
        return cache.Get(p.view(), escape.view(), compile).Matches(s.view()) != kNegate;
      });
}

template <bool kNegate, bool kCaseInsensitive>
ScalarBinder LikeBinder() {
  return [](const std::vector<LogicalType>& args,
            const std::vector<const Value*>& constants) -> std::optional<BoundScalarFunction> {
    if (args.size() != 2 && args.size() != 3) return std::nullopt;
    for (const LogicalType& t : args) {
      if (!IsVarcharOrNull(t)) return std::nullopt;
    }
    std::shared_ptr<const FunctionData> data;
    const std::string* pattern = ConstantString(constants, 1);
    const std::string* escape = args.size() == 3 ? ConstantString(constants, 2) : nullptr;
    if (pattern != nullptr && (args.size() == 2 || escape != nullptr)) {
      std::string_view esc = escape != nullptr ? std::string_view(*escape) : kDefaultEscape;
      data = std::make_shared<LikeData>(LikeMatcher(*pattern, esc, kCaseInsensitive));
    }
    const LogicalType text = TypeId::kVarchar;
    return MakeScalar("", std::vector<LogicalType>(args.size(), text), TypeId::kBoolean,
                      &LikeKernel<kNegate, kCaseInsensitive>, std::move(data));
  };
}

}  // namespace

void RegisterLikeFunctions(FunctionRegistry& registry) {
  registry.AddScalar("like", LikeBinder<false, false>());
  registry.AddScalar("not_like", LikeBinder<true, false>());
  registry.AddScalar("ilike", LikeBinder<false, true>());
  registry.AddScalar("not_ilike", LikeBinder<true, true>());
}

}  // namespace basalt
