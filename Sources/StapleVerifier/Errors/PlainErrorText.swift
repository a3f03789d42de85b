/// The text of an error from a library this project builds on (swift-asn1, swift-certificates),
/// without the library's source location: their descriptions end in `File.swift:LINE`, which names
/// nothing the user gave and nothing the user can act on.
package func plainErrorText(_ error: any Error) -> String {
    String(describing: error).replacing(#/\s*\(?[A-Za-z0-9_\/.-]+\.swift:[0-9]+\)?/#, with: "")
}
