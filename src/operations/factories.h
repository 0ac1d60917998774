// One factory per operation file; RegisterOperations (register_operations.cpp) adds them.
#pragma once

#include <memory>

#include "operations/op_support.h"

namespace hb::operations {

std::unique_ptr<rest::Operation> MakeMatch(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeIdentify(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeStartVisit(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeCallNext(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeQueue(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeMerge(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeUnmerge(ContextPtr ctx);
std::unique_ptr<rest::Operation> MakeDuplicates(ContextPtr ctx);

}  // namespace hb::operations
