#include "storage/segment/fixed_column_writer.h"

#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "common/exception.h"
#include "storage/segment/bit_packing.h"
#include "storage/segment/integer_encoding.h"

namespace basalt::segment {

namespace {

template <typename T>
class FixedColumnWriter final : public ColumnWriter {
 public:
  FixedColumnWriter(const LogicalType& type, RegionSink* sink, const ColumnWriterOptions& options)
      : type_(type),
        sink_(sink),
        block_rows_(options.block_rows),
        values_(new T[block_rows_]()),
        validity_((block_rows_ + 63) / 64, ~uint64_t{0}) {}

  void Append(const ColumnInput& input, idx_t start, idx_t count) override {
    const T* src = input.format.Data<T>();
    T* dst = values_.get() + count_;
    if (input.AllValid()) {
      if (input.kind == VectorKind::kFlat) {
        std::memcpy(static_cast<void*>(dst), src + start, count * sizeof(T));
      } else {
        for (idx_t i = 0; i < count; i++) dst[i] = src[input.Row(start + i)];
      }
    } else {
      for (idx_t i = 0; i < count; i++) {
        const uint64_t row = input.Row(start + i);
        if (input.format.validity->IsValid(row)) {
          dst[i] = src[row];
        } else {
          dst[i] = T{};
          const idx_t at = count_ + i;
          validity_[at >> 6] &= ~(uint64_t{1} << (at & 63));
          nulls_++;
        }
      }
    }
    count_ += count;
  }

  void EndBlock() override {
    if (count_ == 0) return;
    payload_.Clear();
    BlockMeta block;
    const uint64_t* validity = nulls_ > 0 ? validity_.data() : nullptr;
    block.zone_map = BuildZoneMap(type_, values_.get(), validity, count_, nulls_);
    if (nulls_ == count_) {
      block.encoding = BlockEncoding::kAllNull;
    } else {
      if (nulls_ > 0) PutValidity(validity_.data(), count_, &payload_);
      block.encoding = EncodeValues();
    }
    block.region = sink_->Write(payload_.data(), payload_.size());
    blocks_.push_back(std::move(block));
    total_nulls_ += nulls_;
    count_ = 0;
    nulls_ = 0;
    std::fill(validity_.begin(), validity_.end(), ~uint64_t{0});
  }

  void Finish(ColumnMeta* meta) override {
    meta->blocks = std::move(blocks_);
    meta->null_count = total_nulls_;
  }

 private:
  BlockEncoding EncodeValues() {
    if constexpr (std::is_same_v<T, bool>) {
      BitPackFn(count_, 1, payload_.Extend(PackedBytes(count_, 1)),
                [this](uint64_t i) { return values_[i] ? 1u : 0u; });
      return BlockEncoding::kBitPacked;
    } else if constexpr (std::is_integral_v<T> && sizeof(T) <= 8) {
      if (nulls_ > 0) FillNulls(values_.get(), validity_.data(), count_);
      ints_.resize(count_);
      for (idx_t i = 0; i < count_; i++) ints_[i] = values_[i];
      return EncodeIntegerStream(ints_.data(), count_, sizeof(T), &payload_);
    } else if constexpr (std::is_same_v<T, int128_t>) {
      if (nulls_ > 0) FillNulls(values_.get(), validity_.data(), count_);
      // DECIMAL(19..38) values usually fit in 64 bits: then they take the
      // integer encodings; otherwise their plain 16 bytes.
      bool narrow = true;
      for (idx_t i = 0; i < count_; i++) {
        const int128_t v = values_[i];
        narrow &=
            v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
      }
      if (narrow) {
        ints_.resize(count_);
        for (idx_t i = 0; i < count_; i++) ints_[i] = static_cast<int64_t>(values_[i]);
        return EncodeIntegerStream(ints_.data(), count_, 0, &payload_);
      }
      payload_.PutBytes(values_.get(), count_ * sizeof(T));
      return BlockEncoding::kPlain;
    } else {
      // REAL, DOUBLE, INTERVAL: as they are in memory.
      static_assert(sizeof(Interval) == 16, "INTERVAL is stored as 16 packed bytes");
      payload_.PutBytes(values_.get(), count_ * sizeof(T));
      return BlockEncoding::kPlain;
    }
  }

  LogicalType type_;
  RegionSink* sink_;
  idx_t block_rows_;
  std::unique_ptr<T[]> values_;  // not std::vector: vector<bool> has no data()
  std::vector<uint64_t> validity_;
  idx_t count_ = 0;
  idx_t nulls_ = 0;
  uint64_t total_nulls_ = 0;
  std::vector<int64_t> ints_;
  ByteWriter payload_;
  std::vector<BlockMeta> blocks_;
};

}  // namespace

std::unique_ptr<ColumnWriter> MakeFixedColumnWriter(const LogicalType& type, RegionSink* sink,
                                                    const ColumnWriterOptions& options) {
  switch (type.physical()) {
    case PhysicalType::kBool:
      return std::make_unique<FixedColumnWriter<bool>>(type, sink, options);
    case PhysicalType::kInt16:
      return std::make_unique<FixedColumnWriter<int16_t>>(type, sink, options);
    case PhysicalType::kInt32:
      return std::make_unique<FixedColumnWriter<int32_t>>(type, sink, options);
    case PhysicalType::kInt64:
      return std::make_unique<FixedColumnWriter<int64_t>>(type, sink, options);
    case PhysicalType::kInt128:
      return std::make_unique<FixedColumnWriter<int128_t>>(type, sink, options);
    case PhysicalType::kFloat:
      return std::make_unique<FixedColumnWriter<float>>(type, sink, options);
    case PhysicalType::kDouble:
      return std::make_unique<FixedColumnWriter<double>>(type, sink, options);
    case PhysicalType::kInterval:
      return std::make_unique<FixedColumnWriter<Interval>>(type, sink, options);
    case PhysicalType::kString:
      break;
  }
  ThrowError(sqlstate::kInternalError, "internal error: no fixed-width writer for {}",
             type.ToString());
}

}  // namespace basalt::segment
