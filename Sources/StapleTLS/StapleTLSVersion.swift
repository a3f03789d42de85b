/// The version of this package, as the CLI and the User-Agent show it.
public enum StapleTLSVersion {
    public static let current = "0.1.0"
}
