#include "cluster/wire_error.h"

#include <mutex>
#include <set>

#include "common/exception.h"

namespace basalt::cluster {

const char* InternSqlstate(const std::string& code) {
  static std::mutex mutex;
  static std::set<std::string> codes;  // nodes never move: c_str() stays valid
  std::lock_guard lock(mutex);
  return codes.insert(code.size() == 5 ? code : std::string(sqlstate::kInternalError))
      .first->c_str();
}

}  // namespace basalt::cluster
