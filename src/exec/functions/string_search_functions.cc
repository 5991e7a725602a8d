// String functions that search for a substring: replace, position / strpos,
// starts_with, ends_with, split_part.
//
// strpos takes (string, substring); position takes (substring, string), the
// order of SQL's POSITION(sub IN str), which the parser passes through as is.
#include <cstring>
#include <string_view>

#include "common/exception.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/register_functions.h"
#include "exec/functions/utf8.h"

namespace basalt {

namespace {

// Byte offset of `needle` in `haystack`, or npos. memmem is glibc's two-way
// search: linear time whatever the input.
size_t FindBytes(std::string_view haystack, std::string_view needle, size_t from = 0) {
  if (needle.empty()) return from <= haystack.size() ? from : std::string_view::npos;
  if (from >= haystack.size()) return std::string_view::npos;
  const void* hit =
      memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  if (hit == nullptr) return std::string_view::npos;
  return static_cast<const char*>(hit) - haystack.data();
}

void ReplaceKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  TernaryExecute<StringRef, StringRef, StringRef, StringRef>(
      args[0], args[1], args[2], sel, count, result,
      [&](const StringRef& s, const StringRef& from, const StringRef& to) {
        std::string_view v = s.view(), f = from.view(), t = to.view();
        size_t hit = FindBytes(v, f);
        if (f.empty() || hit == std::string_view::npos) return s;
        thread_local std::string buf;
        buf.clear();
        size_t pos = 0;
        while (hit != std::string_view::npos) {
          buf.append(v.substr(pos, hit - pos)).append(t);
          pos = hit + f.size();
          hit = FindBytes(v, f, pos);
        }
        buf.append(v.substr(pos));
        return result.AddString(buf);
      });
}

// 1-based character position of the first occurrence, 0 when absent.
int32_t CharPosition(const StringRef& s, const StringRef& sub) {
  std::string_view v = s.view();
  size_t hit = FindBytes(v, sub.view());
  if (hit == std::string_view::npos) return 0;
  return static_cast<int32_t>(Utf8Length(v.substr(0, hit)) + 1);
}

void StrposKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
  BinaryExecute<StringRef, StringRef, int32_t>(args[0], args[1], sel, count, result, &CharPosition);
}

void PositionKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  BinaryExecute<StringRef, StringRef, int32_t>(
      args[0], args[1], sel, count, result,
      [](const StringRef& sub, const StringRef& s) { return CharPosition(s, sub); });
}

void StartsWithKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData*, Vector& result) {
  BinaryExecute<StringRef, StringRef, bool>(args[0], args[1], sel, count, result,
                                            [](const StringRef& s, const StringRef& prefix) {
                                              return s.view().starts_with(prefix.view());
                                            });
}

void EndsWithKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  BinaryExecute<StringRef, StringRef, bool>(args[0], args[1], sel, count, result,
                                            [](const StringRef& s, const StringRef& suffix) {
                                              return s.view().ends_with(suffix.view());
                                            });
}

// split_part(s, delimiter, n): the n-th field (1-based); n < 0 counts from
// the end; n = 0 is an error (PostgreSQL 14+). A missing field is ''.
StringRef SplitPart(const StringRef& s, std::string_view delimiter, int64_t n) {
  std::string_view v = s.view();
  if (n == 0) {
    throw BasaltError(sqlstate::kInvalidParameterValue, "field position must not be zero");
  }
  if (delimiter.empty()) return (n == 1 || n == -1) ? s : StringRef();
  if (n > 0) {
    size_t begin = 0;
    for (int64_t field = 1; field < n; field++) {
      size_t hit = FindBytes(v, delimiter, begin);
      if (hit == std::string_view::npos) return StringRef();
      begin = hit + delimiter.size();
    }
    size_t end = FindBytes(v, delimiter, begin);
    if (end == std::string_view::npos) end = v.size();
    return StringRef(s.data() + begin, static_cast<uint32_t>(end - begin));
  }
  // From the end: collect field starts by scanning forward once.
  std::vector<size_t> starts = {0};
  for (size_t hit = FindBytes(v, delimiter); hit != std::string_view::npos;
       hit = FindBytes(v, delimiter, hit + delimiter.size())) {
    starts.push_back(hit + delimiter.size());
  }
  int64_t fields = static_cast<int64_t>(starts.size());
  if (-n > fields) return StringRef();
  size_t index = static_cast<size_t>(fields + n);
  size_t begin = starts[index];
  size_t end = index + 1 < starts.size() ? starts[index + 1] - delimiter.size() : v.size();
  return StringRef(s.data() + begin, static_cast<uint32_t>(end - begin));
}

void SplitPartKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  TernaryExecute<StringRef, StringRef, int64_t, StringRef>(
      args[0], args[1], args[2], sel, count, result,
      [](const StringRef& s, const StringRef& delimiter, int64_t n) {
        return SplitPart(s, delimiter.view(), n);
      });
}

}  // namespace

void RegisterStringSearchFunctions(FunctionRegistry& registry) {
  const LogicalType text = TypeId::kVarchar, integer = TypeId::kInteger, big = TypeId::kBigint;
  const LogicalType boolean = TypeId::kBoolean;
  registry.AddScalar("replace", FixedBinder({text, text, text}, text, &ReplaceKernel));
  registry.AddScalar("position", FixedBinder({text, text}, integer, &PositionKernel));
  registry.AddScalar("strpos", FixedBinder({text, text}, integer, &StrposKernel));
  registry.AddScalar("starts_with", FixedBinder({text, text}, boolean, &StartsWithKernel));
  registry.AddScalar("ends_with", FixedBinder({text, text}, boolean, &EndsWithKernel));
  registry.AddScalar("split_part", FixedBinder({text, text, big}, text, &SplitPartKernel));
}

}  // namespace basalt
