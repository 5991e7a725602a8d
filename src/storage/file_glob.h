// Turns a file name or a glob pattern, as written in COPY ... FROM or
// read_csv('data/*.csv'), into the list of files to read.
#pragma once

#include <string>
#include <vector>

namespace basalt {

// Returns the files named by `pattern`, sorted by byte order so a multi-file
// scan reads them in a stable order.
//
// - A pattern without glob characters is a plain path: it is returned as is
//   when it exists, otherwise 58P01 `could not open file "x": No such file or
//   directory`.
// - `*`, `?` and `[...]` follow POSIX glob(3): they do not cross `/` and do
//   not match a leading dot. Only files, not directories, are returned.
// - A path component that is exactly `**` matches zero or more directories
//   ("logs/**/*.csv" finds every .csv below logs/). Hidden directories are not
//   descended into and symbolic links to directories are not followed, so a
//   link cycle cannot make the walk endless.
// - A pattern that matches nothing raises 58P01 `No files found that match the
//   pattern "x"`, unless the pattern itself names an existing file (a file may
//   be called "a[1].csv").
//
// Thread-safe: no shared state.
std::vector<std::string> ExpandGlob(const std::string& pattern);

// Whether `pattern` contains glob metacharacters (`*`, `?`, `[`).
bool HasGlobCharacters(const std::string& pattern);

}  // namespace basalt
