// String manipulation: http://hl7.org/fhirpath/N1/#string-manipulation (indices count
// Unicode code points; upper()/lower() change ASCII letters only).
#include <regex>

#include "fhirpath/functions.h"
#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

int64_t CodePoints(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

// Byte offset of code point `index` (s.size() when past the end).
size_t ByteOffset(std::string_view s, int64_t index) {
  size_t i = 0;
  for (int64_t k = 0; k < index && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && IsContinuation(s[i])) ++i;
  }
  return i;
}

// The input string and argument strings; `ok` is false when any of them is empty.
struct Strings {
  std::optional<Item> input;
  std::optional<Item> args[2];
  bool ok = false;
};

Result<Strings> Gather(Evaluator& ev, const Node& call, Span in, size_t nargs) {
  Strings s;
  HB_ASSIGN_OR_RETURN(s.input, InputString(call, in));
  s.ok = s.input.has_value();
  for (size_t i = 0; i < nargs; ++i) {
    HB_ASSIGN_OR_RETURN(s.args[i], StringArg(ev, call, i));
    s.ok = s.ok && s.args[i].has_value();
  }
  return s;
}

Status IndexOf(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(Strings s, Gather(ev, call, in, 1));
  if (!s.ok) return Status::Ok();
  std::string_view str = s.input->string(), sub = s.args[0]->string();
  size_t pos = call.name == "indexOf" ? str.find(sub) : str.rfind(sub);
  out.push_back(Item::Integer(pos == std::string_view::npos ? -1 : CodePoints(str.substr(0, pos))));
  return Status::Ok();
}

Status Substring(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> input, InputString(call, in));
  HB_ASSIGN_OR_RETURN(std::optional<int64_t> start, IntegerArg(ev, call, 0));
  if (!input || !start) return Status::Ok();
  std::string_view str = input->string();
  if (*start < 0 || *start >= CodePoints(str)) return Status::Ok();
  size_t b = ByteOffset(str, *start), e = str.size();
  if (call.args.size() > 1) {
    HB_ASSIGN_OR_RETURN(std::optional<int64_t> length, IntegerArg(ev, call, 1));
    if (length) e = b + ByteOffset(str.substr(b), std::max<int64_t>(*length, 0));
  }
  out.push_back(Item::StringSharing(*input, str.substr(b, e - b)));
  return Status::Ok();
}

Status Affix(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(Strings s, Gather(ev, call, in, 1));
  if (!s.ok) return Status::Ok();
  std::string_view str = s.input->string(), sub = s.args[0]->string();
  bool r;
  if (call.name == "startsWith")
    r = str.substr(0, sub.size()) == sub;
  else if (call.name == "endsWith")
    r = str.size() >= sub.size() && str.substr(str.size() - sub.size()) == sub;
  else
    r = str.find(sub) != std::string_view::npos;
  out.push_back(Item::Boolean(r));
  return Status::Ok();
}

Status Case(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> input, InputString(call, in));
  if (!input) return Status::Ok();
  std::string s(input->string());
  bool upper = call.name == "upper";
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  out.push_back(Item::OwnedString(std::move(s)));
  return Status::Ok();
}

Status Replace(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(Strings s, Gather(ev, call, in, 2));
  if (!s.ok) return Status::Ok();
  std::string_view str = s.input->string(), from = s.args[0]->string(), to = s.args[1]->string();
  std::string r;
  if (from.empty()) {  // between every character, and at both ends
    r.append(to);
    for (size_t i = 0; i < str.size();) {
      size_t j = i + 1;
      while (j < str.size() && IsContinuation(str[j])) ++j;
      r.append(str.substr(i, j - i));
      r.append(to);
      i = j;
    }
  } else {
    size_t i = 0;
    for (size_t p; (p = str.find(from, i)) != std::string_view::npos; i = p + from.size()) {
      r.append(str.substr(i, p - i));
      r.append(to);
    }
    r.append(str.substr(i));
  }
  out.push_back(Item::OwnedString(std::move(r)));
  return Status::Ok();
}

Result<std::shared_ptr<const std::regex>> RegexOf(const Node& call, const Item& pattern) {
  if (call.regex) return call.regex;
  std::string p = TranslateRegex(pattern.string());
  if (call.name == "matchesFull") p = "^(?:" + p + ")$";
  try {
    return std::make_shared<const std::regex>(p, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return EvalError(call, std::string("bad regular expression: ") + e.what());
  }
}

Status Matches(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(Strings s, Gather(ev, call, in, 1));
  if (!s.ok) return Status::Ok();
  HB_ASSIGN_OR_RETURN(auto re, RegexOf(call, *s.args[0]));
  std::string_view str = s.input->string();
  out.push_back(Item::Boolean(std::regex_search(str.begin(), str.end(), *re)));
  return Status::Ok();
}

Status ReplaceMatches(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(Strings s, Gather(ev, call, in, 2));
  if (!s.ok) return Status::Ok();
  if (s.args[0]->string().empty()) {
    out.push_back(*s.input);
    return Status::Ok();
  }
  HB_ASSIGN_OR_RETURN(auto re, RegexOf(call, *s.args[0]));
  std::string str(s.input->string());
  out.push_back(Item::OwnedString(std::regex_replace(str, *re, std::string(s.args[1]->string()))));
  return Status::Ok();
}

Status Length(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> input, InputString(call, in));
  if (input) out.push_back(Item::Integer(CodePoints(input->string())));
  return Status::Ok();
}

Status ToChars(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> input, InputString(call, in));
  if (!input) return Status::Ok();
  std::string_view str = input->string();
  for (size_t i = 0; i < str.size();) {
    size_t j = i + 1;
    while (j < str.size() && IsContinuation(str[j])) ++j;
    out.push_back(Item::StringSharing(*input, str.substr(i, j - i)));
    i = j;
  }
  return Status::Ok();
}

Status Split(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(Strings s, Gather(ev, call, in, 1));
  if (!s.ok) return Status::Ok();
  std::string_view str = s.input->string(), sep = s.args[0]->string();
  if (sep.empty()) return ToChars(ev, call, in, out);
  size_t i = 0;
  for (size_t p; (p = str.find(sep, i)) != std::string_view::npos; i = p + sep.size()) {
    out.push_back(Item::StringSharing(*s.input, str.substr(i, p - i)));
  }
  out.push_back(Item::StringSharing(*s.input, str.substr(i)));
  return Status::Ok();
}

Status Join(Evaluator& ev, const Node& call, Span in, Collection& out) {
  std::optional<Item> sep;
  if (!call.args.empty()) {
    HB_ASSIGN_OR_RETURN(sep, StringArg(ev, call, 0));
  }
  std::string r;
  for (size_t i = 0; i < in.size(); ++i) {
    std::optional<Item> v = ToSystem(in[i]);
    if (!v) continue;
    if (v->kind() != ItemKind::kString) return EvalError(call, "join() joins strings only");
    if (i > 0 && sep) r.append(sep->string());
    r.append(v->string());
  }
  out.push_back(Item::OwnedString(std::move(r)));
  return Status::Ok();
}

Status Trim(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> input, InputString(call, in));
  if (!input) return Status::Ok();
  std::string_view str = input->string();
  size_t b = str.find_first_not_of(" \t\r\n"), e = str.find_last_not_of(" \t\r\n");
  out.push_back(Item::StringSharing(
      *input, b == std::string_view::npos ? std::string_view() : str.substr(b, e - b + 1)));
  return Status::Ok();
}

constexpr FunctionDef kFunctions[] = {
    {"indexOf", 1, 1, IndexOf},     {"lastIndexOf", 1, 1, IndexOf},
    {"substring", 1, 2, Substring}, {"startsWith", 1, 1, Affix},
    {"endsWith", 1, 1, Affix},      {"contains", 1, 1, Affix},
    {"upper", 0, 0, Case},          {"lower", 0, 0, Case},
    {"replace", 2, 2, Replace},     {"matches", 1, 1, Matches},
    {"matchesFull", 1, 1, Matches}, {"replaceMatches", 2, 2, ReplaceMatches},
    {"length", 0, 0, Length},       {"toChars", 0, 0, ToChars},
    {"split", 1, 1, Split},         {"join", 0, 1, Join},
    {"trim", 0, 0, Trim},
};

}  // namespace

std::string TranslateRegex(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      out += c;
      out += p[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
    } else if (c == '.') {
      out += "[\\s\\S]";
      continue;
    }
    out += c;
  }
  return out;
}

std::span<const FunctionDef> StringFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
