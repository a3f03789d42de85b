import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StapleVerifier

/// POSTs a violation report as JSON (`Content-Type: application/json`), five seconds at most.
enum ReportPoster {
    /// nil on success (a 2xx status), else what went wrong.
    static func post(_ report: ViolationReport, to url: URL) async -> String? {
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        do {
            request.httpBody = try JSONEncoder.staple.encode(report)
            let (_, response) = try await URLSession.shared.data(for: request)
            guard let status = (response as? HTTPURLResponse)?.statusCode else { return "no HTTP response" }
            return (200..<300).contains(status) ? nil : "HTTP \(status)"
        } catch {
            return "\(error.localizedDescription)"
        }
    }
}
