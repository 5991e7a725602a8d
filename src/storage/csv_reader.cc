#include "storage/csv_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "common/exception.h"

namespace basalt {

namespace {

// Spans keep 32-bit offsets into the buffer, and a record this long is far more
// likely an unterminated quote than data.
constexpr size_t kMaxBufferSize = size_t{1} << 30;
// Longer field text is cut in error messages, which should stay readable.
constexpr size_t kMaxQuotedTextInError = 100;

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// The high bit of each zero byte of `v`, exact for the lowest zero byte (a
// borrow can flag only bytes above a real zero, so the lowest flag is real).
inline uint64_t ZeroBytes(uint64_t v) { return (v - kOnes) & ~v & kHighBits; }

// The first delimiter or line feed in [p, limit), or limit. Eight bytes per
// step: most fields are short, so this beats memchr's setup, and one pass
// finds both bytes.
inline const char* FindFieldEnd(const char* p, const char* limit, char delimiter) {
  const uint64_t delimiters = kOnes * static_cast<unsigned char>(delimiter);
  const uint64_t newlines = kOnes * static_cast<unsigned char>('\n');
  while (limit - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    uint64_t found = ZeroBytes(word ^ delimiters) | ZeroBytes(word ^ newlines);
    if (found != 0) return p + (__builtin_ctzll(found) >> 3);
    p += 8;
  }
  while (p < limit && *p != delimiter && *p != '\n') p++;
  return p;
}

std::string QuoteForError(std::string_view text) {
  if (text.size() <= kMaxQuotedTextInError) return fmt::format("\"{}\"", text);
  return fmt::format("\"{}...\"", text.substr(0, kMaxQuotedTextInError));
}

}  // namespace

CsvReader::CsvReader(std::string path, CsvOptions options, std::vector<LogicalType> types,
                     std::vector<std::string> names, uint64_t range_start, uint64_t range_end,
                     CsvRangeBounds bounds)
    : file_(std::move(path)),
      options_(std::move(options)),
      types_(std::move(types)),
      names_(std::move(names)),
      column_count_(types_.size()),
      range_start_(range_start),
      range_end_(range_end),
      bounds_(bounds) {
  BASALT_CHECK(column_count_ > 0);
  ValidateCsvOptions(options_);
  file_.AdviseSequential();
  spans_.resize(kBatchSize * (column_count_ + 1));
  row_offsets_.resize(kBatchSize);
}

uint64_t CsvReader::FileSize(const std::string& path) { return InputFile(path).size(); }

void CsvReader::Start() {
  started_ = true;
  capacity_ = block_size_;
  buffer_ = std::make_unique_for_overwrite<char[]>(capacity_);
  if (range_start_ >= range_end_) {
    done_ = true;
    return;
  }
  if (range_start_ > 0 && bounds_ == CsvRangeBounds::kExactRecords) {
    buffer_offset_ = read_offset_ = range_start_;
    return;
  }
  if (range_start_ > 0) {
    // The first record of the range starts right after the first line feed at
    // or after range_start_ - 1 (so a record starting exactly at range_start_
    // is ours, and one starting before it belongs to the previous range).
    buffer_offset_ = read_offset_ = range_start_ - 1;
    while (true) {
      if (pos_ == size_) {
        if (eof_) {
          done_ = true;
          return;
        }
        Refill();
        continue;
      }
      const void* newline = std::memchr(buffer_.get() + pos_, '\n', size_ - pos_);
      if (newline != nullptr) {
        pos_ = static_cast<const char*>(newline) - buffer_.get() + 1;
        return;
      }
      pos_ = size_;
    }
  }
  while (size_ < 3 && !eof_) Refill();
  if (size_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) pos_ = bom_size_ = 3;
  if (!options_.header) return;
  while (true) {
    if (pos_ == size_) {
      if (eof_) return;
      Refill();
      continue;
    }
    size_t next;
    uint32_t count;
    if (ParseRecord(spans_.data(), &next, &count)) {
      pos_ = next;
      return;
    }
    Refill();
  }
}

void CsvReader::Refill() {
  if (pos_ > 0) {
    size_t keep = size_ - pos_;
    std::memmove(buffer_.get(), buffer_.get() + pos_, keep);
    buffer_offset_ += pos_;
    size_ = keep;
    pos_ = 0;
  }
  if (size_ == capacity_) {
    // One record fills the whole buffer: make room for the rest of it.
    if (capacity_ >= kMaxBufferSize) {
      ThrowAtRecord(sqlstate::kProgramLimitExceeded, buffer_offset_,
                    "CSV record is longer than 1 GB (is a quote unterminated?)");
    }
    size_t grown = std::min(capacity_ * 2, kMaxBufferSize);
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    std::memcpy(bigger.get(), buffer_.get(), size_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  size_t wanted = capacity_ - size_;
  size_t n = file_.ReadAt(buffer_.get() + size_, wanted, read_offset_);
  // ReadAt returns short only at the end of the file, which saves a last read.
  if (n < wanted) eof_ = true;
  size_ += n;
  read_offset_ += n;
}

bool CsvReader::ParseRecord(FieldSpan* spans, size_t* next, uint32_t* field_count) {
  const char* const base = buffer_.get();
  const char* const limit = base + size_;
  const char* p = base + pos_;
  const char delimiter = options_.delimiter;
  const char quote = options_.quote;
  const char escape = options_.escape;
  const bool at_eof = eof_;
  const uint32_t kept = static_cast<uint32_t>(column_count_ + 1);
  uint32_t count = 0;

  auto store = [&](const char* start, const char* stop, bool quoted, bool escaped) {
    if (count < kept) {
      spans[count] = FieldSpan{static_cast<uint32_t>(start - base),
                               static_cast<uint32_t>(stop - start), quoted, escaped};
    }
    count++;
  };
  auto finish = [&](const char* after) {
    *next = static_cast<size_t>(after - base);
    *field_count = count;
    return true;
  };

  while (true) {
    if (p < limit && *p == quote) {
      const char* start = ++p;
      bool escaped = false;
      while (true) {
        if (escape == quote) {
          p = static_cast<const char*>(std::memchr(p, quote, limit - p));
          if (p == nullptr) p = limit;
        } else {
          while (p < limit && *p != quote && *p != escape) p++;
        }
        if (p == limit || (p + 1 == limit && !at_eof)) {
          // Whether this quote closes the field depends on the next byte.
          if (!at_eof) return false;
          ThrowAtRecord(sqlstate::kBadCopyFileFormat, buffer_offset_ + pos_,
                        "unterminated CSV quoted field");
        }
        if (*p == escape && escape != quote) {
          if (p + 1 < limit && (p[1] == quote || p[1] == escape)) {
            escaped = true;
            p += 2;
          } else {
            p++;
          }
          continue;
        }
        if (escape == quote && p + 1 < limit && p[1] == quote) {
          escaped = true;
          p += 2;
          continue;
        }
        break;  // the closing quote
      }
      const char* stop = p++;
      if (p == limit) {
        if (!at_eof) return false;
        store(start, stop, true, escaped);
        return finish(p);
      }
      if (*p == delimiter) {
        store(start, stop, true, escaped);
        p++;
        continue;
      }
      if (*p == '\n') {
        store(start, stop, true, escaped);
        return finish(p + 1);
      }
      if (*p == '\r') {
        if (p + 1 == limit) {
          if (!at_eof) return false;
          store(start, stop, true, escaped);
          return finish(p + 1);
        }
        if (p[1] == '\n') {
          store(start, stop, true, escaped);
          return finish(p + 2);
        }
      }
      ThrowAtRecord(sqlstate::kBadCopyFileFormat, buffer_offset_ + pos_,
                    "unexpected character after closing quote");
    }

    const char* start = p;
    p = FindFieldEnd(p, limit, delimiter);
    if (p == limit) {
      if (!at_eof) return false;
      const char* stop = p;
      if (stop > start && stop[-1] == '\r') stop--;
      store(start, stop, false, false);
      return finish(p);
    }
    if (*p == delimiter) {
      store(start, p, false, false);
      p++;
      continue;
    }
    const char* stop = p;
    if (stop > start && stop[-1] == '\r') stop--;
    store(start, stop, false, false);
    return finish(p + 1);
  }
}

bool CsvReader::ReadChunk(DataChunk& out) {
  BASALT_CHECK_EQ(out.ColumnCount(), column_count_);
  for (idx_t c = 0; c < column_count_; c++) BASALT_CHECK(out.column(c).type() == types_[c]);
  out.Reset();
  if (!started_) Start();
  const idx_t capacity = out.capacity();
  const idx_t stride = column_count_ + 1;
  if (row_offsets_.size() < capacity) {
    row_offsets_.resize(capacity);
    spans_.resize(capacity * stride);
  }
  // Rows [converted, rows) are tokenized but still point into the buffer, so
  // they are converted before anything moves the buffer.
  idx_t rows = 0;
  idx_t converted = 0;
  while (rows < capacity && !done_) {
    if (pos_ == size_) {
      if (eof_) {
        done_ = true;
        CheckRangeEnd(buffer_offset_ + size_);
        break;
      }
      ConvertRows(out, converted, rows);
      converted = rows;
      Refill();
      continue;
    }
    const uint64_t offset = buffer_offset_ + pos_;
    // The first record begins at 0 even behind a byte order mark: every range
    // that starts later skips the line, so this one must take it.
    const uint64_t begins_at = offset == bom_size_ ? 0 : offset;
    if (begins_at >= range_end_) {
      done_ = true;
      CheckRangeEnd(offset);
      break;
    }
    FieldSpan* spans = &spans_[rows * stride];
    size_t next;
    uint32_t count;
    if (!ParseRecord(spans, &next, &count)) {
      ConvertRows(out, converted, rows);
      converted = rows;
      Refill();
      continue;
    }
    if (count != column_count_) {
      bool trailing_delimiter = count == column_count_ + 1 && spans[column_count_].length == 0 &&
                                !spans[column_count_].quoted;
      bool blank_line = count == 1 && spans[0].length == 0 && !spans[0].quoted;
      if (blank_line) {
        pos_ = next;
        continue;
      }
      if (!trailing_delimiter) {
        // Rows before this one come first, so their errors are reported first.
        ConvertRows(out, converted, rows);
        if (count < column_count_) {
          ThrowAtRecord(sqlstate::kBadCopyFileFormat, offset,
                        fmt::format("missing data for column \"{}\"", ColumnName(count)));
        }
        ThrowAtRecord(sqlstate::kBadCopyFileFormat, offset,
                      "extra data after last expected column");
      }
    }
    row_offsets_[rows++] = offset;
    pos_ = next;
  }
  ConvertRows(out, converted, rows);
  out.SetSize(rows);
  rows_read_ += rows;
  return rows > 0;
}

void CsvReader::CheckRangeEnd(uint64_t stop) {
  if (bounds_ != CsvRangeBounds::kExactRecords) return;
  const uint64_t expected = std::min(range_end_, file_.size());
  if (stop == expected || range_start_ >= range_end_) return;
  // The rows of this range are already out: a wrong cut cannot be undone,
  // only reported.
  ThrowError(sqlstate::kInternalError,
             "internal error: CSV range of file {} ended at byte {}, not at the next range's "
             "first record at byte {}",
             file_.path(), stop, expected);
}

std::string_view CsvReader::FieldText(const FieldSpan& span) {
  const char* data = buffer_.get() + span.offset;
  if (!span.escaped) return {data, span.length};
  // Only quoted fields with doubled quotes or escapes get here: drop the
  // escaping byte in front of each escaped quote or escape.
  const char quote = options_.quote;
  const char escape = options_.escape;
  scratch_.clear();
  for (uint32_t i = 0; i < span.length; i++) {
    char c = data[i];
    if (c == escape && i + 1 < span.length && (data[i + 1] == quote || data[i + 1] == escape)) {
      c = data[++i];
    }
    scratch_ += c;
  }
  return scratch_;
}

template <typename T, typename Parse>
void CsvReader::ConvertColumn(Vector& vector, idx_t column, idx_t from, idx_t to, Parse&& parse) {
  T* data = vector.Data<T>();
  const FieldSpan* spans = spans_.data() + column;
  const idx_t stride = column_count_ + 1;
  const char* base = buffer_.get();
  const std::string& null_string = options_.null_string;
  const bool null_is_empty = null_string.empty();
  for (idx_t row = from; row < to; row++) {
    const FieldSpan& span = spans[row * stride];
    if (!span.quoted) {
      bool is_null = null_is_empty
                         ? span.length == 0
                         : std::string_view(base + span.offset, span.length) == null_string;
      if (is_null) {
        vector.SetNull(row);
        continue;
      }
    }
    std::string_view text = FieldText(span);
    FieldParse status = parse(text, &data[row]);
    if (status != FieldParse::kOk) [[unlikely]] {
      ThrowValueError(status, row, column, text);
    }
  }
}

void CsvReader::ConvertRows(DataChunk& out, idx_t from, idx_t to) {
  if (from == to) return;
  for (idx_t c = 0; c < column_count_; c++) {
    Vector& v = out.column(c);
    const LogicalType& type = types_[c];
    switch (type.id()) {
      case TypeId::kBoolean:
        ConvertColumn<bool>(v, c, from, to,
                            [](std::string_view s, bool* o) { return ParseBoolField(s, o); });
        break;
      case TypeId::kSmallint:
        ConvertColumn<int16_t>(v, c, from, to, [](std::string_view s, int16_t* o) {
          return ParseIntegerField<int16_t>(s, o);
        });
        break;
      case TypeId::kInteger:
        ConvertColumn<int32_t>(v, c, from, to, [](std::string_view s, int32_t* o) {
          return ParseIntegerField<int32_t>(s, o);
        });
        break;
      case TypeId::kBigint:
        ConvertColumn<int64_t>(v, c, from, to, [](std::string_view s, int64_t* o) {
          return ParseIntegerField<int64_t>(s, o);
        });
        break;
      case TypeId::kReal:
        ConvertColumn<float>(v, c, from, to,
                             [](std::string_view s, float* o) { return ParseRealField(s, o); });
        break;
      case TypeId::kDouble:
        ConvertColumn<double>(v, c, from, to,
                              [](std::string_view s, double* o) { return ParseDoubleField(s, o); });
        break;
      case TypeId::kDecimal: {
        const int precision = type.precision();
        const int scale = type.scale();
        if (type.physical() == PhysicalType::kInt64) {
          ConvertColumn<int64_t>(v, c, from, to, [=](std::string_view s, int64_t* o) {
            return ParseDecimalField(s, precision, scale, o);
          });
        } else {
          ConvertColumn<int128_t>(v, c, from, to, [=](std::string_view s, int128_t* o) {
            return ParseDecimalField(s, precision, scale, o);
          });
        }
        break;
      }
      case TypeId::kVarchar:
        ConvertColumn<StringRef>(v, c, from, to, [&v](std::string_view s, StringRef* o) {
          *o = v.AddString(s);
          return FieldParse::kOk;
        });
        break;
      case TypeId::kDate:
        ConvertColumn<int32_t>(v, c, from, to,
                               [](std::string_view s, int32_t* o) { return ParseDateField(s, o); });
        break;
      case TypeId::kTimestamp:
        ConvertColumn<int64_t>(v, c, from, to, [](std::string_view s, int64_t* o) {
          return ParseTimestampField(s, o);
        });
        break;
      case TypeId::kInterval:
        ConvertColumn<Interval>(v, c, from, to, [](std::string_view s, Interval* o) {
          return ParseIntervalField(s, o);
        });
        break;
      case TypeId::kNull:
      case TypeId::kInvalid:
      case TypeId::kList:  // no text form of nested values is parsed yet
      case TypeId::kStruct:
        ThrowError(sqlstate::kFeatureNotSupported, "cannot read CSV column \"{}\" of type {}",
                   ColumnName(c), type.ToString());
    }
  }
}

uint64_t CsvReader::LineAt(uint64_t offset) {
  constexpr size_t kChunk = size_t{1} << 20;
  std::unique_ptr<char[]> chunk = std::make_unique_for_overwrite<char[]>(kChunk);
  uint64_t line = 1;
  uint64_t at = 0;
  while (at < offset) {
    size_t n = file_.ReadAt(chunk.get(), std::min<uint64_t>(kChunk, offset - at), at);
    if (n == 0) break;
    line += std::count(chunk.get(), chunk.get() + n, '\n');
    at += n;
  }
  return line;
}

std::string CsvReader::ColumnName(idx_t column) const {
  if (column < names_.size()) return names_[column];
  return fmt::format("column{}", column);
}

void CsvReader::ThrowAtRecord(const char* code, uint64_t offset, std::string_view what) {
  ThrowError(code, "{} (file {}, line {})", what, file_.path(), LineAt(offset));
}

void CsvReader::ThrowValueError(FieldParse status, idx_t row, idx_t column, std::string_view text) {
  const LogicalType& type = types_[column];
  std::string message;
  const char* code;
  if (status == FieldParse::kOutOfRange) {
    code = sqlstate::kNumericOutOfRange;
    if (type.IsInteger()) {
      message = fmt::format("value {} is out of range for type {}", QuoteForError(text),
                            type.PostgresName());
    } else if (type.id() == TypeId::kDecimal) {
      message = fmt::format("numeric field overflow: {} does not fit {}", QuoteForError(text),
                            type.ToString());
    } else {
      message =
          fmt::format("{} is out of range for type {}", QuoteForError(text), type.PostgresName());
    }
  } else {
    // Date and time text errors carry the code a cast of the same text raises.
    bool temporal = type.IsTemporal() || type.id() == TypeId::kInterval;
    code = temporal ? sqlstate::kInvalidDatetimeFormat : sqlstate::kInvalidTextRepresentation;
    message = fmt::format("invalid input syntax for type {}: {}", type.PostgresName(),
                          QuoteForError(text));
  }
  ThrowError(code, "{} (file {}, line {}, column \"{}\")", message, file_.path(),
             LineAt(row_offsets_[row]), ColumnName(column));
}

}  // namespace basalt
