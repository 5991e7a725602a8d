#pragma once

#include <string_view>

namespace basalt::http {

// One file of the web console (src/http/console/, docs/http_api.md), built
// into the binary at build time by src/http/console/embed_assets.cmake. The
// views point into static storage: they live as long as the program and are
// safe to read from any thread.
struct ConsoleAsset {
  std::string_view path;          // "/index.html", "/app.js", ...
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;          // the file's bytes
};

// The console file served at `path` ("/index.html", "/app.js", ...); "/" is
// "/index.html". nullptr when none. `path` is matched exactly: no query
// string, no percent-decoding, so "/../x" simply finds nothing.
const ConsoleAsset* FindConsoleAsset(std::string_view path);

}  // namespace basalt::http
