import GRDB

extension SQLiteMigrations {
    /// v19: an application's messages by event type get an index of their own, `message_app_type`.
    ///
    /// `GET …/msg?event_types=…` walked the application's messages newest first until a page of the type had passed:
    /// for a type few messages have, the application's whole history. Each type is now one range of the index, in
    /// the list's order. Every message adds one entry, next to the newest of its application and type. Building it
    /// reads `message` once.
    static func registerMessageTypes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v19-message-types") { db in
            try db.execute(sql: "CREATE INDEX message_app_type ON message(app_id, event_type, id)")
        }
    }
}
