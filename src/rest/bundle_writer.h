// Streams a response Bundle (history or searchset) as JSON, embedding stored
// resource bytes as they are.
//
// Contract: single use, thread-compatible.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/resource_store.h"

namespace hb::rest {

class BundleWriter {
 public:
  // type: "history", "searchset", "batch-response", "transaction-response".
  BundleWriter(std::string_view type, int64_t total,
               const std::vector<std::pair<std::string, std::string>>& links);
  void HistoryEntry(std::string_view base_url, const storage::ResourceVersion& v);
  // A searchset entry; `mode` "match" or "include"; `json` replaces v.json when given
  // (a resource shaped by _elements or _summary).
  void SearchEntry(std::string_view base_url, const storage::ResourceVersion& v,
                   std::string_view mode = "match", const std::string* json = nullptr);
  // A batch/transaction response entry; `resource_json` may be empty.
  void ResponseEntry(std::string_view status, std::string_view location, std::string_view etag,
                     int64_t last_modified, std::string_view resource_json,
                     std::string_view outcome_json = {});
  std::string Finish();

 private:
  void Str(std::string_view s);
  void StartEntries();
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
  bool entries_started_ = false;
};

}  // namespace hb::rest
