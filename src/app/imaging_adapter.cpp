#include "app/imaging_adapter.h"

#include <spdlog/spdlog.h>

#include <future>

#include "access/principal.h"
#include "app/config.h"
#include "auth/scopes.h"
#include "common/percent_encoding.h"
#include "imaging/change_feed.h"
#include "imaging/cursor.h"
#include "imaging/imaging_systems.h"
#include "imaging/json_util.h"
#include "imaging/study_mapping.h"
#include "imaging/worklist.h"
#include "imaging/worklist_file.h"

namespace hb::app {

namespace {

using imaging::GetArray;
using imaging::GetObject;
using imaging::GetString;

access::Principal IntegrationPrincipal() {
  access::Principal p;
  p.subject = "client:imaging-orthanc";
  p.role = access::Role::kSystem;
  p.scopes = auth::ParseScopes("system/*.cruds").value();
  p.remote = "orthanc-link";
  return p;
}

bool IsFhirId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

ImagingOptions ImagingOptionsFrom(const Config& cfg) {
  ImagingOptions o;
  o.orthanc.url = cfg.imaging_orthanc_url;
  o.orthanc.username = cfg.imaging_username;
  o.orthanc.password = cfg.imaging_password;
  o.pacs.public_url =
      cfg.imaging_public_url.empty() ? cfg.imaging_orthanc_url : cfg.imaging_public_url;
  while (!o.pacs.public_url.empty() && o.pacs.public_url.back() == '/') {
    o.pacs.public_url.pop_back();
  }
  o.worklist_dir = cfg.imaging_worklist_dir;
  o.station_ae = cfg.imaging_station_ae;
  o.utc_offset = cfg.imaging_utc_offset;
  o.poll = std::chrono::milliseconds(cfg.imaging_poll_ms > 0 ? cfg.imaging_poll_ms : 500);
  return o;
}

ImagingAdapter::ImagingAdapter(ImagingOptions options, storage::ResourceStore& store,
                               rest::FhirService& fhir)
    : options_(std::move(options)), store_(store), fhir_(fhir), orthanc_(options_.orthanc) {}

ImagingAdapter::~ImagingAdapter() { Stop(); }

void ImagingAdapter::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ImagingAdapter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ImagingAdapter::OnCommit(const std::vector<storage::ResourceKey>& keys) {
  if (options_.worklist_dir.empty()) return;
  bool any = false;
  {
    std::lock_guard lock(mu_);
    for (const auto& k : keys) {
      if (k.type != "ServiceRequest") continue;
      dirty_orders_.insert(k.id);
      any = true;
    }
  }
  if (any) cv_.notify_all();
}

ImagingAdapter::Reply ImagingAdapter::Fhir(std::string method, std::string target,
                                           std::string body) {
  http::Request req;
  req.method = std::move(method);
  req.target = target;
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  req.query = q == std::string::npos ? "" : target.substr(q + 1);
  req.headers = {{"Host", "localhost"}, {"Accept", "application/fhir+json"}};
  if (!body.empty()) req.headers.push_back({"Content-Type", "application/fhir+json"});
  req.body = std::move(body);
  req.remote = "orthanc-link";
  auto done = std::make_shared<std::promise<Reply>>();
  auto answer = done->get_future();
  fhir_.Handle(std::move(req), IntegrationPrincipal(), [done](http::Response r) {
    done->set_value({r.status, std::move(r.body)});
  });
  return answer.get();
}

// The id of the one resource whose identifier (any system) is `identifier`; "" if none.
std::string ImagingAdapter::FindOne(const std::string& type, const std::string& identifier) {
  Reply r = Fhir("GET", "/fhir/" + type + "?identifier=" + PercentEncode(identifier) +
                            "&_count=2&_elements=id");
  if (r.status == 200) {
    auto d = imaging::ParsePlainJson(r.body, "search result");
    const rapidjson::Value* entries = d.ok() ? GetArray(*d, "entry") : nullptr;
    if (entries && entries->Size() == 1) {
      if (const rapidjson::Value* res = GetObject((*entries)[0], "resource")) {
        return GetString(*res, "id");
      }
    }
    if (entries && entries->Size() > 1) {
      spdlog::warn("imaging: {} identifier '{}' matches several records; not linked", type,
                   identifier);
      return {};
    }
  }
  // Our own orders go out with their accession number, but a PatientID typed at the
  // modality may be our record id.
  if (IsFhirId(identifier) && Fhir("GET", "/fhir/" + type + "/" + identifier).status == 200) {
    return identifier;
  }
  return {};
}

bool ImagingAdapter::Prepare() {
  Reply ep = Fhir("PUT", "/fhir/Endpoint/" + std::string(imaging::kEndpointId),
                  imaging::EndpointJson(options_.pacs));
  if (ep.status != 200 && ep.status != 201) {
    spdlog::error("imaging: cannot write the DICOMweb Endpoint ({}): {}", ep.status, ep.body);
    return false;
  }
  Reply cur = Fhir("GET", "/fhir/Basic/" + std::string(imaging::kCursorId));
  if (cur.status == 200) {
    auto seq = imaging::ParseCursor(cur.body);
    if (seq.ok()) cursor_ = *seq;
  }
  SyncAllOrders();
  spdlog::info("imaging: following Orthanc at {} from change {}", options_.orthanc.url, cursor_);
  return true;
}

Status ImagingAdapter::PollChanges() {
  for (;;) {
    HB_ASSIGN_OR_RETURN(std::string body,
                        orthanc_.Get("/changes?since=" + std::to_string(cursor_) + "&limit=100"));
    HB_ASSIGN_OR_RETURN(imaging::ChangePage page, imaging::ParseChanges(body));
    for (const std::string& study : imaging::StableStudies(page)) {
      Status st = ImportStudy(study);
      // Orthanc or the store down: keep the cursor and try this page again later.
      if (st.code() == ErrorCode::kUnavailable) return st;
      if (!st.ok()) spdlog::error("imaging: study {} skipped: {}", study, st.message());
    }
    if (page.last != cursor_) {
      Reply r = Fhir("PUT", "/fhir/Basic/" + std::string(imaging::kCursorId),
                     imaging::CursorJson(page.last));
      if (r.status != 200 && r.status != 201) {
        return Status(ErrorCode::kUnavailable, "cannot save the imaging cursor: " + r.body);
      }
      cursor_ = page.last;
    }
    if (page.done) return Status::Ok();
  }
}

Status ImagingAdapter::ImportStudy(const std::string& orthanc_id) {
  HB_ASSIGN_OR_RETURN(std::string study, orthanc_.Get("/studies/" + orthanc_id));
  HB_ASSIGN_OR_RETURN(std::string series, orthanc_.Get("/studies/" + orthanc_id + "/series"));
  HB_ASSIGN_OR_RETURN(imaging::StudyFacts facts,
                      imaging::ParseStudy(study, series, options_.utc_offset));
  imaging::StudyLinks links;
  if (!facts.patient_id.empty()) {
    std::string id = FindOne("Patient", facts.patient_id);
    if (!id.empty()) links.patient = "Patient/" + id;
  }
  if (!facts.accession.empty()) {
    std::string id = FindOne("ServiceRequest", facts.accession);
    if (!id.empty()) links.service_request = "ServiceRequest/" + id;
  }
  Reply r = Fhir("POST", "/fhir", imaging::StudyTransaction(facts, options_.pacs, links));
  if (r.status != 200) {
    return Status(r.status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kInvalidArgument,
                  "the ImagingStudy transaction answered " + std::to_string(r.status) + ": " +
                      r.body.substr(0, 500));
  }
  spdlog::info("imaging: study {} -> ImagingStudy ({} series, {} instances, {})", facts.uid,
               facts.series.size(), facts.instances,
               links.patient.empty() ? "provisional patient" : links.patient);
  return Status::Ok();
}

void ImagingAdapter::SyncOrder(const std::string& id) {
  auto txn = store_.BeginRead();
  auto order = txn->Read("ServiceRequest", id);
  Status st = Status::Ok();
  if (!order.ok() || order->deleted || !imaging::IsOnWorklist(order->json)) {
    // Also for orders that never were imaging ones: removing a missing file is a no-op.
    st = imaging::RemoveWorklistFile(id, options_.worklist_dir);
  } else {
    auto sr = imaging::ParsePlainJson(order->json, "ServiceRequest");
    std::string subject = sr.ok() && GetObject(*sr, "subject")
                              ? GetString(*GetObject(*sr, "subject"), "reference")
                              : "";
    std::string patient_json = "{}";
    if (subject.rfind("Patient/", 0) == 0) {
      auto p = txn->Read("Patient", subject.substr(8));
      if (p.ok() && !p->deleted) patient_json = p->json;
    }
    // An entry already written keeps its StudyInstanceUID (a modality may hold it; entries
    // made before the DerivedUid fix carry the old derivation).
    auto entry =
        imaging::WorklistFromOrder(order->json, patient_json, options_.station_ae,
                                   imaging::ReadWorklistStudyUid(id, options_.worklist_dir));
    st = entry.ok() ? imaging::WriteWorklistFile(*entry, options_.worklist_dir) : entry.status();
  }
  if (!st.ok()) spdlog::error("imaging: worklist for ServiceRequest/{}: {}", id, st.message());
}

// After a restart (or a crash between a commit and its file): every imaging order again.
void ImagingAdapter::SyncAllOrders() {
  if (options_.worklist_dir.empty()) return;
  Reply r = Fhir("GET", "/fhir/ServiceRequest?category=" +
                            PercentEncode(std::string(imaging::kSnomedSystem) + "|" +
                                          std::string(imaging::kImagingCategoryCode)) +
                            "&status=active&_count=1000&_elements=id");
  auto d = imaging::ParsePlainJson(r.body, "search result");
  const rapidjson::Value* entries = r.status == 200 && d.ok() ? GetArray(*d, "entry") : nullptr;
  if (!entries) return;
  for (const auto& e : entries->GetArray()) {
    if (const rapidjson::Value* res = GetObject(e, "resource")) SyncOrder(GetString(*res, "id"));
  }
}

void ImagingAdapter::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    std::set<std::string> orders;
    orders.swap(dirty_orders_);
    lock.unlock();
    if (!prepared_) prepared_ = Prepare();
    for (const std::string& id : orders) SyncOrder(id);
    if (prepared_) {
      Status st = PollChanges();
      if (!st.ok() && st.message() != last_error_) {
        spdlog::warn("imaging: change feed: {} (retrying every {} ms)", st.message(),
                     options_.poll.count());
      }
      last_error_ = st.ok() ? "" : st.message();
    }
    lock.lock();
    cv_.wait_for(lock, options_.poll, [this] { return stopping_ || !dirty_orders_.empty(); });
  }
}

}  // namespace hb::app
