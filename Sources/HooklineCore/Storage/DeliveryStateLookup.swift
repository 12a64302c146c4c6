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

    /// Where an application's delivery rows in `state` are indexed apart from its other rows (`nil`: nowhere, as a state
    /// most rows end in is not; a walk finds a page of it quickly).
    package static func applicationRows(in state: DeliveryState) -> ApplicationRows? {
        let stored = Set(state.matchingStoredStates)
        if stored.allSatisfy(\.isActive) { return .currentEndpoints }
        if stored == Set(ApplicationRows.failedStates) { return .failedIndex }
        return nil
    }

    /// An index that holds an application's delivery rows in some states, and only those.
    package enum ApplicationRows: Sendable, Equatable {
        /// The application's current endpoints' ranges of the (endpoint, state) index: the active rows, as deleting an
        /// endpoint cancels its active rows.
        case currentEndpoints
        /// The partial index `delivery_failed (app_id, message_id) WHERE state IN (3, 5)`: the failed and skipped rows by
        /// application, a deleted endpoint's included. Few rows end there, so each state change passes its predicate only.
        case failedIndex

        /// The states `failedIndex` holds, as its predicate names them.
        package static let failedStates: [DeliveryState] = [.failed, .skipped]
        /// The predicate of `failedIndex`, for the index and for the queries that must match it to use the index.
        package static let failedPredicate = "state IN (\(failedStates.map { String($0.rawValue) }.joined(separator: ", ")))"
    }
}
