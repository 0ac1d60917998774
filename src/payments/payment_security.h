// The secrets of billing: HMAC-SHA256 signatures of bank notifications (header X-Signature,
// lowercase or uppercase hex of HMAC(secret, raw body)) and of printed receipts (the
// verification QR carries a token the server recomputes), and the payment reference that
// ties a bank transfer to its invoice ("HB" + 8 characters of Crockford base32, echoed by the
// payer's bank in the transfer text).
//
// Contract: thread-safe; comparisons of signatures take constant time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hb::payments {

std::string HmacSha256Hex(std::string_view secret, std::string_view message);
// True when `hex_signature` (either case) is HMAC-SHA256(secret, message).
bool VerifyHmacHex(std::string_view secret, std::string_view message,
                   std::string_view hex_signature);

// A fresh reference: "HB" + 8 random Crockford base32 characters (no I, L, O, U).
std::string NewPaymentReference();
// The references a transfer text may name, in order: every "HB" followed by 8 reference
// characters once spaces, dashes and dots are removed and letters upper-cased (banks and
// payers do all of these).
std::vector<std::string> FindPaymentReferences(std::string_view transfer_text);

// The receipt token: 32 hex characters of HMAC(secret, "receipt|<invoice>|<paid>").
std::string ReceiptToken(std::string_view secret, std::string_view invoice_id, int64_t paid);
// Whether `token` is the receipt token of (invoice_id, paid), compared in constant time.
bool VerifyReceiptToken(std::string_view secret, std::string_view invoice_id, int64_t paid,
                        std::string_view token);

}  // namespace hb::payments
