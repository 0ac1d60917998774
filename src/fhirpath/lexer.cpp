#include "fhirpath/lexer.h"

#include "common/utf8.h"

namespace hb::fhirpath::internal {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentPart(char c) { return IsIdentStart(c) || IsDigit(c); }

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    for (;;) {
      HB_RETURN_IF_ERROR(SkipSpace());
      Token t;
      t.pos = static_cast<uint32_t>(i_);
      if (i_ >= s_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      char c = s_[i_];
      if (IsIdentStart(c)) {
        size_t start = i_;
        while (i_ < s_.size() && IsIdentPart(s_[i_])) ++i_;
        t.kind = TokenKind::kIdentifier;
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (c == '`') {
        t.kind = TokenKind::kIdentifier;
        t.delimited = true;
        HB_RETURN_IF_ERROR(Quoted('`', t.text));
      } else if (c == '\'') {
        t.kind = TokenKind::kString;
        HB_RETURN_IF_ERROR(Quoted('\'', t.text));
      } else if (IsDigit(c)) {
        t.kind = TokenKind::kNumber;
        t.text = Number();
      } else if (c == '@') {
        HB_RETURN_IF_ERROR(DateLiteral(t));
      } else if (c == '%') {
        ++i_;
        t.kind = TokenKind::kExternal;
        if (i_ < s_.size() && (s_[i_] == '`' || s_[i_] == '\'')) {
          HB_RETURN_IF_ERROR(Quoted(s_[i_], t.text));
        } else if (i_ < s_.size() && IsIdentStart(s_[i_])) {
          size_t start = i_;
          while (i_ < s_.size() && (IsIdentPart(s_[i_]) || s_[i_] == '-')) ++i_;
          t.text = std::string(s_.substr(start, i_ - start));
        } else {
          return SyntaxError(t.pos, "expected a name after '%'");
        }
      } else if (c == '$') {
        ++i_;
        size_t start = i_;
        while (i_ < s_.size() && IsIdentPart(s_[i_])) ++i_;
        t.kind = TokenKind::kSpecial;
        t.text = std::string(s_.substr(start, i_ - start));
        if (t.text != "this" && t.text != "index" && t.text != "total") {
          return SyntaxError(t.pos, "unknown special variable '$" + t.text + "'");
        }
      } else {
        HB_RETURN_IF_ERROR(Symbol(t));
      }
      out.push_back(std::move(t));
    }
  }

 private:
  Status SkipSpace() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i_;
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
        size_t end = s_.find("*/", i_ + 2);
        if (end == std::string_view::npos) {
          return SyntaxError(static_cast<uint32_t>(i_), "unterminated comment");
        }
        i_ = end + 2;
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  Status Quoted(char quote, std::string& out) {
    uint32_t start = static_cast<uint32_t>(i_);
    ++i_;
    while (i_ < s_.size() && s_[i_] != quote) {
      char c = s_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return SyntaxError(static_cast<uint32_t>(i_), "bad \\u escape");
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' &&
              s_[i_ + 1] == 'u') {
            size_t save = i_;
            i_ += 2;
            uint32_t lo = 0;
            if (Hex4(lo) && lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              i_ = save;
            }
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          out += UnescapeChar(e);
          break;
      }
    }
    if (i_ >= s_.size()) return SyntaxError(start, "unterminated quoted text");
    ++i_;
    return Status::Ok();
  }

  bool Hex4(uint32_t& cp) {
    if (i_ + 4 > s_.size()) return false;
    for (int k = 0; k < 4; ++k) {
      char h = s_[i_++];
      cp <<= 4;
      if (IsDigit(h))
        cp |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        cp |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        cp |= static_cast<uint32_t>(h - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  std::string Number() {
    size_t start = i_;
    while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
    if (i_ + 1 < s_.size() && s_[i_] == '.' && IsDigit(s_[i_ + 1])) {
      ++i_;
      while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  // Consumes `n` digits if they are all there.
  bool TakeDigits(size_t n) {
    if (i_ + n > s_.size()) return false;
    for (size_t k = 0; k < n; ++k) {
      if (!IsDigit(s_[i_ + k])) return false;
    }
    i_ += n;
    return true;
  }
  // Consumes `c` followed by `n` digits, or nothing.
  bool TakeSep(char c, size_t n) {
    if (i_ >= s_.size() || s_[i_] != c) return false;
    size_t save = i_++;
    if (TakeDigits(n)) return true;
    i_ = save;
    return false;
  }

  void TimePart() {
    if (!TakeDigits(2)) return;
    if (TakeSep(':', 2) && TakeSep(':', 2) && i_ + 1 < s_.size() && s_[i_] == '.' &&
        IsDigit(s_[i_ + 1])) {
      ++i_;
      while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
    }
  }

  Status DateLiteral(Token& t) {
    ++i_;
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == 'T') {
      ++i_;
      size_t body = i_;
      TimePart();
      if (i_ == body) return SyntaxError(t.pos, "malformed time literal");
      t.kind = TokenKind::kTime;
      t.text = std::string(s_.substr(body, i_ - body));
      return Status::Ok();
    }
    if (!TakeDigits(4)) return SyntaxError(t.pos, "malformed date literal");
    if (TakeSep('-', 2)) TakeSep('-', 2);
    t.kind = TokenKind::kDate;
    if (i_ < s_.size() && s_[i_] == 'T') {
      ++i_;
      t.kind = TokenKind::kDateTime;
      size_t time_start = i_;
      TimePart();
      if (i_ > time_start && i_ < s_.size()) {
        if (s_[i_] == 'Z') {
          ++i_;
        } else if (s_[i_] == '+' || s_[i_] == '-') {
          size_t save = i_++;
          if (!(TakeDigits(2) && TakeSep(':', 2))) i_ = save;
        }
      }
    }
    t.text = std::string(s_.substr(start, i_ - start));
    return Status::Ok();
  }

  Status Symbol(Token& t) {
    static constexpr std::string_view kTwo[] = {"<=", ">=", "!=", "!~"};
    for (std::string_view two : kTwo) {
      if (s_.substr(i_, 2) == two) {
        t.kind = TokenKind::kSymbol;
        t.text = std::string(two);
        i_ += 2;
        return Status::Ok();
      }
    }
    char c = s_[i_];
    if (std::string_view("()[]{},.+-*/&|<>=~").find(c) == std::string_view::npos) {
      return SyntaxError(t.pos, std::string("unexpected character '") + c + "'");
    }
    t.kind = TokenKind::kSymbol;
    t.text = std::string(1, c);
    ++i_;
    return Status::Ok();
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

char UnescapeChar(char e) {
  switch (e) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'f':
      return '\f';
    case 'b':
      return '\b';
    default:
      return e;
  }
}

Status SyntaxError(uint32_t pos, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument,
                "fhirpath syntax error at " + std::to_string(pos) + ": " + std::string(what));
}

Result<std::vector<Token>> Tokenize(std::string_view source) { return Lexer(source).Run(); }

}  // namespace hb::fhirpath::internal
