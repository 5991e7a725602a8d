// Formats generated rows into a text buffer, as .tbl (dbgen's form: every
// field followed by '|') or as CSV (comma-separated, RFC 4180 quoting, header
// written by the caller). Hand-written number and date formatting, because
// formatting is most of the generator's time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tpch/tpch_generator.h"

namespace basalt::tpch {

class RowWriter {
 public:
  RowWriter(TpchFormat format, std::string* out) : format_(format), out_(out) {}

  void Int(int64_t value);
  // "Prefix" followed by `value` zero-padded to `width` digits ("Supplier#000000042").
  void PaddedInt(std::string_view prefix, int64_t value, int width);
  // A DECIMAL(15,2) held in hundredths ("-12.05").
  void Money(int64_t hundredths);
  // A DATE, days since 1970-01-01, as YYYY-MM-DD.
  void Date(int32_t days);
  void Text(std::string_view value);
  void Char(char value);
  void EndRow();

  // Writes the column names as a CSV header; nothing for .tbl.
  static void Header(TpchFormat format, TpchTable table, std::string* out);

 private:
  void BeginField() {
    if (format_ == TpchFormat::kCsv && !first_field_) out_->push_back(',');
    first_field_ = false;
  }
  void EndField() {
    if (format_ == TpchFormat::kTbl) out_->push_back('|');
  }
  void AppendDigits(uint64_t value);

  TpchFormat format_;
  std::string* out_;
  bool first_field_ = true;
};

}  // namespace basalt::tpch
