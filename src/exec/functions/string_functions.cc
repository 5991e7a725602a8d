// String functions that build or cut strings: "||", concat, concat_ws, upper,
// lower, length / char_length / character_length, octet_length, substring /
// substr, left, right, trim / btrim / ltrim / rtrim, lpad, rpad, reverse,
// repeat, ascii, chr, md5. Lengths and positions count UTF-8 characters.
//
// Functions that return part of their input (substring, left, right, trim)
// point into the input's bytes instead of copying them: the result vector
// keeps the input's string heap alive (Vector::KeepAlive).
#include <algorithm>
#include <limits>

#include "exec/functions/bind_helpers.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/md5.h"
#include "exec/functions/register_functions.h"
#include "exec/functions/utf8.h"

namespace basalt {

namespace {

// Results built from pieces are assembled here, then copied into the
// result's heap (Vector offers no way to reserve heap bytes and fill them).
std::string& Scratch() {
  thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

// PostgreSQL refuses to build strings past 1 GB; so do we, before allocating.
constexpr int64_t kMaxStringBytes = int64_t{1} << 30;

void CheckResultSize(int64_t bytes) {
  if (bytes > kMaxStringBytes) {
    throw BasaltError(sqlstate::kProgramLimitExceeded, "requested length too large");
  }
}

// Bytes [begin, end) of `s`, without copying when the slice is long enough to
// live outside the StringRef (the caller keeps the input alive).
StringRef Slice(const StringRef& s, size_t begin, size_t end) {
  return StringRef(s.data() + begin, static_cast<uint32_t>(end - begin));
}

// ------------------------------------------------------------------ concat

void ConcatOperatorKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                          const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  result.KeepAlive(args[1]);
  BinaryExecute<StringRef, StringRef, StringRef>(args[0], args[1], sel, count, result,
                                                 [&](const StringRef& a, const StringRef& b) {
                                                   if (a.size() == 0) return b;
                                                   if (b.size() == 0) return a;
                                                   std::string& buf = Scratch();
                                                   buf.append(a.view()).append(b.view());
                                                   return result.AddString(buf);
                                                 });
}

// concat() skips NULLs; its result is never NULL.
void ConcatKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
  ArgumentReader reader(args, count);
  StringRef* out = result.Data<StringRef>();
  ForEachRow(sel, count, [&](uint32_t row) {
    std::string& buf = Scratch();
    for (size_t k = 0; k < reader.size(); k++) {
      if (reader.IsValid(k, row)) buf.append(reader.Get<StringRef>(k, row).view());
    }
    out[row] = result.AddString(buf);
  });
}

// concat_ws(separator, ...): NULL separator gives NULL; NULL values are skipped.
void ConcatWsKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  ArgumentReader reader(args, count);
  StringRef* out = result.Data<StringRef>();
  ForEachRow(sel, count, [&](uint32_t row) {
    if (!reader.IsValid(0, row)) {
      result.SetNull(row);
      return;
    }
    std::string_view separator = reader.Get<StringRef>(0, row).view();
    std::string& buf = Scratch();
    bool first = true;
    for (size_t k = 1; k < reader.size(); k++) {
      if (!reader.IsValid(k, row)) continue;
      if (!first) buf.append(separator);
      buf.append(reader.Get<StringRef>(k, row).view());
      first = false;
    }
    out[row] = result.AddString(buf);
  });
}

// ------------------------------------------------------------- case, length

template <bool kUpper>
void CaseKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&](const StringRef& s) {
    std::string& buf = Scratch();
    if (kUpper) {
      AppendUpper(s.view(), &buf);
    } else {
      AppendLower(s.view(), &buf);
    }
    return result.AddString(buf);
  });
}

void LengthKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, int32_t>(args[0], sel, count, result, [](const StringRef& s) {
    return static_cast<int32_t>(Utf8Length(s.view()));
  });
}

void OctetLengthKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, int32_t>(args[0], sel, count, result, [](const StringRef& s) {
    return static_cast<int32_t>(s.size());
  });
}

// --------------------------------------------------------------- substring

// Characters [start, start + length) with 1-based `start`, as PostgreSQL:
// positions before 1 shorten the result instead of shifting it, so
// substring('hello', 0, 3) = 'he'. A negative `length` means "to the end".
StringRef SubstringChars(const StringRef& s, int64_t start, int64_t length) {
  int64_t end;  // exclusive, in characters
  if (length < 0 || __builtin_add_overflow(start, length, &end)) {
    end = std::numeric_limits<int64_t>::max();
  }
  int64_t first = std::max<int64_t>(start, 1);
  if (end <= first) return StringRef();
  std::string_view v = s.view();
  size_t begin = Utf8Advance(v, 0, first - 1);
  size_t stop =
      end == std::numeric_limits<int64_t>::max() ? v.size() : Utf8Advance(v, begin, end - first);
  return Slice(s, begin, stop);
}

void SubstringFromKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  BinaryExecute<StringRef, int64_t, StringRef>(
      args[0], args[1], sel, count, result,
      [](const StringRef& s, int64_t start) { return SubstringChars(s, start, -1); });
}

void SubstringKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  TernaryExecute<StringRef, int64_t, int64_t, StringRef>(
      args[0], args[1], args[2], sel, count, result,
      [](const StringRef& s, int64_t start, int64_t length) {
        if (length < 0) {
          throw BasaltError(sqlstate::kSubstringError, "negative substring length not allowed");
        }
        return SubstringChars(s, start, length);
      });
}

// left(s, n): the first n characters; with n < 0, all but the last -n.
void LeftKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  BinaryExecute<StringRef, int64_t, StringRef>(args[0], args[1], sel, count, result,
                                               [](const StringRef& s, int64_t n) {
                                                 std::string_view v = s.view();
                                                 if (n < 0)
                                                   n = std::max<int64_t>(0, Utf8Length(v) + n);
                                                 return Slice(s, 0, Utf8Advance(v, 0, n));
                                               });
}

// right(s, n): the last n characters; with n < 0, all but the first -n.
void RightKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  BinaryExecute<StringRef, int64_t, StringRef>(
      args[0], args[1], sel, count, result, [](const StringRef& s, int64_t n) {
        std::string_view v = s.view();
        int64_t length = Utf8Length(v);
        int64_t skip = n < 0 ? std::min(length, -n) : std::max<int64_t>(0, length - n);
        return Slice(s, Utf8Advance(v, 0, skip), v.size());
      });
}

// -------------------------------------------------------------------- trim

// The characters trim removes: a bitmap when they are all ASCII (the usual
// case), else a list of code points.
class TrimSet {
 public:
  explicit TrimSet(std::string_view chars) {
    ascii_ = IsAscii(chars);
    if (ascii_) {
      for (char c : chars) bits_[static_cast<uint8_t>(c)] = true;
      return;
    }
    for (size_t i = 0; i < chars.size();) {
      int n;
      code_points_.push_back(Utf8Decode(chars, i, &n));
      i += n;
    }
  }
  // Bytes of the removable character at v[i], or 0 when it is kept.
  int MatchAt(std::string_view v, size_t i) const {
    if (ascii_) return bits_[static_cast<uint8_t>(v[i])] ? 1 : 0;
    int n;
    char32_t cp = Utf8Decode(v, i, &n);
    return std::find(code_points_.begin(), code_points_.end(), cp) != code_points_.end() ? n : 0;
  }

 private:
  bool ascii_ = true;
  bool bits_[256] = {};
  std::vector<char32_t> code_points_;
};

struct TrimData : FunctionData {
  explicit TrimData(std::string_view chars) : set(chars) {}
  TrimSet set;
};

template <bool kLeft, bool kRight>
StringRef TrimWith(const StringRef& s, const TrimSet& set) {
  std::string_view v = s.view();
  size_t begin = 0, end = v.size();
  if (kLeft) {
    while (begin < end) {
      int n = set.MatchAt(v, begin);
      if (n == 0) break;
      begin += n;
    }
  }
  if (kRight) {
    while (end > begin) {
      size_t last = end - 1;
      while (last > begin && IsUtf8Continuation(static_cast<uint8_t>(v[last]))) last--;
      if (set.MatchAt(v, last) == 0) break;
      end = last;
    }
  }
  return Slice(s, begin, end);
}

const TrimSet& SpaceTrimSet() {
  static const TrimSet set(" ");
  return set;
}

template <bool kLeft, bool kRight>
void TrimSpacesKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  const TrimSet& set = SpaceTrimSet();
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&set](const StringRef& s) {
    return TrimWith<kLeft, kRight>(s, set);
  });
}

template <bool kLeft, bool kRight>
void TrimCharsKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData* data, Vector& result) {
  result.KeepAlive(args[0]);
  if (data != nullptr) {  // the characters were a constant: the set was built once
    const TrimSet& set = DataAs<TrimData>(data).set;
    BinaryExecute<StringRef, StringRef, StringRef>(
        args[0], args[1], sel, count, result,
        [&set](const StringRef& s, const StringRef&) { return TrimWith<kLeft, kRight>(s, set); });
    return;
  }
  BinaryExecute<StringRef, StringRef, StringRef>(
      args[0], args[1], sel, count, result, [](const StringRef& s, const StringRef& chars) {
        return TrimWith<kLeft, kRight>(s, TrimSet(chars.view()));
      });
}

template <bool kLeft, bool kRight>
ScalarBinder TrimBinder() {
  return [](const std::vector<LogicalType>& args,
            const std::vector<const Value*>& constants) -> std::optional<BoundScalarFunction> {
    const LogicalType text = TypeId::kVarchar;
    if (args.size() == 1 && IsVarcharOrNull(args[0])) {
      return MakeScalar("", {text}, text, &TrimSpacesKernel<kLeft, kRight>);
    }
    if (args.size() != 2 || !IsVarcharOrNull(args[0]) || !IsVarcharOrNull(args[1])) {
      return std::nullopt;
    }
    std::shared_ptr<const FunctionData> data;
    if (const std::string* chars = ConstantString(constants, 1)) {
      data = std::make_shared<TrimData>(*chars);
    }
    return MakeScalar("", {text, text}, text, &TrimCharsKernel<kLeft, kRight>, std::move(data));
  };
}

// ------------------------------------------------------------------- pad

// Pads to `length` characters with `fill` repeated, or truncates to it.
template <bool kLeft>
StringRef Pad(const StringRef& s, int64_t length, std::string_view fill, Vector& result) {
  if (length <= 0) return StringRef();
  std::string_view v = s.view();
  int64_t have = Utf8Length(v);
  if (have >= length || fill.empty()) return Slice(s, 0, Utf8Advance(v, 0, length));
  int64_t missing = length - have;
  CheckResultSize(missing * 4 + static_cast<int64_t>(v.size()));
  std::string& buf = Scratch();
  if (!kLeft) buf.append(v);
  size_t pos = 0;
  for (int64_t i = 0; i < missing; i++) {
    size_t n = Utf8SequenceLength(static_cast<uint8_t>(fill[pos]));
    n = std::min(n, fill.size() - pos);
    buf.append(fill.substr(pos, n));
    pos += n;
    if (pos >= fill.size()) pos = 0;
  }
  if (kLeft) buf.append(v);
  return result.AddString(buf);
}

template <bool kLeft>
void PadSpacesKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  BinaryExecute<StringRef, int64_t, StringRef>(
      args[0], args[1], sel, count, result,
      [&](const StringRef& s, int64_t length) { return Pad<kLeft>(s, length, " ", result); });
}

template <bool kLeft>
void PadKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
               const FunctionData*, Vector& result) {
  result.KeepAlive(args[0]);
  TernaryExecute<StringRef, int64_t, StringRef, StringRef>(
      args[0], args[1], args[2], sel, count, result,
      [&](const StringRef& s, int64_t length, const StringRef& fill) {
        return Pad<kLeft>(s, length, fill.view(), result);
      });
}

// ------------------------------------------------------- reverse, repeat

void ReverseKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&](const StringRef& s) {
    std::string_view v = s.view();
    std::string& buf = Scratch();
    buf.resize(v.size());
    // Copy each character's bytes, in order, to the mirrored position.
    size_t i = 0;
    while (i < v.size()) {
      size_t n = std::min<size_t>(Utf8SequenceLength(static_cast<uint8_t>(v[i])), v.size() - i);
      std::copy(v.begin() + i, v.begin() + i + n, buf.end() - i - n);
      i += n;
    }
    return result.AddString(buf);
  });
}

void RepeatKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
  BinaryExecute<StringRef, int64_t, StringRef>(
      args[0], args[1], sel, count, result, [&](const StringRef& s, int64_t n) {
        if (n <= 0 || s.size() == 0) return StringRef();
        int64_t bytes;
        if (__builtin_mul_overflow(n, static_cast<int64_t>(s.size()), &bytes)) {
          bytes = std::numeric_limits<int64_t>::max();
        }
        CheckResultSize(bytes);
        std::string& buf = Scratch();
        buf.reserve(bytes);
        for (int64_t i = 0; i < n; i++) buf.append(s.view());
        return result.AddString(buf);
      });
}

// ------------------------------------------------------ ascii, chr, md5

void AsciiKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, int32_t>(args[0], sel, count, result, [](const StringRef& s) {
    if (s.size() == 0) return int32_t{0};
    int n;
    return static_cast<int32_t>(Utf8Decode(s.view(), 0, &n));
  });
}

void ChrKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
               const FunctionData*, Vector& result) {
  UnaryExecute<int32_t, StringRef>(args[0], sel, count, result, [](int32_t cp) {
    if (cp < 0) {
      throw BasaltError(sqlstate::kProgramLimitExceeded, "character number must be positive");
    }
    if (cp == 0) throw BasaltError(sqlstate::kProgramLimitExceeded, "null character not permitted");
    if (cp > 0x10FFFF) {
      ThrowError(sqlstate::kProgramLimitExceeded, "requested character too large for encoding: {}",
                 cp);
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      ThrowError(sqlstate::kProgramLimitExceeded, "requested character not valid for encoding: {}",
                 cp);
    }
    char buf[4];
    int n = Utf8Encode(static_cast<char32_t>(cp), buf);
    return StringRef(buf, static_cast<uint32_t>(n));  // at most 4 bytes: stored inline
  });
}

void Md5Kernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
               const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&](const StringRef& s) {
    char hex[32];
    Md5Hex(s.view(), hex);
    return result.AddString(std::string_view(hex, sizeof(hex)));
  });
}

// --------------------------------------------------------------- binders

// "||" concatenates text; a non-text operand is cast to text, as PostgreSQL's
// anynonarray || text. Two non-text operands do not bind.
std::optional<BoundScalarFunction> BindConcatOperator(const std::vector<LogicalType>& args,
                                                      const std::vector<const Value*>&) {
  if (args.size() != 2) return std::nullopt;
  if (!IsVarchar(args[0]) && !IsVarchar(args[1])) {
    if (!(IsNullType(args[0]) && IsNullType(args[1]))) return std::nullopt;
  }
  for (const LogicalType& t : args) {
    if (!IsVarcharOrNull(t) && !BindCast(t, TypeId::kVarchar)) return std::nullopt;
  }
  const LogicalType text = TypeId::kVarchar;
  return MakeScalar("", {text, text}, text, &ConcatOperatorKernel);
}

// concat and concat_ws take any types; each is cast to text.
ScalarBinder VariadicTextBinder(size_t min_args, ScalarKernel kernel) {
  return
      [min_args, kernel](const std::vector<LogicalType>& args,
                         const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
        if (args.size() < min_args) return std::nullopt;
        for (const LogicalType& t : args) {
          if (!IsVarcharOrNull(t) && !BindCast(t, TypeId::kVarchar)) return std::nullopt;
        }
        const LogicalType text = TypeId::kVarchar;
        return MakeScalar("", std::vector<LogicalType>(args.size(), text), text, kernel);
      };
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  const LogicalType text = TypeId::kVarchar, integer = TypeId::kInteger, big = TypeId::kBigint;
  registry.AddScalar("||", &BindConcatOperator);
  registry.AddScalar("concat", VariadicTextBinder(1, &ConcatKernel));
  registry.AddScalar("concat_ws", VariadicTextBinder(2, &ConcatWsKernel));
  registry.AddScalar("upper", FixedBinder({text}, text, &CaseKernel<true>));
  registry.AddScalar("lower", FixedBinder({text}, text, &CaseKernel<false>));
  for (const char* name : {"length", "char_length", "character_length"}) {
    registry.AddScalar(name, FixedBinder({text}, integer, &LengthKernel));
  }
  registry.AddScalar("octet_length", FixedBinder({text}, integer, &OctetLengthKernel));
  for (const char* name : {"substring", "substr"}) {
    registry.AddScalar(name, FixedBinder({text, big}, text, &SubstringFromKernel));
    registry.AddScalar(name, FixedBinder({text, big, big}, text, &SubstringKernel));
  }
  registry.AddScalar("left", FixedBinder({text, big}, text, &LeftKernel));
  registry.AddScalar("right", FixedBinder({text, big}, text, &RightKernel));
  registry.AddScalar("trim", TrimBinder<true, true>());
  registry.AddScalar("btrim", TrimBinder<true, true>());
  registry.AddScalar("ltrim", TrimBinder<true, false>());
  registry.AddScalar("rtrim", TrimBinder<false, true>());
  registry.AddScalar("lpad", FixedBinder({text, big}, text, &PadSpacesKernel<true>));
  registry.AddScalar("lpad", FixedBinder({text, big, text}, text, &PadKernel<true>));
  registry.AddScalar("rpad", FixedBinder({text, big}, text, &PadSpacesKernel<false>));
  registry.AddScalar("rpad", FixedBinder({text, big, text}, text, &PadKernel<false>));
  registry.AddScalar("reverse", FixedBinder({text}, text, &ReverseKernel));
  registry.AddScalar("repeat", FixedBinder({text, big}, text, &RepeatKernel));
  registry.AddScalar("ascii", FixedBinder({text}, integer, &AsciiKernel));
  registry.AddScalar("chr", FixedBinder({integer}, text, &ChrKernel));
  registry.AddScalar("md5", FixedBinder({text}, text, &Md5Kernel));
}

}  // namespace basalt
