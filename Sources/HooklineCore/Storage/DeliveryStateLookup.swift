/// How a store finds the messages of a list filtered by delivery state (`?status=`), the same rule on every store.
///
/// Walking an application's messages newest first and checking each one's delivery rows finds a page quickly when many
/// match, but walks the whole history when none or few do (nothing pending, a handful of retries); reading the
/// matching delivery rows first and paging their messages by id costs the matching rows, however old the history.
/// A store counts the matching rows (at most `matchingRowLimit`, on an index) and reads them when they are fewer.
package enum DeliveryStateLookup: Sendable, Equatable {
    /// Read every matching delivery row, then page their messages by id.
    case matchingRows
    /// Walk the messages newest first, checking each one's delivery rows.
    case walk

    /// Matching rows a store counts at most; from this many on, walking finds a page sooner than reading them all.
    package static let matchingRowLimit = 1_000

    /// The lookup for `matching` rows counted (at most `matchingRowLimit`).
    package init(matching: Int) {
        self = matching < Self.matchingRowLimit ? .matchingRows : .walk
    }

    /// Whether the delivery rows in `state` of an application's messages are all rows of its current endpoints, so they can
    /// be found through the endpoints' index: true for active states (deleting an endpoint cancels its active rows), not for
    /// finished ones (a deleted endpoint's succeeded and failed rows stay).
    package static func heldByCurrentEndpoints(_ state: DeliveryState) -> Bool {
        state.matchingStoredStates.allSatisfy(\.isActive)
    }
}
