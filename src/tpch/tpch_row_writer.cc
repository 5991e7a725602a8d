#include "tpch/tpch_row_writer.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "common/date_time.h"

namespace basalt::tpch {

namespace {

// YYYY-MM-DD for every day a generated date can take, computed once.
class DateTexts {
 public:
  static constexpr int32_t kFirst = 7305;  // 1990-01-01
  static constexpr int32_t kCount = 4018;  // through 2000-12-31

  static const DateTexts& Get() {
    static const DateTexts texts;
    return texts;
  }

  // Null when `days` is outside the table.
  const char* Find(int32_t days) const {
    if (days < kFirst || days >= kFirst + kCount) return nullptr;
    return texts_[static_cast<size_t>(days - kFirst)].data();
  }

 private:
  DateTexts() {
    for (int32_t i = 0; i < kCount; ++i) {
      std::string text = FormatDate(kFirst + i);
      std::copy_n(text.data(), 10, texts_[static_cast<size_t>(i)].data());
    }
  }

  std::array<std::array<char, 10>, kCount> texts_;
};

}  // namespace

void RowWriter::AppendDigits(uint64_t value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out_->append(buffer, result.ptr);
}

void RowWriter::Int(int64_t value) {
  BeginField();
  if (value < 0) {
    out_->push_back('-');
    AppendDigits(static_cast<uint64_t>(-value));
  } else {
    AppendDigits(static_cast<uint64_t>(value));
  }
  EndField();
}

void RowWriter::PaddedInt(std::string_view prefix, int64_t value, int width) {
  BeginField();
  out_->append(prefix);
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  auto digits = static_cast<int>(result.ptr - buffer);
  if (digits < width) out_->append(static_cast<size_t>(width - digits), '0');
  out_->append(buffer, result.ptr);
  EndField();
}

void RowWriter::Money(int64_t hundredths) {
  BeginField();
  uint64_t magnitude = static_cast<uint64_t>(hundredths < 0 ? -hundredths : hundredths);
  if (hundredths < 0) out_->push_back('-');
  AppendDigits(magnitude / 100);
  out_->push_back('.');
  out_->push_back(static_cast<char>('0' + magnitude / 10 % 10));
  out_->push_back(static_cast<char>('0' + magnitude % 10));
  EndField();
}

void RowWriter::Date(int32_t days) {
  BeginField();
  if (const char* text = DateTexts::Get().Find(days)) {
    out_->append(text, 10);
  } else {
    out_->append(FormatDate(days));
  }
  EndField();
}

void RowWriter::Text(std::string_view value) {
  BeginField();
  // Generated text holds commas ("final, regular deposits") but never '|',
  // '"' or a line break; CSV quotes it when it must.
  if (format_ == TpchFormat::kCsv && value.find_first_of(",\"\n\r") != std::string_view::npos) {
    out_->push_back('"');
    for (char c : value) {
      if (c == '"') out_->push_back('"');
      out_->push_back(c);
    }
    out_->push_back('"');
  } else {
    out_->append(value);
  }
  EndField();
}

void RowWriter::Char(char value) {
  BeginField();
  out_->push_back(value);
  EndField();
}

void RowWriter::EndRow() {
  out_->push_back('\n');
  first_field_ = true;
}

void RowWriter::Header(TpchFormat format, TpchTable table, std::string* out) {
  if (format != TpchFormat::kCsv) return;
  bool first = true;
  for (std::string_view column : TpchColumnNames(table)) {
    if (!first) out->push_back(',');
    first = false;
    out->append(column);
  }
  out->push_back('\n');
}

}  // namespace basalt::tpch
