#include "storage/parquet/parquet_nested_reader.h"

#include "common/nested_value.h"
#include "storage/parquet/parquet_error.h"

namespace basalt {

namespace {

using parquet::ParquetDecodeError;
using Kind = ParquetNestedNode::Kind;

class Assembler {
 public:
  explicit Assembler(const std::vector<ParquetLeafLevels>& leaves)
      : leaves_(leaves), cursor_(leaves.size(), 0), value_(leaves.size(), 0) {}

  // Appends the payload of `n`'s next value to `out`; false (and nothing
  // appended) when it is NULL.
  bool Assemble(const ParquetNestedNode& n, std::string* out) {
    const uint16_t def = Def(n.first_leaf);
    if (def < n.def_level) {
      if (!n.nullable) throw ParquetDecodeError("a definition level skips a required field");
      Skip(n);
      return false;
    }
    switch (n.kind) {
      case Kind::kLeaf: {
        size_t leaf = n.first_leaf;
        const ParquetLeafLevels& l = leaves_[leaf];
        size_t k = value_[leaf]++;
        if (k >= l.value_ends.size()) throw ParquetDecodeError("a leaf has fewer values than levels");
        uint32_t begin = k == 0 ? 0 : l.value_ends[k - 1];
        out->append(l.values, begin, l.value_ends[k] - begin);
        cursor_[leaf]++;
        return true;
      }
      case Kind::kStruct: {
        NestedBuilder b;
        for (const auto& child : n.children) AppendItem(*child, &b);
        b.FinishStructInto(out);
        return true;
      }
      case Kind::kList: {
        NestedBuilder b;
        if (def < n.element_def) {
          Skip(n);  // an empty list: one triplet in each leaf below
        } else {
          const ParquetNestedNode& element = *n.children[0];
          const ParquetLeafLevels& first = leaves_[n.first_leaf];
          while (true) {
            AppendItem(element, &b);
            size_t k = cursor_[n.first_leaf];
            if (k >= first.reps.size() || first.reps[k] != n.rep_level) break;
          }
        }
        b.FinishListInto(out);
        return true;
      }
    }
    return false;
  }

  // Every leaf must have been consumed exactly.
  void CheckDone() const {
    for (size_t i = 0; i < leaves_.size(); i++) {
      if (cursor_[i] != leaves_[i].defs.size() || value_[i] != leaves_[i].value_ends.size()) {
        throw ParquetDecodeError("the leaves of a nested column disagree on its records");
      }
    }
  }

 private:
  uint16_t Def(size_t leaf) const {
    size_t k = cursor_[leaf];
    if (k >= leaves_[leaf].defs.size()) {
      throw ParquetDecodeError("a leaf of a nested column has fewer levels than its records need");
    }
    return leaves_[leaf].defs[k];
  }

  void AppendItem(const ParquetNestedNode& n, NestedBuilder* b) {
    std::string item;
    if (!Assemble(n, &item)) {
      b->AppendNull();
      return;
    }
    std::string* body = b->AppendValid();
    // A leaf's bytes are already its element form; a nested value gets its length.
    if (n.kind != Kind::kLeaf) PutVarint(body, item.size());
    body->append(item);
  }

  void Skip(const ParquetNestedNode& n) {
    for (size_t i = n.first_leaf; i < n.first_leaf + n.leaf_count; i++) {
      if (cursor_[i] >= leaves_[i].defs.size()) {
        throw ParquetDecodeError("a leaf of a nested column has fewer levels than its records need");
      }
      cursor_[i]++;
    }
  }

  const std::vector<ParquetLeafLevels>& leaves_;
  std::vector<size_t> cursor_;  // per leaf: the next triplet
  std::vector<size_t> value_;   // per leaf: the next present value
};

}  // namespace

void AssembleNestedValues(const ParquetNestedNode& root, const std::vector<ParquetLeafLevels>& leaves,
                          idx_t count, Vector& out) {
  Assembler assembler(leaves);
  std::string value;
  for (idx_t row = 0; row < count; row++) {
    value.clear();
    if (assembler.Assemble(root, &value)) {
      out.SetString(row, value);
    } else {
      out.SetNull(row);
    }
  }
  assembler.CheckDone();
}

}  // namespace basalt
