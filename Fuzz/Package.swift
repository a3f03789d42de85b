// swift-tools-version: 6.0
// libFuzzer harnesses for the pure-Swift engine (docs/FUZZING.md). Built only by Fuzz/run.sh, with the
// sanitizer flags explained there; the main package is used as is, by path.
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its directory (`main` in /work/main, `swift-must-staple`
/// in a fresh clone), so the name is taken from where this manifest lives.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent
let engine: [Target.Dependency] = [.product(name: "StapleVerifier", package: mainPackage)]

let package = Package(
    name: "swift-must-staple-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // OCSPResponse(derEncoded:) and the rest of the public parse API.
        .executableTarget(name: "FuzzOCSPResponse", dependencies: engine),
        // TLSFeatures(_:) on the bytes as an extension value, and the bytes as a leaf certificate.
        .executableTarget(
            name: "FuzzTLSFeature",
            dependencies: engine + [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The whole verification of the bytes as a staple for a must-staple chain, with an invariant;
        // an accepted staple must be one that mozilla::pkix accepts too.
        .executableTarget(
            name: "FuzzVerifyStaple",
            dependencies: engine + [
                "MozpkixOracleClient",
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // A response built from the bytes (field by field, or a raw tbsResponseData), signed, and
        // verified by the engine and by mozilla::pkix: the same answer or a documented difference.
        .executableTarget(
            name: "FuzzDifferentialOCSP",
            dependencies: engine + [
                "MozpkixOracleClient",
                .product(name: "StapleForge", package: mainPackage),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The mozpkix oracle of `make differential` as a child process.
        .target(name: "MozpkixOracleClient"),
    ],
    swiftLanguageModes: [.v6]
)
