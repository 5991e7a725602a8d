// DatabaseInstance::Settings, beside GetSetting (database.cc): the list
// pg_catalog.pg_settings shows.
#include <set>

#include "main/database_instance.h"

namespace basalt {

namespace {
// The settings GetSetting answers without a SET; keep in step with it.
constexpr const char* kBuiltInSettings[] = {"search_path", "server_version", "threads"};
}  // namespace

std::vector<std::pair<std::string, std::string>> DatabaseInstance::Settings() const {
  std::set<std::string> names(std::begin(kBuiltInSettings), std::end(kBuiltInSettings));
  {
    std::lock_guard<std::mutex> lock(settings_mutex_);
    for (const auto& [name, _] : settings_) names.insert(name);
  }
  std::vector<std::pair<std::string, std::string>> settings;
  for (const auto& name : names) {
    std::string value;
    if (GetSetting(name, &value)) settings.emplace_back(name, std::move(value));
  }
  return settings;
}

}  // namespace basalt
