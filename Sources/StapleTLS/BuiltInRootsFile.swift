import Foundation
import StapleVerifier

extension BuiltInRoots {
    /// Where Debian's ca-certificates keeps Mozilla's root program, one PEM file per root: the same
    /// list as Firefox's built-in roots (its own copy may be a release older or newer). Roots an
    /// administrator added live elsewhere (`/usr/local/share/ca-certificates`) and are not built in,
    /// as in Firefox.
    public static let mozillaDirectory = "/usr/share/ca-certificates/mozilla"

    /// The most files and bytes read for a set of built-in roots (the Mozilla list holds ~150).
    public static let maximumFiles = 4096
    public static let maximumFileSize = 4 << 20

    /// The certificates of a PEM file, or of every `*.crt` and `*.pem` file of a directory.
    public static func load(from path: String) throws(TLSError) -> BuiltInRoots {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TLSError(.invalidConfiguration, "built-in roots \(path): no such file or directory")
        }
        var files = [path]
        if isDirectory.boolValue {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                throw TLSError(.invalidConfiguration, "built-in roots \(path): \(error.localizedDescription)")
            }
            files = names.filter { $0.hasSuffix(".crt") || $0.hasSuffix(".pem") }.sorted().map { path + "/" + $0 }
            guard files.count <= maximumFiles else {
                throw TLSError(
                    .invalidConfiguration,
                    "built-in roots \(path): \(files.count) files, more than the \(maximumFiles) read"
                )
            }
        }
        var certificates: [[UInt8]] = []
        for file in files {
            let handle = FileHandle(forReadingAtPath: file)
            guard let handle else { throw TLSError(.invalidConfiguration, "built-in roots \(file): cannot be read") }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: maximumFileSize + 1)) ?? Data()
            guard data.count <= maximumFileSize else {
                throw TLSError(
                    .invalidConfiguration,
                    "built-in roots \(file): more than the \(maximumFileSize) bytes read from one file"
                )
            }
            let found: [X509Certificate]
            do { found = try X509Certificate.readPEM(Array(data)) } catch {
                throw TLSError(.invalidConfiguration, "built-in roots \(file): \(error.reason)")
            }
            guard !found.isEmpty else {
                throw TLSError(.invalidConfiguration, "built-in roots \(file): no PEM CERTIFICATE block")
            }
            certificates += found.map(\.der)
        }
        guard !certificates.isEmpty else {
            throw TLSError(.invalidConfiguration, "built-in roots \(path): no certificate found")
        }
        return BuiltInRoots(certificates: certificates)
    }
}
