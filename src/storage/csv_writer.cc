#include "storage/csv_writer.h"

#include <cerrno>
#include <cstring>

#include "common/exception.h"

namespace basalt {

CsvWriter::CsvWriter(std::string path, CsvOptions options)
    : path_(std::move(path)), options_(std::move(options)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_) {
    ThrowError(sqlstate::kIoError, "could not open file \"{}\" for writing: {}", path_,
               std::strerror(errno));
  }
}

CsvWriter::~CsvWriter() {
  if (file_) std::fclose(file_);
}

void CsvWriter::Write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= (1 << 20)) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      ThrowError(sqlstate::kIoError, "could not write to file \"{}\": {}", path_,
                 std::strerror(errno));
    }
    buffer_.clear();
  }
}

void CsvWriter::WriteField(std::string_view text, bool force_quote) {
  bool quote = force_quote;
  for (char c : text) {
    if (c == options_.delimiter || c == options_.quote || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote && !options_.null_string.empty() && text == options_.null_string) quote = true;
  if (!quote) {
    Write(text);
    return;
  }
  std::string out;
  out.reserve(text.size() + 2);
  out += options_.quote;
  for (char c : text) {
    if (c == options_.quote || (c == options_.escape && options_.escape != options_.quote)) {
      out += options_.escape;
    }
    out += c;
  }
  out += options_.quote;
  Write(out);
}

void CsvWriter::WriteHeader(const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); i++) {
    if (i > 0) Write(std::string_view(&options_.delimiter, 1));
    WriteField(names[i], false);
  }
  Write("\n");
}

void CsvWriter::WriteChunk(const DataChunk& chunk) {
  for (idx_t r = 0; r < chunk.size(); r++) {
    for (idx_t c = 0; c < chunk.ColumnCount(); c++) {
      if (c > 0) Write(std::string_view(&options_.delimiter, 1));
      const Vector& v = chunk.column(c);
      if (v.IsNull(r)) {
        Write(options_.null_string);
        continue;
      }
      Value value = v.GetValue(r);
      if (value.type().id() == TypeId::kVarchar) {
        // An empty string is quoted so it does not read back as NULL.
        WriteField(value.GetString(), value.GetString().empty() && options_.null_string.empty());
      } else {
        WriteField(value.ToString(), false);
      }
    }
    Write("\n");
  }
}

void CsvWriter::Close() {
  if (!file_) return;
  bool ok = buffer_.empty() || std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
  buffer_.clear();
  ok &= std::fflush(file_) == 0;
  ok &= std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok) {
    ThrowError(sqlstate::kIoError, "could not write to file \"{}\": {}", path_, std::strerror(errno));
  }
}

}  // namespace basalt
