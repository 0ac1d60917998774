// VietQR: NAPAS 247 interbank transfer QR codes, an EMVCo merchant-presented payload
// (emv_tlv.h) whose field 38 names the beneficiary bank account or card.
//
// Layout written (tags in this order, each level sorted by ID):
//   00 "01"  01 "11" static | "12" dynamic (exactly when an amount is given)
//   38 { 00 "A000000727" (NAPAS GUID), 01 { 00 acquirer BIN, 01 account or card number },
//        02 "QRIBFTTA" (to an account) | "QRIBFTTC" (to a card) }
//   53 "704" (VND)  54 amount (whole VND, optional)  58 "VN"
//   62 { 01 bill number, 08 purpose } (when either is given)  63 CRC
// Reference: shared/reference/README.md §3; docs/implementation/vietqr.md explains the rules.
//
// Field limits when writing (EMVCo MPM gives every sub-field of 62 at most 25 characters,
// and most Vietnamese banks cut or refuse longer transfer messages):
//   BIN exactly 6 digits; account 1-19 letters or digits, card 1-19 digits; amount 1 to
//   9999999999999 (13 digits, EMVCo's limit for field 54); bill number 1-25 printable ASCII;
//   purpose 1-25 characters after FoldVietnameseToAscii (vietnamese_ascii.h). An over-long
//   purpose fails, naming its length, unless truncate_purpose is set. Empty optional texts
//   count as absent.
//
// Reading is tolerant (any tag order, lowercase CRC, extra fields such as 52/59/60 or 62.05
// kept in the tree) but checks what a bank app would: field 01 is 11 or 12, field 38 carries
// the NAPAS GUID, a 6-digit BIN, an account and a known service code, field 53 is 3 digits,
// field 58 is 2 letters, field 54 (when present) a positive whole number. Currency and
// country are reported as written, not forced to 704/VN.
//
// Contract: pure functions and plain values, thread-safe. Errors: kInvalidArgument for bad
// transfer fields given to EncodeVietQr; kMalformedQr or kQrChecksumMismatch from DecodeVietQr,
// with the dotted field path as location.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "payments/emv_tlv.h"

namespace hb::payments {

inline constexpr std::string_view kNapasGuid = "A000000727";
inline constexpr size_t kMaxAccountLength = 19;
inline constexpr size_t kMaxBillNumberLength = 25;
inline constexpr size_t kMaxPurposeLength = 25;
inline constexpr uint64_t kMaxAmount = 9'999'999'999'999;  // 13 digits

enum class VietQrService { kAccount, kCard };

// "QRIBFTTA" for an account, "QRIBFTTC" for a card.
std::string_view ServiceCode(VietQrService service);

// What the payer's banking app needs to make the transfer.
struct VietQrTransfer {
  std::string bin;      // acquirer BIN of the beneficiary's bank
  std::string account;  // account number, or card number for kCard
  VietQrService service = VietQrService::kAccount;
  std::optional<uint64_t> amount;          // whole VND; present makes the QR dynamic
  std::optional<std::string> bill_number;  // 62.01
  std::optional<std::string> purpose;      // 62.08; Vietnamese allowed, folded to ASCII
};

struct VietQrEncodeOptions {
  // Cut a purpose longer than kMaxPurposeLength (after folding) instead of failing.
  bool truncate_purpose = false;
};

// The payload string, ready for a QR code.
Result<std::string> EncodeVietQr(const VietQrTransfer& transfer,
                                 const VietQrEncodeOptions& options = {});

// The purpose exactly as EncodeVietQr writes it: folded to ASCII, checked, maybe truncated.
Result<std::string> VietQrPurpose(std::string_view text, bool truncate = false);

struct DecodedVietQr {
  VietQrTransfer transfer;
  bool dynamic = false;  // field 01 is 12
  std::string currency;  // field 53 as written ("704")
  std::string country;   // field 58 as written ("VN")
  std::string crc;       // field 63 as written
  EmvPayload tree;       // every field, including those VietQrTransfer does not hold
};

Result<DecodedVietQr> DecodeVietQr(std::string_view payload);

}  // namespace hb::payments
