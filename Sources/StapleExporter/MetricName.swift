import Prometheus

extension MetricNameDescriptor {
    /// A metric's whole name (already with its unit suffix, as Prometheus's conventions write it)
    /// and its `# HELP` text.
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
