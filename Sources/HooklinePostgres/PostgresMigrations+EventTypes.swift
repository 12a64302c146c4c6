extension PostgresMigrations {
    /// v11: event types carry Svix's schemas (JSON text), deprecated flag, feature flags (`feature_flag`, a JSON list) and group name.
    static let eventTypeDetails = Migration(
        version: 11, name: "v11-event-type-details",
        statements: [
            "ALTER TABLE event_type ADD COLUMN schemas TEXT",
            "ALTER TABLE event_type ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE event_type ADD COLUMN feature_flag TEXT",
            "ALTER TABLE event_type ADD COLUMN group_name TEXT",
        ])

    /// Migrations added for Svix parity.
    static let parity: [Migration] = [eventTypeDetails]
}
