// The national card-history service (tra cứu thông tin thẻ và lịch sử khám chữa bệnh):
// the request reception sends for an insurance card, the answer it reads, and what the
// answer changes in the insurance check.
//
// [unconfirmed] The real BHXH interface is not public. The contract here is the one our
// simulator (tests/simulators/card_history.py) speaks, modelled on what hospital systems
// describe: a JSON POST {maThe, hoTen, ngaySinh} answered by {maKetQua, ghiChu, maThe,
// gtTheTu, gtTheDen, maDKBD, maTheMoi, gtTheTuMoi, gtTheDenMoi, dsLichSuKCB[...]}. Every
// field name lives in kFields below and nowhere else, so adapting to the real service
// touches this file only. Result codes (maKetQua), also [unconfirmed]:
//   000, 001, 002, 004  the card is valid (004: a new card was issued, the old one still
//                        holds); 003  the old card ended, a new one was issued (maTheMoi);
//   010  expired; 050  no such card; 110  withdrawn; 120  reported reduced (báo giảm);
//   051, 052, 053, 060, 061, 070  the card exists but a detail sent differs (registered
//                        facility, province, benefit code, name, birth date);
//   anything else        the service failed: reception falls back to the card alone.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "identity/card_date.h"
#include "reception/insurance_check.h"

namespace hb::reception {

struct CardHistoryFields {
  std::string_view card = "maThe", name = "hoTen", birth = "ngaySinh";
  std::string_view code = "maKetQua", message = "ghiChu";
  std::string_view valid_from = "gtTheTu", valid_to = "gtTheDen", facility = "maDKBD";
  std::string_view new_card = "maTheMoi", new_valid_from = "gtTheTuMoi",
                   new_valid_to = "gtTheDenMoi";
  std::string_view visits = "dsLichSuKCB", visit_facility = "maCSKCB", visit_in = "ngayVao",
                   visit_out = "ngayRa", visit_diagnosis = "tenBenh";
};
inline constexpr CardHistoryFields kFields{};

struct CardHistoryQuery {
  std::string card_number;
  std::string name;   // as printed (NFC)
  std::string birth;  // dd/MM/yyyy, or yyyy when only the year is known
};

struct CardHistoryVisit {
  std::string facility, admitted, discharged, diagnosis;
};

enum class CardVerdict { kValid, kInvalid, kDetailsDiffer, kServiceError };

struct CardHistoryResult {
  std::string code, message;
  CardVerdict verdict = CardVerdict::kServiceError;
  std::string card_number;  // the card in force (the new one when reissued)
  std::optional<identity::CardDate> valid_from, valid_to;
  std::string registered_facility;
  std::vector<CardHistoryVisit> visits;
};

std::string CardHistoryRequestJson(const CardHistoryQuery& query);
Result<CardHistoryResult> ParseCardHistoryResponse(std::string_view json);
CardVerdict VerdictOf(std::string_view code);

// Updates `card` with what the service knows better (a reissued card, its validity, the
// registered facility), checks it again, and adds the service's verdict: an invalid card
// becomes a problem, differing details a warning. `source` becomes "card-history".
InsuranceCheck CheckWithHistory(InsuranceCard* card, const CardHistoryResult& history,
                                const identity::CardDate& visit_date,
                                std::string_view facility_code);

}  // namespace hb::reception
