#include "claims/claim_delivery.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "claims/claim_task.h"
#include "claims/fhir_read.h"
#include "common/clock.h"
#include "search/query_parser.h"

namespace hb::claims {

namespace {

std::string Payload(const ClaimFile& f, std::string_view encounter, std::string_view patient) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto kv = [&](const char* k, std::string_view v) {
    w.Key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  kv("encounter", encounter);
  kv("patient", patient);
  kv("ma_lk", f.ma_lk);
  kv("facility", f.facility);
  kv("xml", f.xml);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string Member(const rapidjson::Document& d, const char* k) {
  auto it = d.FindMember(k);
  return it != d.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

std::string ErrorsText(const ClaimErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += FormatError(e) + "\n";
  return out;
}

std::string PatientOf(storage::ReadTxn& txn, std::string_view encounter_id) {
  auto v = txn.Read("Encounter", encounter_id);
  if (!v.ok() || v->deleted) return {};
  auto d = fhir::ParseJson(v->json);
  return d.ok() ? std::string(RefId(At(*d, {"subject"}), "Patient")) : std::string();
}

}  // namespace

ClaimDelivery::ClaimDelivery(storage::ResourceStore& store, const ClaimService& service,
                             ResourceSaver saver, std::vector<PortalOptions> portals)
    : store_(store), service_(service), saver_(std::move(saver)) {
  for (auto& o : portals) {
    const std::string topic(o.kind == PortalKind::kNational ? kNationalTopic : kProvincialTopic);
    portals_.push_back(Portal{topic, std::make_unique<PortalClient>(std::move(o))});
  }
}

ClaimDelivery::~ClaimDelivery() { Stop(); }

std::vector<std::pair<std::string, jobs::Sender>> ClaimDelivery::Senders() {
  std::vector<std::pair<std::string, jobs::Sender>> out;
  for (Portal& p : portals_) {
    out.emplace_back(
        p.topic, [this, &p](const storage::OutboxItem& item) { return Deliver(p, item, false); });
    if (p.client->options().kind == PortalKind::kNational) {
      out.emplace_back(std::string(kCheckInTopic), [this, &p](const storage::OutboxItem& item) {
        return Deliver(p, item, true);
      });
    }
  }
  return out;
}

Status ClaimDelivery::UpdateTask(const std::string& portal, const std::string& encounter_id,
                                 const std::function<void(ClaimTask&)>& change) {
  return store_.WriteSync([&](storage::WriteTxn& txn) -> Status {
    ClaimTask t;
    auto v = txn.Read("Task", ClaimTaskId(portal, encounter_id));
    if (v.ok() && !v->deleted) {
      auto read = ReadClaimTask(v->json);
      if (read.ok()) t = std::move(read).value();
    }
    const ClaimTask before = t;
    t.portal = portal;
    t.encounter_id = encounter_id;
    change(t);
    if (v.ok() && t.status == before.status && t.business == before.business &&
        t.reason == before.reason && t.transaction == before.transaction)
      return Status::Ok();  // nothing new to record (another retry for the same cause)
    return saver_(txn, ClaimTaskJson(t, FormatInstant(txn.Now())));
  });
}

jobs::DeliveryResult ClaimDelivery::Deliver(Portal& portal, const storage::OutboxItem& item,
                                            bool checkin) {
  rapidjson::Document d;
  d.Parse(item.payload.data(), item.payload.size());
  if (d.HasParseError() || !d.IsObject())
    return {jobs::Delivery::kFailed, "the outbox payload is not a claim"};
  const std::string encounter = Member(d, "encounter"), xml = Member(d, "xml");
  const std::string name = checkin ? "checkin" : portal.client->options().name;
  PortalAnswer a = checkin ? portal.client->CheckIn(xml, Member(d, "facility"))
                           : portal.client->Submit(xml, Member(d, "facility"));
  Status st = UpdateTask(name, encounter, [&](ClaimTask& t) {
    t.ma_lk = item.key;
    t.answer = a.body;
    if (a.kind == PortalAnswer::kAccepted) {
      t.status = "completed";
      t.business = "accepted";
      t.reason.clear();
      t.transaction = a.transaction;
    } else if (a.kind == PortalAnswer::kRejected) {
      t.status = "failed";
      t.business = "rejected";
      t.reason = a.message;
    } else {
      t.status = "in-progress";
      t.business = "retrying";
      t.reason = a.message;
    }
  });
  if (!st.ok())
    spdlog::warn("claims: cannot record the {} answer for {}: {}", name, item.key, st.message());
  switch (a.kind) {
    case PortalAnswer::kAccepted:
      return {jobs::Delivery::kDelivered, a.body};
    case PortalAnswer::kRejected:
      return {jobs::Delivery::kFailed, a.message};
    default:
      return {jobs::Delivery::kRetry, a.message};
  }
}

Result<std::vector<QueueResult>> ClaimDelivery::Queue(std::string_view encounter_id,
                                                      bool resubmit) {
  struct Built {
    Portal* portal;
    ClaimFile file;
  };
  std::vector<Built> built;
  std::string patient;
  {
    auto txn = store_.BeginRead();
    patient = PatientOf(*txn, encounter_id);
    for (Portal& p : portals_) {
      const std::string task_id = ClaimTaskId(p.client->options().name, encounter_id);
      auto existing = txn->Read("Task", task_id);
      if (!resubmit && existing.ok() && !existing->deleted) continue;
      HB_ASSIGN_OR_RETURN(ClaimFile f,
                          service_.Make(*txn, encounter_id, p.client->options().schema));
      built.push_back({&p, std::move(f)});
    }
  }
  std::vector<QueueResult> results;
  if (built.empty()) return results;
  const std::string enc(encounter_id);
  HB_RETURN_IF_ERROR(store_.WriteSync([&](storage::WriteTxn& txn) -> Status {
    results.clear();
    for (Built& b : built) {
      const PortalOptions& o = b.portal->client->options();
      ClaimTask t;
      auto v = txn.Read("Task", ClaimTaskId(o.name, enc));
      if (v.ok() && !v->deleted) {
        if (!resubmit) continue;  // queued meanwhile by another caller (scan or operation)
        HB_ASSIGN_OR_RETURN(t, ReadClaimTask(v->json));
      }
      t.portal = o.name;
      t.encounter_id = enc;
      t.patient_id = patient;
      t.ma_lk = b.file.ma_lk;
      t.schema = std::string(SchemaName(o.schema));
      QueueResult r{o.name, "", b.file.ma_lk, b.file.errors};
      if (!b.file.errors.empty()) {
        t.status = "failed";
        t.business = "invalid";
        t.reason = ErrorsText(b.file.errors);
        r.outcome = "invalid";
      } else {
        const std::string payload = Payload(b.file, enc, patient);
        if (t.outbox_seq > 0) {
          HB_RETURN_IF_ERROR(txn.RequeueOutbox(t.outbox_seq, payload));
          r.outcome = "requeued";
        } else {
          HB_ASSIGN_OR_RETURN(bool queued,
                              txn.EnqueueOutbox(b.portal->topic, b.file.ma_lk, payload));
          r.outcome = queued ? "queued" : "already-queued";
          if (queued) {
            // The item just queued is the newest pending one of its topic in this transaction.
            storage::OutboxQuery q;
            q.topic = b.portal->topic;
            q.state = storage::OutboxState::kPending;
            q.count = 1;
            HB_ASSIGN_OR_RETURN(auto items, txn.Outbox(q));
            if (!items.empty() && items[0].key == b.file.ma_lk) t.outbox_seq = items[0].seq;
          }
        }
        t.status = "requested";
        t.business = "queued";
        t.reason.clear();
        t.transaction.clear();
        t.answer.clear();
      }
      HB_RETURN_IF_ERROR(saver_(txn, ClaimTaskJson(t, FormatInstant(txn.Now()))));
      results.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  if (wake_) wake_();
  return results;
}

Result<QueueResult> ClaimDelivery::QueueCheckIn(std::string_view encounter_id) {
  Portal* national = nullptr;
  for (Portal& p : portals_) {
    if (p.client->options().kind == PortalKind::kNational) national = &p;
  }
  if (!national)
    return Status(ErrorCode::kUnavailable, "no national portal: check-ins are not sent");
  const std::string enc(encounter_id);
  ClaimFile f;
  std::string patient;
  {
    auto txn = store_.BeginRead();
    patient = PatientOf(*txn, encounter_id);
    HB_ASSIGN_OR_RETURN(f, service_.MakeCheckIn(*txn, encounter_id, SchemaVersion::k3176));
  }
  QueueResult r{"checkin", "", f.ma_lk, f.errors};
  HB_RETURN_IF_ERROR(store_.WriteSync([&](storage::WriteTxn& txn) -> Status {
    auto v = txn.Read("Task", ClaimTaskId("checkin", enc));
    if (v.ok() && !v->deleted) {
      r.outcome = "already-queued";  // a check-in is sent once per visit
      return Status::Ok();
    }
    ClaimTask t;
    t.portal = "checkin";
    t.encounter_id = enc;
    t.patient_id = patient;
    t.ma_lk = f.ma_lk;
    t.schema = "3176";
    if (!f.errors.empty()) {
      t.status = "failed";
      t.business = "invalid";
      t.reason = ErrorsText(f.errors);
      r.outcome = "invalid";
    } else {
      HB_ASSIGN_OR_RETURN(bool queued,
                          txn.EnqueueOutbox(kCheckInTopic, f.ma_lk, Payload(f, enc, patient)));
      r.outcome = queued ? "queued" : "already-queued";
    }
    return saver_(txn, ClaimTaskJson(t, FormatInstant(txn.Now())));
  }));
  if (wake_ && r.outcome == "queued") wake_();
  return r;
}

Result<int> ClaimDelivery::ScanCheckIns(int64_t since_micros) {
  bool national = false;
  for (Portal& p : portals_) national |= p.client->options().kind == PortalKind::kNational;
  if (!national) return 0;
  int queued = 0;
  search::ParseOptions po;
  po.strict = true;
  for (int64_t offset = 0;; offset += 500) {
    std::vector<std::string> ids;
    {
      auto txn = store_.BeginRead();
      search::QueryParams params = {{"status", "arrived,triaged,in-progress"},
                                    {"_count", "500"},
                                    {"_offset", std::to_string(offset)}};
      if (since_micros > 0) params.push_back({"_lastUpdated", "ge" + FormatInstant(since_micros)});
      HB_ASSIGN_OR_RETURN(search::SearchQuery q, search::ParseSearch("Encounter", params, po));
      q.total = false;
      HB_ASSIGN_OR_RETURN(storage::SearchResult page, txn->Search(q));
      for (const auto& m : page.matches) {
        auto t = txn->Read("Task", ClaimTaskId("checkin", m.id));
        if (!t.ok() || t->deleted) ids.push_back(m.id);
      }
      if (page.matches.size() < 500) offset = -1;
    }
    for (const std::string& id : ids) {
      auto r = QueueCheckIn(id);
      if (r.ok() && r->outcome == "queued") ++queued;  // not insured: nothing to send
    }
    if (offset < 0) break;
  }
  return queued;
}

Result<int> ClaimDelivery::Scan(int64_t since_micros) {
  HB_ASSIGN_OR_RETURN(int queued, ScanCheckIns(since_micros));
  search::ParseOptions po;
  po.strict = true;
  for (int64_t offset = 0;; offset += 500) {
    std::vector<std::string> ids;
    {
      auto txn = store_.BeginRead();
      search::QueryParams params = {
          {"status", "finished"}, {"_count", "500"}, {"_offset", std::to_string(offset)}};
      if (since_micros > 0) params.push_back({"_lastUpdated", "ge" + FormatInstant(since_micros)});
      HB_ASSIGN_OR_RETURN(search::SearchQuery q, search::ParseSearch("Encounter", params, po));
      q.total = false;
      HB_ASSIGN_OR_RETURN(storage::SearchResult page, txn->Search(q));
      for (const auto& m : page.matches) {
        bool missing = false;
        for (Portal& p : portals_) {
          auto t = txn->Read("Task", ClaimTaskId(p.client->options().name, m.id));
          missing |= !t.ok() || t->deleted;
        }
        if (missing) ids.push_back(m.id);
      }
      if (page.matches.size() < 500) offset = -1;
    }
    for (const std::string& id : ids) {
      auto r = Queue(id, false);
      if (!r.ok()) continue;  // not insured or not claimable: nothing to send
      for (const auto& q : *r) queued += q.outcome == "queued";
    }
    if (offset < 0) break;
  }
  return queued;
}

void ClaimDelivery::Start(std::chrono::milliseconds poll, std::function<void()> wake) {
  wake_ = std::move(wake);
  thread_ = std::thread([this, poll] { Loop(poll); });
}

void ClaimDelivery::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ClaimDelivery::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void ClaimDelivery::Loop(std::chrono::milliseconds poll) {
  int64_t since = 0;  // the first look covers every finished encounter
  while (true) {
    // Encounters written while a scan runs are caught by the next one (overlap of 2 s).
    const int64_t started = NowMicros() - 2'000'000;
    auto n = Scan(since);
    if (!n.ok()) {
      spdlog::warn("claims: scanning for discharges failed: {}", n.status().message());
    } else {
      since = started;
      if (*n > 0) spdlog::info("claims: queued {} claim(s) for the portals", *n);
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, poll, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace hb::claims
