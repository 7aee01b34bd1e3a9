/// Why a step (generating a bundle, storing an object, replicating) did not succeed: an error, or
/// the operator's interruption, which is reported as such rather than as the error it caused.
enum StepFailure: Sendable {
    case interrupted
    case error(any Error)

    /// Classifies an error caught while the step ran: cancellation, or any error once the run is
    /// cancelled, is the interruption.
    init(_ error: any Error) {
        self = error is CancellationError || Task.isCancelled ? .interrupted : .error(error)
    }

    /// The report's and the log's wording.
    var reason: String {
        switch self {
        case .interrupted: "interrupted"
        case .error(let error): "\(error)"
        }
    }
}
