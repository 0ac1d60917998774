// VerifySignature (signer.h): xmlsec checks the XMLDSig in CHUKYDONVI with the key of the
// certificate it carries; we add that the one reference is URI="" with the enveloped
// transform (so the signature covers the whole file, not a part an attacker chose) and,
// with a trusted certificate, that the signer's chains to it.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <memory>

#include "claims/envelope.h"
#include "claims/signer.h"
#include "claims/x509_facts.h"
#include "claims/xmlsec_init.h"
#include "common/base64.h"

namespace hb::claims {

namespace {

std::string Content(xmlNodePtr n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<char*>(c) : "";
  xmlFree(c);
  return s;
}

// The signer's certificate from KeyInfo/X509Data/X509Certificate.
X509* EmbeddedCert(xmlNodePtr sig) {
  xmlNodePtr cert = xmlSecFindNode(sig, xmlSecNodeX509Certificate, xmlSecDSigNs);
  if (!cert) return nullptr;
  std::optional<std::string> der = Base64Decode(Content(cert), kBase64Mime);
  if (!der) return nullptr;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der->data());
  return d2i_X509(nullptr, &p, static_cast<long>(der->size()));
}

// One Reference, URI="", with the enveloped-signature transform.
bool CoversWholeDocument(xmlNodePtr sig) {
  xmlNodePtr info = xmlSecFindChild(sig, xmlSecNodeSignedInfo, xmlSecDSigNs);
  int refs = 0;
  bool whole = false;
  for (xmlNodePtr n = info ? info->children : nullptr; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || !xmlSecCheckNodeName(n, xmlSecNodeReference, xmlSecDSigNs))
      continue;
    ++refs;
    xmlChar* uri = xmlGetProp(n, BAD_CAST "URI");
    const bool empty_uri = uri && uri[0] == 0;
    xmlFree(uri);
    bool enveloped = false;
    if (xmlNodePtr tr = xmlSecFindChild(n, xmlSecNodeTransforms, xmlSecDSigNs)) {
      for (xmlNodePtr t = tr->children; t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE) continue;
        xmlChar* alg = xmlGetProp(t, BAD_CAST "Algorithm");
        if (alg &&
            xmlStrEqual(alg, BAD_CAST "http://www.w3.org/2000/09/xmldsig#enveloped-signature"))
          enveloped = true;
        xmlFree(alg);
      }
    }
    whole = empty_uri && enveloped;
  }
  return refs == 1 && whole;
}

}  // namespace

Result<SignatureCheck> VerifySignature(std::string_view xml, const std::string& trusted_pem) {
  if (!EnsureXmlsec()) return Status(ErrorCode::kInternal, "xmlsec cannot be initialised");
  xmlDocPtr doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "utf-8", XML_PARSE_NONET);
  if (!doc) return Status(ErrorCode::kInvalidArgument, "the file is not well-formed XML");
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> guard(doc, xmlFreeDoc);
  xmlNodePtr root = xmlDocGetRootElement(doc);
  xmlNodePtr holder = root ? xmlSecFindChild(root, BAD_CAST "CHUKYDONVI", nullptr) : nullptr;
  xmlNodePtr sig = holder ? xmlSecFindChild(holder, xmlSecNodeSignature, xmlSecDSigNs) : nullptr;
  if (!sig) return Status(ErrorCode::kInvalidArgument, "no ds:Signature in CHUKYDONVI");

  SignatureCheck out;
  std::unique_ptr<X509, void (*)(X509*)> cert(EmbeddedCert(sig), X509_free);
  if (cert) {
    CertFacts f = ReadCert(cert.get());
    out.subject = f.subject;
    out.issuer = f.issuer;
    out.serial = f.serial;
    out.not_before = f.not_before;
    out.not_after = f.not_after;
    out.sha256_fingerprint = f.sha256_fingerprint;
  }
  if (!CoversWholeDocument(sig)) {
    out.problem =
        "the signature does not cover the whole document (one Reference URI=\"\" "
        "with the enveloped-signature transform)";
    return out;
  }
  xmlSecKeysMngrPtr mngr = xmlSecKeysMngrCreate();
  std::unique_ptr<xmlSecKeysMngr, void (*)(xmlSecKeysMngrPtr)> mguard(mngr, xmlSecKeysMngrDestroy);
  if (!mngr || xmlSecCryptoAppDefaultKeysMngrInit(mngr) < 0)
    return Status(ErrorCode::kInternal, "xmlsec: cannot create a keys manager");
  if (!trusted_pem.empty() &&
      xmlSecCryptoAppKeysMngrCertLoad(mngr, trusted_pem.c_str(), xmlSecKeyDataFormatPem,
                                      xmlSecKeyDataTypeTrusted) < 0)
    return Status(ErrorCode::kInvalidArgument,
                  "cannot read the trusted certificate " + trusted_pem);
  xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(mngr);
  if (!ctx) return Status(ErrorCode::kInternal, "xmlsec: cannot create a signature context");
  if (trusted_pem.empty())
    ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
  const int rc = xmlSecDSigCtxVerify(ctx, sig);
  const bool good = rc >= 0 && ctx->status == xmlSecDSigStatusSucceeded;
  xmlSecDSigCtxDestroy(ctx);
  out.valid = good;
  if (!good) {
    out.problem = rc < 0 ? "the signature could not be checked (no usable key, or the certificate "
                           "does not chain to the trusted one)"
                         : "the signature does not match the document (changed after signing)";
  }
  return out;
}

}  // namespace hb::claims
