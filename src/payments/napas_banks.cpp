#include "payments/napas_banks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/embedded.h"

HB_EMBEDDED(hb_catalog_napas_banks)

namespace hb::payments {

namespace {

Status LineError(size_t line, const std::string& message) {
  return Status(ErrorCode::kInvalidArgument,
                "napas-banks.csv line " + std::to_string(line) + ": " + message);
}

// Splits one CSV record: commas separate fields, a field in double quotes may hold commas,
// and "" inside quotes is one quote.
Result<std::vector<std::string>> SplitRecord(std::string_view record, size_t line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted) {
      if (c != '"') {
        fields.back() += c;
      } else if (i + 1 < record.size() && record[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return LineError(line, "unterminated quoted field");
  return fields;
}

}  // namespace

Result<std::vector<NapasBank>> ParseNapasBanksCsv(std::string_view csv) {
  std::vector<NapasBank> banks;
  size_t line = 0;
  bool header = true;
  while (!csv.empty()) {
    const size_t end = csv.find('\n');
    std::string_view record = csv.substr(0, end);
    csv = end == std::string_view::npos ? std::string_view() : csv.substr(end + 1);
    ++line;
    if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
    if (record.empty()) continue;
    HB_ASSIGN_OR_RETURN(std::vector<std::string> fields, SplitRecord(record, line));
    if (header) {
      header = false;
      if (fields != std::vector<std::string>{"bin", "code", "short_name", "name"}) {
        return LineError(line, "the header must be bin,code,short_name,name");
      }
      continue;
    }
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
