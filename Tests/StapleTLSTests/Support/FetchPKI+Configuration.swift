import Foundation
import StapleTLS
import StapleTestSupport
import StapleVerifier

// Here, not in StapleTestSupport: that target is linked into the StapleVectors library product,
// which has no business with the TLS client.
extension FetchPKI {
    /// A client configuration trusting this root, pinned at `time`, fetching over HTTP. Firefox's
    /// default soft timeout (2 s) becomes the longest it allows (5 s): a loaded machine must not
    /// turn a Good answer from the loopback responder into a soft failure.
    func configuration(_ policy: RevocationPolicy = .firefox, at time: Date = Fixtures.t0) -> TLSClientConfiguration {
        var policy = policy
        if policy.softTimeoutMs == RevocationPolicy.firefox.softTimeoutMs { policy.softTimeoutMs = 5000 }
        var c = TLSClientConfiguration(trustRoots: .certificates([pki.root]), policy: policy)
        c.pinTime(time)
        c.fetcher = HTTPOCSPFetcher()
        c.handshakeTimeout = .seconds(10)
        c.connectTimeout = .seconds(5)
        return c
    }
}
