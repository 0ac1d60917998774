// The NAPAS bank catalogue: acquirer BINs of the banks and wallets that take VietQR
// transfers, with their VietQR code, short name and legal name.
//
// The data lives in resources/catalogs/napas-banks.csv (bin,code,short_name,name; UTF-8;
// RFC 4180 quoting), embedded at build time. Banks merge and rename, so the encoder accepts
// any 6-digit BIN and uses the catalogue only to name banks; see docs/implementation/vietqr.md
// for the source and how to refresh it.
//
// Contract: NapasBanks() parses the embedded file once, on first use, and is thread-safe;
// the returned references live for the whole process. A broken embedded file is a build bug
// and aborts. ParseNapasBanksCsv fails with kInvalidArgument naming the record (the header is 1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::payments {

struct NapasBank {
  std::string bin;         // 6 digits, e.g. "970436"
  std::string code;        // VietQR bank code, e.g. "VCB"
  std::string short_name;  // e.g. "Vietcombank"
  std::string name;        // legal name in Vietnamese
};

// The embedded catalogue, sorted by BIN.
const std::vector<NapasBank>& NapasBanks();

// The bank with this BIN, or nullptr when the catalogue does not know it.
const NapasBank* FindNapasBank(std::string_view bin);

// Parses a catalogue file: header line, then one bank per line; BINs 6 digits and unique.
Result<std::vector<NapasBank>> ParseNapasBanksCsv(std::string_view csv);

}  // namespace hb::payments
