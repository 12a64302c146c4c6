import Foundation

/// Which slice of a list to read.
package struct PageRequest: Sendable, Equatable {
    /// The most items to return.
    package var limit: Int
    /// Return items after this id (exclusive), in list order.
    package var iterator: String?

    /// Creates a page request; by default the first 50 items.
    package init(limit: Int = 50, iterator: String? = nil) {
        self.limit = limit
        self.iterator = iterator
    }
}

/// A slice of a list and where the next one starts.
package struct Page<Item: Sendable>: Sendable {
    /// The items.
    package var items: [Item]
    /// Pass as `PageRequest.iterator` for the next slice; `nil` when there is none.
    package var iterator: String?
    /// Whether this is the last slice in the direction travelled.
    package var done: Bool
    /// Pass as `PageRequest.iterator` for the slice before this one (`-` + the first id); `nil` when empty.
    package var prevIterator: String?

    /// Creates a page.
    package init(items: [Item], iterator: String?, done: Bool, prevIterator: String? = nil) {
        self.items = items
        self.iterator = iterator
        self.done = done
        self.prevIterator = prevIterator
    }

    /// Builds a page from up to `limit + 1` fetched items (in travel order), using `id` for the iterators.
    ///
    /// A backward page was fetched in reverse list order; its items are put back in list order.
    package init(fetched: [Item], limit: Int, backward: Bool = false, id: (Item) -> String) {
        let done = fetched.count <= limit
        var items = Array(fetched.prefix(limit))
        if backward { items.reverse() }
        self.init(items: items, iterator: items.last.map(id), done: done, prevIterator: items.first.map { "-" + id($0) })
    }
}

extension PageRequest {
    /// Whether the iterator pages backwards, towards the start of the list (it starts with `-`).
    package var isBackward: Bool { iterator?.hasPrefix("-") ?? false }

    /// The id or name the iterator points at, without its direction prefix; `nil` for the first page.
    package var cursor: String? {
        guard let iterator else { return nil }
        let bare = iterator.hasPrefix("-") ? String(iterator.dropFirst()) : iterator
        return bare.isEmpty ? nil : bare
    }
}

/// The filters message and attempt lists accept; every `nil` field matches everything.
package struct ListFilter: Sendable, Equatable {
    /// Only messages of one of these event types.
    package var eventTypes: [String]?
    /// Only messages sent on this channel.
    package var channel: String?
    /// Only messages carrying this tag.
    package var tag: String?
    /// Only items created strictly before this time.
    package var before: Date?
    /// Only items created strictly after this time.
    package var after: Date?

    /// Creates a filter; by default it matches everything.
    package init(eventTypes: [String]? = nil, channel: String? = nil, tag: String? = nil, before: Date? = nil, after: Date? = nil) {
        self.eventTypes = eventTypes
        self.channel = channel
        self.tag = tag
        self.before = before
        self.after = after
    }
}

/// Which messages of an application to list.
package struct MessageQuery: Sendable {
    /// The application.
    package var appId: String
    /// What the messages must match.
    package var filter: ListFilter
    /// Only messages with a delivery in this state, if set.
    package var deliveryState: DeliveryState?
    /// The slice to read.
    package var page: PageRequest

    /// Creates a message query.
    package init(appId: String, filter: ListFilter = ListFilter(), deliveryState: DeliveryState? = nil, page: PageRequest = PageRequest()) {
        self.appId = appId
        self.filter = filter
        self.deliveryState = deliveryState
        self.page = page
    }
}
