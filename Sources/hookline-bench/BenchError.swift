/// Why a benchmark run could not go on.
enum BenchError: Error, CustomStringConvertible {
    /// A server (the receiver, Hookline, the baseline) did not come up.
    case startFailed(String, String)
    /// A setup call to the API answered unexpectedly.
    case unexpectedResponse(String, status: UInt, body: String)
    /// A file operation of the bench itself failed.
    case io(String)
    /// A helper program (wrk, nginx) failed or printed nothing usable.
    case tool(String, String)

    /// A one-line explanation for the terminal.
    var description: String {
        switch self {
        case let .startFailed(what, why):
            "\(what) did not start: \(why)"
        case let .unexpectedResponse(call, status, body):
            "\(call) answered \(status): \(body.prefix(300))"
        case let .io(message):
            message
        case let .tool(name, why):
            "\(name): \(why)"
        }
    }
}
