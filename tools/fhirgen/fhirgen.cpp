// fhirgen: turns the FHIR R4 npm package (hl7.fhir.r4.examples 4.0.1) into healthbook's compact
// structure model, the text file that src/fhir/model.cpp embeds and parses at start-up.
//
// Usage: fhirgen <package-dir> <out-file>
//        fhirgen --code-systems <package-dir> <out-file>
//   The second form writes, for search (src/search/implied_systems.h), one line per element
//   of type `code` whose required binding names a ValueSet drawn from a single code system:
//   "<path>\t<system>" (Patient.gender\thttp://hl7.org/fhir/administrative-gender).
//
// Reads StructureDefinition-*.json (specializations and the two roots Element and Resource;
// logical models and constraint profiles are skipped), SearchParameter-*.json (those with a
// base that are not experimental examples) and CompartmentDefinition-patient.json. Writes the
// file atomically; exits non-zero on any inconsistency so that a bad package fails the build.
//
// Output format (UTF-8, one record per line, fields separated by TAB, '#' lines are comments):
//   T <name> <kind> <abstract 0|1> <base type or empty>
//   C <context>                       the following E lines belong to this context
//   E <json name> <type> <min> <max> <child context, empty = the type> <choice group> <flags>
//       flags: p primitive, a no `_name` companion (XML attribute or xhtml), r any resource,
//              s part of the summary view (isSummary, for _summary=true)
//   K <resource type> <param,param> <path,path>     patient-compartment membership
//   S <code> <type> <url> <base,base> <target,target> <expression>
//   Q <definition> <expression>       a component of the preceding composite S
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using rapidjson::Value;

namespace {

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "fhirgen: %s\n", why.c_str());
  std::exit(1);
}

rapidjson::Document ReadJson(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot open " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) Die("malformed JSON in " + path.string());
  return doc;
}

std::string Str(const Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string Sanitize(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string Join(const std::vector<std::string>& parts, char sep = ',') {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

struct TypeInfo {
  std::string kind;
  std::string base;
  bool abstract = false;
};

struct ElementRow {
  std::string name, type, min, max, child, group, flags;
};

struct Generator {
  fs::path dir;
  std::map<std::string, TypeInfo> types;
  std::vector<rapidjson::Document> sds;
  std::map<std::string, std::vector<ElementRow>> contexts;  // sorted: deterministic output
  std::set<std::string> wanted_contexts;
  size_t element_count = 0;

  void LoadStructureDefinitions() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("StructureDefinition-", 0) == 0 && entry.path().extension() == ".json") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      rapidjson::Document doc = ReadJson(f);
      std::string kind = Str(doc, "kind");
      std::string derivation = Str(doc, "derivation");
      std::string base_def = Str(doc, "baseDefinition");
      if (kind != "primitive-type" && kind != "complex-type" && kind != "resource") continue;
      bool root = derivation.empty() && base_def.empty();
      if (derivation != "specialization" && !root) continue;
      std::string type = Str(doc, "type");
      if (type.empty() || types.count(type)) Die("missing or duplicate type in " + f.string());
      TypeInfo info;
      info.kind = kind;
      info.base = base_def.substr(base_def.rfind('/') + 1);
      auto abs = doc.FindMember("abstract");
      info.abstract = abs != doc.MemberEnd() && abs->value.IsBool() && abs->value.GetBool();
      types[type] = info;
      sds.push_back(std::move(doc));
    }
  }

  // The FHIR type of one ElementDefinition.type entry. System types
  // (http://hl7.org/fhirpath/System.String) carry the FHIR type in an extension.
  static std::string TypeCode(const Value& t) {
    std::string code = Str(t, "code");
    if (code.rfind("http://hl7.org/fhirpath/System.", 0) != 0) return code;
    auto ext = t.FindMember("extension");
    if (ext != t.MemberEnd() && ext->value.IsArray()) {
      for (const auto& e : ext->value.GetArray()) {
        if (Str(e, "url") ==
            "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type")
          return Str(e, "valueUrl");
      }
    }
    static const std::map<std::string, std::string> kSystem = {
        {"String", "string"},   {"Boolean", "boolean"}, {"Integer", "integer"},
        {"Decimal", "decimal"}, {"Date", "date"},       {"DateTime", "dateTime"},
        {"Time", "time"}};
    auto it = kSystem.find(code.substr(code.rfind('.') + 1));
    if (it == kSystem.end()) Die("unknown system type " + code);
    return it->second;
  }

  std::string Flags(const std::string& type, bool attribute, bool summary) {
    auto it = types.find(type);
    if (it == types.end()) Die("element type " + type + " is not a known type");
    std::string flags;
    if (it->second.kind == "primitive-type") flags += 'p';
    if (attribute || type == "xhtml") flags += 'a';
    if (type == "Resource") flags += 'r';
    if (summary) flags += 's';
    return flags;
  }

  std::string ChildContext(const std::string& type, const std::string& path) {
    std::string child = (type == "BackboneElement" || type == "Element") ? path : std::string();
    wanted_contexts.insert(child.empty() ? type : child);
    return child;
  }

  void EmitElements(const rapidjson::Document& sd) {
    const std::string kind = Str(sd, "kind");
    const Value& elements = sd["snapshot"]["element"];
    std::map<std::string, std::string> path_types;  // for contentReference
    for (const auto& e : elements.GetArray()) {
      auto t = e.FindMember("type");
      if (t != e.MemberEnd() && t->value.IsArray() && t->value.Size() == 1)
        path_types[Str(e, "path")] = TypeCode(t->value[0]);
    }
    for (const auto& e : elements.GetArray()) {
      std::string path = Str(e, "path");
      size_t dot = path.rfind('.');
      if (dot == std::string::npos) continue;  // the root element
      std::string max = Str(e, "max");
      if (max == "0") continue;
      std::string context = path.substr(0, dot);
      std::string name = path.substr(dot + 1);
      if (kind == "primitive-type" && name == "value") continue;  // the JSON value itself
      if (max != "1" && max != "*") Die("unexpected max " + max + " at " + path);
      bool attribute = false;
      auto rep = e.FindMember("representation");
      if (rep != e.MemberEnd()) {
        for (const auto& r : rep->value.GetArray()) {
          std::string_view rv(r.GetString());
          attribute = attribute || rv == "xmlAttr" || rv == "xhtml";
        }
      }
      auto summary_it = e.FindMember("isSummary");
      bool summary = summary_it != e.MemberEnd() && summary_it->value.IsBool() &&
                     summary_it->value.GetBool();
      ElementRow row;
      row.min = std::to_string(e["min"].GetUint());
      row.max = max;
      std::string content_ref = Str(e, "contentReference");
      auto types_it = e.FindMember("type");
      if (!content_ref.empty()) {
        std::string target = content_ref.substr(content_ref.find('#') + 1);
        auto pt = path_types.find(target);
        if (pt == path_types.end()) Die("unresolved contentReference " + content_ref);
        row.name = name;
        row.type = pt->second;
        row.child = target;
        wanted_contexts.insert(target);
        row.flags = Flags(row.type, attribute, summary);
        Add(context, row);
      } else if (types_it == e.MemberEnd() || !types_it->value.IsArray() ||
                 types_it->value.Empty()) {
        Die("element without type " + path);
      } else if (name.size() > 3 && name.compare(name.size() - 3, 3, "[x]") == 0) {
        std::string base = name.substr(0, name.size() - 3);
        for (const auto& t : types_it->value.GetArray()) {
          ElementRow form = row;
          form.type = TypeCode(t);
          std::string suffix = form.type;
          suffix[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(suffix[0])));
          form.name = base + suffix;
          form.group = base;
          form.child = ChildContext(form.type, path);
          form.flags = Flags(form.type, attribute, summary);
          Add(context, form);
        }
      } else {
        if (types_it->value.Size() != 1) Die("several types on non-choice element " + path);
        row.name = name;
        row.type = TypeCode(types_it->value[0]);
        // Resource.id is a FHIR `id` (the snapshot only says System.String).
        std::string base_path = Str(e["base"], "path");
        if (base_path == "Resource.id") row.type = "id";
        row.child = ChildContext(row.type, path);
        row.flags = Flags(row.type, attribute, summary);
        Add(context, row);
      }
    }
  }

  void Add(const std::string& context, const ElementRow& row) {
    auto& rows = contexts[context];
    for (const auto& r : rows) {
      if (r.name == row.name) Die("duplicate element " + context + "." + row.name);
    }
    rows.push_back(row);
    ++element_count;
  }

  struct SearchParam {
    std::string code, type, url, expression;
    std::vector<std::string> base, target;
    std::vector<std::pair<std::string, std::string>> components;
  };
  std::vector<SearchParam> params;
  std::map<std::string, size_t> param_index;  // "<base> <code>" -> params index

  static std::vector<std::string> Strings(const Value& obj, const char* name) {
    std::vector<std::string> out;
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd() || !it->value.IsArray()) return out;
    for (const auto& v : it->value.GetArray()) {
      if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return out;
  }

  void LoadSearchParameters() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename().string().rfind("SearchParameter-", 0) == 0)
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      rapidjson::Document doc = ReadJson(f);
      auto exp = doc.FindMember("experimental");
      if (exp != doc.MemberEnd() && exp->value.IsBool() && exp->value.GetBool()) continue;
      SearchParam sp;
      sp.base = Strings(doc, "base");
      if (sp.base.empty()) continue;
      sp.code = Str(doc, "code");
      sp.type = Str(doc, "type");
      sp.url = Str(doc, "url");
      sp.expression = Sanitize(Str(doc, "expression"));
      sp.target = Strings(doc, "target");
      auto comp = doc.FindMember("component");
      if (comp != doc.MemberEnd() && comp->value.IsArray()) {
        for (const auto& c : comp->value.GetArray())
          sp.components.emplace_back(Str(c, "definition"), Sanitize(Str(c, "expression")));
      }
      for (const auto& b : sp.base) {
        if (!types.count(b)) Die("search parameter " + sp.url + " has unknown base " + b);
        if (!param_index.emplace(b + " " + sp.code, params.size()).second)
          Die("duplicate search parameter " + b + " " + sp.code);
      }
      params.push_back(std::move(sp));
    }
  }

  // Reduces one `|`-part of a FHIRPath expression to a plain dot path on `type`, or "".
  static std::string ReducePath(std::string part, const std::string& type) {
    auto trim = [](std::string s) {
      size_t b = s.find_first_not_of(" \t");
      size_t e = s.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    part = trim(part);
    if (part.size() > 2 && part.front() == '(' && part.back() == ')') {
      part = trim(part.substr(1, part.size() - 2));
    }
    size_t as = part.find(" as ");
    if (as != std::string::npos) part = trim(part.substr(0, as));
    for (const char* fn : {".where(", ".as(", ".ofType(", ".resolve("}) {
      size_t at = part.find(fn);
      if (at != std::string::npos && part.back() == ')') part = part.substr(0, at);
    }
    if (part.rfind(type + ".", 0) != 0) return {};
    for (char c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') return {};
    }
    return part;
  }

  std::string Run(size_t* skipped, size_t* kept) {
    std::ostringstream out;
    out << "# healthbook FHIR R4 structure model. Generated by tools/fhirgen from "
           "hl7.fhir.r4.examples 4.0.1. Do not edit.\n";
    for (const auto& [name, info] : types) {
      out << "T\t" << name << '\t' << info.kind << '\t' << (info.abstract ? 1 : 0) << '\t'
          << info.base << '\n';
    }
    for (const auto& sd : sds) EmitElements(sd);
    for (const auto& c : wanted_contexts) {
      if (!contexts.count(c)) Die("context " + c + " has no elements");
    }
    for (const auto& [context, rows] : contexts) {
      out << "C\t" << context << '\n';
      for (const auto& r : rows) {
        out << "E\t" << r.name << '\t' << r.type << '\t' << r.min << '\t' << r.max << '\t'
            << r.child << '\t' << r.group << '\t' << r.flags << '\n';
      }
    }
    rapidjson::Document cd = ReadJson(dir / "CompartmentDefinition-patient.json");
    for (const auto& res : cd["resource"].GetArray()) {
      std::string type = Str(res, "code");
      std::vector<std::string> codes = Strings(res, "param");
      if (codes.empty()) continue;
      std::vector<std::string> paths;
      for (const auto& code : codes) {
        auto it = param_index.find(type + " " + code);
        if (it == param_index.end()) {
          std::fprintf(stderr, "fhirgen: no search parameter %s.%s\n", type.c_str(), code.c_str());
          ++*skipped;
          continue;
        }
        std::stringstream expr(params[it->second].expression);
        std::string part;
        while (std::getline(expr, part, '|')) {
          std::string path = ReducePath(part, type);
          if (path.empty()) {
            bool other_type = part.find(type + ".") == std::string::npos;
            if (!other_type) {
              std::fprintf(stderr, "fhirgen: skipped compartment path '%s'\n", part.c_str());
              ++*skipped;
            }
            continue;
          }
          if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
        }
      }
      *kept += paths.size();
      out << "K\t" << type << '\t' << Join(codes) << '\t' << Join(paths) << '\n';
    }
    for (const auto& sp : params) {
      out << "S\t" << sp.code << '\t' << sp.type << '\t' << sp.url << '\t' << Join(sp.base) << '\t'
          << Join(sp.target) << '\t' << sp.expression << '\n';
      for (const auto& [def, expr] : sp.components) out << "Q\t" << def << '\t' << expr << '\n';
    }
    return out.str();
  }
};

}  // namespace

// The code system implied by the required binding of each `code` element (see Usage).
std::string ImpliedCodeSystems(const fs::path& dir) {
  std::map<std::string, std::string> system_of;  // ValueSet url -> its single system
  std::vector<fs::path> sd_files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json") continue;
    if (name.rfind("StructureDefinition-", 0) == 0) sd_files.push_back(entry.path());
    if (name.rfind("ValueSet-", 0) != 0) continue;
    rapidjson::Document vs = ReadJson(entry.path());
    auto compose = vs.FindMember("compose");
    if (compose == vs.MemberEnd() || !compose->value.IsObject()) continue;
    auto include = compose->value.FindMember("include");
    if (include == compose->value.MemberEnd() || !include->value.IsArray()) continue;
    std::set<std::string> systems;
    bool plain = true;
    for (const auto& inc : include->value.GetArray()) {
      if (inc.HasMember("valueSet") || Str(inc, "system").empty()) plain = false;
      systems.insert(Str(inc, "system"));
    }
    if (plain && systems.size() == 1) system_of[Str(vs, "url")] = *systems.begin();
  }
  std::sort(sd_files.begin(), sd_files.end());
  std::map<std::string, std::string> out;
  for (const auto& f : sd_files) {
    rapidjson::Document sd = ReadJson(f);
    if (Str(sd, "derivation") != "specialization") continue;
    auto snap = sd.FindMember("snapshot");
    if (snap == sd.MemberEnd() || !snap->value.IsObject()) continue;
    auto elements = snap->value.FindMember("element");
    if (elements == snap->value.MemberEnd() || !elements->value.IsArray()) continue;
    for (const auto& e : elements->value.GetArray()) {
      auto types = e.FindMember("type");
      if (types == e.MemberEnd() || !types->value.IsArray() || types->value.Size() != 1 ||
          Str(types->value[0], "code") != "code") {
        continue;
      }
      auto binding = e.FindMember("binding");
      if (binding == e.MemberEnd() || Str(binding->value, "strength") != "required") continue;
      std::string vs = Str(binding->value, "valueSet");
      vs = vs.substr(0, vs.find('|'));
      auto it = system_of.find(vs);
      if (it != system_of.end()) out[Str(e, "path")] = it->second;
    }
  }
  std::string text = "# generated by tools/fhirgen --code-systems: do not edit\n";
  for (const auto& [path, system] : out) text += path + "\t" + system + "\n";
  return text;
}

void WriteAtomically(const fs::path& out, const std::string& text) {
  fs::create_directories(out.parent_path());
  fs::path tmp = out;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f) Die("cannot write " + tmp.string());
  }
  fs::rename(tmp, out);
}

int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--code-systems") {
    WriteAtomically(argv[3], ImpliedCodeSystems(argv[2]));
    return 0;
  }
  if (argc != 3) Die("usage: fhirgen [--code-systems] <package-dir> <out-file>");
  Generator gen;
  gen.dir = argv[1];
  gen.LoadStructureDefinitions();
  gen.LoadSearchParameters();
  size_t skipped = 0, kept = 0;
  std::string text = gen.Run(&skipped, &kept);
  WriteAtomically(argv[2], text);
  std::printf(
      "fhirgen: %zu types, %zu elements in %zu contexts, %zu search parameters, "
      "%zu patient-compartment paths (%zu skipped), %zu bytes\n",
      gen.types.size(), gen.element_count, gen.contexts.size(), gen.params.size(), kept, skipped,
      text.size());
  return 0;
}
