#include "main/session_settings.h"

#include <algorithm>
#include <cctype>

#include "catalog/catalog.h"
#include "common/exception.h"
#include "common/pg_types.h"
#include "exec/fragment.h"
#include "exec/memory_tracker.h"

namespace basalt {

namespace {

struct DefaultSetting {
  const char* name;
  const char* value;
  // Sent to clients as ParameterStatus at startup: psql and drivers read
  // server_version, and DateStyle and integer_datetimes tell them how to
  // parse dates and timestamps (PostgreSQL's GUC_REPORT settings).
  bool reported;
};

constexpr DefaultSetting kDefaults[] = {
    {"application_name", "", true},
    {"client_encoding", "UTF8", true},
    {"DateStyle", "ISO, MDY", true},
    {"integer_datetimes", "on", true},
    {"search_path", kDefaultSchema, false},
    {"server_encoding", "UTF8", true},
    {"server_version", kPgServerVersion, true},
    {"standard_conforming_strings", "on", true},
    {"TimeZone", "UTC", true},
};

// Setting names are case-insensitive, as in PostgreSQL (SHOW datestyle).
std::string Folded(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

constexpr const char* kMemLimit = "mem_limit";
constexpr const char* kExplainInstanceLines = "explain_instance_lines";

int ParseInstanceLines(const std::string& value) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  bool digits = !value.empty() && value.size() <= 6 &&
                std::all_of(value.begin(), value.end(), is_digit);
  if (!digits) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "invalid value for {}: \"{}\" (a number of lines, 0 for none)",
               kExplainInstanceLines, value);
  }
  return std::stoi(value);
}

}  // namespace

SessionSettings::SessionSettings(int threads) {
  for (const DefaultSetting& setting : kDefaults) defaults_[Folded(setting.name)] = setting.value;
  defaults_["threads"] = std::to_string(threads);
}

void SessionSettings::Set(const std::string& name, std::string value) {
  std::string folded = Folded(name);
  if (folded == kMemLimit) ParseMemorySize(value, kMemLimit);
  if (folded == kExplainInstanceLines) ParseInstanceLines(value);
  values_[folded] = std::move(value);
}

uint64_t SessionSettings::MemoryLimit() const {
  std::string value;
  return Get(kMemLimit, &value) ? ParseMemorySize(value, kMemLimit) : 0;
}

int SessionSettings::ExplainInstanceLines() const {
  std::string value;
  return Get(kExplainInstanceLines, &value) ? ParseInstanceLines(value)
                                            : FragmentedPlan::kInstanceLines;
}

void SessionSettings::Reset(const std::string& name) { values_.erase(Folded(name)); }

bool SessionSettings::Get(const std::string& name, std::string* value) const {
  std::string folded = Folded(name);
  for (const auto* map : {&values_, &defaults_}) {
    auto it = map->find(folded);
    if (it != map->end()) {
      *value = it->second;
      return true;
    }
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::All() const {
  std::map<std::string, std::string> all = values_;
  all.insert(defaults_.begin(), defaults_.end());  // keeps the set values
  return {all.begin(), all.end()};
}

std::vector<std::pair<std::string, std::string>> SessionSettings::Reported() const {
  std::vector<std::pair<std::string, std::string>> reported;
  for (const DefaultSetting& setting : kDefaults) {
    if (!setting.reported) continue;
    std::string value;
    Get(setting.name, &value);
    reported.emplace_back(setting.name, std::move(value));
  }
  return reported;
}

}  // namespace basalt
