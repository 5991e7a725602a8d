#include "server/pg_data_rows.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/exception.h"
#include "exec/cast.h"
#include "exec/functions/kernel_helpers.h"
#include "server/pg_binary_format.h"

namespace basalt {

namespace {

constexpr size_t kLengthWord = 4;

// Makes room for `n` more bytes of cells and returns where they go.
char* Reserve(std::string& bytes, size_t used, size_t n) {
  if (used + n > bytes.size()) bytes.resize(std::max(bytes.size() * 2, used + n));
  return bytes.data() + used;
}

}  // namespace

PgDataRowEncoder::PgDataRowEncoder(std::vector<PgFormat> formats)
    : columns_(formats.size()), range_(kBatchSize), cast_args_(1) {
  for (size_t i = 0; i < formats.size(); ++i) columns_[i].format = formats[i];
}

void PgDataRowEncoder::Encode(const DataChunk& chunk, idx_t begin, idx_t end) {
  BASALT_CHECK_EQ(chunk.ColumnCount(), columns_.size());
  BASALT_CHECK(begin <= end && end <= chunk.size() && chunk.size() <= kBatchSize);
  begin_ = begin;
  selection_ = nullptr;
  if (begin > 0) {
    for (idx_t row = begin; row < end; ++row) range_.Set(row - begin, static_cast<uint32_t>(row));
    selection_ = &range_;
  }
  for (idx_t i = 0; i < columns_.size(); ++i) {
    Column& column = columns_[i];
    column.strings = false;
    column.used = 0;
    column.ends.clear();
    EncodeColumn(chunk.column(i), end - begin, column);
  }
}

void PgDataRowEncoder::EncodeColumn(const Vector& vector, idx_t count, Column& column) {
  const LogicalType& type = vector.type();
  UnifiedFormat f;
  vector.ToUnified(begin_ + count, &f);
  // A cell per row: the length word, then what `put` writes (at most
  // `max_size` bytes; it returns the end). NULL is length -1.
  auto for_each_value = [&]<typename T>(size_t max_size, auto&& put) {
    const T* data = f.Data<T>();
    for (idx_t i = 0; i < count; ++i) {
      uint32_t index = f.sel->Get(RowAt(selection_, i));
      char* cell = Reserve(column.bytes, column.used, kLengthWord + max_size);
      if (type.id() == TypeId::kNull || !f.validity->IsValid(index)) {
        PutBigEndian<int32_t>(cell, -1);
        column.used += kLengthWord;
      } else {
        char* end = put(data[index], cell + kLengthWord);
        size_t size = static_cast<size_t>(end - cell) - kLengthWord;
        PutBigEndian<int32_t>(cell, static_cast<int32_t>(size));
        column.used += kLengthWord + size;
      }
      column.ends.push_back(column.used);
    }
  };
  switch (type.id()) {
    case TypeId::kNull:  // an untyped NULL column: every row is NULL
      return for_each_value.operator()<bool>(0, [](bool, char* out) { return out; });
    case TypeId::kVarchar:  // the same bytes in text and binary, sent as they are
      column.text.Reference(vector);
      column.text.ToUnified(begin_ + count, &column.text_format);
      column.strings = true;
      return;
    case TypeId::kBoolean:
      if (column.format == PgFormat::kText) {
        // PostgreSQL's boolout: "t" / "f", where a cast to text says "true" / "false".
        return for_each_value.operator()<bool>(1, [](bool v, char* out) {
          *out = v ? 't' : 'f';
          return out + 1;
        });
      }
      return for_each_value.operator()<bool>(
          1, [](bool v, char* out) { return PutBigEndian<uint8_t>(out, v ? 1 : 0); });
    default:
      break;
  }
  // A LIST or STRUCT is sent as text (type text, docs/server.md) in either format.
  if (column.format == PgFormat::kText || type.IsNested()) {
    EncodeText(vector, count, column);
    return;
  }
  switch (type.id()) {
    case TypeId::kSmallint:
      return for_each_value.operator()<int16_t>(
          2, [](int16_t v, char* out) { return PutBigEndian<int16_t>(out, v); });
    case TypeId::kInteger:
      return for_each_value.operator()<int32_t>(
          4, [](int32_t v, char* out) { return PutBigEndian<int32_t>(out, v); });
    case TypeId::kBigint:
      return for_each_value.operator()<int64_t>(
          8, [](int64_t v, char* out) { return PutBigEndian<int64_t>(out, v); });
    case TypeId::kReal:
      return for_each_value.operator()<float>(4, [](float v, char* out) {
        return PutBigEndian<uint32_t>(out, std::bit_cast<uint32_t>(v));
      });
    case TypeId::kDouble:
      return for_each_value.operator()<double>(8, [](double v, char* out) {
        return PutBigEndian<uint64_t>(out, std::bit_cast<uint64_t>(v));
      });
    case TypeId::kDate:
      return for_each_value.operator()<int32_t>(
          4, [](int32_t v, char* out) { return PutBigEndian<int32_t>(out, PgDateOf(v)); });
    case TypeId::kTimestamp:
      return for_each_value.operator()<int64_t>(
          8, [](int64_t v, char* out) { return PutBigEndian<int64_t>(out, PgTimestampOf(v)); });
    case TypeId::kInterval:
      return for_each_value.operator()<Interval>(16, [](const Interval& v, char* out) {
        out = PutBigEndian<int64_t>(out, v.micros);
        out = PutBigEndian<int32_t>(out, v.days);
        return PutBigEndian<int32_t>(out, v.months);
      });
    case TypeId::kDecimal: {
      int scale = type.scale();
      auto put = [scale](auto v, char* out) { return PutPgNumericBinary(out, v, scale); };
      if (type.physical() == PhysicalType::kInt64) {
        return for_each_value.operator()<int64_t>(kMaxPgNumericBinarySize, put);
      }
      return for_each_value.operator()<int128_t>(kMaxPgNumericBinarySize, put);
    }
    default:
      break;
  }
  ThrowError(sqlstate::kInternalError, "internal error: no binary format for type {}",
             type.ToString());
}

void PgDataRowEncoder::EncodeText(const Vector& vector, idx_t count, Column& column) {
  const LogicalType& type = vector.type();
  if (!column.cast || column.cast_type != type) {
    column.cast = BindCast(type, TypeId::kVarchar);
    column.cast_type = type;
    if (!column.cast) {
      ThrowError(sqlstate::kInternalError, "internal error: no text format for type {}",
                 type.ToString());
    }
  }
  // The cast writes each row's text at the row's own index of a flat VARCHAR vector.
  column.text = Vector(TypeId::kVarchar, kBatchSize);
  cast_args_[0].Reference(vector);
  column.cast->kernel(cast_args_, selection_, count, column.cast->data.get(), column.text);
  column.text.ToUnified(begin_ + count, &column.text_format);
  column.strings = true;
}

size_t PgDataRowEncoder::CellSize(const Column& column, idx_t row) const {
  if (column.strings) {
    uint32_t index = column.text_format.sel->Get(row);
    if (!column.text_format.validity->IsValid(index)) return kLengthWord;
    return kLengthWord + column.text_format.Data<StringRef>()[index].size();
  }
  idx_t i = row - begin_;
  return column.ends[i] - (i == 0 ? 0 : column.ends[i - 1]);
}

char* PgDataRowEncoder::PutCell(const Column& column, idx_t row, char* out) const {
  if (column.strings) {
    uint32_t index = column.text_format.sel->Get(row);
    if (!column.text_format.validity->IsValid(index)) return PutBigEndian<int32_t>(out, -1);
    const StringRef& s = column.text_format.Data<StringRef>()[index];
    out = PutBigEndian<int32_t>(out, static_cast<int32_t>(s.size()));
    std::memcpy(out, s.data(), s.size());
    return out + s.size();
  }
  idx_t i = row - begin_;
  size_t start = i == 0 ? 0 : column.ends[i - 1];
  size_t size = column.ends[i] - start;
  std::memcpy(out, column.bytes.data() + start, size);
  return out + size;
}

void PgDataRowEncoder::AppendDataRow(idx_t row, WireWriter& out) const {
  // The whole message is sized first, then written in one piece.
  size_t length = 4 + 2;  // the length word itself and the column count
  for (const Column& column : columns_) length += CellSize(column, row);
  char* p = out.AddSpace(1 + length);
  *p++ = 'D';
  p = PutBigEndian<int32_t>(p, static_cast<int32_t>(length));
  p = PutBigEndian<int16_t>(p, static_cast<int16_t>(columns_.size()));
  for (const Column& column : columns_) p = PutCell(column, row, p);
}

std::string PgDataRowEncoder::Cell(idx_t column, idx_t row) const {
  std::string cell(CellSize(columns_[column], row), '\0');
  PutCell(columns_[column], row, cell.data());
  return cell;
}

}  // namespace basalt
