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
    package init(sharing other: StapleTLSContext, engine: StapleEngine, fetcher: (any OCSPFetcher)?) {
        var configuration = other.configuration
        configuration.engine = engine
        configuration.fetcher = fetcher
        self.configuration = configuration
        self.sslContext = other.sslContext
    }
}
