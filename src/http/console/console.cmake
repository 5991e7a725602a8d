# The web console (docs/http_api.md): every file in src/http/console/ but the
# CMake ones, built into basalt_http as byte arrays behind
# src/http/console_assets.h. Included from the top-level CMakeLists.txt after
# basalt_http is declared.
#
# The arrays are generated at build time and the command depends on each
# file, so editing the console rebuilds the binary; CONFIGURE_DEPENDS re-globs
# on each build, so adding or removing a file is noticed too.
set(BASALT_CONSOLE_DIR ${CMAKE_SOURCE_DIR}/src/http/console)
file(GLOB basalt_console_files CONFIGURE_DEPENDS ${BASALT_CONSOLE_DIR}/*)
# Not served: CMake files, hidden files and editor backups.
list(FILTER basalt_console_files EXCLUDE REGEX "\\.cmake$")
list(FILTER basalt_console_files EXCLUDE REGEX "/\\.[^/]*$")
list(FILTER basalt_console_files EXCLUDE REGEX "~$")
list(JOIN basalt_console_files "|" basalt_console_assets_arg)

set(BASALT_CONSOLE_ASSETS_CC ${CMAKE_BINARY_DIR}/generated/http/console_assets.cc)
add_custom_command(
  OUTPUT ${BASALT_CONSOLE_ASSETS_CC}
  COMMAND ${CMAKE_COMMAND} "-DASSETS=${basalt_console_assets_arg}"
          -DOUTPUT=${BASALT_CONSOLE_ASSETS_CC} -P ${BASALT_CONSOLE_DIR}/embed_assets.cmake
  DEPENDS ${basalt_console_files} ${BASALT_CONSOLE_DIR}/embed_assets.cmake
  COMMENT "Embedding the web console (src/http/console) into basalt_http"
  VERBATIM)
target_sources(basalt_http PRIVATE ${BASALT_CONSOLE_ASSETS_CC})
