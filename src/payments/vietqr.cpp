#include "payments/vietqr.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

#include "payments/vietnamese_ascii.h"

namespace hb::payments {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

std::string ByteText(char c) {
  if (IsEmvChar(c)) return std::string{'\'', c, '\''};
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(c));
  return hex;
}

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

Status Malformed(std::string message, std::string location) {
  return Status(ErrorCode::kMalformedQr, std::move(message), std::move(location));
}

// A free-text field written as is: printable ASCII within `limit` characters.
Status CheckText(std::string_view what, std::string_view text, size_t limit) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsEmvChar(text[i])) {
      return Invalid(std::string(what) + " must be printable ASCII; found " + ByteText(text[i]) +
                     " at position " + std::to_string(i));
    }
  }
  if (text.size() > limit) {
    return Invalid(std::string(what) + " is " + std::to_string(text.size()) +
                   " characters; the limit is " + std::to_string(limit));
  }
  return Status::Ok();
}

Status CheckTransfer(const VietQrTransfer& t) {
  if (t.bin.size() != 6 || !AllDigits(t.bin)) {
    return Invalid("BIN must be 6 digits, got '" + t.bin + "'");
  }
  const bool card = t.service == VietQrService::kCard;
  const char* what = card ? "card number" : "account number";
  if (t.account.empty()) return Invalid(std::string(what) + " is empty");
  for (size_t i = 0; i < t.account.size(); ++i) {
    const char c = t.account[i];
    if (card ? !IsDigit(c) : !IsAlnum(c)) {
      return Invalid(std::string(what) +
                     (card ? " may hold digits only" : " may hold letters and digits only") +
                     "; found " + ByteText(c) + " at position " + std::to_string(i));
    }
  }
  if (t.account.size() > kMaxAccountLength) {
    return Invalid(std::string(what) + " is " + std::to_string(t.account.size()) +
                   " characters; VietQR allows at most " + std::to_string(kMaxAccountLength));
  }
  if (t.amount) {
    if (*t.amount == 0) return Invalid("amount must be a positive number of VND, got 0");
    if (*t.amount > kMaxAmount) {
      return Invalid("amount " + std::to_string(*t.amount) +
                     " VND has more than 13 digits, the EMVCo limit of field 54");
    }
  }
  if (t.bill_number && !t.bill_number->empty()) {
    HB_RETURN_IF_ERROR(CheckText("bill number", *t.bill_number, kMaxBillNumberLength));
  }
  return Status::Ok();
}

// The value of a mandatory field, or an error naming it.
Result<const TlvField*> Require(const EmvPayload& tree, std::string_view path,
                                std::string_view description) {
  const TlvField* f = tree.Find(path);
  if (f == nullptr) {
    return Malformed("missing field " + std::string(path) + " (" + std::string(description) + ")",
                     std::string(path));
  }
  return f;
}

}  // namespace

std::string_view ServiceCode(VietQrService service) {
  return service == VietQrService::kCard ? "QRIBFTTC" : "QRIBFTTA";
}

Result<std::string> VietQrPurpose(std::string_view text, bool truncate) {
  auto folded = FoldVietnameseToAscii(text);
  if (!folded.ok()) return Invalid("purpose: " + folded.status().message());
  std::string purpose = std::move(folded).value();
  for (size_t i = 0; i < purpose.size(); ++i) {
    if (!IsEmvChar(purpose[i])) {
      return Invalid("purpose must be printable text; found " + ByteText(purpose[i]) +
                     " at position " + std::to_string(i));
    }
  }
  if (purpose.size() > kMaxPurposeLength) {
    if (!truncate) {
      return Invalid("purpose is " + std::to_string(purpose.size()) +
                     " characters without diacritics; the limit is " +
                     std::to_string(kMaxPurposeLength) + " (use the truncate option to cut it)");
    }
    purpose.resize(kMaxPurposeLength);
    // A cut that ends in spaces would send trailing blanks some banks reject.
    while (!purpose.empty() && purpose.back() == ' ') purpose.pop_back();
  }
  return purpose;
}

Result<std::string> EncodeVietQr(const VietQrTransfer& transfer,
                                 const VietQrEncodeOptions& options) {
  HB_RETURN_IF_ERROR(CheckTransfer(transfer));
  std::vector<TlvField> additional;
  if (transfer.bill_number && !transfer.bill_number->empty()) {
    additional.push_back(Primitive("01", *transfer.bill_number));
  }
  if (transfer.purpose && !transfer.purpose->empty()) {
    HB_ASSIGN_OR_RETURN(std::string purpose,
                        VietQrPurpose(*transfer.purpose, options.truncate_purpose));
    if (!purpose.empty()) additional.push_back(Primitive("08", std::move(purpose)));
  }

  std::vector<TlvField> fields;
  fields.push_back(Primitive("00", "01"));
  fields.push_back(Primitive("01", transfer.amount ? "12" : "11"));
  fields.push_back(Template(
      "38", {Primitive("00", std::string(kNapasGuid)),
             Template("01", {Primitive("00", transfer.bin), Primitive("01", transfer.account)}),
             Primitive("02", std::string(ServiceCode(transfer.service)))}));
  fields.push_back(Primitive("53", "704"));
  if (transfer.amount) fields.push_back(Primitive("54", std::to_string(*transfer.amount)));
  fields.push_back(Primitive("58", "VN"));
  if (!additional.empty()) fields.push_back(Template("62", std::move(additional)));
  return EncodeEmv(std::move(fields));
}

Result<DecodedVietQr> DecodeVietQr(std::string_view payload) {
  EmvDecodeOptions options;
  options.extra_templates = {"38.01"};  // NAPAS nests the beneficiary organisation
  HB_ASSIGN_OR_RETURN(EmvPayload tree, DecodeEmv(payload, options));
  DecodedVietQr out;
  VietQrTransfer& t = out.transfer;

  HB_ASSIGN_OR_RETURN(const TlvField* initiation, Require(tree, "01", "point of initiation"));
  if (initiation->value != "11" && initiation->value != "12") {
    return Malformed("field 01 (point of initiation) must be 11 (static) or 12 (dynamic), found '" +
                         initiation->value + "'",
                     "01");
  }
  out.dynamic = initiation->value == "12";

  if (tree.Find("38") == nullptr) {
    return Malformed("missing field 38 (VietQR beneficiary): not a VietQR payload", "38");
  }
  HB_ASSIGN_OR_RETURN(const TlvField* guid, Require(tree, "38.00", "NAPAS GUID"));
  std::string guid_upper = guid->value;
  for (char& c : guid_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (guid_upper != kNapasGuid) {
    return Malformed("wrong GUID in field 38.00: expected " + std::string(kNapasGuid) +
                         " (NAPAS), found '" + guid->value + "'",
                     "38.00");
  }
  HB_RETURN_IF_ERROR(Require(tree, "38.01", "beneficiary organisation").status());
  HB_ASSIGN_OR_RETURN(const TlvField* bin, Require(tree, "38.01.00", "acquirer BIN"));
  if (bin->value.size() != 6 || !AllDigits(bin->value)) {
    return Malformed("field 38.01.00 (acquirer BIN) must be 6 digits, found '" + bin->value + "'",
                     "38.01.00");
  }
  t.bin = bin->value;
  HB_ASSIGN_OR_RETURN(const TlvField* account, Require(tree, "38.01.01", "account or card number"));
  t.account = account->value;
  HB_ASSIGN_OR_RETURN(const TlvField* service, Require(tree, "38.02", "service code"));
  if (service->value == ServiceCode(VietQrService::kAccount)) {
    t.service = VietQrService::kAccount;
  } else if (service->value == ServiceCode(VietQrService::kCard)) {
    t.service = VietQrService::kCard;
  } else {
    return Malformed(
        "field 38.02 (service code) must be QRIBFTTA (account) or QRIBFTTC (card), "
        "found '" +
            service->value + "'",
        "38.02");
  }

  HB_ASSIGN_OR_RETURN(const TlvField* currency, Require(tree, "53", "transaction currency"));
  if (currency->value.size() != 3 || !AllDigits(currency->value)) {
    return Malformed(
        "field 53 (currency) must be an ISO 4217 numeric code, found '" + currency->value + "'",
        "53");
  }
  out.currency = currency->value;
  if (const TlvField* amount = tree.Find("54")) {
    const std::string& v = amount->value;
    const bool positive = std::any_of(v.begin(), v.end(), [](char c) { return c != '0'; });
    if (!AllDigits(v) || !positive || v.size() > 13) {
      return Malformed(
          "field 54 (amount) must be a positive whole number of VND, found '" + v + "'", "54");
    }
    t.amount = std::stoull(v);
  }
  HB_ASSIGN_OR_RETURN(const TlvField* country, Require(tree, "58", "country code"));
  const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (country->value.size() != 2 ||
      !std::all_of(country->value.begin(), country->value.end(), is_upper)) {
    return Malformed(
        "field 58 (country) must be an ISO 3166 alpha-2 code, found '" + country->value + "'",
        "58");
  }
  out.country = country->value;
  if (const TlvField* bill = tree.Find("62.01")) t.bill_number = bill->value;
  if (const TlvField* purpose = tree.Find("62.08")) t.purpose = purpose->value;
  out.crc = tree.crc;
  out.tree = std::move(tree);
  return out;
}

}  // namespace hb::payments
