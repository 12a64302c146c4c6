import Foundation
import HooklineCore

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
