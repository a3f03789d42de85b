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
}
