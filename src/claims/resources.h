// The data files of the claims module, linked into the binary (hb_embed in CMakeLists.txt):
// the official table definitions, our field rules, the code lists and the QĐ 3176
// differences, and the demo province's price list (resources/catalogs/claims/).
//
// Contract: thread-safe; the views live for the whole process. An unknown name returns an
// empty view.
#pragma once

#include <string_view>
#include <vector>

namespace hb::claims {

// `name` relative to resources/catalogs/claims/, e.g. "qd4750/xml1.csv", "code-lists.csv".
std::string_view EmbeddedResource(std::string_view name);

}  // namespace hb::claims
