import Foundation
import HooklineCore

/// The body of application create and replace calls.
struct ApplicationIn: Decodable {
    var name: String
    var uid: String?
    var metadata: [String: String]?
    var throttleRate: Int?

    var draft: ApplicationDraft {
        ApplicationDraft(name: name, uid: uid, metadata: metadata, throttleRate: throttleRate)
    }
}

/// An application as the API returns it.
struct ApplicationOut: Encodable {
    var id: String
    var uid: String?
    var name: String
    var metadata: [String: String]
    var throttleRate: Int?
    var createdAt: Date
    var updatedAt: Date

    init(_ application: Application) {
        id = application.id
        uid = application.uid
        name = application.name
        metadata = application.metadata
        throttleRate = application.throttleRate
        createdAt = application.createdAt
        updatedAt = application.updatedAt
    }
}

/// `POST /api/v1/auth/app-portal-access/{app_id}` body (Svix `AppPortalAccessIn`).
struct AppPortalAccessIn: Decodable {
    var application: ApplicationIn?
    var expiry: Int?
    var readOnly: Bool?
    var featureFlags: [String]?
    var sessionId: String?

    /// The core request these fields describe.
    var draft: PortalAccessDraft {
        PortalAccessDraft(
            application: application?.draft, expiry: expiry, readOnly: readOnly ?? false, featureFlags: featureFlags ?? [],
            sessionId: sessionId)
    }
}

/// `POST /api/v1/auth/app/{app_id}/expire-all` body (Svix `ApplicationTokenExpireIn`).
struct ApplicationTokenExpireIn: Decodable {
    var expiry: Int?
    var sessionIds: [String]?
}

/// The portal link and its token (Svix `AppPortalAccessOut`).
struct AppPortalAccessOut: Encodable {
    var url: String
    var token: String
}

/// What the portal page learns about its own token (`GET /api/v1/auth/portal-session`, a Hookline extension).
struct PortalSessionOut: Encodable {
    var appId: String
    var appName: String
    var appUid: String?
    var readOnly: Bool
    var featureFlags: [String]
    var expiresAt: Date

    /// The session of `token` on `application`.
    init(_ token: PortalToken, application: Application) {
        appId = token.appId
        appName = application.name
        appUid = application.uid
        readOnly = token.readOnly
        featureFlags = token.featureFlags
        expiresAt = token.expiresAt
    }
}

/// A page of items in the Svix list shape; `iterator` is always present, `null` when none.
struct ListOut<Item: Encodable>: Encodable {
    var data: [Item]
    var iterator: String?
    var prevIterator: String?
    var done: Bool

    init<Source>(_ page: Page<Source>, transform: (Source) -> Item) {
        data = page.items.map(transform)
        iterator = page.iterator
        prevIterator = page.prevIterator
        done = page.done
    }

    enum CodingKeys: String, CodingKey { case data, iterator, prevIterator, done }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(iterator, forKey: .iterator)
        try container.encode(prevIterator, forKey: .prevIterator)
        try container.encode(done, forKey: .done)
    }
}
