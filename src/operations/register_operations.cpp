#include "operations/factories.h"
#include "operations/operations.h"

namespace hb::operations {

void RegisterOperations(rest::FhirService& service, const OperationsOptions& options) {
  auto ctx = std::make_shared<Context>();
  ctx->options = options;
  ctx->card_history = std::make_shared<reception::CardHistoryClient>(options.card_history);
  ctx->queue_numbers = std::make_shared<reception::QueueNumbers>();
  ContextPtr shared = ctx;
  service.AddOperation(MakeMatch(shared));
  service.AddOperation(MakeIdentify(shared));
  service.AddOperation(MakeStartVisit(shared));
  service.AddOperation(MakeCallNext(shared));
  service.AddOperation(MakeQueue(shared));
  service.AddOperation(MakeMerge(shared));
  service.AddOperation(MakeUnmerge(shared));
  service.AddOperation(MakeDuplicates(shared));
}

}  // namespace hb::operations
