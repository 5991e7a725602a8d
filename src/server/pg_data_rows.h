// The DataRow messages of a result, encoded a column at a time.
//
// A DataRow carries one row's cells (a length word, -1 for NULL, then the
// value's bytes) column after column, but values are cheap to encode only a
// column at a time: one pass over a vector, with its type decided once. So
// the encoder prepares each column of a chunk in one pass, and rows are then
// emitted by copying their columns' cells into one message each.
//
// Text is the engine's cast to VARCHAR (exec/cast.h) run over the whole
// column, which is the text PostgreSQL sends for every type but boolean: the
// wire's "t" / "f" (PgTextOf) are not what a SQL cast gives ("true"), so
// booleans are written here. VARCHARs are sent as they are. Binary is
// written straight from the vectors' data into a buffer of cells
// (pg_binary_format.h). Either way the bytes equal PgTextOf / PgBinaryOf of
// each value (pg_data_rows_test.cc).
//
// Not thread safe. Keep one encoder for a whole result so that its buffers
// and bound casts are reused from chunk to chunk.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_chunk.h"
#include "exec/function.h"
#include "server/pg_messages.h"
#include "server/wire_buffer.h"

namespace basalt {

class PgDataRowEncoder {
 public:
  // One format per column of the chunks to come.
  explicit PgDataRowEncoder(std::vector<PgFormat> formats);

  // Encodes rows [begin, end) of every column of `chunk`, replacing what was
  // encoded before. A chunk holds at most kBatchSize rows, as every vector.
  void Encode(const DataChunk& chunk, idx_t begin, idx_t end);

  // Appends the DataRow message of `row` (in the range last encoded).
  void AppendDataRow(idx_t row, WireWriter& out) const;

  // The cell of `row` in `column`: its length word and bytes.
  std::string Cell(idx_t column, idx_t row) const;

 private:
  struct Column {
    PgFormat format = PgFormat::kText;
    // The text cast, bound for `cast_type` (types other than boolean and varchar).
    LogicalType cast_type;
    std::optional<BoundScalarFunction> cast;
    // Strings sent as they are: the cast's text, or VARCHAR values. `text`
    // holds them (by reference for a VARCHAR column); `text_format` reads
    // the string of a chunk row.
    bool strings = false;
    Vector text;
    UnifiedFormat text_format;
    // Every other column: the encoded rows' cells back to back; ends[i] is
    // where the cell of row begin_ + i ends. `bytes` only grows, `used` of
    // it is filled.
    std::string bytes;
    size_t used = 0;
    std::vector<size_t> ends;
  };

  void EncodeColumn(const Vector& vector, idx_t count, Column& column);
  void EncodeText(const Vector& vector, idx_t count, Column& column);
  size_t CellSize(const Column& column, idx_t row) const;
  // Writes the cell at `out`; returns the end.
  char* PutCell(const Column& column, idx_t row, char* out) const;

  std::vector<Column> columns_;
  idx_t begin_ = 0;
  // Rows [begin_, end) as a selection, for kernels, when begin_ > 0.
  SelectionVector range_;
  const SelectionVector* selection_ = nullptr;
  std::vector<Vector> cast_args_;
};

}  // namespace basalt
