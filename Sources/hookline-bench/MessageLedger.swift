import Synchronization

/// Every message Hookline acknowledged with a 202: its id and when it was (due to be) sent, by `seq`.
///
/// This is what Hookline promised; the receiver's ``DeliveryLog`` is what it kept.
final class MessageLedger: Sendable {
    /// One acknowledged message.
    struct Acknowledgement: Sendable {
        /// The id from the 202 body; deliveries carry it as `webhook-id`.
        let messageID: String
        /// The instant the request was started (closed loop) or scheduled (open loop).
        let sentAt: ContinuousClock.Instant
    }

    private let acknowledgements = Mutex<[Int: Acknowledgement]>([:])

    /// Creates an empty ledger.
    init() {}

    /// Notes that the message `seq`, sent at `sentAt`, was accepted as `messageID`.
    func recordAcknowledgement(seq: Int, messageID: String, sentAt: ContinuousClock.Instant) {
        let acknowledgement = Acknowledgement(messageID: messageID, sentAt: sentAt)
        acknowledgements.withLock { $0[seq] = acknowledgement }
    }

    /// A copy of every acknowledgement, by `seq`.
    func snapshot() -> [Int: Acknowledgement] {
        acknowledgements.withLock { $0 }
    }
}
