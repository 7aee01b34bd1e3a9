import Prometheus

extension RunMetrics {
    /// The metrics in Prometheus's text exposition format, with `# HELP` and `# TYPE` lines.
    ///
    /// swift-prometheus renders them (names, label escaping, help text). One registry per family,
    /// emitted in the documented order: a registry emits its families in no fixed order, and a file
    /// an operator reads should not shuffle between runs. No sample has a timestamp: node_exporter's
    /// textfile collector refuses them.
    public func exposition() -> [UInt8] {
        var bytes: [UInt8] = []
        for family in MetricFamily.all {
            guard let familySamples = samples[family] else { continue }
            let registry = PrometheusCollectorRegistry()
            for (labels, value) in familySamples {
                let pairs = family.labels.map { ($0, labels[$0] ?? "") }
                // The whole name in `metricName`: the unit is already part of it.
                let descriptor = MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help)
                switch family.kind {
                case .gauge:
                    registry.makeGauge(descriptor: descriptor, labels: pairs).set(value)
                case .counter:
                    registry.makeCounter(descriptor: descriptor, labels: pairs).increment(by: value)
                }
            }
            registry.emit(into: &bytes)
        }
        return bytes
    }
}
