#include "lis/terser_path.h"

#include <cctype>

namespace hb::lis {

namespace {

struct Reader {
  std::string_view text;
  size_t pos = 0;

  bool AtEnd() const { return pos >= text.size(); }
  char Peek() const { return AtEnd() ? '\0' : text[pos]; }
  // A positive number of at most 5 digits; 0 when there is none.
  int Number() {
    int n = 0;
    size_t start = pos;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(Peek())) && pos - start < 5) {
      n = n * 10 + (text[pos++] - '0');
    }
    return n;
  }
};

Status Bad(std::string_view text, size_t pos, std::string what) {
  return Status(ErrorCode::kInvalidArgument, "terser path '" + std::string(text) + "': " + what +
                                                 " at character " + std::to_string(pos + 1));
}

}  // namespace

Result<TerserPath> TerserPath::Parse(std::string_view text) {
  TerserPath p;
  Reader r{text};
  for (int i = 0; i < 3; ++i) {
    char c = r.Peek();
    if (!(std::isupper(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)))) {
      return Bad(text, r.pos, "expected a segment name of 3 uppercase letters or digits");
    }
    p.segment += c;
    ++r.pos;
  }
  auto repetition = [&](int* out) -> Status {
    if (r.Peek() != '(') return Status::Ok();
    ++r.pos;
    size_t at = r.pos;
    *out = r.Number();
    if (*out < 1) return Bad(text, at, "expected a repetition number from 1");
    if (r.Peek() != ')') return Bad(text, r.pos, "expected ')'");
    ++r.pos;
    return Status::Ok();
  };
  HB_RETURN_IF_ERROR(repetition(&p.segment_rep));
  if (r.Peek() != '-') return Bad(text, r.pos, "expected '-' and a field number");
  ++r.pos;
  size_t at = r.pos;
  p.field = r.Number();
  if (p.field < 1) return Bad(text, at, "expected a field number from 1");
  HB_RETURN_IF_ERROR(repetition(&p.field_rep));
  for (int* level : {&p.component, &p.subcomponent}) {
    if (r.AtEnd()) break;
    if (r.Peek() != '.' && r.Peek() != '-') return Bad(text, r.pos, "expected '.' or the end");
    ++r.pos;
    at = r.pos;
    *level = r.Number();
    if (*level < 1) return Bad(text, at, "expected a component number from 1");
  }
  if (!r.AtEnd()) return Bad(text, r.pos, "unexpected text");
  return p;
}

std::string TerserPath::ToString() const {
  auto number = [](std::string& out, char lead, int n, char tail = '\0') {
    out.append(1, lead).append(std::to_string(n));
    if (tail != '\0') out.append(1, tail);
  };
  std::string out = segment;
  if (segment_rep != 1) number(out, '(', segment_rep, ')');
  number(out, '-', field);
  if (field_rep > 0) number(out, '(', field_rep, ')');
  if (component > 0) number(out, '.', component);
  if (subcomponent > 0) number(out, '.', subcomponent);
  return out;
}

}  // namespace hb::lis
