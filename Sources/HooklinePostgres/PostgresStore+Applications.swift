import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    private static let uidTaken = "an application with this uid already exists"

    /// Inserts an application; a taken uid is a conflict.
    public func insertApplication(_ application: Application) async throws {
        try await writing(conflict: Self.uidTaken) { session in
            try await session.execute(
                """
                INSERT INTO application (id, uid, name, metadata, throttle_rate, created_at, updated_at)
                VALUES (\(application.id), \(application.uid), \(application.name.withoutNUL), \(JSONText.encode(application.metadata)),
                \(application.throttleRate), \(application.createdAt.millisecondsSince1970), \(application.updatedAt.millisecondsSince1970))
                """)
        }
    }

    /// The application with this id or uid.
    public func application(_ idOrUid: String) async throws -> Application? {
        try await reading { session in
            try await session.first("SELECT * FROM application WHERE id = \(idOrUid) OR uid = \(idOrUid) ORDER BY id = \(idOrUid) DESC LIMIT 1")
                .map(Application.init(pg:))
        }
    }

    /// A page of applications, newest first.
    public func applications(_ page: PageRequest) async throws -> Page<Application> {
        try await reading { session in
            try await PostgresListQuery(from: "application").page(page, in: session, id: \.id, decode: Application.init(pg:))
        }
    }

    /// Replaces an application; a taken uid is a conflict.
    public func updateApplication(_ application: Application) async throws {
        try await writing(conflict: Self.uidTaken) { session in
            try await session.execute(
                """
                UPDATE application SET uid = \(application.uid), name = \(application.name.withoutNUL),
                metadata = \(JSONText.encode(application.metadata)), throttle_rate = \(application.throttleRate),
                created_at = \(application.createdAt.millisecondsSince1970), updated_at = \(application.updatedAt.millisecondsSince1970)
                WHERE id = \(application.id)
                """)
        }
    }

    /// Deletes an application with its endpoints, messages, deliveries, attempts and tasks.
    public func deleteApplication(id: String) async throws {
        try await writing { session in
            for table in ["attempt", "delivery", "message", "endpoint", "background_task"] {
                try await session.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE app_id = $1", binds: try Self.binds(id)))
            }
            try await session.execute("DELETE FROM application WHERE id = \(id)")
        }
    }

    /// Inserts or replaces an event type.
    public func upsertEventType(_ eventType: EventType) async throws {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO event_type (name, description, archived, created_at, updated_at, schemas, deprecated, feature_flag, group_name)
                VALUES (\(eventType.name), \(eventType.description.withoutNUL), \(eventType.archived),
                \(eventType.createdAt.millisecondsSince1970), \(eventType.updatedAt.millisecondsSince1970),
                \(JSONText.encode(eventType.schemas)?.withoutNUL), \(eventType.deprecated), \(JSONText.encode(eventType.featureFlags)), \(eventType.groupName))
                ON CONFLICT (name) DO UPDATE SET description = excluded.description, archived = excluded.archived,
                updated_at = excluded.updated_at, schemas = excluded.schemas, deprecated = excluded.deprecated,
                feature_flag = excluded.feature_flag, group_name = excluded.group_name
                """)
        }
    }

    /// The event type with this name.
    public func eventType(named name: String) async throws -> EventType? {
        try await reading { session in
            try await session.first("SELECT * FROM event_type WHERE name = \(name)").map(EventType.init(pg:))
        }
    }

    /// Bindings holding `values`, in order, for `PostgresQuery(unsafeSQL:binds:)`.
    static func binds(_ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }
}
