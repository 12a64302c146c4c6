extension PostgresMigrations {
    /// v21: an application's messages by event type get an index of their own, `message_app_type`, on every day partition.
    ///
    /// `GET …/msg?event_types=…` walked the application's messages newest first until a page of the type had passed:
    /// for a type few messages have, the application's whole history. Each type is now one range of the index, in
    /// the list's order. Every message adds one entry. Building it reads `message` once, and ingest waits for the build.
    static let messageTypes = Migration(
        version: 21, name: "v21-message-types", statements: ["CREATE INDEX message_app_type ON message(app_id, event_type, id)"])
}

extension PostgresMigrations {
    /// v22: an application's messages by channel get a GIN index of their channel lists, `message_channels`, on every
    /// day partition.
    ///
    /// `GET …/msg?channel=…` walked the application's messages newest first until a page of the channel had passed:
    /// for a channel few messages carry (a tenant's, say), the application's whole history. With the index the planner
    /// finds a rare channel's messages directly and keeps walking for a common one. A message without channels adds no
    /// entry. Building it reads `message` once, and ingest waits for the build.
    static let messageChannels = Migration(
        version: 22, name: "v22-message-channels",
        statements: ["CREATE INDEX message_channels ON message USING gin (channels) WHERE channels IS NOT NULL"])
}

extension PostgresMigrations {
    /// v23: an application's messages by tag get a GIN index of their tag lists, `message_tags`, as v22 gives channels.
    static let messageTags = Migration(
        version: 23, name: "v23-message-tags", statements: ["CREATE INDEX message_tags ON message USING gin (tags) WHERE tags IS NOT NULL"])
}
