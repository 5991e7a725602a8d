// The column writer of VARCHAR.
//
// A string column starts out collecting a segment-wide dictionary: each row
// is kept only as a provisional code (4 bytes) and each distinct string once.
// At Finish, if the dictionary is smaller than the strings it replaces, the
// codes are renumbered in sorted order, written per block as an integer
// stream (BlockEncoding::kDictionary), and the dictionary and the bitmap
// index follow. If the dictionary outgrows kMaxDictionaryValues /
// kMaxDictionaryBytes while collecting, or does not pay at the end, every
// block is encoded on its own instead: a sorted block dictionary with
// bit-packed codes when the block repeats values enough, plain (lengths plus
// bytes) otherwise, whichever is smaller.
#pragma once

#include <memory>
#include <string>

#include "storage/segment/column_writer.h"

namespace basalt::segment {

std::unique_ptr<ColumnWriter> MakeStringColumnWriter(const std::string& name,
                                                     const LogicalType& type, RegionSink* sink,
                                                     const ColumnWriterOptions& options);

}  // namespace basalt::segment
