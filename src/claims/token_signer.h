// The PKCS#11 path of Signer::Open (signer.h): signing through the helper
// healthbook-p11sign, one process per file, since the token's own speed (tens of RSA
// signatures a second on a USB token) dwarfs a process start.
#pragma once

#include <memory>

#include "claims/signer.h"

namespace hb::claims {

// Opens the token path and proves it by signing and verifying a small document.
Result<std::unique_ptr<Signer>> OpenTokenSigner(const SignerOptions& options);

}  // namespace hb::claims
