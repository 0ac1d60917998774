#include "app/lis_inbound.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "app/lis_transaction.h"
#include "common/clock.h"
#include "common/embedded.h"
#include "lis/ack.h"
#include "lis/encoder.h"
#include "lis/mapping.h"
#include "lis/parser.h"

HB_EMBEDDED(hb_catalog_lis_local_loinc)

namespace hb::app {

namespace {

std::string Wire(const lis::Message& ack) {
  auto wire = lis::EncodeForWire(ack);
  return wire.ok() ? *wire : lis::Encode(ack);
}

// Where in the message a record that could not be written came from, for ERR-2.
std::string SegmentFor(const std::string& type) {
  if (type == "Patient") return "PID";
  if (type == "Encounter") return "PV1";
  if (type == "Observation") return "OBX";
  if (type == "ServiceRequest" || type == "DiagnosticReport") return "OBR";
  return "MSH";
}

lis::AckError StoreError(const Status& st, const std::string& failing_type) {
  lis::AckError e;
  switch (st.code()) {
    case ErrorCode::kMultipleMatches:
      e.code = lis::Hl7Error::kDuplicateKey;
      break;
    case ErrorCode::kNotFound:
      e.code = lis::Hl7Error::kUnknownKey;
      break;
    default:
      e.code = lis::Hl7Error::kInternal;
      break;
  }
  e.location.segment = SegmentFor(failing_type);
  e.location.sequence = 1;
  std::string why = st.message();
  if (st.category() == ErrorCategory::kUnavailable) why += " (send it again later)";
  e.user_message = why.substr(0, 500);
  return e;
}

}  // namespace

LisInbound::LisInbound(storage::ResourceStore& store, const access::AccessPolicy& policy,
                       LisInboundOptions options)
    : store_(store),
      policy_(policy),
      options_(std::move(options)),
      facility_org_(store, options_.facility),
      principal_(LisPrincipal(options_.client, options_.facility)) {
  validator_.supported_types = lis::MappedMessageTypes();
}

void LisInbound::Handle(std::string message, const lis::MllpPeer& peer, lis::MllpReply reply) {
  const int64_t received = NowMicros();
  lis::AckOptions ack_options;
  ack_options.sending_facility = options_.facility;
  lis::ParseError parse_error;
  auto parsed = lis::ParseMessage(message, &parse_error);
  if (!parsed.ok()) {
    ++rejected_;
    spdlog::warn("mllp: #{} {}: AR, not HL7 v2 we can read: {}", peer.connection, peer.address,
                 parse_error.ToString());
    return reply(lis::Encode(lis::BuildRejectAck(message, parse_error, ack_options)));
  }
  const lis::Message& msg = *parsed;
  auto refuse = [&](const std::vector<lis::AckError>& errors) {
    lis::AckCode code = lis::AckCodeFor(errors);
    (code == lis::AckCode::kReject ? rejected_ : errors_)++;
    spdlog::warn("mllp: #{} {}: {} {} {}: {}", peer.connection, peer.address,
                 lis::AckCodeText(code), msg.Type(), msg.ControlId(), errors.front().user_message);
    reply(Wire(lis::BuildAck(msg, code, errors, ack_options)));
  };
  if (auto errors = lis::ValidateMessage(msg, validator_);
      lis::AckCodeFor(errors) != lis::AckCode::kAccept) {
    return refuse(errors);
  }
  lis::MappingOptions mo;
  mo.facility = options_.facility;
  mo.facility_org = facility_org_.Get();
  mo.local_codes = &options_.local_codes;
  mo.authorities = options_.authorities;
  mo.received_micros = received;
  lis::MapOutcome mapped = lis::MapMessage(msg, message, mo);
  if (!mapped.mapped) return refuse(mapped.errors);
  std::string summary = mapped.mapped->summary;
  auto prepared = PrepareLisMessage(std::move(*mapped.mapped));
  if (!prepared.ok()) {
    return refuse({StoreError(prepared.status(), "")});
  }
  auto principal = std::make_shared<access::Principal>(principal_);
  principal->facility_org = mo.facility_org;
  std::shared_ptr<PreparedMessage> work(std::move(prepared).value());
  auto outcome = std::make_shared<ApplyOutcome>();
  auto original = std::make_shared<lis::Message>(std::move(*parsed));
  // The AA is made here, on the MLLP thread: the completion runs on the store's writer, whose
  // time is what bounds the message rate.
  std::string accept = Wire(lis::BuildAck(*original, lis::AckCode::kAccept, {}, ack_options));
  const access::AccessPolicy* policy = &policy_;
  store_.Write(
      [work, outcome, principal, policy](storage::WriteTxn& txn) {
        rest::Actor actor{principal.get(), policy, {}, false};
        return ApplyLisMessage(txn, *work, &actor, outcome.get());
      },
      [this, original, outcome, summary, peer, ack_options, accept = std::move(accept),
       reply = std::move(reply)](Status st) mutable {
        const lis::Message& m = *original;
        if (!st.ok()) {
          ++errors_;
          lis::AckError e = StoreError(st, outcome->first_failing_type);
          spdlog::warn("mllp: #{} {}: AE {}: {}", peer.connection, peer.address, summary,
                       e.user_message);
          return reply(Wire(lis::BuildAck(m, lis::AckCode::kError, {e}, ack_options)));
        }
        if (outcome->duplicate) {
          ++duplicates_;
          spdlog::info("mllp: #{} {}: {} was stored before: AA, nothing new", peer.connection,
                       peer.address, summary);
        } else {
          ++accepted_;
          spdlog::debug("mllp: #{} {}: AA {} ({} created, {} updated, {} unchanged)",
                        peer.connection, peer.address, summary, outcome->created, outcome->updated,
                        outcome->unchanged);
        }
        reply(std::move(accept));
      });
}

LisInboundStats LisInbound::Stats() const {
  return {accepted_.load(), duplicates_.load(), errors_.load(), rejected_.load()};
}

Result<lis::LocalCodeMap> LoadLocalCodeMap(storage::ResourceStore& store,
                                           const std::string& facility) {
  HB_ASSIGN_OR_RETURN(lis::LocalCodeMap seed,
                      lis::LocalCodeMap::FromCsv(hb_catalog_lis_local_loinc_view()));
  const std::string id = lis::ConceptMapId(facility);
  auto stored = store.BeginRead()->Read("ConceptMap", id);
  if (!stored.ok() && stored.status().code() != ErrorCode::kNotFound) return stored.status();
  if (!stored.ok() || stored->deleted) {
    HB_ASSIGN_OR_RETURN(auto input,
                        rest::PrepareInput(seed.ToConceptMapJson(facility), "ConceptMap"));
    HB_RETURN_IF_ERROR(store.WriteSync([&](storage::WriteTxn& txn) {
      return rest::Update(txn, nullptr, input->input, id, std::nullopt).status();
    }));
    spdlog::info("lis: stored ConceptMap/{} ({} local codes)", id, seed.size());
    return seed;
  }
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(stored->json));
  auto map = lis::LocalCodeMap::FromConceptMap(doc);
  if (!map.ok()) {
    spdlog::warn("lis: ConceptMap/{} cannot be read ({}); using the built-in codes", id,
                 map.status().message());
    return seed;
  }
  return map;
}

}  // namespace hb::app
