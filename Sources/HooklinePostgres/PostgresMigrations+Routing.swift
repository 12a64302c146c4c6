import Foundation
import HooklineCore

extension PostgresMigrations {
    /// v14: `application.routing_version`, bumped by every change to an application or to what routes its messages,
    /// so a node may route from its cache and the ingest statement checks the version it routed with.
    ///
    /// Triggers keep it, whichever statement writes: an update of the application row, and an insert, delete or
    /// update of one of its endpoints (an endpoint moved to another application bumps both). An update that
    /// changes only `failing_since` (the completion path's failure streak, read fresh where it is used) bumps
    /// nothing, so completions do not invalidate every node's cache.
    static let routingVersion = Migration(
        version: 14, name: "v14-routing-version",
        statements: [
            "ALTER TABLE application ADD COLUMN routing_version BIGINT NOT NULL DEFAULT 0",
            """
            CREATE FUNCTION hookline_application_routing() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.routing_version := OLD.routing_version + 1;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER application_routing BEFORE UPDATE ON application FOR EACH ROW
            WHEN (OLD.routing_version = NEW.routing_version) EXECUTE FUNCTION hookline_application_routing()
            """,
            """
            CREATE FUNCTION hookline_endpoint_routing() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    UPDATE application SET routing_version = routing_version + 1 WHERE id = OLD.app_id;
                END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.app_id IS DISTINCT FROM OLD.app_id) THEN
                    UPDATE application SET routing_version = routing_version + 1 WHERE id = NEW.app_id;
                END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER endpoint_routing_written AFTER INSERT OR DELETE ON endpoint FOR EACH ROW
            EXECUTE FUNCTION hookline_endpoint_routing()
            """,
            """
            CREATE TRIGGER endpoint_routing_updated AFTER UPDATE ON endpoint FOR EACH ROW
            WHEN ((to_jsonb(OLD) - 'failing_since') IS DISTINCT FROM (to_jsonb(NEW) - 'failing_since'))
            EXECUTE FUNCTION hookline_endpoint_routing()
            """,
        ])
}
