extension PostgresMigrations {
    /// v21: an application's messages by event type get an index of their own, `message_app_type`, on every day partition.
    ///
    /// `GET …/msg?event_types=…` walked the application's messages newest first until a page of the type had passed:
    /// for a type few messages have, the application's whole history. Each type is now one range of the index, in
    /// the list's order. Every message adds one entry. Building it reads `message` once, and ingest waits for the build.
    static let messageTypes = Migration(
        version: 21, name: "v21-message-types", statements: ["CREATE INDEX message_app_type ON message(app_id, event_type, id)"])
}
