/// Joins what Hookline acknowledged (the ``MessageLedger``) with what reached the receiver (the
/// ``DeliveryLog``): losses, duplicates and altered payloads of the byte-identity sample, from one snapshot.
struct DeliveryAudit {
    /// Acknowledged messages by `seq`.
    let acknowledgements: [Int: MessageLedger.Acknowledgement]
    /// Every arrival, in order.
    let deliveries: [DeliveryLog.Delivery]

    /// First arrival of each acknowledged message whose `webhook-id` and `seq` agree, by `seq`.
    private(set) var firstArrivals: [Int: ContinuousClock.Instant] = [:]
    /// Distinct `webhook-id`s that arrived.
    private(set) var arrivedIDs: Set<String> = []
    /// Arrivals beyond the first for the same `webhook-id`.
    private(set) var duplicates = 0
    /// Arrivals whose `seq` was acknowledged under a different id.
    private(set) var mismatched = 0
    /// Arrivals without a `webhook-id` or a readable `seq`.
    private(set) var unidentified = 0
    /// First arrivals whose body was not byte for byte the payload that was sent.
    private(set) var alteredPayloads = 0

    /// Audits a snapshot of both sides.
    init(ledger: MessageLedger, log: DeliveryLog) {
        acknowledgements = ledger.snapshot()
        deliveries = log.deliveries(from: 0)
        for delivery in deliveries {
            guard let id = delivery.messageID, let seq = delivery.seq else {
                unidentified += 1
                continue
            }
            guard arrivedIDs.insert(id).inserted else {
                duplicates += 1
                continue
            }
            guard let acknowledgement = acknowledgements[seq] else { continue }  // accepted, but its 202 never reached us
            if acknowledgement.messageID == id {
                firstArrivals[seq] = delivery.arrival
                if !delivery.exactPayload { alteredPayloads += 1 }
            } else {
                mismatched += 1
            }
        }
    }

    /// Acknowledged messages that never arrived.
    var lost: Int {
        acknowledgements.values.count { !arrivedIDs.contains($0.messageID) }
    }

    /// The integrity figures: acknowledged, delivered, lost, duplicated, mismatched.
    func integrity(waited: Duration) -> BenchReport.Integrity {
        let lost = lost
        return .init(
            acknowledged: acknowledgements.count,
            delivered: acknowledgements.count - lost,
            lost: lost,
            duplicates: duplicates,
            mismatched: mismatched,
            unidentified: unidentified,
            alteredPayloads: alteredPayloads,
            waitedSeconds: waited.inSeconds
        )
    }
}
