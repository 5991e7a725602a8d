#include "storage/file_glob.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>

#include "common/exception.h"

namespace basalt {

namespace {

constexpr const char* kAnyDepth = "**";

bool IsRegularOrLinkToFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A directory name found on disk is spliced into a pattern again, so its own
// metacharacters must not be read as pattern syntax.
std::string EscapeGlob(const std::string& literal) {
  std::string out;
  out.reserve(literal.size());
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// An empty directory stands for the current directory; joining with it keeps
// results relative ("a/b.csv", not "./a/b.csv").
std::string JoinPath(const std::string& dir, const std::string& rest) {
  if (dir.empty()) return rest;
  if (dir.back() == '/') return dir + rest;
  return dir + "/" + rest;
}

std::vector<std::string> SplitComponents(const std::string& pattern) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = pattern.find('/', start);
    parts.push_back(
        pattern.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

// Runs glob(3) and returns its matches (files and directories alike).
std::vector<std::string> PosixGlob(const std::string& pattern, bool only_dirs) {
  glob_t result;
  std::memset(&result, 0, sizeof(result));
  int flags = only_dirs ? GLOB_ONLYDIR : 0;
  int rc = ::glob(pattern.c_str(), flags, nullptr, &result);
  std::vector<std::string> out;
  if (rc == 0) {
    out.reserve(result.gl_pathc);
    for (size_t i = 0; i < result.gl_pathc; i++) out.emplace_back(result.gl_pathv[i]);
  }
  ::globfree(&result);
  if (rc == GLOB_NOSPACE) {
    ThrowError(sqlstate::kOutOfMemory, "out of memory while expanding the pattern \"{}\"", pattern);
  }
  if (rc == GLOB_ABORTED) {
    ThrowError(sqlstate::kIoError, "could not read a directory while expanding the pattern \"{}\"",
               pattern);
  }
  return out;
}

// `dir` and every directory below it, hidden ones and linked ones excepted.
std::vector<std::string> DirectoriesBelow(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> dirs{dir};
  std::error_code ec;
  fs::recursive_directory_iterator it(dir.empty() ? "." : dir,
                                      fs::directory_options::skip_permission_denied, ec);
  if (ec) return dirs;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    std::error_code status_ec;
    bool is_dir = fs::is_directory(entry.symlink_status(status_ec));
    if (!is_dir || status_ec) continue;
    if (entry.path().filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    std::string relative = entry.path().lexically_relative(dir.empty() ? "." : dir).string();
    dirs.push_back(JoinPath(dir, relative));
  }
  return dirs;
}

void ExpandInto(const std::string& pattern, std::set<std::string>* out) {
  std::vector<std::string> parts = SplitComponents(pattern);
  auto any_depth = std::find(parts.begin(), parts.end(), kAnyDepth);
  if (any_depth == parts.end()) {
    for (auto& path : PosixGlob(pattern, false)) {
      if (IsRegularOrLinkToFile(path)) out->insert(std::move(path));
    }
    return;
  }
  // Split at the first "**": directories matching the prefix, then every
  // directory below them, then the rest of the pattern inside each.
  std::string prefix, rest;
  for (auto it = parts.begin(); it != any_depth; ++it) {
    if (it != parts.begin()) prefix += '/';
    prefix += *it;
  }
  if (prefix.empty() && any_depth != parts.begin()) prefix = "/";  // "/**/x" is absolute
  for (auto it = any_depth + 1; it != parts.end(); ++it) {
    if (it != any_depth + 1) rest += '/';
    rest += *it;
  }
  if (rest.empty()) rest = "*";  // "dir/**" means every file at any depth

  std::vector<std::string> bases;
  if (prefix.empty()) {
    bases.emplace_back();
  } else if (HasGlobCharacters(prefix)) {
    for (auto& dir : PosixGlob(prefix, true)) {
      if (IsDirectory(dir)) bases.push_back(std::move(dir));
    }
  } else if (IsDirectory(prefix)) {
    bases.push_back(prefix);
  }
  for (const auto& base : bases) {
    for (const auto& dir : DirectoriesBelow(base)) {
      ExpandInto(JoinPath(EscapeGlob(dir), rest), out);
    }
  }
}

}  // namespace

bool HasGlobCharacters(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> ExpandGlob(const std::string& pattern) {
  if (!HasGlobCharacters(pattern)) {
    struct stat st;
    if (::stat(pattern.c_str(), &st) != 0) {
      int err = errno;
      const char* code =
          err == ENOENT || err == ENOTDIR ? sqlstate::kUndefinedFile : sqlstate::kIoError;
      ThrowError(code, "could not open file \"{}\": {}", pattern, std::strerror(err));
    }
    return {pattern};
  }
  std::set<std::string> matches;
  ExpandInto(pattern, &matches);
  if (matches.empty()) {
    if (IsRegularOrLinkToFile(pattern)) return {pattern};
    ThrowError(sqlstate::kUndefinedFile, "No files found that match the pattern \"{}\"", pattern);
  }
  // std::set already orders by byte value.
  return {matches.begin(), matches.end()};
}

}  // namespace basalt
