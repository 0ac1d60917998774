#include "payments/receipt_html.h"

#include "common/xml_escape.h"
#include "payments/qr_image.h"
#include "payments/vnd.h"

namespace hb::payments {

namespace {

std::string Row(std::string_view vi, std::string_view en, int64_t amount) {
  return "<tr><th>" + XmlEscaped(vi) + " <small>(" + XmlEscaped(en) + ")</small></th><td class=\"n\">" +
         FormatVnd(amount) + " đ</td></tr>\n";
}

std::string MethodVi(std::string_view m) {
  if (m == "vietqr") return "Chuyển khoản VietQR";
  if (m == "pos-card") return "Thẻ (POS)";
  if (m == "mobile-money") return "Ví điện tử";
  if (m == "cash") return "Tiền mặt";
  return std::string(m);
}

}  // namespace

std::string ReceiptHtml(const ReceiptInput& in) {
  const InvoiceState& inv = in.invoice;
  std::string qr;
  if (auto m = MakeQrMatrix(in.verify_url); m.ok()) qr = QrSvg(*m);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
      "<title>Biên lai " +
      XmlEscaped(inv.reference) +
      "</title><style>"
      "body{font-family:sans-serif;max-width:40em;margin:1em auto}"
      "td.n{text-align:right}th{text-align:left;font-weight:normal}"
      "table{width:100%;border-collapse:collapse}tr{border-bottom:1px solid #ccc}"
      ".qr svg{width:9em;height:9em}@media print{button{display:none}}</style></head><body>\n";
  h += "<h1>BIÊN LAI THU TIỀN <small>(Receipt)</small></h1>\n";
  h += "<p>" + XmlEscaped(in.facility_name) + " — mã cơ sở " + XmlEscaped(in.facility_code) + "</p>\n";
  h += "<p>Số hóa đơn <small>(Invoice)</small>: <b>" + XmlEscaped(inv.reference) + "</b> (Invoice/" +
       XmlEscaped(inv.id) + ")<br>Người bệnh <small>(Patient)</small>: " + XmlEscaped(inv.patient_ref) +
       "<br>Trạng thái <small>(Status)</small>: " +
       (inv.Cancelled()              ? "ĐÃ HỦY (cancelled): " + XmlEscaped(inv.cancelled_reason)
        : inv.status == "balanced" ? std::string("Đã thanh toán đủ (paid)")
                                   : std::string("Còn nợ (open)")) +
       "</p>\n";
  h += "<table>\n";
  h += Row("Tổng chi phí", "gross", inv.gross);
  h += Row("Quỹ BHYT chi trả", "insurance share", inv.insurance);
  h += Row("Người bệnh chi trả", "patient share", inv.patient_share);
  h += Row("Đã thu", "received", inv.paid);
  h += Row("Còn phải thu", "balance", inv.Balance());
  h += "</table>\n<h2>Các khoản đã thu <small>(Payments)</small></h2>\n<table>\n";
  for (const ReceiptPayment& p : in.payments) {
    h += "<tr><td>" + XmlEscaped(p.date) + "</td><td>" + XmlEscaped(MethodVi(p.method)) + "</td><td>" +
         XmlEscaped(p.txn) + "</td><td class=\"n\">" + FormatVnd(p.amount) + " đ</td></tr>\n";
  }
  h += "</table>\n<div class=\"qr\"><p>Quét mã để xác thực biên lai "
       "<small>(scan to verify)</small>:</p>" +
       qr + "<p><small>" + XmlEscaped(in.verify_url) + "</small></p></div>\n</body></html>\n";
  return h;
}

}  // namespace hb::payments
