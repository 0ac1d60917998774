#include "app/lis_inbound.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

#include "app/lis_transaction.h"
#include "common/clock.h"
#include "common/embedded.h"
#include "lis/ack.h"
#include "lis/encoder.h"
#include "lis/escape.h"
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

bool StartsBatch(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && (text.front() == '\r' || text.front() == '\n' || text.front() == ' ')) {
    text.remove_prefix(1);
  }
  return text.starts_with("FHS") || text.starts_with("BHS");
}

// The answer to a batch: FHS/BHS naming the original's, the ACKs in the messages' order,
// BTS/FTS with the counts; sent when the last message's ACK is known.
struct BatchReply {
  BatchReply(size_t n, const lis::Segment* fhs, const lis::Segment* bhs,
             const lis::AckOptions& options)
      : acks(n), remaining(n) {
    const lis::Delimiters d;  // the reply's own, as written below: |^~\&
    const int64_t at = options.now_micros != 0 ? options.now_micros : NowMicros();
    std::string now = lis::FormatHl7Timestamp(at, options.utc_offset_minutes);
    auto header = [&](std::string_view name, const lis::Segment* original) {
      // Addressed back to the sender; field 12 names the original's control id (field 11).
      std::string h(name);
      h += "|^~\\&|" + lis::Escape(options.sending_application, d) + "|" +
           lis::Escape(options.sending_facility, d) + "|";
      if (original != nullptr)
        h += lis::Escape(original->Get(3), d) + "|" + lis::Escape(original->Get(4), d);
      else
        h += "|";
      h += "|" + now + "||||" + NewControlId() + "|";
      if (original != nullptr) h += lis::Escape(original->Get(11), d);
      return h;
    };
    head = header("FHS", fhs) + "\r" + header("BHS", bhs) + "\r";
  }
  static std::string NewControlId() {
    static std::atomic<uint64_t> counter{0};
    return "HBB" + std::to_string(NowMicros()) + "-" + std::to_string(counter++);
  }
  void Done(size_t i, std::string ack) {
    {
      std::lock_guard lock(mu);
      acks[i] = std::move(ack);
      if (--remaining > 0) return;
    }
    Finish();
  }
  void Finish() {
    std::string out = head;
    for (std::string& a : acks) {
      out += a;
      if (!out.empty() && out.back() != '\r') out.push_back('\r');
    }
    out += "BTS|" + std::to_string(acks.size()) + "\rFTS|1\r";
    reply(std::move(out));
  }
  std::mutex mu;
  std::vector<std::string> acks;
  size_t remaining;
  std::string head;
  lis::MllpReply reply;
};

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
  if (StartsBatch(message)) return HandleBatch(std::move(message), peer, std::move(reply));
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
  HandleMessage(std::move(parsed).value(), std::move(message), peer, std::move(reply));
}

void LisInbound::HandleBatch(std::string text, const lis::MllpPeer& peer, lis::MllpReply reply) {
  lis::AckOptions ack_options;
  ack_options.sending_facility = options_.facility;
  lis::ParseError parse_error;
  auto file = lis::ParseBatch(text, &parse_error);
  if (!file.ok()) {  // a cut or spliced batch is refused whole: nothing of it is stored
    ++rejected_;
    spdlog::warn("mllp: #{} {}: AR, a batch we cannot read: {}", peer.connection, peer.address,
                 parse_error.ToString());
    return reply(lis::Encode(lis::BuildRejectAck(text, parse_error, ack_options)));
  }
  std::vector<const lis::Message*> messages = file->Messages();
  const lis::Segment* fhs = file->header ? &*file->header : nullptr;
  const lis::Segment* bhs =
      !file->batches.empty() && file->batches[0].header ? &*file->batches[0].header : nullptr;
  auto state = std::make_shared<BatchReply>(messages.size(), fhs, bhs, ack_options);
  state->reply = std::move(reply);
  if (messages.empty()) return state->Finish();
  spdlog::info("mllp: #{} {}: a batch of {} message(s)", peer.connection, peer.address,
               messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    // Each message is kept as its own text (re-encoded: CR line ends, its own character set).
    auto raw = lis::EncodeForWire(*messages[i]);
    HandleMessage(*messages[i], raw.ok() ? *raw : lis::Encode(*messages[i]), peer,
                  [state, i](std::string ack) { state->Done(i, std::move(ack)); });
  }
}

void LisInbound::Retire(std::initializer_list<std::shared_ptr<const void>> leftovers) {
  std::lock_guard lock(retired_mu_);
  for (const auto& p : leftovers) retired_.push_back(p);
}

void LisInbound::FreeRetired() {
  std::vector<std::shared_ptr<const void>> freed;
  {
    std::lock_guard lock(retired_mu_);
    freed.swap(retired_);
  }
}  // `freed` is destroyed here, outside the lock

void LisInbound::HandleMessage(lis::Message parsed_message, std::string message,
                               const lis::MllpPeer& peer, lis::MllpReply reply) {
  FreeRetired();
  const int64_t received = NowMicros();
  lis::AckOptions ack_options;
  ack_options.sending_facility = options_.facility;
  auto parsed = std::make_unique<lis::Message>(std::move(parsed_message));
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
  auto original = std::shared_ptr<lis::Message>(std::move(parsed));
  // The AA is made here, on the MLLP thread: the completion runs on the store's writer, whose
  // time is what bounds the message rate.
  std::string accept = Wire(lis::BuildAck(*original, lis::AckCode::kAccept, {}, ack_options));
  const access::AccessPolicy* policy = &policy_;
  store_.Write(
      [work, outcome, principal, policy](storage::WriteTxn& txn) {
        rest::Actor actor{principal.get(), policy, {}, false};
        return ApplyLisMessage(txn, *work, &actor, outcome.get());
      },
      [this, work, principal, original, outcome, summary, peer, ack_options,
       accept = std::move(accept), reply = std::move(reply)](Status st) mutable {
        const lis::Message& m = *original;
        if (!st.ok()) {
          ++errors_;
          lis::AckError e = StoreError(st, outcome->first_failing_type);
          spdlog::warn("mllp: #{} {}: AE {}: {}", peer.connection, peer.address, summary,
                       e.user_message);
          reply(Wire(lis::BuildAck(m, lis::AckCode::kError, {e}, ack_options)));
        } else {
          if (outcome->duplicate) {
            ++duplicates_;
            spdlog::info("mllp: #{} {}: {} was stored before: AA, nothing new", peer.connection,
                         peer.address, summary);
          } else {
            ++accepted_;
            spdlog::debug("mllp: #{} {}: AA {} ({} created, {} updated, {} unchanged)",
                          peer.connection, peer.address, summary, outcome->created,
                          outcome->updated, outcome->unchanged);
          }
          reply(std::move(accept));
        }
        // Freed by an MLLP thread; the work function's copies only drop a reference here.
        Retire({std::move(work), std::move(principal), std::move(original)});
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
