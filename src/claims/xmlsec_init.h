// One-time initialisation of libxml2 and xmlsec with its OpenSSL crypto, shared by the
// signer and the verifier. Thread-safe (std::call_once); never torn down (the process
// keeps them to its end). Returns false, with the reason logged, when xmlsec cannot start.
#pragma once

namespace hb::claims {

bool EnsureXmlsec();

}  // namespace hb::claims
