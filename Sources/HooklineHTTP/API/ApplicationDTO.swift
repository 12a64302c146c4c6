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
