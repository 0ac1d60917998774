// Writing text into XML by hand (the tables are written as strings, which is several times
// faster than building a DOM): escaping for element content, and CDATA sections that
// survive a "]]>" inside the text.
#pragma once

#include <string>
#include <string_view>

namespace hb::claims {

void AppendEscaped(std::string& out, std::string_view text);
void AppendCdata(std::string& out, std::string_view text);

}  // namespace hb::claims
