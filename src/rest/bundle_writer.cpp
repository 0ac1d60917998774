#include "rest/bundle_writer.h"

#include "common/clock.h"
#include "common/ids.h"
#include "rest/responses.h"

namespace hb::rest {

BundleWriter::BundleWriter(std::string_view type, int64_t total,
                           const std::vector<std::pair<std::string, std::string>>& links)
    : w_(buf_) {
  w_.StartObject();
  w_.Key("resourceType");
  w_.String("Bundle");
  w_.Key("id");
  Str(NewResourceId());
  w_.Key("meta");
  w_.StartObject();
  w_.Key("lastUpdated");
  Str(FormatInstant(NowMicros()));
  w_.EndObject();
  w_.Key("type");
  Str(type);
  if (total >= 0) {
    w_.Key("total");
    w_.Int64(total);
  }
  if (!links.empty()) {
    w_.Key("link");
    w_.StartArray();
    for (const auto& [rel, url] : links) {
      w_.StartObject();
      w_.Key("relation");
      Str(rel);
      w_.Key("url");
      Str(url);
      w_.EndObject();
    }
    w_.EndArray();
  }
}

void BundleWriter::Str(std::string_view s) {
  w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void BundleWriter::StartEntries() {
  if (entries_started_) return;
  entries_started_ = true;
  w_.Key("entry");
  w_.StartArray();
}

void BundleWriter::HistoryEntry(std::string_view base_url, const storage::ResourceVersion& v) {
  StartEntries();
  w_.StartObject();
  w_.Key("fullUrl");
  Str(std::string(base_url) + "/" + v.type + "/" + v.id);
  if (!v.deleted && !v.json.empty()) {
    w_.Key("resource");
    w_.RawValue(v.json.data(), v.json.size(), rapidjson::kObjectType);
  }
  w_.Key("request");
  w_.StartObject();
  w_.Key("method");
  Str(storage::MethodName(v.method));
  w_.Key("url");
  Str(v.method == storage::Method::kCreate ? v.type : v.type + "/" + v.id);
  w_.EndObject();
  w_.Key("response");
  w_.StartObject();
  w_.Key("status");
  Str(HistoryStatus(v));
  w_.Key("etag");
  Str(VersionTag(v.version));
  w_.Key("lastModified");
  Str(FormatInstant(v.last_updated));
  w_.EndObject();
  w_.EndObject();
}

void BundleWriter::SearchEntry(std::string_view base_url, const storage::ResourceVersion& v,
                               std::string_view mode, const std::string* json) {
  StartEntries();
  w_.StartObject();
  w_.Key("fullUrl");
  Str(std::string(base_url) + "/" + v.type + "/" + v.id);
  w_.Key("resource");
  const std::string& body = json ? *json : v.json;
  w_.RawValue(body.data(), body.size(), rapidjson::kObjectType);
  w_.Key("search");
  w_.StartObject();
  w_.Key("mode");
  Str(mode);
  w_.EndObject();
  w_.EndObject();
}

void BundleWriter::ResponseEntry(std::string_view status, std::string_view location,
                                 std::string_view etag, int64_t last_modified,
                                 std::string_view resource_json, std::string_view outcome_json) {
  StartEntries();
  w_.StartObject();
  if (!resource_json.empty()) {
    w_.Key("resource");
    w_.RawValue(resource_json.data(), resource_json.size(), rapidjson::kObjectType);
  }
  w_.Key("response");
  w_.StartObject();
  w_.Key("status");
  Str(status);
  if (!location.empty()) {
    w_.Key("location");
    Str(location);
  }
  if (!etag.empty()) {
    w_.Key("etag");
    Str(etag);
  }
  if (last_modified > 0) {
    w_.Key("lastModified");
    Str(FormatInstant(last_modified));
  }
  if (!outcome_json.empty()) {
    w_.Key("outcome");
    w_.RawValue(outcome_json.data(), outcome_json.size(), rapidjson::kObjectType);
  }
  w_.EndObject();
  w_.EndObject();
}

std::string BundleWriter::Finish() {
  if (entries_started_) w_.EndArray();
  w_.EndObject();
  return std::string(buf_.GetString(), buf_.GetSize());
}

}  // namespace hb::rest
