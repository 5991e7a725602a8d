// The column writer of fixed-width types: BOOLEAN (bit-packed), integers,
// DATE, TIMESTAMP and DECIMAL (integer streams: plain, frame of reference,
// delta or run length, whichever is smallest), REAL, DOUBLE and INTERVAL
// (plain).
#pragma once

#include <memory>

#include "storage/segment/column_writer.h"

namespace basalt::segment {

std::unique_ptr<ColumnWriter> MakeFixedColumnWriter(const LogicalType& type, RegionSink* sink,
                                                    const ColumnWriterOptions& options);

}  // namespace basalt::segment
