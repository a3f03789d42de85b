// Thin shims over the system OpenSSL 3 (libssl-dev) for what Swift cannot call directly: the
// function-like macros below (SSL_ctrl / SSL_CTX_ctrl / BIO_ctrl wrappers and the STACK_OF(X509)
// accessors). Nothing else lives in C (docs/ARCHITECTURE.md); callbacks are
// written in Swift as @convention(c) functions.
#ifndef COPENSSL_H
#define COPENSSL_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/tls1.h>
// The OCSP API, for the differential tests (Tests/StapleDifferentialTests) and the benchmark
// (Sources/StapleBench): OpenSSL's own view of a staple.
#include <openssl/ocsp.h>

typedef int (*COpenSSL_status_cb)(SSL *ssl, void *arg);

// SSL_CTX_set_min_proto_version / SSL_CTX_set_max_proto_version (macros). 1 on success.
int COpenSSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
int COpenSSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);
// SSL_CTX_set_tlsext_status_cb (macro): the status callback runs on the client once the
// server's certificate status (or its absence) is known.
int COpenSSL_CTX_set_tlsext_status_cb(SSL_CTX *ctx, COpenSSL_status_cb cb);
// SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp) (macro): ask for a staple.
int COpenSSL_set_tlsext_status_type_ocsp(SSL *ssl);
// SSL_get_tlsext_status_ocsp_resp (macro): the staple's length, or -1 when none was sent; *resp
// points into the SSL object (not owned by the caller).
long COpenSSL_get_tlsext_status_ocsp_resp(SSL *ssl, const unsigned char **resp);
// SSL_set_tlsext_status_ocsp_resp (macro), for test servers: takes ownership of an
// OPENSSL_malloc'ed buffer.
int COpenSSL_set_tlsext_status_ocsp_resp(SSL *ssl, unsigned char *resp, long len);
// SSL_set_tlsext_host_name (macro): SNI.
int COpenSSL_set_tlsext_host_name(SSL *ssl, const char *name);
// BIO_set_mem_eof_return (macro): make an empty memory BIO report "retry" instead of EOF.
int COpenSSL_BIO_set_mem_eof_return(BIO *bio, int value);
// sk_X509_num / sk_X509_value (macros over inline functions).
int COpenSSL_sk_X509_num(const STACK_OF(X509) *stack);
X509 *COpenSSL_sk_X509_value(const STACK_OF(X509) *stack, int index);
// sk_X509_new_null / sk_X509_push / sk_X509_free (macros), for OCSP_basic_verify's `certs`
// in the benchmark's OpenSSL baseline.
STACK_OF(X509) *COpenSSL_sk_X509_new_null(void);
int COpenSSL_sk_X509_push(STACK_OF(X509) *stack, X509 *certificate);
void COpenSSL_sk_X509_free(STACK_OF(X509) *stack);
// OPENSSL_malloc (macro), for COpenSSL_set_tlsext_status_ocsp_resp.
void *COpenSSL_malloc(size_t size);

#endif
