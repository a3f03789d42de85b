// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "swift-must-staple",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "StapleVerifier", targets: ["StapleVerifier"]),
        .library(name: "StapleForge", targets: ["StapleForge"]),
        .library(name: "StapleVectors", targets: ["StapleVectors"]),
        .library(name: "StapleTLS", targets: ["StapleTLS"]),
        .executable(name: "staple", targets: ["staple"]),
        .executable(name: "StapleBench", targets: ["StapleBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        // 4.5.2, not 3.x: swift-crypto 3.12.3 double-frees when BoringSSL refuses an RSA public key
        // (found by Fuzz/; see Fuzz/regressions/README.md) — any server could crash the verifier.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // The engine: pure Swift, no I/O, no NIO, no OpenSSL (docs/ARCHITECTURE.md).
        .target(
            name: "StapleVerifier",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Forges certificates and OCSP responses byte by byte: for tests, the vector corpus and the demo.
        .target(
            name: "StapleForge",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Runs a test-vector manifest (TestVectors/manifest.json) through the engine.
        .target(name: "StapleVectors", dependencies: ["StapleVerifier"]),
        // The system OpenSSL 3 (libssl-dev), found through pkg-config: link flags only.
        .systemLibrary(
            name: "COpenSSLSystem",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Thin C shims over libssl/libcrypto for what Swift cannot call (macros). Nothing else in C.
        .target(
            name: "COpenSSL",
            dependencies: ["COpenSSLSystem"],
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        // The TLS client: OpenSSL over memory BIOs, driven by SwiftNIO, with the engine inside the
        // handshake (docs/ARCHITECTURE.md).
        .target(
            name: "StapleTLS",
            dependencies: [
                "StapleVerifier",
                "COpenSSL",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `staple exporter`: a Prometheus probe exporter over NIOHTTP1's server pipeline — one fresh
        // check per `/probe`, allow-listed targets, bounded concurrency (docs/OPERATORS.md).
        .target(
            name: "StapleExporter",
            dependencies: [
                "StapleTLS",
                "StapleVerifier",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Loopback servers and a scripted responder: for the demo, the corpus runner, the benchmark
        // and the tests. In no library product's API (package access only). Also what more than one
        // test target needs, so that there is one copy: the `staple` runner, the TLS fixtures, the
        // in-process TLS server, the NIO OCSP responder, `openssl s_server`.
        .target(
            name: "StapleTestSupport",
            dependencies: [
                "StapleVerifier",
                "StapleForge",
                "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "staple",
            dependencies: [
                "StapleVerifier",
                "StapleVectors",
                "StapleTLS",
                "StapleExporter",
                "StapleTestSupport",
                "StapleForge",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // `make bench`: the engine beside OpenSSL's OCSP API and the raw signature check,
        // the verdict cache, loopback handshakes and a `staple check` fleet. Built in release mode.
        .executableTarget(
            name: "StapleBench",
            dependencies: [
                "StapleVerifier",
                "StapleForge",
                "StapleTLS",
                "StapleTestSupport",
                "COpenSSL",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StapleVerifierTests",
            dependencies: ["StapleVerifier", "StapleForge", "StapleVectors", "StapleTestSupport"]
        ),
        // Our response-level verdicts against OpenSSL's OCSP API on the corpus and its mutations.
        .testTarget(
            name: "StapleDifferentialTests",
            dependencies: ["StapleVerifier", "StapleVectors", "COpenSSL", "StapleForge"]
        ),
        // Every test of the `staple` command line, the built binary run as a subprocess; and the
        // contract of docs/CONTRACT.md held to the code.
        .testTarget(
            name: "stapleCLITests",
            dependencies: [
                "staple", "StapleVerifier", "StapleVectors", "StapleForge", "StapleTLS", "StapleTestSupport",
            ]
        ),
        .testTarget(
            name: "StapleTLSTests",
            dependencies: [
                "StapleTLS",
                "StapleExporter",
                "StapleVerifier",
                "StapleForge",
                "StapleTestSupport",
                "COpenSSL",
                "staple",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
