#include "claims/signer.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <spdlog/spdlog.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <mutex>

#include "claims/token_signer.h"
#include "claims/x509_facts.h"
#include "claims/xmlsec_init.h"

namespace hb::claims {

bool EnsureXmlsec() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    xmlInitParser();
    // xmlsec prints every failure to stderr; ours are reported through Status instead.
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(nullptr) < 0 ||
        xmlSecCryptoInit() < 0) {
      return;
    }
    ok = true;
  });
  return ok;
}

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class XmlsecSigner final : public Signer {
 public:
  XmlsecSigner(xmlSecKeyPtr key, std::string subject) : key_(key), subject_(std::move(subject)) {}
  ~XmlsecSigner() override { xmlSecKeyDestroy(key_); }

  Result<std::string> Sign(std::string_view xml) const override {
    xmlDocPtr doc =
        xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "utf-8", XML_PARSE_NONET);
    if (!doc) return Status(ErrorCode::kInvalidArgument, "the claim file is not well-formed XML");
    std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> guard(doc, xmlFreeDoc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr holder = root ? xmlSecFindChild(root, BAD_CAST "CHUKYDONVI", nullptr) : nullptr;
    if (!holder) return Status(ErrorCode::kInvalidArgument, "the claim file has no CHUKYDONVI");
    while (holder->children) {
      xmlNodePtr c = holder->children;
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
    xmlNodePtr sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformInclC14NId,
                                               xmlSecTransformRsaSha256Id, nullptr);
    if (!sig) return Status(ErrorCode::kInternal, "xmlsec: cannot create the signature template");
    xmlAddChild(holder, sig);
    xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, nullptr,
                                                     BAD_CAST "", nullptr);
    if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId))
      return Status(ErrorCode::kInternal, "xmlsec: cannot add the reference");
    xmlNodePtr info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
    xmlNodePtr x509 = info ? xmlSecTmplKeyInfoAddX509Data(info) : nullptr;
    if (!x509 || !xmlSecTmplX509DataAddSubjectName(x509) || !xmlSecTmplX509DataAddCertificate(x509))
      return Status(ErrorCode::kInternal, "xmlsec: cannot add KeyInfo");
    xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(nullptr);
    if (!ctx) return Status(ErrorCode::kInternal, "xmlsec: cannot create a signature context");
    // The context destroys its signKey: lend ours and take it back before that.
    ctx->signKey = key_;
    const int rc = xmlSecDSigCtxSign(ctx, sig);
    ctx->signKey = nullptr;
    xmlSecDSigCtxDestroy(ctx);
    if (rc < 0) return Status(ErrorCode::kInternal, "xmlsec: signing failed");
    xmlChar* out = nullptr;
    int len = 0;
    xmlDocDumpMemoryEnc(doc, &out, &len, "utf-8");
    std::string signed_xml(reinterpret_cast<char*>(out), static_cast<size_t>(len));
    xmlFree(out);
    return signed_xml;
  }

  const std::string& subject() const override { return subject_; }

 private:
  xmlSecKeyPtr key_;
  std::string subject_;
};

}  // namespace

Result<std::unique_ptr<Signer>> Signer::Open(const SignerOptions& o) {
  if (!o.pkcs11_module.empty()) return OpenTokenSigner(o);
  if (!EnsureXmlsec()) return Status(ErrorCode::kInternal, "xmlsec cannot be initialised");
  if (o.key_file.empty())
    return Status(ErrorCode::kInvalidArgument, "no signing key configured (claims.key_file)");
  const char* pwd = o.password.empty() ? nullptr : o.password.c_str();
  xmlSecKeyPtr key = nullptr;
  if (EndsWith(o.key_file, ".p12") || EndsWith(o.key_file, ".pfx")) {
    key = xmlSecCryptoAppPkcs12Load(o.key_file.c_str(), pwd, nullptr, nullptr);
  } else {
    key = xmlSecCryptoAppKeyLoad(o.key_file.c_str(), xmlSecKeyDataFormatPem, pwd, nullptr, nullptr);
    if (key && !o.cert_file.empty() &&
        xmlSecCryptoAppKeyCertLoad(key, o.cert_file.c_str(), xmlSecKeyDataFormatPem) < 0) {
      xmlSecKeyDestroy(key);
      return Status(ErrorCode::kInvalidArgument, "cannot read the certificate " + o.cert_file);
    }
  }
  if (!key) return Status(ErrorCode::kInvalidArgument, "cannot read the signing key " + o.key_file);
  std::string subject = KeySubject(key);
  if (subject.empty()) {
    xmlSecKeyDestroy(key);
    return Status(
        ErrorCode::kInvalidArgument,
        "the signing key has no certificate: set claims.cert_file, or use a PKCS#12 file");
  }
  return std::unique_ptr<Signer>(new XmlsecSigner(key, std::move(subject)));
}

}  // namespace hb::claims
