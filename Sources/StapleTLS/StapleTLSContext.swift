import StapleVerifier
/// A configured client TLS context, shared by any number of connections (and event loops): the
/// trust store is loaded once. Create one per configuration and hand it to each
/// ``StapleClientHandler``.
public final class StapleTLSContext: Sendable {
    public let configuration: TLSClientConfiguration
    let sslContext: SSLContext

    /// Throws ``TLSError`` (``TLSError/Code/invalidConfiguration``) for an unusable configuration,
    /// e.g. an unreadable CA file.
    public init(configuration: TLSClientConfiguration) throws(TLSError) {
        self.configuration = configuration
        self.sslContext = try SSLContext(configuration)
    }

    /// The same OpenSSL context (trust store, versions, ALPN) with another engine and fetcher: a
    /// fleet's targets each get an OCSP cache of their own without loading the trust store again.
    package convenience init(sharing other: StapleTLSContext, engine: StapleEngine, fetcher: (any OCSPFetcher)?) {
        self.init(sharing: other) {
            $0.engine = engine
            $0.fetcher = fetcher
        }
    }

    /// The same OpenSSL context with what is decided per connection changed (the engine, the
    /// fetcher, the timeouts, `requestStaple`, the clock). What the OpenSSL context was built from —
    /// trust roots, versions, ALPN, chain length — must stay as it is: changing it here has no effect.
    package init(sharing other: StapleTLSContext, adjusting: (inout TLSClientConfiguration) -> Void) {
        var configuration = other.configuration
        adjusting(&configuration)
        self.configuration = configuration
        self.sslContext = other.sslContext
    }
}
