// Assembling LIST and STRUCT values from the repetition and definition levels
// of a nested column's leaves (docs/parquet.md, "Nested columns").
//
// A nested column is a tree of ParquetNestedNodes built from the schema
// (parquet_reader.cc); each leaf is one column chunk, read by a
// ParquetColumnReader as (repetition, definition, value) triplets for whole
// records. Assembly walks the tree once per row, consuming triplets from the
// leaves under each node: a definition level below a node's own marks it NULL
// (or, for a list, empty), and a repetition level equal to a list's own
// starts its next element. Values come out in Basalt's encoding
// (common/nested_value.h).
//
// Damaged levels (a leaf with fewer triplets than the tree needs, levels
// beyond the maxima, leaves that disagree) raise parquet::ParquetDecodeError;
// nothing is read outside the buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/vector.h"

namespace basalt {

struct ParquetNestedNode {
  enum class Kind : uint8_t { kLeaf, kList, kStruct };
  Kind kind = Kind::kLeaf;
  LogicalType type;       // the Basalt type of this node's values
  bool nullable = false;  // OPTIONAL: a definition level below def_level is NULL
  int16_t def_level = 0;  // the definition level at which the value is present
  // A list: the definition level of a present element slot (the repeated
  // field defined), and the repetition level that starts a next element.
  int16_t element_def = 0;
  int16_t rep_level = 0;
  std::vector<std::shared_ptr<const ParquetNestedNode>> children;  // list: one
  // The leaves under this node, relative to the column's first leaf.
  size_t first_leaf = 0;
  size_t leaf_count = 1;
};

// Some whole records of one leaf: a triplet per (rep, def), and the element
// form (nested_value.h) of each present value, one per def == max.
struct ParquetLeafLevels {
  std::vector<uint16_t> reps;
  std::vector<uint16_t> defs;
  std::string values;
  std::vector<uint32_t> value_ends;  // values[end[k-1], end[k]) is value k
  void Clear() {
    reps.clear();
    defs.clear();
    values.clear();
    value_ends.clear();
  }
};

// Writes `count` rows of the column rooted at `root` into rows [0, count) of
// flat vector `out` (the column's LIST / STRUCT type) from the leaves'
// triplets, which must hold exactly `count` records.
void AssembleNestedValues(const ParquetNestedNode& root, const std::vector<ParquetLeafLevels>& leaves,
                          idx_t count, Vector& out);

}  // namespace basalt
