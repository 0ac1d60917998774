// healthbook-p11sign: signs a GIAMDINHHS file with a key on a PKCS#11 token, using xmlsec
// with its NSS crypto (the token path of signer.h explains why this is a process of its
// own). The document comes on stdin and leaves signed on stdout: an enveloped XMLDSig,
// RSA-SHA256, in CHUKYDONVI, with the token's certificate in KeyInfo, the same shape the
// file-key signer makes.
//
// Usage: healthbook-p11sign --module LIB.so --token LABEL --key LABEL  (PIN in $HB_PKCS11_PIN)
// Exit 0 on success; 1 with the reason on stderr.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <nss.h>
#include <pk11pub.h>
#include <secmod.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/nss/app.h>
#include <xmlsec/nss/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

namespace {

std::string g_pin;

char* Pin(PK11SlotInfo*, PRBool retry, void*) {
  // A wrong PIN is not retried: retrying would lock the token after a few attempts.
  return retry || g_pin.empty() ? nullptr : PORT_Strdup(g_pin.c_str());
}

int Fail(const std::string& why) {
  std::fprintf(stderr, "healthbook-p11sign: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string module, token, key;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--module")
      module = argv[i + 1];
    else if (flag == "--token")
      token = argv[i + 1];
    else if (flag == "--key")
      key = argv[i + 1];
  }
  if (module.empty() || token.empty() || key.empty())
    return Fail("usage: healthbook-p11sign --module LIB.so --token LABEL --key LABEL");
  if (const char* pin = std::getenv("HB_PKCS11_PIN")) g_pin = pin;
  const std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());

  xmlInitParser();
  if (xmlSecNssAppInit(nullptr) < 0) return Fail("cannot initialise NSS");
  PK11_SetPasswordFunc(Pin);
  const std::string spec = "library=\"" + module + "\" name=\"hb-token\"";
  SECMODModule* mod = SECMOD_LoadUserModule(const_cast<char*>(spec.c_str()), nullptr, PR_FALSE);
  if (!mod || !mod->loaded) return Fail("cannot load the PKCS#11 module " + module);
  if (xmlSecInit() < 0 || xmlSecNssInit() < 0) return Fail("cannot initialise xmlsec");
  xmlSecKeysMngrPtr mngr = xmlSecKeysMngrCreate();
  if (!mngr || xmlSecNssAppDefaultKeysMngrInit(mngr) < 0)
    return Fail("cannot create a keys manager");

  xmlDocPtr doc = xmlReadMemory(input.data(), static_cast<int>(input.size()), nullptr, "utf-8",
                                XML_PARSE_NONET);
  if (!doc) return Fail("the input is not well-formed XML");
  xmlNodePtr root = xmlDocGetRootElement(doc);
  xmlNodePtr holder = root ? xmlSecFindChild(root, BAD_CAST "CHUKYDONVI", nullptr) : nullptr;
  if (!holder) return Fail("the input has no CHUKYDONVI");
  while (holder->children) {
    xmlNodePtr c = holder->children;
    xmlUnlinkNode(c);
    xmlFreeNode(c);
  }
  xmlNodePtr sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformInclC14NId,
                                             xmlSecNssTransformRsaSha256Id, nullptr);
  xmlAddChild(holder, sig);
  xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecNssTransformSha256Id, nullptr,
                                                   BAD_CAST "", nullptr);
  xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId);
  xmlNodePtr info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
  // The key is found on the token by its nickname "token:label"; KeyName is how xmlsec's
  // NSS keys store is asked for it. The certificate goes in X509Data as with file keys.
  const std::string nickname = token + ":" + key;
  xmlSecTmplKeyInfoAddKeyName(info, BAD_CAST nickname.c_str());
  xmlNodePtr x509 = xmlSecTmplKeyInfoAddX509Data(info);
  xmlSecTmplX509DataAddSubjectName(x509);
  xmlSecTmplX509DataAddCertificate(x509);
  xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(mngr);
  if (!ctx || xmlSecDSigCtxSign(ctx, sig) < 0)
    return Fail("signing failed: no key '" + key + "' with a certificate on token '" + token +
                "', or the PIN was refused");
  xmlSecDSigCtxDestroy(ctx);
  // The enveloped signature holds the token's label in KeyName; the portal needs only the
  // certificate, so the name is removed after signing (KeyInfo is outside SignedInfo).
  if (xmlNodePtr kn = xmlSecFindChild(info, xmlSecNodeKeyName, xmlSecDSigNs)) {
    xmlUnlinkNode(kn);
    xmlFreeNode(kn);
  }
  xmlChar* out = nullptr;
  int len = 0;
  xmlDocDumpMemoryEnc(doc, &out, &len, "utf-8");
  std::fwrite(out, 1, static_cast<size_t>(len), stdout);
  xmlFree(out);
  xmlFreeDoc(doc);
  xmlSecKeysMngrDestroy(mngr);
  xmlSecNssShutdown();
  xmlSecShutdown();
  SECMOD_UnloadUserModule(mod);
  SECMOD_DestroyModule(mod);
  xmlSecNssAppShutdown();
  return 0;
}
