// Date and time functions: extract / date_part, date_trunc, year, month, day,
// make_date, current_date, now / current_timestamp / localtimestamp.
//
// extract(field FROM x) and date_part('field', x) take DATE, TIMESTAMP or
// INTERVAL. They return BIGINT for integral fields (year, month, day,
// quarter, dow, isodow, doy, week, isoyear, hour, minute, microsecond,
// decade, century, millennium) and DOUBLE for second, millisecond and epoch.
// PostgreSQL returns numeric for all of them; BIGINT lets
// `extract(year from d)` group and print as an integer. When the field is not
// a constant the result type cannot depend on it, so it is DOUBLE.
//
// now() and current_date are read once when the query is bound, so every row
// and every batch of a statement sees the same instant, as in PostgreSQL.
#include <chrono>
#include <ctime>

#include "common/date_time.h"
#include "common/exception.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/date_parts.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct DatePartData : FunctionData {
  DatePart part = DatePart::kYear;
};

// DATE inputs read as midnight of their day.
template <typename In>
int64_t AsMicros(In v) {
  if constexpr (std::is_same_v<In, int32_t>) {
    return static_cast<int64_t>(v) * kMicrosPerDay;
  } else {
    return v;
  }
}

template <typename In, typename Out>
void ExtractKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData* data, Vector& result) {
  // The field was a non-NULL constant when bound: only the source is read.
  const DatePart part = DataAs<DatePartData>(data).part;
  UnaryExecute<In, Out>(args[1], sel, count, result, [part](const In& v) -> Out {
    if constexpr (std::is_same_v<In, Interval>) {
      if constexpr (std::is_same_v<Out, double>) {
        return ExtractIntervalDouble(part, v);
      } else {
        return ExtractIntervalIntegral(part, v);
      }
    } else {
      if constexpr (std::is_same_v<Out, double>) {
        return ExtractDouble(part, AsMicros(v));
      } else {
        return ExtractIntegral(part, AsMicros(v));
      }
    }
  });
}

// The field varies by row: parse it each time (the last parse is reused).
template <typename In>
void ExtractAnyFieldKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                           const FunctionData*, Vector& result) {
  std::string last_name;
  DatePart part = DatePart::kYear;
  BinaryExecute<StringRef, In, double>(args[0], args[1], sel, count, result,
                                       [&](const StringRef& name, const In& v) {
                                         if (last_name.empty() || name.view() != last_name) {
                                           part = DatePartFromNameOrThrow(name.view());
                                           if constexpr (std::is_same_v<In, Interval>)
                                             CheckIntervalPart(part, name.view());
                                           last_name.assign(name.view());
                                         }
                                         if constexpr (std::is_same_v<In, Interval>) {
                                           return ExtractIntervalDouble(part, v);
                                         } else {
                                           return ExtractDouble(part, AsMicros(v));
                                         }
                                       });
}

std::optional<BoundScalarFunction> BindExtract(const std::vector<LogicalType>& args,
                                               const std::vector<const Value*>& constants) {
  if (args.size() != 2 || !IsVarcharOrNull(args[0])) return std::nullopt;
  LogicalType source = IsNullType(args[1]) ? LogicalType(TypeId::kTimestamp) : args[1];
  TypeId id = source.id();
  if (id != TypeId::kDate && id != TypeId::kTimestamp && id != TypeId::kInterval) {
    return std::nullopt;
  }
  const LogicalType text = TypeId::kVarchar;
  const std::string* name = ConstantString(constants, 0);
  if (name == nullptr) {
    ScalarKernel kernel = id == TypeId::kDate        ? &ExtractAnyFieldKernel<int32_t>
                          : id == TypeId::kTimestamp ? &ExtractAnyFieldKernel<int64_t>
                                                     : &ExtractAnyFieldKernel<Interval>;
    return MakeScalar("", {text, source}, TypeId::kDouble, kernel);
  }
  auto data = std::make_shared<DatePartData>();
  data->part = DatePartFromNameOrThrow(*name);
  if (id == TypeId::kInterval) CheckIntervalPart(data->part, *name);
  bool integral = DatePartIsIntegral(data->part);
  ScalarKernel kernel;
  if (id == TypeId::kDate) {
    kernel = integral ? &ExtractKernel<int32_t, int64_t> : &ExtractKernel<int32_t, double>;
  } else if (id == TypeId::kTimestamp) {
    kernel = integral ? &ExtractKernel<int64_t, int64_t> : &ExtractKernel<int64_t, double>;
  } else {
    kernel = integral ? &ExtractKernel<Interval, int64_t> : &ExtractKernel<Interval, double>;
  }
  return MakeScalar("", {text, source}, integral ? TypeId::kBigint : TypeId::kDouble, kernel,
                    std::move(data));
}

// year(x), month(x), day(x): extract shortcuts for DATE or TIMESTAMP.
template <DatePart kPart, typename In>
void PartShortcutKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                        const FunctionData*, Vector& result) {
  UnaryExecute<In, int64_t>(args[0], sel, count, result,
                            [](In v) { return ExtractIntegral(kPart, AsMicros(v)); });
}

template <DatePart kPart>
ScalarBinder PartShortcutBinder() {
  return [](const std::vector<LogicalType>& args,
            const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
    if (args.size() != 1) return std::nullopt;
    if (args[0].id() == TypeId::kDate) {
      return MakeScalar("", {args[0]}, TypeId::kBigint, &PartShortcutKernel<kPart, int32_t>);
    }
    if (args[0].id() == TypeId::kTimestamp || IsNullType(args[0])) {
      return MakeScalar("", {TypeId::kTimestamp}, TypeId::kBigint,
                        &PartShortcutKernel<kPart, int64_t>);
    }
    return std::nullopt;
  };
}

// ----------------------------------------------------------- date_trunc

void DateTruncKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData* data, Vector& result) {
  if (data != nullptr) {  // the field was a non-NULL constant when bound
    const DatePart part = DataAs<DatePartData>(data).part;
    UnaryExecute<int64_t, int64_t>(args[1], sel, count, result,
                                   [part](int64_t v) { return TruncateTimestamp(part, v); });
    return;
  }
  std::string last_name;
  DatePart part = DatePart::kDay;
  BinaryExecute<StringRef, int64_t, int64_t>(args[0], args[1], sel, count, result,
                                             [&](const StringRef& name, int64_t v) {
                                               if (last_name.empty() || name.view() != last_name) {
                                                 part = DatePartFromNameOrThrow(name.view());
                                                 CheckTruncatablePart(part, name.view());
                                                 last_name.assign(name.view());
                                               }
                                               return TruncateTimestamp(part, v);
                                             });
}

std::optional<BoundScalarFunction> BindDateTrunc(const std::vector<LogicalType>& args,
                                                 const std::vector<const Value*>& constants) {
  if (args.size() != 2 || !IsVarcharOrNull(args[0])) return std::nullopt;
  if (!args[1].IsTemporal() && !IsNullType(args[1])) return std::nullopt;
  std::shared_ptr<DatePartData> data;
  if (const std::string* name = ConstantString(constants, 0)) {
    data = std::make_shared<DatePartData>();
    data->part = DatePartFromNameOrThrow(*name);
    CheckTruncatablePart(data->part, *name);
  }
  return MakeScalar("", {TypeId::kVarchar, TypeId::kTimestamp}, TypeId::kTimestamp,
                    &DateTruncKernel, std::move(data));
}

// ------------------------------------------------------------ make_date

void MakeDateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  TernaryExecute<int32_t, int32_t, int32_t, int32_t>(
      args[0], args[1], args[2], sel, count, result, [](int32_t y, int32_t m, int32_t d) {
        // PostgreSQL reads negative years as BC: -1 is 1 BC, astronomical year 0.
        int32_t year = y < 0 ? y + 1 : y;
        if (y == 0 || !IsValidCivil(year, m, d)) {
          ThrowError(sqlstate::kDatetimeFieldOverflow,
                     "date field value out of range: {}-{:02d}-{:02d}", y, m, d);
        }
        return DaysFromCivil(year, m, d);
      });
}

// ------------------------------------------------ current date and time

struct NowData : FunctionData {
  int64_t micros = 0;  // local wall-clock time when the statement was bound
};

int64_t LocalNowMicros() {
  auto now = std::chrono::system_clock::now();
  int64_t utc_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(utc_micros / kMicrosPerSecond);
  std::tm local{};
  localtime_r(&seconds, &local);
  return utc_micros + static_cast<int64_t>(local.tm_gmtoff) * kMicrosPerSecond;
}

template <typename T>
void NowKernel(const std::vector<Vector>&, const SelectionVector* sel, idx_t count,
               const FunctionData* data, Vector& result) {
  const int64_t micros = DataAs<NowData>(data).micros;
  T value;
  if constexpr (std::is_same_v<T, int32_t>) {
    int64_t days = micros / kMicrosPerDay - (micros % kMicrosPerDay < 0 ? 1 : 0);
    value = static_cast<int32_t>(days);
  } else {
    value = micros;
  }
  T* out = result.Data<T>();
  ForEachRow(sel, count, [&](uint32_t row) { out[row] = value; });
}

template <typename T>
std::optional<BoundScalarFunction> BindNow(const std::vector<LogicalType>& args,
                                           const std::vector<const Value*>&) {
  if (!args.empty()) return std::nullopt;
  auto data = std::make_shared<NowData>();
  data->micros = LocalNowMicros();
  BoundScalarFunction f =
      MakeScalar("", {}, std::is_same_v<T, int32_t> ? TypeId::kDate : TypeId::kTimestamp,
                 &NowKernel<T>, std::move(data));
  // Not constant-folded into a cached plan: each statement reads its own time.
  f.deterministic = false;
  return f;
}

}  // namespace

void RegisterDateFunctions(FunctionRegistry& registry) {
  const LogicalType integer = TypeId::kInteger;
  registry.AddScalar("extract", &BindExtract);
  registry.AddScalar("date_part", &BindExtract);
  registry.AddScalar("date_trunc", &BindDateTrunc);
  registry.AddScalar("year", PartShortcutBinder<DatePart::kYear>());
  registry.AddScalar("month", PartShortcutBinder<DatePart::kMonth>());
  registry.AddScalar("day", PartShortcutBinder<DatePart::kDay>());
  registry.AddScalar("make_date",
                     FixedBinder({integer, integer, integer}, TypeId::kDate, &MakeDateKernel));
  registry.AddScalar("current_date", &BindNow<int32_t>);
  registry.AddScalar("now", &BindNow<int64_t>);
  registry.AddScalar("current_timestamp", &BindNow<int64_t>);
  registry.AddScalar("localtimestamp", &BindNow<int64_t>);
}

}  // namespace basalt
