import Foundation
import StapleForge

/// Files for the CLI tests, written once to a temporary folder. Time pinned at T0.
enum Files {
    static let t0: Int64 = 1_780_315_200
    static let at = "2026-06-01T12:00:00Z"
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("staple-cli-\(getpid())")
        try! FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let pki = ForgePKI(keyType: .ecdsa, notBefore: 1_767_225_600, notAfter: 1_798_761_600)
        let other = ForgePKI(keyType: .ecdsa, notBefore: 1_767_225_600, notAfter: 1_798_761_600, label: "Other")
        let plain = pki.leaf()
        let must = pki.leaf(serial: [0x10, 0x02], extraExtensions: [ForgeExtension.tlsFeature([5])])
        func write(_ name: String, _ data: Data) { try! data.write(to: d.appendingPathComponent(name)) }
        write("chain.pem", Data((pki.chain(plain).map { PEM.encode($0) }.joined()).utf8))
        write("must.pem", Data((pki.chain(must).map { PEM.encode($0) }.joined()).utf8))
        write("unlinked.pem", Data((PEM.encode(plain) + PEM.encode(other.intermediate)).utf8))
        write("leaf.der", Data(plain))
        write("issuer.der", Data(pki.intermediate))
        let good = pki.response(for: plain, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * 86_400).der()
        write("good.der", Data(good))
        write("good.pem", Data(PEM.encode(good, label: "OCSP RESPONSE").utf8))
        write("good.b64", Data(Data(good).base64EncodedString().utf8))
        write("must-good.der", Data(pki.response(for: must, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * 86_400).der()))
        write("trylater.der", Data(ResponseForge.unsuccessful(3)))
        write("empty.der", Data())
        return d
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}
