#include "payments/napas_banks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/csv.h"
#include "common/embedded.h"

HB_EMBEDDED(hb_catalog_napas_banks)

namespace hb::payments {

namespace {

Status LineError(size_t line, const std::string& message) {
  return Status(ErrorCode::kInvalidArgument,
                "napas-banks.csv record " + std::to_string(line) + ": " + message);
}

}  // namespace

Result<std::vector<NapasBank>> ParseNapasBanksCsv(std::string_view csv) {
  std::vector<NapasBank> banks;
  HB_ASSIGN_OR_RETURN(auto rows, ParseCsv(csv, "napas-banks.csv"));
  if (rows.empty() || rows[0] != std::vector<std::string>{"bin", "code", "short_name", "name"}) {
    return LineError(1, "the header must be bin,code,short_name,name");
  }
  for (size_t line = 2; line <= rows.size(); ++line) {  // records counted from the header's 1
    const std::vector<std::string>& fields = rows[line - 1];
    if (fields.size() != 4) {
      return LineError(line, std::to_string(fields.size()) + " fields, expected 4");
    }
    NapasBank bank{fields[0], fields[1], fields[2], fields[3]};
    if (bank.bin.size() != 6 || !std::all_of(bank.bin.begin(), bank.bin.end(),
                                             [](char c) { return c >= '0' && c <= '9'; })) {
      return LineError(line, "BIN '" + bank.bin + "' is not 6 digits");
    }
    if (bank.short_name.empty() || bank.name.empty()) {
      return LineError(line, "short_name and name are required");
    }
    banks.push_back(std::move(bank));
  }
  std::sort(banks.begin(), banks.end(),
            [](const NapasBank& a, const NapasBank& b) { return a.bin < b.bin; });
  for (size_t i = 1; i < banks.size(); ++i) {
    if (banks[i].bin == banks[i - 1].bin) {
      return Status(ErrorCode::kInvalidArgument,
                    "napas-banks.csv: BIN " + banks[i].bin + " appears twice");
    }
  }
  return banks;
}

const std::vector<NapasBank>& NapasBanks() {
  static const std::vector<NapasBank> kBanks = [] {
    auto parsed = ParseNapasBanksCsv(hb_catalog_napas_banks_view());
    if (!parsed.ok()) {
      std::fprintf(stderr, "embedded %s\n", parsed.status().message().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return kBanks;
}

const NapasBank* FindNapasBank(std::string_view bin) {
  const auto& banks = NapasBanks();
  auto it = std::lower_bound(banks.begin(), banks.end(), bin,
                             [](const NapasBank& b, std::string_view key) { return b.bin < key; });
  return it != banks.end() && it->bin == bin ? &*it : nullptr;
}

}  // namespace hb::payments
