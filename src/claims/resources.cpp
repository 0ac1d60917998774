#include "claims/resources.h"

#include <utility>

#include "common/embedded.h"

HB_EMBEDDED(hb_claims_tables)
HB_EMBEDDED(hb_claims_field_rules)
HB_EMBEDDED(hb_claims_qd3176)
HB_EMBEDDED(hb_claims_code_lists)
HB_EMBEDDED(hb_claims_xml0)
HB_EMBEDDED(hb_claims_xml1)
HB_EMBEDDED(hb_claims_xml2)
HB_EMBEDDED(hb_claims_xml3)
HB_EMBEDDED(hb_claims_xml4)
HB_EMBEDDED(hb_claims_xml5)
HB_EMBEDDED(hb_claims_xml7)
HB_EMBEDDED(hb_claims_xml8)
HB_EMBEDDED(hb_claims_xml9)
HB_EMBEDDED(hb_claims_xml13)
HB_EMBEDDED(hb_claims_xml14)
HB_EMBEDDED(hb_claims_demo_thuoc)
HB_EMBEDDED(hb_claims_demo_dvkt)
HB_EMBEDDED(hb_claims_demo_vtyt)

namespace hb::claims {

std::string_view EmbeddedResource(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kFiles[] = {
      {"tables.csv", hb_claims_tables_view()},
      {"field-rules.csv", hb_claims_field_rules_view()},
      {"qd3176.csv", hb_claims_qd3176_view()},
      {"code-lists.csv", hb_claims_code_lists_view()},
      {"qd4750/xml0_checkin.csv", hb_claims_xml0_view()},
      {"qd4750/xml1.csv", hb_claims_xml1_view()},
      {"qd4750/xml2.csv", hb_claims_xml2_view()},
      {"qd4750/xml3.csv", hb_claims_xml3_view()},
      {"qd4750/xml4.csv", hb_claims_xml4_view()},
      {"qd4750/xml5.csv", hb_claims_xml5_view()},
      {"qd4750/xml7.csv", hb_claims_xml7_view()},
      {"qd4750/xml8.csv", hb_claims_xml8_view()},
      {"qd4750/xml9.csv", hb_claims_xml9_view()},
      {"qd4750/xml13.csv", hb_claims_xml13_view()},
      {"qd4750/xml14.csv", hb_claims_xml14_view()},
      {"demo-price-list/thuoc.csv", hb_claims_demo_thuoc_view()},
      {"demo-price-list/dvkt.csv", hb_claims_demo_dvkt_view()},
      {"demo-price-list/vtyt.csv", hb_claims_demo_vtyt_view()},
  };
  for (const auto& [n, text] : kFiles) {
    if (n == name) return text;
  }
  return {};
}

}  // namespace hb::claims
