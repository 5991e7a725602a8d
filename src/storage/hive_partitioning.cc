#include "storage/hive_partitioning.h"

namespace basalt {

std::vector<std::pair<std::string, std::string>> ParseHivePartitions(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> result;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    // The last component is the file, not a directory.
    if (slash == std::string::npos) break;
    std::string component = path.substr(start, slash - start);
    start = slash + 1;
    size_t eq = component.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string key = component.substr(0, eq);
    std::string value = component.substr(eq + 1);
    bool replaced = false;
    for (auto& entry : result) {
      if (entry.first == key) {
        entry.second = value;
        replaced = true;
      }
    }
    if (!replaced) result.emplace_back(std::move(key), std::move(value));
  }
  return result;
}

}  // namespace basalt
