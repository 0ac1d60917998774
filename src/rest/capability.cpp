#include "rest/capability.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <span>

#include "common/clock.h"
#include "fhir/model.h"
#include "rest/operation_definitions.h"
#include "search/named_query.h"
#include "search/query_parser.h"

namespace hb::rest {

namespace {
constexpr const char* kTypeInteractions[] = {"read",           "vread",        "update",
                                             "patch",          "delete",       "history-instance",
                                             "history-type",   "create",       "search-type"};
// The server's own OperationDefinitions are read-only (rest/operation_definitions.h).
constexpr const char* kReadOnlyInteractions[] = {"read", "vread", "search-type"};
constexpr const char* kSystemInteractions[] = {"transaction", "batch", "search-system",
                                               "history-system"};
}  // namespace

std::string BuildCapabilityStatement(const std::string& software_version,
                                     const std::vector<std::unique_ptr<Operation>>& operations) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  auto kv = [&](const char* k, std::string_view v) {
    w.Key(k);
    str(v);
  };
  w.StartObject();
  kv("resourceType", "CapabilityStatement");
  kv("status", "active");
  kv("date", FormatInstant(NowMicros()).substr(0, 10));
  kv("publisher", "healthbook");
  kv("kind", "instance");
  w.Key("software");
  w.StartObject();
  kv("name", "healthbook");
  kv("version", software_version);
  w.EndObject();
  w.Key("implementation");
  w.StartObject();
  kv("description", "healthbook: the health information system of the province (FHIR R4 server)");
  w.EndObject();
  kv("fhirVersion", "4.0.1");
  w.Key("format");
  w.StartArray();
  str("application/fhir+json");
  str("json");
  w.EndArray();
  w.Key("patchFormat");
  w.StartArray();
  str("application/json-patch+json");
  w.EndArray();
  w.Key("rest");
  w.StartArray();
  w.StartObject();
  kv("mode", "server");
  w.Key("resource");
  w.StartArray();
  for (std::string_view type : fhir::Model::R4().ResourceTypes()) {
    const bool read_only = type == "OperationDefinition";
    w.StartObject();
    kv("type", type);
    kv("profile", "http://hl7.org/fhir/StructureDefinition/" + std::string(type));
    w.Key("interaction");
    w.StartArray();
    auto interactions = read_only ? std::span<const char* const>(kReadOnlyInteractions)
                                  : std::span<const char* const>(kTypeInteractions);
    for (const char* code : interactions) {
      w.StartObject();
      kv("code", code);
      w.EndObject();
    }
    w.EndArray();
    kv("versioning", read_only ? "versioned" : "versioned-update");
    w.Key("readHistory");
    w.Bool(true);
    w.Key("updateCreate");
    w.Bool(!read_only);
    w.Key("conditionalCreate");
    w.Bool(!read_only);
    kv("conditionalRead", "not-supported");
    w.Key("conditionalUpdate");
    w.Bool(!read_only);
    kv("conditionalDelete", read_only ? "not-supported" : "single");
    w.Key("searchParam");
    w.StartArray();
    for (const search::RegisteredParam* p : search::SupportedParameters(type)) {
      if (read_only && !IsOperationDefinitionSearchParam(p->code)) continue;
      w.StartObject();
      kv("name", p->code);
      kv("definition", p->url);
      kv("type", search::ParamTypeName(p->type));
      w.EndObject();
    }
    if (read_only) {
      w.EndArray();
      w.EndObject();
      continue;
    }
    // Parsed by the query parser itself (search/filter_parser.h, search/special_params.h).
    w.StartObject();
    kv("name", "_filter");
    kv("definition", "http://hl7.org/fhir/SearchParameter/filter");
    kv("type", "special");
    w.EndObject();
    w.StartObject();
    kv("name", "_list");
    kv("type", "special");
    kv("documentation", "List ids, or $current-problems, $current-allergies, "
                        "$current-drug-allergies, $current-medications");
    w.EndObject();
    // search/contained.h; named queries are listed as operations below (search/named_query.h).
    w.StartObject();
    kv("name", "_contained");
    kv("type", "token");
    kv("documentation", "false (default), true or both: search resources contained in others");
    w.EndObject();
    w.StartObject();
    kv("name", "_containedType");
    kv("type", "token");
    kv("documentation", "container (default) or contained: what a contained match returns");
    w.EndObject();
    w.EndArray();
    std::vector<std::pair<std::string_view, std::string_view>> ops;
    if (type == "Patient") {
      ops.emplace_back("everything", "http://hl7.org/fhir/OperationDefinition/Patient-everything");
    }
    for (const auto& op : operations) {
      const bool at_type = op->Serves(OperationLevel::kType, type);
      if (at_type) ops.emplace_back(op->Name(), op->DefinitionAt(OperationLevel::kType));
      if (op->Serves(OperationLevel::kInstance, type) &&
          (!at_type || op->DefinitionAt(OperationLevel::kInstance) !=
                           op->DefinitionAt(OperationLevel::kType))) {
        ops.emplace_back(op->Name(), op->DefinitionAt(OperationLevel::kInstance));
      }
    }
    // Named queries (_query): OperationDefinitions of kind query, listed as operations.
    for (const search::NamedQuery* q : search::NamedQueries::Default().ForType(type)) {
      ops.emplace_back(q->code, q->url);
    }
    if (!ops.empty()) {
      w.Key("operation");
      w.StartArray();
      for (const auto& [name, definition] : ops) {
        w.StartObject();
        kv("name", name);
        kv("definition", definition);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("interaction");
  w.StartArray();
  for (const char* code : kSystemInteractions) {
    w.StartObject();
    kv("code", code);
    w.EndObject();
  }
  w.EndArray();
  bool system_ops = false;
  for (const auto& op : operations) {
    if (!op->Serves(OperationLevel::kSystem, "")) continue;
    if (!system_ops) {
      w.Key("operation");
      w.StartArray();
      system_ops = true;
    }
    w.StartObject();
    kv("name", op->Name());
    kv("definition", op->DefinitionAt(OperationLevel::kSystem));
    w.EndObject();
  }
  if (system_ops) w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hb::rest
