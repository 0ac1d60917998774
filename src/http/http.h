// The http module in one include: Server, Router, StaticFiles and the URL helpers.
// See each header's contract. Knows nothing of FHIR.
#pragma once

#include "http/message.h"
#include "http/query.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
