# cmake -DIN=resources/error_codes.json -DOUT=.../error_codes.h -P gen_error_codes.cmake
file(READ ${IN} json)
string(JSON ncodes LENGTH ${json} codes)
math(EXPR last "${ncodes} - 1")
string(JSON ncats LENGTH ${json} categories)
math(EXPR lastcat "${ncats} - 1")
set(cats "")
set(catnames "")
foreach(i RANGE ${lastcat})
  string(JSON c MEMBER ${json} categories ${i})
  string(JSON cdoc GET ${json} categories ${c})
  string(REPLACE "_" ";" parts ${c})
  set(pascal "")
  foreach(p ${parts})
    string(SUBSTRING ${p} 0 1 f)
    string(TOUPPER ${f} f)
    string(SUBSTRING ${p} 1 -1 r)
    string(APPEND pascal "${f}${r}")
  endforeach()
  set(cat_${c} ${pascal})
  string(APPEND cats "  k${pascal},  // ${cdoc}\n")
  string(APPEND catnames "    case ErrorCategory::k${pascal}: return \"${c}\";\n")
endforeach()
set(enum "")
set(names "")
set(catmap "")
set(fhir "")
foreach(i RANGE ${last})
  string(JSON n GET ${json} codes ${i} name)
  string(JSON c GET ${json} codes ${i} category)
  string(JSON f GET ${json} codes ${i} fhir)
  string(JSON d GET ${json} codes ${i} doc)
  string(APPEND enum "  k${n},  // ${d}\n")
  string(APPEND names "    case ErrorCode::k${n}: return \"${n}\";\n")
  string(APPEND catmap "    case ErrorCode::k${n}: return ErrorCategory::k${cat_${c}};\n")
  string(APPEND fhir "    case ErrorCode::k${n}: return \"${f}\";\n")
endforeach()
set(content "// Generated from resources/error_codes.json by cmake/gen_error_codes.cmake. Do not edit.
#pragma once
#include <string_view>

namespace hb {

enum class ErrorCategory {
${cats}};

enum class ErrorCode {
  kOk = 0,
${enum}};

constexpr std::string_view CategoryName(ErrorCategory c) {
  switch (c) {
${catnames}  }
  return \"fault\";
}

constexpr std::string_view ErrorCodeName(ErrorCode c) {
  switch (c) {
    case ErrorCode::kOk: return \"Ok\";
${names}  }
  return \"Unknown\";
}

constexpr ErrorCategory CategoryOf(ErrorCode c) {
  switch (c) {
    case ErrorCode::kOk: return ErrorCategory::kFault;
${catmap}  }
  return ErrorCategory::kFault;
}

// The FHIR IssueType code (http://hl7.org/fhir/issue-type) for an OperationOutcome.
constexpr std::string_view FhirIssueType(ErrorCode c) {
  switch (c) {
    case ErrorCode::kOk: return \"informational\";
${fhir}  }
  return \"exception\";
}

}  // namespace hb
")
file(WRITE ${OUT}.tmp "${content}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
