import Foundation
import HooklineCore
import NIOCore
import PostgresNIO

/// One ingest batch laid out as column arrays, so a single statement can insert every message and delivery
/// row with `unnest` (see `PostgresSession.insertIngestRows`).
///
/// Messages whose event id repeats an earlier message of the same batch are not sent: the first wins, and
/// the later ones become duplicates of whatever the first turns out to be (`repeats`). Each sent message has
/// a 1-based ordinal `n`; nested and optional values travel as flat arrays keyed by that ordinal.
struct PostgresIngestRows {
    /// Bits of `present`: which optional message columns hold a value (the others are stored as NULL).
    enum Present {
        /// `event_id`.
        static let eventId: Int64 = 1
        /// `content_type`.
        static let contentType: Int64 = 2
        /// `correlation_id`.
        static let correlationId: Int64 = 4
        /// `channels` (an empty list is stored as an empty array).
        static let channels: Int64 = 8
        /// `tags`.
        static let tags: Int64 = 16
    }

    /// For sent message `n`, its index in the batch (at `n - 1`).
    var items: [Int] = []
    /// Batch index of a message whose event id an earlier message of the batch already has → that message's index.
    var repeats: [Int: Int] = [:]
    /// Message columns, one element per sent message.
    var ids: [String] = [], appIds: [String] = [], eventTypes: [String] = [], eventIds: [String] = []
    /// Payloads, one per sent message.
    var payloads: [ByteBuffer] = []
    /// More message columns, one element per sent message (`""` or `0` where `present` says NULL).
    var createdAt: [Int64] = [], updatedAt: [Int64] = [], contentTypes: [String] = [], correlationIds: [String] = [], priorities: [Int64] = []
    /// `Present` bits per sent message.
    var present: [Int64] = []
    /// The application routing version each sent message was routed with (`NewMessage.routingVersion`), `-1` for none.
    var routingVersions: [Int64] = []
    /// Channel and tag values flattened, with the ordinal of the message each belongs to.
    var channels: [String] = [], channelOwners: [Int64] = [], tags: [String] = [], tagOwners: [Int64] = []
    /// Delivery rows: owning message ordinal, endpoint, state, first due time and claim token.
    var deliveryOwners: [Int64] = [], deliveryEndpoints: [String] = [], deliveryStates: [Int64] = []
    /// Delivery rows, continued.
    var deliveryDue: [Int64] = [], deliveryTokens: [Int64] = []
    /// Whether a sent message has an active row nobody leased, so other nodes should hear `deliveriesDue`.
    var wakesOthers = false
    /// The `message.created` event of every sent message; the statement appends those of the messages it inserts.
    /// Empty unless asked for.
    var events = PostgresEventRows()
    /// Whether the statement appends events (and so takes the event-order lock).
    var appendsEvents = false

    /// Lays out `batch`; the rows `lease` picks are written as `sending` with claim token 1 until `lease.until`.
    /// Delivery rows are stamped `updatedAt` (milliseconds), by default their message's creation time. With `events`,
    /// each sent message's `message.created` event goes with it (`events`).
    init(_ batch: [NewMessage], lease: CommitLease, updatedAt: Int64? = nil, events: Bool = false) {
        var firstWithEventId: [EventKey: Int] = [:]
        var created: [EventDraft] = []
        for (index, item) in batch.enumerated() {
            let message = item.message
            if let eventId = message.eventId {
                let key = EventKey(appId: message.appId, eventId: eventId.withoutNUL)
                if let first = firstWithEventId[key] {
                    repeats[index] = first
                    continue
                }
                firstWithEventId[key] = index
            }
            append(item, index: index, picks: lease.picks(for: index), until: lease.until.millisecondsSince1970)
            self.updatedAt.append(updatedAt ?? message.createdAt.millisecondsSince1970)
            if events {
                created.append(.messageCreated(message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
            }
        }
        if !created.isEmpty {
            self.events = PostgresEventRows(created)
            appendsEvents = true
        }
    }

    /// The (application, event id) pairs of sent messages at `ordinals` (1-based), for looking up their owners.
    func eventKeys(_ ordinals: [Int64]) -> (appIds: [String], eventIds: [String]) {
        (ordinals.map { appIds[Int($0) - 1] }, ordinals.map { eventIds[Int($0) - 1] })
    }

    private mutating func append(_ item: NewMessage, index: Int, picks: [Int], until: Int64) {
        let message = item.message
        items.append(index)
        let ordinal = Int64(items.count)
        ids.append(message.id)
        appIds.append(message.appId)
        eventTypes.append(message.eventType.withoutNUL)
        eventIds.append(message.eventId?.withoutNUL ?? "")
        payloads.append(ByteBuffer(bytes: message.payload))
        createdAt.append(message.createdAt.millisecondsSince1970)
        contentTypes.append(message.contentType?.withoutNUL ?? "")
        correlationIds.append(message.correlationId?.withoutNUL ?? "")
        priorities.append(Int64(PriorityLane(clamping: message.priority).level))
        var bits: Int64 = 0
        if message.eventId != nil { bits |= Present.eventId }
        if message.contentType != nil { bits |= Present.contentType }
        if message.correlationId != nil { bits |= Present.correlationId }
        if let values = message.channels {
            bits |= Present.channels
            channels += values.map(\.withoutNUL)
            channelOwners += values.map { _ in ordinal }
        }
        if let values = message.tags {
            bits |= Present.tags
            tags += values.map(\.withoutNUL)
            tagOwners += values.map { _ in ordinal }
        }
        present.append(bits)
        routingVersions.append(item.routingVersion ?? -1)
        // Active rows in endpoint order (the picked ones leased), then skipped rows (never claimed).
        let deliverAt = item.deliverAt.millisecondsSince1970
        for (endpointIndex, endpointId) in item.endpointIds.enumerated() {
            let leased = picks.contains(endpointIndex)
            wakesOthers = wakesOthers || !leased
            addDelivery(
                ordinal, endpointId, state: leased ? .sending : .pending, due: leased ? until : deliverAt, token: leased ? 1 : 0)
        }
        for endpointId in item.skippedEndpointIds {
            addDelivery(ordinal, endpointId, state: .skipped, due: deliverAt, token: 0)
        }
    }

    private mutating func addDelivery(_ ordinal: Int64, _ endpointId: String, state: DeliveryState, due: Int64, token: Int64) {
        deliveryOwners.append(ordinal)
        deliveryEndpoints.append(endpointId)
        deliveryStates.append(Int64(state.rawValue))
        deliveryDue.append(due)
        deliveryTokens.append(token)
    }

    /// An application's event id, the key duplicates share.
    private struct EventKey: Hashable {
        var appId: String
        var eventId: String
    }
}
