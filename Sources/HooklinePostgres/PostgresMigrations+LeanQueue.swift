extension PostgresMigrations {
    /// v15: the queue keeps seven indexes per delivery row instead of eight.
    ///
    /// A claim or a completion changes indexed columns, so PostgreSQL writes a new entry in every index of the row
    /// for each (no HOT update). `delivery_endpoint (endpoint_id, state)` served nothing `delivery_endpoint_message
    /// (endpoint_id, state, message_id)` does not (an ordered endpoint's head has `delivery_endpoint_head`).
    /// `delivery_due` stays, unlike on SQLite: a node asks for the next due time after every empty claim, and one
    /// seek there is cheaper than planning a read of each priority level of `delivery_lane` on every call.
    static let leanQueueIndexes = Migration(
        version: 15, name: "v15-lean-queue-indexes",
        statements: ["DROP INDEX delivery_endpoint"])
}
