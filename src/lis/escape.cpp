#include "lis/escape.h"

#include <cctype>
#include <cstdlib>
#include <optional>

#include "common/hex.h"

namespace hb::lis {

namespace {

// The bytes of a \X..\ sequence's digits: a non-empty, even run of hex digits.
std::optional<std::string> HexBytes(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  return HexDecode(digits);
}

// The count after a formatting command (".sp 2", ".sk3"); 1 when absent.
int Count(std::string_view rest) {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return 1;
  int n = std::atoi(std::string(rest).c_str());
  return n < 1 ? 1 : (n > 100 ? 100 : n);  // a hostile count must not blow up memory
}

Status Bad(std::string message) { return Status(ErrorCode::kMalformedHl7, std::move(message)); }

}  // namespace

Status CheckEscapes(std::string_view raw, const Delimiters& d, Charset charset) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != d.escape) continue;
    size_t close = i + 1;
    while (close < raw.size() && raw[close] != d.escape && !d.IsSeparator(raw[close])) ++close;
    if (close >= raw.size() || raw[close] != d.escape) {
      return Bad("unterminated escape sequence starting at character " + std::to_string(i + 1));
    }
    std::string_view body = raw.substr(i + 1, close - i - 1);
    if (body.empty()) {
      return Bad("empty escape sequence at character " + std::to_string(i + 1) +
                 " (write the escape character itself as " + std::string(1, d.escape) + "E" +
                 std::string(1, d.escape) + ")");
    }
    if (body.front() == 'X') {
      std::optional<std::string> bytes = HexBytes(body.substr(1));
      if (!bytes) {
        return Bad("hex escape at character " + std::to_string(i + 1) +
                   " needs an even number of hex digits");
      }
      if (charset != Charset::kLatin1 && FindInvalidUtf8(*bytes) != std::string_view::npos) {
        return Bad("hex escape at character " + std::to_string(i + 1) +
                   " decodes to bytes that are not UTF-8");
      }
    }
    i = close;
  }
  return Status::Ok();
}

std::string Unescape(std::string_view raw, const Delimiters& d, Charset charset) {
  if (raw.find(d.escape) == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    size_t close = c == d.escape ? raw.find(d.escape, i + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += c;  // not an escape, or unterminated (CheckEscapes refuses those earlier)
      ++i;
      continue;
    }
    std::string_view body = raw.substr(i + 1, close - i - 1);
    std::string_view verbatim = raw.substr(i, close - i + 1);
    i = close + 1;
    if (body.size() == 1) {
      switch (body[0]) {
        case 'F':
          out += d.field;
          continue;
        case 'S':
          out += d.component;
          continue;
        case 'T':
          out += d.subcomponent;
          continue;
        case 'R':
          out += d.repetition;
          continue;
        case 'E':
          out += d.escape;
          continue;
        case 'P':
          if (d.truncation != '\0') {
            out += d.truncation;
            continue;
          }
          break;
        case 'H':
        case 'N':
          continue;  // highlighting on/off: presentation only
        default:
          break;
      }
      out += verbatim;
      continue;
    }
    if (body.front() == 'X') {
      std::optional<std::string> bytes = HexBytes(body.substr(1));
      if (!bytes) {
        out += verbatim;
        continue;
      }
      auto text = ToUtf8(*bytes, charset);
      out += text.ok() ? *text : std::string(verbatim);
      continue;
    }
    if (body.front() == '.' && body.size() >= 3) {
      std::string_view cmd = body.substr(1, 2), rest = body.substr(3);
      if (cmd == "br" || cmd == "ce") {
        out += '\n';
      } else if (cmd == "sp") {
        out.append(static_cast<size_t>(Count(rest)), '\n');
      } else if (cmd == "sk") {
        out.append(static_cast<size_t>(Count(rest)), ' ');
      } else if (cmd != "fi" && cmd != "nf" && cmd != "in" && cmd != "ti") {
        out += verbatim;
      }
      continue;
    }
    out += verbatim;  // \Cxxyy\, \Mxxyyzz\, \Zxx\ and anything unknown
  }
  return out;
}

std::string Escape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  auto seq = [&](std::string_view body) {
    out += d.escape;
    out += body;
    out += d.escape;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    auto u = static_cast<unsigned char>(c);
    if (c == d.field) {
      seq("F");
    } else if (c == d.component) {
      seq("S");
    } else if (c == d.subcomponent) {
      seq("T");
    } else if (c == d.repetition) {
      seq("R");
    } else if (c == d.escape) {
      seq("E");
    } else if (d.truncation != '\0' && c == d.truncation) {
      seq("P");
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      seq(".br");
    } else if (u < 0x20 && c != '\t') {
      std::string body = "X";
      body += HexEncode(std::string_view(&c, 1), HexCase::kUpper);
      seq(body);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace hb::lis
