// The catalog routes of the REST API (docs/http_api.md, "Catalog"): schemas,
// their tables, a table's columns and segments. Each answer is a query over
// information_schema and sys with the names as parameters, run in an
// unrecorded Connection, so the API shows exactly what SQL clients see.
#pragma once

#include <httplib.h>

#include "main/database.h"

namespace basalt::http {

void RegisterCatalogRoutes(httplib::Server& server, Database& db);

}  // namespace basalt::http
