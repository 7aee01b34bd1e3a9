/// Takes the body of a successful (2xx) response as it arrives, so a download of any size
/// never sits whole in memory (`check bundles` hashes bundles of several GB this way).
///
/// The transport calls it on its own thread, outside any task, in arrival order, once per piece
/// libcurl hands over; an implementation must be quick and must not block. Bodies of other
/// answers (redirects, errors) still go to ``HTTPResponse/body``, within the request's limit.
public protocol HTTPResponseSink: Sendable {
    /// Takes the next piece of the body.
    ///
    /// - Returns: `false` to stop the transfer; the request then throws
    ///   ``HTTPTransportError/refusedByReceiver``.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool
}
