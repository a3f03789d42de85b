// The mozilla::pkix oracle: NSS's own OCSP response verification and TLS Feature checks behind a
// line protocol, for the differential tests (docs/TESTING.md, "The mozilla::pkix oracle").
//
// scripts/build-mozpkix-oracle.sh compiles this file together with lib/mozpkix/ of Debian's `nss`
// source package and links it with the system NSS (libnss3-dev) into .build-mozpkix/mozpkix-oracle.
// Nothing of NSS is in this repository: only this driver is ours.
//
// Protocol. One request per line on stdin, one answer per line on stdout (flushed), many requests
// per process. Fields are separated by one space; byte strings are hex (either case), and `-` is
// the empty byte string. Times are seconds since 1970-01-01T00:00:00Z.
//
//   ocsp ISSUER SUBJECT TIME MAXLIFETIMEDAYS MINRSABITS SHA1CERTS RESPONSE
//       VerifyEncodedOCSPResponse for SUBJECT's CertID (SUBJECT's issuer Name and serial,
//       ISSUER's SubjectPublicKeyInfo: what pkixbuild.cpp builds) at TIME.
//       MINRSABITS and SHA1CERTS (0 or 1) configure the trust domain (below).
//       → result=NAME nss=NSSNAME code=N expired=0|1 thisUpdate=T|- validThrough=T|- sct=LEN|-
//   tls-link ISSUER SUBJECT
//       BackCert::Init of SUBJECT and ISSUER, then CheckTLSFeatures(subject, issuer): the chain rule.
//       → result=NAME nss=NSSNAME code=N
//   tls-cert CERT STAPLED
//       CheckTLSFeaturesAreSatisfied(cert, STAPLED ? a staple : nullptr): the end-entity rule.
//       → result=NAME nss=NSSNAME code=N
//
// NAME is mozpkix's Result name without `Result::` (`Success`, `ERROR_OCSP_OLD_RESPONSE`); NSSNAME
// and N are the NSS/NSPR error it maps to (pkixnss.cpp MapResultToPRErrorCode; `-` and 0 for
// Success). thisUpdate and validThrough are VerifyEncodedOCSPResponse's outputs (`-` while unset);
// sct is the length of the SCT list the response handed to NoteAuxiliaryExtension. A request that
// cannot be read is answered `error=MESSAGE`, and the process goes on.

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "mozpkix/pkix.h"
#include "mozpkix/pkixcheck.h"
#include "mozpkix/pkixder.h"
#include "mozpkix/pkixnss.h"
#include "mozpkix/pkixutil.h"
#include "nss.h"

using namespace mozilla::pkix;

namespace {

// The NSS/NSPR error name of each Result, from mozpkix's own table (Result.h).
const char* NSSName(Result result) {
  switch (result) {
#define MOZILLA_PKIX_MAP(mozilla_pkix_result, value, nss_result) \
  case Result::mozilla_pkix_result:                              \
    return #nss_result;
    MOZILLA_PKIX_MAP_LIST
#undef MOZILLA_PKIX_MAP
  }
  return "?";
}

std::string Describe(Result result) {
  std::string name = MapResultToName(result);
  const std::string prefix = "Result::";
  if (name.compare(0, prefix.size(), prefix) == 0) {
    name = name.substr(prefix.size());
  }
  std::ostringstream out;
  if (result == Success) {
    out << "result=Success nss=- code=0";
  } else {
    out << "result=" << name << " nss=" << NSSName(result)
        << " code=" << MapResultToPRErrorCode(result);
  }
  return out.str();
}

std::string TimeText(Time t) {
  uint64_t seconds = 0;
  // An output still at its initial value (year 0) is before the epoch: unset.
  if (SecondsSinceEpochFromTime(t, &seconds) != Success || t == TimeFromElapsedSecondsAD(0)) {
    return "-";
  }
  return std::to_string(seconds);
}

// The trust domain VerifyEncodedOCSPResponse and the TLS Feature checks run against. Each method
// is modelled on what Firefox's NSSCertDBTrustDomain does when it verifies a stapled or fetched
// response for an end-entity (docs/firefox-policy.md, firefox-policy §2.3, §3.5, §3.6). Only the
// delegated signer certificate reaches the certificate policy methods: the response's own
// signature goes through VerifySignedData, which applies no digest or key-size policy.
class OracleTrustDomain final : public TrustDomain {
 public:
  OracleTrustDomain(unsigned int minRSABits, bool sha1Certificates)
      : minRSABits(minRSABits), sha1Certificates(sha1Certificates) {}

  // Firefox: OneCRL and the NSS certificate database can make a signer actively distrusted, and
  // a signer that is a trust anchor is demoted by mozpkix itself (CheckIssuerIndependentProperties).
  // There is no OneCRL and no database here: every candidate signer inherits trust.
  Result GetCertTrust(EndEntityOrCA, const CertPolicyId&, Input, TrustLevel& trustLevel) override {
    trustLevel = TrustLevel::InheritsTrust;
    return Success;
  }

  // Path building only. VerifyEncodedOCSPResponse never builds a path (the delegated signer is
  // checked one step, against the issuer's key) and never checks the signer's revocation
  // (firefox-policy §3.5), so a call means the oracle is not what it claims: a library failure.
  Result FindIssuer(Input, IssuerChecker&, Time) override { return Unexpected(); }
  Result IsChainValid(const DERArray&, Time, const CertPolicyId&) override { return Unexpected(); }
  Result CheckRevocation(EndEntityOrCA, const CertID&, Time, Duration, const Input*, const Input*,
                         const Input*) override {
    return Unexpected();
  }

  // Firefox refuses certificates signed with SHA-1 (firefox-policy §3.5: a delegated signer issued
  // with SHA-1 fails); SHA256/384/512 pass. SHA1CERTS=1 mirrors the engine's `sha1` policy knob.
  Result CheckSignatureDigestAlgorithm(DigestAlgorithm digest, EndEntityOrCA, Time) override {
    if (digest == DigestAlgorithm::sha1 && !sha1Certificates) {
      return Result::ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED;
    }
    return Success;
  }

  // Firefox: below the trust domain's minimum is ERROR_INADEQUATE_KEY_SIZE. The minimum is 2048
  // on the first DV pass and 1024 on the fallback pass (firefox-policy §3.5, §5.5); the engine
  // makes one pass with the fallback's 1024 (its `minRSABits` knob), and MINRSABITS passes it on.
  Result CheckRSAPublicKeyModulusSizeInBits(EndEntityOrCA, unsigned int bits) override {
    return bits < minRSABits ? Result::ERROR_INADEQUATE_KEY_SIZE : Success;
  }

  // Firefox accepts the three curves mozpkix knows (P-256, P-384, P-521); mozpkix refuses others
  // before it asks.
  Result CheckECDSACurveIsAcceptable(EndEntityOrCA, NamedCurve) override { return Success; }

  // Firefox: NSS verifies (pkixnss.cpp), behind a signature cache that changes no result. NSS's
  // algorithm policy is the library default (NSS_NoDB_Init, no policy file).
  Result VerifyRSAPKCS1SignedData(Input data, DigestAlgorithm digest, Input signature,
                                  Input spki) override {
    return VerifyRSAPKCS1SignedDataNSS(data, digest, signature, spki, nullptr);
  }
  Result VerifyRSAPSSSignedData(Input data, DigestAlgorithm digest, Input signature,
                                Input spki) override {
    return VerifyRSAPSSSignedDataNSS(data, digest, signature, spki, nullptr);
  }
  Result VerifyECDSASignedData(Input data, DigestAlgorithm digest, Input signature,
                               Input spki) override {
    return VerifyECDSASignedDataNSS(data, digest, signature, spki, nullptr);
  }

  // Firefox exempts OCSP signers (and CAs) from its validity-length rules; an OCSP signer is the
  // only certificate that gets here.
  Result CheckValidityIsAcceptable(Time, Time, EndEntityOrCA, KeyPurposeId) override {
    return Success;
  }

  // Asked only for a CA certificate required to have id-kp-serverAuth; the OCSP path asks for an
  // end-entity with id-kp-OCSPSigning, so this never matches.
  Result NetscapeStepUpMatchesServerAuth(Time, bool& matches) override {
    matches = false;
    return Success;
  }

  // Firefox keeps the SCT list of a fresh Good response for CT; the oracle reports its length.
  void NoteAuxiliaryExtension(AuxiliaryExtension extension, Input data) override {
    if (extension == AuxiliaryExtension::SCTListFromOCSPResponse) {
      sctLength = static_cast<long>(data.GetLength());
    }
  }

  Result DigestBuf(Input item, DigestAlgorithm digest, uint8_t* buf, size_t length) override {
    return DigestBufNSS(item, digest, buf, length);
  }

  long sctLength = -1;

 private:
  Result Unexpected() { return Result::FATAL_ERROR_LIBRARY_FAILURE; }

  const unsigned int minRSABits;
  const bool sha1Certificates;
};

// The CertID fields of a certificate, read as BackCert::Init reads them (pkixcert.cpp) but
// stopping before the extensions, so that a certificate whose extensions BackCert refuses (an
// empty TLS Feature value, say) still gives its CertID.
Result ReadCertIDFields(Input der, Input& issuer, Input& serial, Input& spki) {
  Reader certificate;
  Result rv = der::ExpectTagAndGetValueAtEnd(der, der::SEQUENCE, certificate);
  if (rv != Success) {
    return rv;
  }
  Reader tbs;
  der::SignedDataWithSignature signedData;
  rv = der::SignedData(certificate, tbs, signedData);
  if (rv != Success) {
    return rv;
  }
  der::Version version;
  rv = der::OptionalVersion(tbs, version);
  if (rv != Success) {
    return rv;
  }
  rv = der::CertificateSerialNumber(tbs, serial);
  if (rv != Success) {
    return rv;
  }
  rv = der::ExpectTagAndSkipValue(tbs, der::SEQUENCE);  // signature
  if (rv != Success) {
    return rv;
  }
  rv = der::ExpectTagAndGetTLV(tbs, der::SEQUENCE, issuer);
  if (rv != Success) {
    return rv;
  }
  rv = der::ExpectTagAndSkipValue(tbs, der::SEQUENCE);  // validity
  if (rv != Success) {
    return rv;
  }
  rv = der::ExpectTagAndSkipValue(tbs, der::SEQUENCE);  // subject
  if (rv != Success) {
    return rv;
  }
  return der::ExpectTagAndGetTLV(tbs, der::SEQUENCE, spki);
}

bool ParseHex(const std::string& text, std::vector<uint8_t>& out) {
  out.clear();
  if (text == "-") {
    return true;
  }
  if (text.size() % 2 != 0) {
    return false;
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = nibble(text[i]);
    int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return true;
}

bool ParseNumber(const std::string& text, uint64_t& out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  out = std::stoull(text);
  return true;
}

// Input wants a non-null pointer even for zero bytes (a zero-length staple is a staple).
const uint8_t kNothing = 0;

Result ToInput(const std::vector<uint8_t>& bytes, Input& input) {
  return input.Init(bytes.empty() ? &kNothing : bytes.data(), bytes.size());
}

std::string VerifyOCSP(const std::vector<std::string>& f) {
  std::vector<uint8_t> issuerDER, subjectDER, response;
  uint64_t time, maxLifetimeDays, minRSABits, sha1;
  if (f.size() != 8 || !ParseHex(f[1], issuerDER) || !ParseHex(f[2], subjectDER) ||
      !ParseNumber(f[3], time) || !ParseNumber(f[4], maxLifetimeDays) ||
      !ParseNumber(f[5], minRSABits) || !ParseNumber(f[6], sha1) || sha1 > 1 ||
      maxLifetimeDays > 65535 || !ParseHex(f[7], response)) {
    return "error=ocsp takes ISSUER SUBJECT TIME MAXLIFETIMEDAYS MINRSABITS SHA1CERTS RESPONSE";
  }
  Input issuerInput, subjectInput;
  if (ToInput(issuerDER, issuerInput) != Success || ToInput(subjectDER, subjectInput) != Success) {
    return "error=a certificate over 65535 bytes";
  }
  Input issuerName, serial, unusedIssuer, unusedSerial, issuerSPKI, unusedSPKI;
  Result rv = ReadCertIDFields(subjectInput, issuerName, serial, unusedSPKI);
  if (rv == Success) {
    rv = ReadCertIDFields(issuerInput, unusedIssuer, unusedSerial, issuerSPKI);
  }
  if (rv != Success) {
    return "error=no CertID: " + Describe(rv);
  }
  CertID certID(issuerName, issuerSPKI, serial);
  OracleTrustDomain trustDomain(static_cast<unsigned int>(minRSABits), sha1 == 1);
  bool expired = false;
  Time thisUpdate(Time::uninitialized);
  Time validThrough(Time::uninitialized);
  Input responseInput;
  if (ToInput(response, responseInput) != Success) {
    // Firefox's CertVerifier: a staple too large for an Input is a malformed response
    // (firefox-policy §2.3); VerifyEncodedOCSPResponse never sees it.
    rv = Result::ERROR_OCSP_MALFORMED_RESPONSE;
    thisUpdate = TimeFromElapsedSecondsAD(0);
    validThrough = TimeFromElapsedSecondsAD(0);
  } else {
    rv = VerifyEncodedOCSPResponse(trustDomain, certID, TimeFromEpochInSeconds(time),
                                   static_cast<uint16_t>(maxLifetimeDays), responseInput,
                                   expired, &thisUpdate, &validThrough);
  }
  std::ostringstream out;
  out << Describe(rv) << " expired=" << (expired ? 1 : 0) << " thisUpdate=" << TimeText(thisUpdate)
      << " validThrough=" << TimeText(validThrough) << " sct="
      << (trustDomain.sctLength < 0 ? std::string("-") : std::to_string(trustDomain.sctLength));
  return out.str();
}

std::string TLSLink(const std::vector<std::string>& f) {
  std::vector<uint8_t> issuerDER, subjectDER;
  if (f.size() != 3 || !ParseHex(f[1], issuerDER) || !ParseHex(f[2], subjectDER)) {
    return "error=tls-link takes ISSUER SUBJECT";
  }
  Input issuerInput, subjectInput;
  if (ToInput(issuerDER, issuerInput) != Success || ToInput(subjectDER, subjectInput) != Success) {
    return "error=a certificate over 65535 bytes";
  }
  // pkixbuild.cpp: the subject is decoded first (BuildCertChain), then each candidate issuer
  // (PathBuildingStep::Check), and CheckTLSFeatures runs on the pair.
  BackCert subject(subjectInput, EndEntityOrCA::MustBeEndEntity, nullptr);
  Result rv = subject.Init();
  if (rv != Success) {
    return Describe(rv);
  }
  BackCert issuer(issuerInput, EndEntityOrCA::MustBeCA, &subject);
  rv = issuer.Init();
  if (rv != Success) {
    return Describe(rv);
  }
  return Describe(CheckTLSFeatures(subject, issuer));
}

std::string TLSCert(const std::vector<std::string>& f) {
  std::vector<uint8_t> certDER;
  uint64_t stapled;
  if (f.size() != 3 || !ParseHex(f[1], certDER) || !ParseNumber(f[2], stapled) || stapled > 1) {
    return "error=tls-cert takes CERT STAPLED";
  }
  Input certInput;
  if (ToInput(certDER, certInput) != Success) {
    return "error=a certificate over 65535 bytes";
  }
  // The check looks at whether a staple is present, never at its contents (firefox-policy §1.3).
  static const uint8_t someStaple[] = {0x30, 0x03, 0x0a, 0x01, 0x00};
  Input staple;
  if (staple.Init(someStaple, sizeof(someStaple)) != Success) {
    return "error=internal";
  }
  return Describe(CheckTLSFeaturesAreSatisfied(certInput, stapled ? &staple : nullptr));
}

}  // namespace

int main() {
  if (NSS_NoDB_Init(nullptr) != SECSuccess) {
    std::fprintf(stderr, "mozpkix-oracle: NSS_NoDB_Init failed (%d)\n", PR_GetError());
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<std::string> fields;
    std::istringstream words(line);
    for (std::string w; words >> w;) {
      fields.push_back(w);
    }
    std::string answer;
    if (fields.empty()) {
      answer = "error=empty request";
    } else if (fields[0] == "ocsp") {
      answer = VerifyOCSP(fields);
    } else if (fields[0] == "tls-link") {
      answer = TLSLink(fields);
    } else if (fields[0] == "tls-cert") {
      answer = TLSCert(fields);
    } else {
      answer = "error=unknown request " + fields[0];
    }
    std::cout << answer << '\n' << std::flush;
  }
  NSS_Shutdown();
  return 0;
}
