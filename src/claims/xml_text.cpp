#include "claims/xml_text.h"

namespace hb::claims {

void AppendCdata(std::string& out, std::string_view text) {
  out += "<![CDATA[";
  size_t pos = 0;
  while (true) {
    const size_t end = text.find("]]>", pos);
    if (end == std::string_view::npos) break;
    // Split "]]>" across two sections: "]]" ends one, ">" starts the next.
    out.append(text.substr(pos, end + 2 - pos));
    out += "]]><![CDATA[";
    pos = end + 2;
  }
  out.append(text.substr(pos));
  out += "]]>";
}

}  // namespace hb::claims
