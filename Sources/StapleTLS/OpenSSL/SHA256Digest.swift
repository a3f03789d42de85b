internal import COpenSSL
import StapleVerifier

/// SHA-256 through libcrypto's EVP interface (for certificate fingerprints in reports).
enum SHA256Digest {
    static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil) == 1 else { return "" }
        return Hex.encode(digest.prefix(Int(length)))
    }
}
