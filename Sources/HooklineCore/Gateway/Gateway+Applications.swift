import Foundation

extension Gateway {
    /// Creates an application; with `getIfExists`, returns the existing one with the same uid instead.
    public func createApplication(_ draft: ApplicationDraft, getIfExists: Bool = false) async throws -> (Application, created: Bool) {
        try validate(draft)
        if getIfExists, let uid = draft.uid, let existing = try await store.application(uid) {
            return (existing, false)
        }
        let now = clock.now()
        let application = Application(
            id: Identifier.make(.application, at: now), uid: draft.uid, name: draft.name, metadata: draft.metadata ?? [:],
            throttleRate: draft.throttleRate, createdAt: now, updatedAt: now)
        try await store.insertApplication(application)
        return (application, true)
    }

    /// The application with this id or uid; throws `notFound`.
    public func application(_ idOrUid: String) async throws -> Application {
        guard let application = try await store.application(idOrUid) else { throw HooklineError.notFound("application") }
        return application
    }

    /// A page of applications.
    public func applications(_ page: PageRequest) async throws -> Page<Application> {
        try checkPage(page)
        return try await store.applications(page)
    }

    /// Replaces an application's fields.
    public func replaceApplication(_ idOrUid: String, with draft: ApplicationDraft) async throws -> Application {
        try validate(draft)
        var application = try await application(idOrUid)
        application.name = draft.name
        application.uid = draft.uid
        application.metadata = draft.metadata ?? [:]
        application.throttleRate = draft.throttleRate
        application.updatedAt = clock.now()
        try await store.updateApplication(application)
        return application
    }

    /// Deletes an application and everything it owns.
    public func deleteApplication(_ idOrUid: String) async throws {
        let application = try await application(idOrUid)
        try await store.deleteApplication(id: application.id)
    }

    private func validate(_ draft: ApplicationDraft) throws {
        guard !draft.name.isEmpty, draft.name.count <= 256 else {
            throw HooklineError.invalid("name", message: "name must be 1 to 256 characters")
        }
        try Validation.uid(draft.uid)
        try Validation.throttleRate(draft.throttleRate)
    }
}
