#include "storage/segment/integer_encoding.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "storage/segment/bit_packing.h"

namespace basalt::segment {

namespace {

uint64_t VarintSize(uint64_t v) {
  uint64_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

// Everything the size of each candidate depends on, from one pass.
struct IntegerStats {
  int64_t min = 0;
  int64_t max = 0;
  int64_t min_delta = 0;
  int64_t max_delta = 0;
  uint64_t runs = 0;
  uint64_t max_run = 0;
};

IntegerStats ComputeStats(const int64_t* v, uint64_t n) {
  IntegerStats s;
  if (n == 0) return s;
  s.min = s.max = v[0];
  s.runs = 1;
  uint64_t run = 1;
  uint64_t max_run = 1;
  if (n >= 2) {
    s.min_delta = s.max_delta =
        static_cast<int64_t>(static_cast<uint64_t>(v[1]) - static_cast<uint64_t>(v[0]));
  }
  for (uint64_t i = 1; i < n; i++) {
    const int64_t x = v[i];
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
    const auto d = static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(v[i - 1]));
    s.min_delta = std::min(s.min_delta, d);
    s.max_delta = std::max(s.max_delta, d);
    if (d == 0) {
      run++;
    } else {
      max_run = std::max(max_run, run);
      run = 1;
      s.runs++;
    }
  }
  s.max_run = std::max(max_run, run);
  return s;
}

uint64_t Range(int64_t lo, int64_t hi) {
  return static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
}

}  // namespace

BlockEncoding EncodeIntegerStream(const int64_t* values, uint64_t n, unsigned plain_bytes,
                                  ByteWriter* out) {
  const IntegerStats s = ComputeStats(values, n);
  const unsigned for_width = BitWidth(Range(s.min, s.max));
  const unsigned delta_width = n >= 2 ? BitWidth(Range(s.min_delta, s.max_delta)) : 0;
  const unsigned length_width = n > 0 ? BitWidth(s.max_run - 1) : 0;

  constexpr uint64_t kNever = ~uint64_t{0};
  const uint64_t plain_size = plain_bytes == 0 ? kNever : 2 + n * plain_bytes;
  const uint64_t for_size = 10 + PackedBytes(n, for_width);
  const uint64_t delta_size = n >= 2 ? 18 + PackedBytes(n - 1, delta_width) : kNever;
  const uint64_t rle_size = n > 0 ? 11 + VarintSize(s.runs) + PackedBytes(s.runs, for_width) +
                                        PackedBytes(s.runs, length_width)
                                  : kNever;

  // Ties go to the simpler (faster to decode) form.
  BlockEncoding kind = BlockEncoding::kPlain;
  uint64_t best = plain_size;
  const std::pair<BlockEncoding, uint64_t> candidates[] = {
      {BlockEncoding::kFrameOfReference, for_size},
      {BlockEncoding::kDelta, delta_size},
      {BlockEncoding::kRunLength, rle_size},
  };
  for (const auto& [candidate, size] : candidates) {
    if (size < best) {
      kind = candidate;
      best = size;
    }
  }

  out->PutU8(static_cast<uint8_t>(kind));
  switch (kind) {
    case BlockEncoding::kPlain: {
      out->PutU8(static_cast<uint8_t>(plain_bytes));
      uint8_t* p = out->Extend(n * plain_bytes);
      for (uint64_t i = 0; i < n; i++) std::memcpy(p + i * plain_bytes, &values[i], plain_bytes);
      break;
    }
    case BlockEncoding::kFrameOfReference: {
      const uint64_t base = static_cast<uint64_t>(s.min);
      out->PutU64(base);
      out->PutU8(static_cast<uint8_t>(for_width));
      BitPackFn(n, for_width, out->Extend(PackedBytes(n, for_width)),
                [&](uint64_t i) { return static_cast<uint64_t>(values[i]) - base; });
      break;
    }
    case BlockEncoding::kDelta: {
      const uint64_t min_delta = static_cast<uint64_t>(s.min_delta);
      out->PutU64(static_cast<uint64_t>(values[0]));
      out->PutU64(min_delta);
      out->PutU8(static_cast<uint8_t>(delta_width));
      BitPackFn(n - 1, delta_width, out->Extend(PackedBytes(n - 1, delta_width)), [&](uint64_t i) {
        return static_cast<uint64_t>(values[i + 1]) - static_cast<uint64_t>(values[i]) - min_delta;
      });
      break;
    }
    case BlockEncoding::kRunLength: {
      std::vector<uint64_t> run_values;
      std::vector<uint64_t> run_lengths;
      run_values.reserve(s.runs);
      run_lengths.reserve(s.runs);
      const uint64_t base = static_cast<uint64_t>(s.min);
      uint64_t start = 0;
      for (uint64_t i = 1; i <= n; i++) {
        if (i == n || values[i] != values[start]) {
          run_values.push_back(static_cast<uint64_t>(values[start]) - base);
          run_lengths.push_back(i - start - 1);
          start = i;
        }
      }
      out->PutVarint(s.runs);
      out->PutU64(base);
      out->PutU8(static_cast<uint8_t>(for_width));
      out->PutU8(static_cast<uint8_t>(length_width));
      BitPack(run_values.data(), s.runs, for_width, out->Extend(PackedBytes(s.runs, for_width)));
      BitPack(run_lengths.data(), s.runs, length_width,
              out->Extend(PackedBytes(s.runs, length_width)));
      break;
    }
    default:
      break;
  }
  return kind;
}

template <typename T>
void IntegerStreamCursor<T>::Open(ByteReader* in, uint64_t n) {
  n_ = n;
  pos_ = 0;
  const uint8_t kind = in->GetU8("integer stream kind");
  switch (kind) {
    case static_cast<uint8_t>(BlockEncoding::kPlain): {
      const uint8_t bytes = in->GetU8("plain value width");
      if (bytes != sizeof(T) || sizeof(T) > 8) {
        ThrowDecodeError("plain integers of {} bytes where {} were expected", bytes, sizeof(T));
      }
      data_ = in->GetBytes(n * bytes, "plain integers");
      break;
    }
    case static_cast<uint8_t>(BlockEncoding::kFrameOfReference):
      base_ = in->GetU64("frame-of-reference base");
      width_ = in->GetU8("bit width");
      if (width_ > 64) ThrowDecodeError("bit width {} is over 64", width_);
      data_ = in->GetBytes(PackedBytes(n, width_), "bit-packed integers");
      break;
    case static_cast<uint8_t>(BlockEncoding::kDelta):
      if (n == 0) ThrowDecodeError("delta stream without values");
      first_ = in->GetU64("first value");
      base_ = in->GetU64("minimum delta");
      width_ = in->GetU8("bit width");
      if (width_ > 64) ThrowDecodeError("bit width {} is over 64", width_);
      data_ = in->GetBytes(PackedBytes(n - 1, width_), "bit-packed deltas");
      break;
    case static_cast<uint8_t>(BlockEncoding::kRunLength): {
      runs_ = in->GetVarint("run count");
      if (runs_ > n || (runs_ == 0 && n > 0)) {
        ThrowDecodeError("{} runs for {} values", runs_, n);
      }
      base_ = in->GetU64("run value base");
      width_ = in->GetU8("bit width");
      length_width_ = in->GetU8("run length width");
      if (width_ > 64 || length_width_ > 32) {
        ThrowDecodeError("bit widths {} and {} are out of range", width_, length_width_);
      }
      data_ = in->GetBytes(PackedBytes(runs_, width_), "bit-packed run values");
      lengths_ = in->GetBytes(PackedBytes(runs_, length_width_), "bit-packed run lengths");
      // The runs must cover exactly n values; checked once so reads need not.
      uint64_t total = 0;
      for (uint64_t r = 0; r < runs_; r++) {
        total += 1 + UnpackOne(lengths_, r, length_width_);
        if (total > n) break;
      }
      if (total != n) ThrowDecodeError("runs cover {} values instead of {}", total, n);
      next_run_ = 0;
      run_left_ = 0;
      break;
    }
    default:
      ThrowDecodeError("unknown integer stream kind {}", kind);
  }
  kind_ = static_cast<BlockEncoding>(kind);
}

template <typename T>
void IntegerStreamCursor<T>::CheckRange(uint64_t count) const {
  if (count > n_ - pos_) {
    ThrowDecodeError("read of {} values at {} runs past the {} in the stream", count, pos_, n_);
  }
}

template <typename T>
void IntegerStreamCursor<T>::Read(uint64_t count, T* out) {
  CheckRange(count);
  switch (kind_) {
    case BlockEncoding::kPlain:
      std::memcpy(out, data_ + pos_ * sizeof(T), count * sizeof(T));
      break;
    case BlockEncoding::kFrameOfReference:
      UnpackAdd(data_, pos_, count, width_, base_, out);
      break;
    case BlockEncoding::kDelta: {
      uint64_t j = 0;
      uint64_t prev = prev_;
      if (pos_ == 0 && count > 0) {
        prev = first_;
        out[0] = static_cast<T>(static_cast<int64_t>(prev));
        j = 1;
      }
      // Deltas a slice at a time into a small buffer, then a running sum.
      constexpr uint64_t kSlice = 256;
      uint64_t deltas[kSlice];
      while (j < count) {
        const uint64_t m = std::min(kSlice, count - j);
        UnpackAdd(data_, pos_ + j - 1, m, width_, base_, deltas);
        for (uint64_t k = 0; k < m; k++) {
          prev += deltas[k];
          out[j + k] = static_cast<T>(static_cast<int64_t>(prev));
        }
        j += m;
      }
      prev_ = prev;
      break;
    }
    case BlockEncoding::kRunLength: {
      uint64_t j = 0;
      while (j < count) {
        if (run_left_ == 0) {
          run_value_ =
              static_cast<T>(static_cast<int64_t>(base_ + UnpackOne(data_, next_run_, width_)));
          run_left_ = 1 + UnpackOne(lengths_, next_run_, length_width_);
          next_run_++;
        }
        const uint64_t take = std::min(run_left_, count - j);
        std::fill(out + j, out + j + take, run_value_);
        run_left_ -= take;
        j += take;
      }
      break;
    }
    default:
      break;
  }
  pos_ += count;
}

template <typename T>
void IntegerStreamCursor<T>::Skip(uint64_t count) {
  CheckRange(count);
  switch (kind_) {
    case BlockEncoding::kDelta: {
      uint64_t skipped = 0;
      if (pos_ == 0 && count > 0) {
        prev_ = first_;
        skipped = 1;
      }
      const uint64_t m = count - skipped;
      if (m > 0) prev_ += base_ * m + UnpackSum(data_, pos_ + skipped - 1, m, width_);
      break;
    }
    case BlockEncoding::kRunLength: {
      uint64_t left = count;
      while (left > 0) {
        if (run_left_ == 0) {
          run_value_ =
              static_cast<T>(static_cast<int64_t>(base_ + UnpackOne(data_, next_run_, width_)));
          run_left_ = 1 + UnpackOne(lengths_, next_run_, length_width_);
          next_run_++;
        }
        const uint64_t take = std::min(run_left_, left);
        run_left_ -= take;
        left -= take;
      }
      break;
    }
    default:
      break;
  }
  pos_ += count;
}

template class IntegerStreamCursor<int16_t>;
template class IntegerStreamCursor<int32_t>;
template class IntegerStreamCursor<int64_t>;
template class IntegerStreamCursor<int128_t>;
template class IntegerStreamCursor<uint32_t>;

}  // namespace basalt::segment
