// Errors that cross nodes keep their SQLSTATE. BasaltError holds its code as
// a pointer to a string that lives for ever, so codes read from the wire are
// interned here.
#pragma once

#include <string>

namespace basalt::cluster {

// The interned copy of a five-character SQLSTATE; XX000 for anything else.
const char* InternSqlstate(const std::string& code);

}  // namespace basalt::cluster
