// min and max over every orderable type, with the ordering of compare_ops.h
// (NaN above all numbers, strings byte-wise, intervals by length). Each is
// its own merge function in a two-phase aggregation.
//
// A VARCHAR state must own its bytes: the input batch that held the current
// minimum is gone by the time the group is finalized. Strings of up to 12
// bytes live inside the state's StringRef; longer ones are copied into a
// buffer the state allocates (growing only when a longer value wins) and
// frees in `destroy`. The cost is one malloc per group whose extreme is a
// long string, and a copy each time the extreme changes.
#include <cstdlib>
#include <cstring>

#include "common/exception.h"
#include "exec/functions/aggregate_helpers.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/compare_ops.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

template <typename T>
struct MinMaxState {
  T value{};
  bool has = false;
};

// int128 values are stored in an 8-byte aligned field.
template <>
struct MinMaxState<int128_t> {
  Int128Field value = 0;
  bool has = false;
};

template <typename T, bool kMax>
bool Better(const T& candidate, const T& current) {
  return kMax ? ValueLess(current, candidate) : ValueLess(candidate, current);
}

template <typename T, bool kMax>
void MinMaxUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                  const FunctionData*) {
  AggregateUpdate<MinMaxState<T>, T>(args[0], count, states, [](MinMaxState<T>& s, const T& v) {
    if (!s.has || Better<T, kMax>(v, static_cast<T>(s.value))) {
      s.value = v;
      s.has = true;
    }
  });
}

template <typename T, bool kMax>
void MinMaxCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<MinMaxState<T>>(
      sources, targets, count, [](MinMaxState<T>& t, const MinMaxState<T>& s) {
        if (s.has &&
            (!t.has || Better<T, kMax>(static_cast<T>(s.value), static_cast<T>(t.value)))) {
          t.value = s.value;
          t.has = true;
        }
      });
}

template <typename T>
void MinMaxFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<MinMaxState<T>, T>(states, count, result, [](const MinMaxState<T>& s, T* out) {
    *out = s.value;
    return s.has;
  });
}

// ------------------------------------------------------------- strings

struct StringMinMaxState {
  StringRef value;        // inline, or pointing into `owned`
  char* owned = nullptr;  // malloc'ed copy of a long value
  uint32_t capacity = 0;
  bool has = false;

  void Assign(const StringRef& v) {
    has = true;
    if (v.IsInlined()) {
      value = v;  // the bytes travel inside the StringRef
      return;
    }
    if (v.size() > capacity) {
      uint32_t grown = std::max<uint32_t>(v.size(), capacity * 2);
      char* fresh = static_cast<char*>(std::malloc(grown));
      if (fresh == nullptr) throw std::bad_alloc();
      std::free(owned);
      owned = fresh;
      capacity = grown;
    }
    std::memcpy(owned, v.data(), v.size());
    value = StringRef(owned, v.size());
  }
};

template <bool kMax>
void StringMinMaxUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                        const FunctionData*) {
  AggregateUpdate<StringMinMaxState, StringRef>(args[0], count, states,
                                                [](StringMinMaxState& s, const StringRef& v) {
                                                  if (!s.has || Better<StringRef, kMax>(v, s.value))
                                                    s.Assign(v);
                                                });
}

template <bool kMax>
void StringMinMaxCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<StringMinMaxState>(
      sources, targets, count, [](StringMinMaxState& t, const StringMinMaxState& s) {
        if (s.has && (!t.has || Better<StringRef, kMax>(s.value, t.value))) t.Assign(s.value);
      });
}

void StringMinMaxFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<StringMinMaxState, StringRef>(
      states, count, result, [&result](const StringMinMaxState& s, StringRef* out) {
        if (s.has) *out = result.AddString(s.value.view());
        return s.has;
      });
}

void StringMinMaxDestroy(uint8_t** states, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    StringMinMaxState& s = StateAt<StringMinMaxState>(states[i]);
    std::free(s.owned);
    s.owned = nullptr;
    s.capacity = 0;
  }
}

template <bool kMax>
std::optional<BoundAggregateFunction> BindMinMax(const std::vector<LogicalType>& args) {
  if (args.size() != 1) return std::nullopt;
  LogicalType t = IsNullType(args[0]) ? LogicalType(TypeId::kInteger) : args[0];
  if (t.id() == TypeId::kInvalid) return std::nullopt;
  if (t.IsNested()) {
    // Nested values have no order yet (their bytes do not sort as the values).
    ThrowError(sqlstate::kFeatureNotSupported, "min and max of {} values are not supported",
               t.ToString());
  }
  if (t.physical() == PhysicalType::kString) {
    BoundAggregateFunction f = MakeAggregate<StringMinMaxState>(
        {t}, t, &StringMinMaxUpdate<kMax>, &StringMinMaxCombine<kMax>, &StringMinMaxFinalize);
    f.destroy = &StringMinMaxDestroy;
    return f;
  }
  return DispatchPhysical(t.physical(), [&t](auto tag) -> std::optional<BoundAggregateFunction> {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, StringRef>) {
      return std::nullopt;
    } else {
      return MakeAggregate<MinMaxState<T>>({t}, t, &MinMaxUpdate<T, kMax>, &MinMaxCombine<T, kMax>,
                                           &MinMaxFinalize<T>);
    }
  });
}

}  // namespace

void RegisterMinMaxAggregates(FunctionRegistry& registry) {
  registry.AddAggregate("min", &BindMinMax<false>);
  registry.AddAggregate("max", &BindMinMax<true>);
}

}  // namespace basalt
