internal import CCurlShim

// libcurl's callbacks. Each is a plain function (it captures nothing, so it
// converts to a C function pointer) and finds its transfer through the
// context pointer set with `CURLOPT_*DATA`: an unretained
// `Unmanaged<CurlTransfer>`, kept alive by the worker's table of active
// transfers. They run on the worker thread, inside `curl_multi_perform`, and
// outside any Swift task: no logging and no task-local values here.

/// `CURLOPT_READFUNCTION`: the next body bytes.
func curlReadCallback(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}

/// `CURLOPT_SEEKFUNCTION`: rewind the body before sending it again.
func curlSeekCallback(_ context: UnsafeMutableRawPointer?, _ offset: curl_off_t, _ origin: Int32) -> Int32 {
    guard let context, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().seek(to: Int64(offset))
}

/// `CURLOPT_WRITEFUNCTION`: response body bytes. Returning less than given stops the transfer;
/// `CURL_WRITEFUNC_PAUSE` pauses it until the worker resumes it (libcurl then gives them again).
func curlWriteCallback(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: buffer, count: size * count)
    if transfer.waitsForBudget(bytes.count) { return Int(CURL_WRITEFUNC_PAUSE) }
    return transfer.receiveBody(bytes) ? bytes.count : 0
}

/// `CURLOPT_HEADERFUNCTION`: one response header line.
func curlHeaderCallback(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}

/// `CURLOPT_XFERINFOFUNCTION`: a non-zero answer aborts the transfer
/// (`CURLE_ABORTED_BY_CALLBACK`); used for task cancellation.
func curlProgressCallback(
    _ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
    _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
) -> Int32 {
    guard let context else { return 1 }
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
}
