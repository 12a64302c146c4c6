import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Writes `endpoint.payloadFilter` into its row (inside the insert or update transaction).
    static func writePayloadFilter(_ db: Database, _ endpoint: Endpoint) throws {
        try db.cachedStatement(sql: "UPDATE endpoint SET payload_filter = ? WHERE id = ?")
            .execute(arguments: [PayloadFilterColumn.encode(endpoint.payloadFilter), endpoint.id])
    }
}

/// The `payload_filter` column: the filter's JSON wire form, or `NULL`.
enum PayloadFilterColumn {
    /// The column text for `filter`.
    static func encode(_ filter: PayloadFilter?) -> String? {
        guard let filter, let data = try? filter.json.canonicalData() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The filter stored as `text`; `nil` when absent or no longer valid.
    static func decode(_ text: String?) -> PayloadFilter? {
        guard let text, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        return try? PayloadFilter(json: value)
    }
}
