// `healthbook vietqr encode|decode`: VietQR transfer payloads from the command line.
//   encode --bin BIN --account NUMBER [--card] [--amount VND] [--bill TEXT] [--purpose TEXT]
//          [--truncate-purpose] [--svg FILE] [--png FILE]   prints the payload on one line
//   decode PAYLOAD   prints its fields as one JSON object on one line
// Both exit 1 with the reason on stderr (a bad field, a CRC or structure error, a file that
// cannot be written). The rules live in src/payments (docs/implementation/vietqr.md).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "app/commands.h"
#include "payments/napas_banks.h"
#include "payments/qr_image.h"
#include "payments/vietqr.h"

namespace hb::app {

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "healthbook vietqr: %s\n", message.c_str());
  return 1;
}

// Every issue of a failing status, the first one the headline.
int Fail(const Status& status) {
  for (size_t i = 0; i < status.issues().size(); ++i) {
    std::fprintf(stderr, "healthbook vietqr: %s%s\n",
                 i == 0 ? "" : "also: ", status.issues()[i].message.c_str());
  }
  return 1;
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  return !out.fail();
}

// --amount as typed: digits only, so "10.000" or "1e6" (thousands separators, floats) are
// refused rather than read as something else.
Result<uint64_t> ParseAmount(std::string text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  "--amount must be a whole number of VND in digits, got '" + text + "'");
  }
  text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
  if (text.size() > 13) {
    return Status(ErrorCode::kInvalidArgument,
                  "amount " + text + " VND has more than 13 digits, the EMVCo limit of field 54");
  }
  return std::stoull(text);
}

void String(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key,
            const std::optional<std::string>& value) {
  w.Key(key);
  if (value) {
    w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()), true);
  } else {
    w.Null();
  }
}

}  // namespace

int RunVietQrEncode(const VietQrEncodeArgs& args) {
  payments::VietQrTransfer transfer;
  transfer.bin = args.bin;
  transfer.account = args.account;
  transfer.service = args.card ? payments::VietQrService::kCard : payments::VietQrService::kAccount;
  if (args.amount) {
    auto amount = ParseAmount(*args.amount);
    if (!amount.ok()) return Fail(amount.status());
    transfer.amount = *amount;
  }
  transfer.bill_number = args.bill;
  transfer.purpose = args.purpose;
  payments::VietQrEncodeOptions options;
  options.truncate_purpose = args.truncate_purpose;
  auto payload = payments::EncodeVietQr(transfer, options);
  if (!payload.ok()) return Fail(payload.status());

  // Any 6-digit BIN is encoded (the catalogue lags behind new banks), but a typo is likely.
  if (payments::FindNapasBank(args.bin) == nullptr) {
    std::fprintf(stderr, "healthbook vietqr: warning: BIN %s is not in the NAPAS catalogue\n",
                 args.bin.c_str());
  }
  if (!args.svg.empty() || !args.png.empty()) {
    auto qr = payments::MakeQrMatrix(*payload, payments::QrEcc::kMedium);
    if (!qr.ok()) return Fail(qr.status());
    if (!args.svg.empty() && !WriteFile(args.svg, payments::QrSvg(*qr))) {
      return Fail("cannot write " + args.svg);
    }
    if (!args.png.empty()) {
      auto png = payments::QrPng(*qr);
      if (!png.ok()) return Fail(png.status());
      if (!WriteFile(args.png, *png)) return Fail("cannot write " + args.png);
    }
  }
  std::printf("%s\n", payload->c_str());
  return 0;
}

int RunVietQrDecode(const std::string& payload) {
  auto decoded = payments::DecodeVietQr(payload);
  if (!decoded.ok()) return Fail(decoded.status());
  const payments::VietQrTransfer& t = decoded->transfer;
  const payments::NapasBank* bank = payments::FindNapasBank(t.bin);

  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  String(w, "initiation", std::string(decoded->dynamic ? "dynamic" : "static"));
  String(w, "bin", t.bin);
  String(w, "bank", bank ? std::optional<std::string>(bank->short_name) : std::nullopt);
  String(w, "account", t.account);
  String(w, "service", std::string(payments::ServiceCode(t.service)));
  w.Key("amount");
  if (t.amount) {
    w.Uint64(*t.amount);
  } else {
    w.Null();
  }
  String(w, "currency", decoded->currency);
  String(w, "country", decoded->country);
  String(w, "bill_number", t.bill_number);
  String(w, "purpose", t.purpose);
  String(w, "crc", decoded->crc);
  w.EndObject();
  std::printf("%s\n", out.GetString());
  return 0;
}

}  // namespace hb::app
