// single_value(x): the value of a scalar subquery. It sees every row the
// subquery returns (NULLs included) and fails with 21000 when there is more
// than one, as PostgreSQL does; no rows give NULL.
#include <cstdlib>
#include <cstring>

#include "common/exception.h"
#include "exec/functions/aggregate_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

[[noreturn]] void ThrowTooManyRows() {
  throw BasaltError(sqlstate::kCardinalityViolation,
                    "more than one row returned by a subquery used as an expression");
}

template <typename T>
struct SingleState {
  int64_t rows = 0;
  bool valid = false;
  T value{};
};

template <>
struct SingleState<int128_t> {
  int64_t rows = 0;
  bool valid = false;
  Int128Field value = 0;
};

// A string state owns a copy of a long value (the batch it came from is gone
// by the time the value is read).
struct StringSingleState {
  int64_t rows = 0;
  bool valid = false;
  StringRef value;
  char* owned = nullptr;

  void Assign(const StringRef& v) {
    if (v.IsInlined()) {
      value = v;
      return;
    }
    owned = static_cast<char*>(std::malloc(v.size()));
    if (!owned) throw std::bad_alloc();
    std::memcpy(owned, v.data(), v.size());
    value = StringRef(owned, v.size());
  }
};

template <typename T, typename State>
void Update(const std::vector<Vector>& args, idx_t count, uint8_t** states, const FunctionData*) {
  UnifiedFormat f;
  args[0].ToUnified(count, &f);
  const T* data = f.Data<T>();
  for (idx_t i = 0; i < count; i++) {
    auto& s = StateAt<State>(states[i]);
    if (++s.rows > 1) ThrowTooManyRows();
    uint32_t index = f.sel->Get(i);
    if (!f.validity->IsValid(index)) continue;
    s.valid = true;
    if constexpr (std::is_same_v<State, StringSingleState>) {
      s.Assign(data[index]);
    } else {
      s.value = data[index];
    }
  }
}

template <typename State>
void Combine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  for (idx_t i = 0; i < count; i++) {
    auto& t = StateAt<State>(targets[i]);
    auto& s = StateAt<State>(sources[i]);
    if (s.rows == 0) continue;
    if (t.rows + s.rows > 1) ThrowTooManyRows();
    // The target is empty: take the source's value (and its buffer).
    t.rows = s.rows;
    t.valid = s.valid;
    t.value = s.value;
    if constexpr (std::is_same_v<State, StringSingleState>) {
      t.owned = s.owned;
      s.owned = nullptr;
    }
  }
}

template <typename T, typename State>
void Finalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  T* out = result.Data<T>();
  for (idx_t i = 0; i < count; i++) {
    auto& s = StateAt<State>(states[i]);
    if (!s.valid) {
      result.SetNull(i);
      continue;
    }
    if constexpr (std::is_same_v<State, StringSingleState>) {
      out[i] = result.AddString(s.value.view());
    } else {
      out[i] = static_cast<T>(s.value);
    }
  }
}

void DestroyStrings(uint8_t** states, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    auto& s = StateAt<StringSingleState>(states[i]);
    std::free(s.owned);
    s.owned = nullptr;
  }
}

std::optional<BoundAggregateFunction> BindSingleValue(const std::vector<LogicalType>& args) {
  if (args.size() != 1) return std::nullopt;
  LogicalType type = args[0].id() == TypeId::kNull ? LogicalType(TypeId::kVarchar) : args[0];
  BoundAggregateFunction f = DispatchPhysical(type.physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, StringRef>) {
      auto fn = MakeAggregate<StringSingleState>({type}, type, &Update<T, StringSingleState>,
                                                 &Combine<StringSingleState>,
                                                 &Finalize<T, StringSingleState>);
      fn.destroy = &DestroyStrings;
      return fn;
    } else {
      return MakeAggregate<SingleState<T>>({type}, type, &Update<T, SingleState<T>>,
                                           &Combine<SingleState<T>>, &Finalize<T, SingleState<T>>);
    }
  });
  f.name = "single_value";
  return f;
}

}  // namespace

void RegisterSingleValueAggregate(FunctionRegistry& registry) {
  registry.AddAggregate("single_value", &BindSingleValue);
}

}  // namespace basalt
