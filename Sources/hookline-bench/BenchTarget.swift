/// A server under test, with one application (and, for Hookline, one endpoint) ready for messages.
struct BenchTarget: Sendable {
    /// `hookline` or `baseline`, for messages.
    let name: String
    /// The server's API.
    let api: HooklineAPI
    /// The server's process id, for memory figures (nil when unknown).
    let pid: Int32?
    /// Where acknowledged messages are recorded; nil when deliveries are not tracked (the baseline).
    let ledger: MessageLedger?
    /// The `seq` numbers of this target's messages.
    let sequence = SequenceNumbers()

    private let route: HooklineAPI.MessageRoute

    /// Wraps a server whose application `applicationID` exists.
    init(name: String, api: HooklineAPI, applicationID: String, pid: Int32?, ledger: MessageLedger?) {
        self.name = name
        self.api = api
        self.pid = pid
        self.ledger = ledger
        self.route = api.messageRoute(applicationID: applicationID)
    }

    /// The server's memory now, when its process is known and alive.
    func memory() -> ProcessMemory? {
        pid.flatMap(ProcessMemory.read(pid:))
    }

    /// Sends the next message; `sentAt` is the instant latency is measured from (its schedule, if any).
    func sendMessage(sentAt: ContinuousClock.Instant) async -> MessageOutcome {
        let seq = sequence.take()
        let outcome = await route.send(seq: seq)
        if case let .accepted(messageID) = outcome {
            ledger?.recordAcknowledgement(seq: seq, messageID: messageID, sentAt: sentAt)
        }
        return outcome
    }
}
