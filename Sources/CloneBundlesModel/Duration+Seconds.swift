extension Duration {
    /// The duration in seconds, with its fraction (`1.25` for 1 250 ms): for reports, logs and
    /// arithmetic with `TimeInterval`s.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
