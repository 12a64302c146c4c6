import HooklineCore

/// A page of items in the Svix list shape; `iterator` is always present, `null` when none.
struct ListOut<Item: Encodable>: Encodable {
    var data: [Item]
    var iterator: String?
    var prevIterator: String?
    var done: Bool

    init<Source>(_ page: Page<Source>, transform: (Source) -> Item) {
        data = page.items.map(transform)
        iterator = page.iterator
        prevIterator = page.prevIterator
        done = page.done
    }

    enum CodingKeys: String, CodingKey { case data, iterator, prevIterator, done }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(iterator, forKey: .iterator)
        try container.encode(prevIterator, forKey: .prevIterator)
        try container.encode(done, forKey: .done)
    }
}
