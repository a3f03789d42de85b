import Foundation

/// PEM text (RFC 7468 §2): base64 in 64-character lines between BEGIN and END lines.
public enum PEM {
    public static func encode(_ der: [UInt8], label: String = "CERTIFICATE") -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }
}
