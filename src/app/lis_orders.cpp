#include "app/lis_orders.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "lis/encoder.h"
#include "lis/order_message.h"
#include "lis/order_tracking.h"
#include "lis/parser.h"
#include "search/query_parser.h"

namespace hb::app {

namespace {

// The resource a reference like "Patient/123" names, parsed; nullopt when absent or unreadable.
std::optional<fhir::JsonDoc> ReadReferenced(storage::ReadTxn& txn, const fhir::JsonValue& from,
                                            std::string_view member, std::string_view type) {
  const fhir::JsonValue* ref = fhir::Member(from, member);
  std::string_view target = ref ? fhir::MemberString(*ref, "reference") : "";
  if (!target.starts_with(std::string(type) + "/")) return std::nullopt;
  auto v = txn.Read(type, target.substr(type.size() + 1));
  if (!v.ok() || v->deleted) return std::nullopt;
  auto doc = fhir::ParseJson(v->json);
  if (!doc.ok()) return std::nullopt;
  return std::move(doc).value();
}

}  // namespace

LisOrders::LisOrders(storage::ResourceStore& store, const access::AccessPolicy& policy,
                     jobs::OutboxWorker& outbox, LisOrderOptions options)
    : store_(store),
      policy_(policy),
      outbox_(outbox),
      options_(std::move(options)),
      facility_org_(store, options_.facility),
      principal_(
          std::make_shared<access::Principal>(LisPrincipal(options_.client, options_.facility))) {}

LisOrders::~LisOrders() { Stop(); }

void LisOrders::Start() {
  // Orders written while the interface was off (or just before a crash) are looked at once:
  // the 1,000 most recently changed, which is where an unsent order can be.
  auto q = search::ParseSearch("ServiceRequest",
                               {{"status", "active,revoked"}, {"_sort", "-_lastUpdated"}}, {});
  if (q.ok()) {
    q->count = 1000;
    q->total = false;
    auto r = store_.BeginRead()->Search(*q);
    if (r.ok()) {
      std::lock_guard lock(mu_);
      for (const auto& v : r->matches) dirty_.insert(v.id);
    }
  }
  thread_ = std::thread([this] { Loop(); });
}

void LisOrders::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LisOrders::OnCommit(const std::vector<storage::ResourceKey>& keys) {
  bool any = false;
  {
    std::lock_guard lock(mu_);
    for (const auto& k : keys) {
      if (k.type != "ServiceRequest") continue;
      dirty_.insert(k.id);
      any = true;
    }
  }
  if (any) cv_.notify_all();
}

void LisOrders::Loop() {
  while (true) {
    std::set<std::string> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !dirty_.empty(); });
      if (stopping_) return;
      batch.swap(dirty_);
    }
    for (const std::string& id : batch) Consider(id);
  }
}

Status LisOrders::UpdateOrder(
    storage::WriteTxn& txn, const std::string& id,
    const std::function<bool(fhir::JsonValue&, fhir::JsonAlloc&)>& change) {
  HB_ASSIGN_OR_RETURN(storage::ResourceVersion cur, txn.Read("ServiceRequest", id));
  if (cur.deleted) return Status(ErrorCode::kDeleted, "ServiceRequest/" + id + " was deleted");
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(cur.json));
  if (!change(doc, doc.GetAllocator())) return Status::Ok();
  HB_ASSIGN_OR_RETURN(rest::ResourceInput input, rest::PrepareNested(doc, doc.GetAllocator(), ""));
  access::Principal who = *principal_;
  who.facility_org = facility_org_.Get();
  rest::Actor actor{&who, &policy_, {}, false};
  HB_RETURN_IF_ERROR(rest::Update(txn, &actor, input, id, cur.version).status());
  return rest::FlushAudit(txn, &actor);
}

void LisOrders::Consider(const std::string& id) {
  auto txn = store_.BeginRead();
  auto cur = txn->Read("ServiceRequest", id);
  if (!cur.ok() || cur->deleted) return;
  auto facts = txn->Facts("ServiceRequest", id);
  auto doc = fhir::ParseJson(cur->json);
  if (!facts.ok() || !doc.ok()) return;
  const lis::OrderAction action =
      lis::DecideOrderAction(*doc, options_.facility, facility_org_.Get(), facts->owner);
  if (action.control.empty()) {
    spdlog::debug("lis: ServiceRequest/{}: {}", id, action.reason);
    return;
  }
  const std::string key = lis::OrderOutboxKey(id, action.control);
  lis::OrderMessageOptions mo;
  mo.version = options_.version;
  mo.facility = options_.facility;
  mo.receiving_application = options_.receiving_application;
  mo.control_id = lis::OrderControlId(key);
  mo.order_control = action.control;
  mo.placer_order = action.placer;
  auto patient = ReadReferenced(*txn, *doc, "subject", "Patient");
  auto encounter = ReadReferenced(*txn, *doc, "encounter", "Encounter");
  auto message = lis::BuildOrderMessage(*doc, patient ? &*patient : nullptr,
                                        encounter ? &*encounter : nullptr, mo);
  if (!message.ok()) {
    spdlog::warn("lis: ServiceRequest/{} cannot be sent to the LIS: {}", id,
                 message.status().message());
    return;
  }
  auto payload = lis::EncodeForWire(*message);
  if (!payload.ok()) return;
  Status st = store_.WriteSync([&](storage::WriteTxn& w) -> Status {
    HB_ASSIGN_OR_RETURN(bool queued, w.EnqueueOutbox(kLisOrderTopic, key, *payload));
    if (!queued) return Status::Ok();  // queued before: the order already says so
    std::string at = FormatInstant(w.Now());
    return UpdateOrder(w, id, [&](fhir::JsonValue& sr, fhir::JsonAlloc& a) {
      lis::RecordOrderQueued(sr, a, action, options_.facility, mo.control_id, at);
      return true;
    });
  });
  if (!st.ok()) {
    spdlog::warn("lis: ServiceRequest/{}: the {} order could not be queued: {}", id, action.control,
                 st.message());
    return;
  }
  spdlog::info("lis: ServiceRequest/{}: {} queued for the LIS (placer {}, MSH-10 {})", id,
               action.control, action.placer, mo.control_id);
  outbox_.Wake();
}

jobs::DeliveryResult LisOrders::Deliver(const storage::OutboxItem& item) {
  auto reply = lis::MllpSend(options_.lis, item.payload);
  if (!reply.ok()) return {jobs::Delivery::kRetry, reply.status().message()};
  auto ack = lis::ParseMessage(*reply);
  if (!ack.ok()) {
    return {jobs::Delivery::kRetry,
            "the LIS answered with something that is not an HL7 "
            "message: " +
                ack.status().message()};
  }
  const std::string control_id = lis::OrderControlId(item.key);
  const std::string code = ack->Get("MSA-1");
  if (ack->Get("MSA-2") != control_id) {
    return {jobs::Delivery::kRetry,
            "the LIS acknowledged '" + ack->Get("MSA-2") + "', not " + control_id};
  }
  std::string detail = ack->Get("ERR-8");
  if (detail.empty()) detail = ack->Get("MSA-3");
  jobs::Delivery outcome = jobs::Delivery::kRetry;
  if (code == "AA" || code == "CA") outcome = jobs::Delivery::kDelivered;
  if (code == "AE" || code == "AR" || code == "CE" || code == "CR") {
    outcome = jobs::Delivery::kFailed;
  }
  if (outcome == jobs::Delivery::kRetry) {
    return {outcome, "the LIS answered MSA-1 '" + code + "'"};
  }
  const std::string id = item.key.substr(0, item.key.rfind(':'));
  Status recorded = store_.WriteSync([&](storage::WriteTxn& w) {
    std::string at = FormatInstant(w.Now());
    return UpdateOrder(w, id, [&](fhir::JsonValue& sr, fhir::JsonAlloc& a) {
      return lis::RecordOrderAck(sr, a, control_id, code, detail, at);
    });
  });
  if (!recorded.ok()) {
    spdlog::warn("lis: the LIS's {} for ServiceRequest/{} could not be recorded on it: {}", code,
                 id, recorded.message());
  }
  spdlog::info("lis: ServiceRequest/{} {}: LIS answered {}{}", id, item.key.substr(id.size() + 1),
               code, detail.empty() ? "" : ": " + detail);
  return {outcome, detail.empty() ? code : code + ": " + detail};
}

}  // namespace hb::app
