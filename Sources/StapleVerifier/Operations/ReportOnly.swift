extension Verdict {
    /// Report-only mode (in the spirit of Expect-Staple): the connection is never failed. A rejected
    /// verdict becomes an acceptance with a warning, and the report of what would have failed it is
    /// returned for the caller to write or send.
    public func reportOnly(
        staple: [UInt8]?,
        chainDER: [[UInt8]],
        hostname: String? = nil,
        port: Int? = nil
    ) -> (verdict: Verdict, report: ViolationReport?) {
        guard
            let report = ViolationReport(
                verdict: self,
                staple: staple,
                chainDER: chainDER,
                hostname: hostname,
                port: port
            )
        else {
            return (self, nil)
        }
        var v = self
        v.decision = .accepted
        v.warnings.append(
            "report-only: the \(policy.preset.rawValue) policy would have rejected this connection with \(report.error.code.name)"
        )
        v.trace.append(
            Step(stage: .policy, detail: "report-only: \(report.error.code.name) reported, connection not failed")
        )
        v.error = nil
        v.reportedError = report.error
        return (v, report)
    }
}
