#include "shell/session.h"

#include <fmt/format.h>

#include <exception>
#include <optional>

#include "common/exception.h"
#include "shell/progress_bar.h"

namespace basalt {

QueryResult EmbeddedSession::Run(std::string_view sql) {
  // Connection::Query reports errors in its result; anything thrown is a bug
  // in the engine, reported rather than allowed to end the session.
  try {
    std::optional<ProgressBar> bar;
    if (progress_to_ != nullptr) bar.emplace([this] { return connection_.Progress(); }, *progress_to_);
    return connection_.Query(sql);
  } catch (const BasaltError& e) {
    QueryResult result;
    result.ok = false;
    result.error_code = e.code();
    result.error_message = e.what();
    result.error_position = e.position();
    return result;
  } catch (const std::exception& e) {
    QueryResult result;
    result.ok = false;
    result.error_code = sqlstate::kInternalError;
    result.error_message = fmt::format("internal error: {}", e.what());
    return result;
  }
}

}  // namespace basalt
