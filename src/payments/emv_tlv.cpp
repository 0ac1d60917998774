#include "payments/emv_tlv.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "payments/crc16.h"

namespace hb::payments {

namespace {

// Templates nest a few levels at most (VietQR: 38 > 01 > 00); the bound keeps a hostile
// payload from recursing deeply even though 512 characters could not go far anyway.
constexpr int kMaxDepth = 4;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
bool AllHex(std::string_view s) { return std::all_of(s.begin(), s.end(), IsHex); }

std::string Join(std::string_view prefix, std::string_view id) {
  if (prefix.empty()) return std::string(id);
  std::string out(prefix);
  out += '.';
  out += id;
  return out;
}

// " inside field 38.01" for messages about a nested level, empty at the top.
std::string Inside(std::string_view prefix) {
  return prefix.empty() ? std::string() : " inside field " + std::string(prefix);
}

bool IsEmvTemplateId(int id) { return (id >= 26 && id <= 51) || id == 62 || id == 64 || id >= 80; }

bool IsTemplate(const std::string& path, const EmvDecodeOptions& options) {
  if (path.size() == 2) return IsEmvTemplateId((path[0] - '0') * 10 + (path[1] - '0'));
  return std::find(options.extra_templates.begin(), options.extra_templates.end(), path) !=
         options.extra_templates.end();
}

Status Malformed(std::string message, std::string location = {}) {
  return Status(ErrorCode::kMalformedQr, std::move(message), std::move(location));
}

// Parses one level of data objects. `base` is the offset of `text` in the whole payload, so
// every message points at the right character.
Status ParseLevel(std::string_view text, size_t base, const std::string& prefix,
                  const EmvDecodeOptions& options, int depth, std::vector<TlvField>* out) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t at = base + pos;
    const size_t left = text.size() - pos;
    if (left < 4) {
      return Malformed("truncated TLV at offset " + std::to_string(at) + Inside(prefix) +
                           ": a field needs a 2-digit ID and a 2-digit length, only " +
                           std::to_string(left) + " character(s) left",
                       prefix);
    }
    const std::string id(text.substr(pos, 2));
    const std::string path = Join(prefix, id);
    if (!IsDigit(id[0]) || !IsDigit(id[1])) {
      return Malformed("bad ID '" + id + "' at offset " + std::to_string(at) + Inside(prefix) +
                           ": IDs are two decimal digits",
                       prefix);
    }
    const std::string_view length_text = text.substr(pos + 2, 2);
    if (!IsDigit(length_text[0]) || !IsDigit(length_text[1])) {
      return Malformed("bad length '" + std::string(length_text) + "' of field " + path +
                           " at offset " + std::to_string(at + 2) +
                           ": lengths are two decimal digits",
                       path);
    }
    const size_t length = static_cast<size_t>((length_text[0] - '0') * 10 + (length_text[1] - '0'));
    if (length == 0) {
      return Malformed("field " + path + " at offset " + std::to_string(at) +
                           " has length 00; values are 1 to 99 characters",
                       path);
    }
    if (length > left - 4) {
      return Malformed("truncated TLV: field " + path + " at offset " + std::to_string(at) +
                           " declares length " + std::string(length_text) + " but only " +
                           std::to_string(left - 4) + " character(s) remain" + Inside(prefix),
                       path);
    }
    for (const TlvField& seen : *out) {
      if (seen.id == id) {
        return Malformed("duplicate field " + path + " at offsets " + std::to_string(seen.offset) +
                             " and " + std::to_string(at),
                         path);
      }
    }
    TlvField field;
    field.id = id;
    field.value = std::string(text.substr(pos + 4, length));
    field.offset = at;
    if (IsTemplate(path, options)) {
      if (depth >= kMaxDepth) return Malformed("templates nested too deeply at " + path, path);
      HB_RETURN_IF_ERROR(
          ParseLevel(field.value, at + 4, path, options, depth + 1, &field.children));
    }
    out->push_back(std::move(field));
    pos += 4 + length;
  }
  return Status::Ok();
}

// When the structure is broken, a CRC at the very end still tells whether the payload was
// damaged (one changed length digit breaks the structure): report that first, it is the
// more useful reason.
Status CrcOfBrokenPayload(std::string_view payload, const Status& structure) {
  const size_t n = payload.size();
  if (n < 8 || payload.substr(n - 8, 4) != "6304" || !AllHex(payload.substr(n - 4))) {
    return structure;
  }
  const std::string expected = Crc16Hex(payload.substr(0, n - 4));
  std::string found(payload.substr(n - 4));
  std::string found_upper = found;
  for (char& c : found_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (found_upper == expected) return structure;
  std::vector<Issue> issues;
  issues.push_back(Issue{ErrorCode::kQrChecksumMismatch,
                         "CRC mismatch: expected " + expected + ", found " + found, "63"});
  issues.push_back(structure.issues().front());
  return Status::FromIssues(std::move(issues));
}

Status EncodeLevel(std::vector<TlvField> fields, const std::string& prefix, std::string* out) {
  std::stable_sort(fields.begin(), fields.end(),
                   [](const TlvField& a, const TlvField& b) { return a.id < b.id; });
  for (size_t i = 0; i < fields.size(); ++i) {
    TlvField& f = fields[i];
    const std::string path = Join(prefix, f.id);
    if (f.id.size() != 2 || !IsDigit(f.id[0]) || !IsDigit(f.id[1])) {
      return Status(ErrorCode::kInvalidArgument,
                    "field ID '" + f.id + "'" + Inside(prefix) + " is not two decimal digits",
                    prefix);
    }
    if (i > 0 && fields[i - 1].id == f.id) {
      return Status(ErrorCode::kInvalidArgument, "duplicate field " + path, path);
    }
    if (!f.children.empty()) {
      f.value.clear();
      HB_RETURN_IF_ERROR(EncodeLevel(std::move(f.children), path, &f.value));
    }
    if (f.value.empty()) {
      return Status(ErrorCode::kInvalidArgument, "field " + path + " is empty", path);
    }
    if (f.value.size() > 99) {
      return Status(ErrorCode::kInvalidArgument,
                    "field " + path + " is " + std::to_string(f.value.size()) +
                        " characters; a field holds at most 99",
                    path);
    }
    for (size_t k = 0; k < f.value.size(); ++k) {
      if (!IsEmvChar(f.value[k])) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(f.value[k]));
        return Status(ErrorCode::kInvalidArgument,
                      "field " + path + " has byte " + hex + " at position " + std::to_string(k) +
                          "; payloads carry printable ASCII only",
                      path);
      }
    }
    char length[3];
    std::snprintf(length, sizeof length, "%02zu", f.value.size());
    *out += f.id;
    *out += length;
    *out += f.value;
  }
  return Status::Ok();
}

}  // namespace

const TlvField* TlvField::Child(std::string_view child_id) const {
  for (const TlvField& c : children) {
    if (c.id == child_id) return &c;
  }
  return nullptr;
}

TlvField Primitive(std::string id, std::string value) {
  TlvField f;
  f.id = std::move(id);
  f.value = std::move(value);
  return f;
}

TlvField Template(std::string id, std::vector<TlvField> children) {
  TlvField f;
  f.id = std::move(id);
  f.children = std::move(children);
  return f;
}

const TlvField* EmvPayload::Find(std::string_view path) const {
  const std::vector<TlvField>* level = &fields;
  const TlvField* found = nullptr;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view id = path.substr(0, dot);
    found = nullptr;
    for (const TlvField& f : *level) {
      if (f.id == id) found = &f;
    }
    if (found == nullptr) return nullptr;
    level = &found->children;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return found;
}

Result<EmvPayload> DecodeEmv(std::string_view payload, const EmvDecodeOptions& options) {
  // Scanners append CR/LF and people paste with spaces; the payload itself starts with "00"
  // and ends with the CRC, so surrounding whitespace is never part of it.
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!payload.empty() && is_space(payload.front())) payload.remove_prefix(1);
  while (!payload.empty() && is_space(payload.back())) payload.remove_suffix(1);
  if (payload.empty()) return Malformed("empty payload");
  if (payload.size() > kMaxEmvPayloadLength) {
    return Malformed("payload is " + std::to_string(payload.size()) +
                     " characters; EMVCo allows at most 512");
  }
  for (size_t i = 0; i < payload.size(); ++i) {
    if (!IsEmvChar(payload[i])) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(payload[i]));
      return Malformed(
          std::string(static_cast<unsigned char>(payload[i]) >= 0x80 ? "non-ASCII byte "
                                                                     : "control character ") +
          hex + " at offset " + std::to_string(i) + "; EMVCo payloads carry printable ASCII only");
    }
  }

  EmvPayload out;
  Status parsed = ParseLevel(payload, 0, "", options, 0, &out.fields);
  if (!parsed.ok()) return CrcOfBrokenPayload(payload, parsed);

  // A missing, misplaced or malformed CRC is, like broken structure, usually damage, which
  // the CRC at the end of the string can confirm.
  auto crc_it = std::find_if(out.fields.begin(), out.fields.end(),
                             [](const TlvField& f) { return f.id == "63"; });
  if (crc_it == out.fields.end()) {
    return CrcOfBrokenPayload(payload, Malformed("missing CRC: the payload has no field 63"));
  }
  if (crc_it + 1 != out.fields.end()) {
    return CrcOfBrokenPayload(
        payload, Malformed("CRC field 63 at offset " + std::to_string(crc_it->offset) +
                               " is not the last field (field " + (crc_it + 1)->id + " follows)",
                           "63"));
  }
  if (crc_it->value.size() != 4 || !AllHex(crc_it->value)) {
    return CrcOfBrokenPayload(
        payload,
        Malformed("CRC field 63 must be 4 hex digits, found '" + crc_it->value + "'", "63"));
  }
  out.crc = crc_it->value;
  const std::string expected = Crc16Hex(payload.substr(0, crc_it->offset + 4));
  std::string found_upper = out.crc;
  for (char& c : found_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (found_upper != expected) {
    return Status(ErrorCode::kQrChecksumMismatch,
                  "CRC mismatch: expected " + expected + ", found " + out.crc, "63");
  }

  const TlvField* format = out.Find("00");
  if (format == nullptr) return Malformed("missing field 00 (payload format indicator)", "00");
  if (format->value != "01") {
    return Malformed("field 00 (payload format indicator) must be 01, found " + format->value,
                     "00");
  }
  return out;
}

Result<std::string> EncodeEmv(std::vector<TlvField> fields) {
  for (const TlvField& f : fields) {
    if (f.id == "63") {
      return Status(ErrorCode::kInvalidArgument,
                    "field 63 is the CRC, which EncodeEmv computes itself", "63");
    }
  }
  std::string out;
  HB_RETURN_IF_ERROR(EncodeLevel(std::move(fields), "", &out));
  out += "6304";
  out += Crc16Hex(out);
  if (out.size() > kMaxEmvPayloadLength) {
    return Status(ErrorCode::kInvalidArgument, "payload is " + std::to_string(out.size()) +
                                                   " characters; EMVCo allows at most 512");
  }
  return out;
}

}  // namespace hb::payments
