// Writing text into XML by hand (the tables are written as strings, which is several times
// faster than building a DOM): CDATA sections that survive a "]]>" inside the text. Escaping
// for element content is common/xml_escape.h's AppendXmlEscaped.
#pragma once

#include <string>
#include <string_view>

namespace hb::claims {

void AppendCdata(std::string& out, std::string_view text);

}  // namespace hb::claims
