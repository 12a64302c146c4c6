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

extension SQLiteMigrations {
    /// v20: an application's messages by channel get tables of their own, `message_channel` and `message_channel_recent`.
    ///
    /// `GET …/msg?channel=…` walked the application's messages newest first, reading each one's channel list, until a
    /// page of the channel had passed: for a channel few messages carry (a tenant's, say), the application's whole
    /// history. A message's channels are a list, so no index on the column can find them. `message_channel` holds one
    /// row per (application, channel, message) in the list's order. A trigger appends a new message's channels to
    /// `message_channel_recent` (no index: appending costs the table's last page), which `SQLiteLabelMerger` moves
    /// into `message_channel` every second, sorted: written straight into the ordered table, each of a thousand
    /// channels' messages dirtied a page of its own per commit (+7.5 KB written per message). A message without
    /// channels writes nothing. Building it reads `message` once.
    static func registerMessageChannels(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v20-message-channels") { db in
            try db.execute(
                sql: """
                    CREATE TABLE message_channel (
                        app_id TEXT NOT NULL, channel TEXT NOT NULL, message_id TEXT NOT NULL,
                        PRIMARY KEY (app_id, channel, message_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE message_channel_recent (app_id TEXT NOT NULL, channel TEXT NOT NULL, message_id TEXT NOT NULL);
                    CREATE TRIGGER message_channel_insert AFTER INSERT ON message WHEN NEW.channels IS NOT NULL BEGIN
                        INSERT INTO message_channel_recent SELECT NEW.app_id, value, NEW.id FROM json_each(NEW.channels);
                    END;
                    CREATE TRIGGER message_channel_delete AFTER DELETE ON message WHEN OLD.channels IS NOT NULL BEGIN
                        DELETE FROM message_channel
                        WHERE app_id = OLD.app_id AND channel IN (SELECT value FROM json_each(OLD.channels)) AND message_id = OLD.id;
                    END;
                    INSERT OR IGNORE INTO message_channel
                        SELECT m.app_id, j.value, m.id FROM message m, json_each(m.channels) j WHERE m.channels IS NOT NULL;
                    """)
        }
    }
}
