import GRDB

extension SQLiteMigrations {
    /// v21: an application's messages by tag get tables of their own, `message_tag` and `message_tag_recent`, kept as
    /// v20 keeps the channels' (`SQLiteLabelMerger`).
    ///
    /// `GET …/msg?tag=…` walked the application's messages newest first, reading each one's tag list, until a page of
    /// the tag had passed: for a tag few messages carry, the application's whole history. A message without tags writes
    /// nothing. Building it reads `message` once.
    static func registerMessageTags(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v21-message-tags") { db in
            try db.execute(
                sql: """
                    CREATE TABLE message_tag (
                        app_id TEXT NOT NULL, tag TEXT NOT NULL, message_id TEXT NOT NULL,
                        PRIMARY KEY (app_id, tag, message_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE message_tag_recent (app_id TEXT NOT NULL, tag TEXT NOT NULL, message_id TEXT NOT NULL);
                    CREATE TRIGGER message_tag_insert AFTER INSERT ON message WHEN NEW.tags IS NOT NULL BEGIN
                        INSERT INTO message_tag_recent SELECT NEW.app_id, value, NEW.id FROM json_each(NEW.tags);
                    END;
                    CREATE TRIGGER message_tag_delete AFTER DELETE ON message WHEN OLD.tags IS NOT NULL BEGIN
                        DELETE FROM message_tag
                        WHERE app_id = OLD.app_id AND tag IN (SELECT value FROM json_each(OLD.tags)) AND message_id = OLD.id;
                    END;
                    INSERT OR IGNORE INTO message_tag
                        SELECT m.app_id, j.value, m.id FROM message m, json_each(m.tags) j WHERE m.tags IS NOT NULL;
                    """)
        }
    }
}
