// The catalog as entries of the statestore's catalog topic (catalog.proto),
// both ways: the catalog node turns its catalog into entries, a replica
// turns them back into table and view entries. See docs/cluster.md, "The
// catalog service".
#pragma once

#include <map>
#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "cluster/catalog.pb.h"

namespace basalt::cluster {

inline constexpr const char* kCatalogTopic = "catalog";
// The topic's CatalogVersion; every other key holds a CatalogObject.
inline constexpr const char* kCatalogVersionKey = "version";

// Every schema, view, managed table (with its visible segments, sketches and
// statistics) and external table of `snapshot`, keyed as catalog.proto says.
// Tables held in memory (a catalog node without a data directory) exist only
// on that node and are left out.
std::map<std::string, std::string> CatalogObjectEntries(const CatalogSnapshot& snapshot);

// A table entry from its object; its segments are read from `data_dir`'s
// warehouse, by handles that never remove files (only the catalog node
// does). A damaged object is 08P01.
std::shared_ptr<TableEntry> TableFromObject(const CatalogTable& table, const std::string& data_dir);
std::shared_ptr<ViewEntry> ViewFromObject(const CatalogView& view);

}  // namespace basalt::cluster
