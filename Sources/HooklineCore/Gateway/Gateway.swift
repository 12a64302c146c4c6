import Foundation
import Logging

/// Hookline's core operations, called by the HTTP layer and the CLI: no HTTP types here.
package struct Gateway<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// Rules for what the gateway accepts.
    package struct Configuration: Sendable {
        /// Which addresses endpoint URLs may reach.
        package var networkPolicy: NetworkPolicy
        /// How long a rotated-out secret keeps signing when the caller names no grace period.
        package var secretGracePeriod: Duration
        /// Resolves endpoint hosts when an endpoint is created or updated.
        package var resolver: any HostResolving

        /// Creates a configuration; defaults: no private addresses allowed, a 24 h secret grace period, the system resolver.
        package init(
            networkPolicy: NetworkPolicy = NetworkPolicy(), secretGracePeriod: Duration = .seconds(24 * 3600),
            resolver: any HostResolving = HostResolver()
        ) {
            self.networkPolicy = networkPolicy
            self.secretGracePeriod = secretGracePeriod
            self.resolver = resolver
        }
    }

    /// The store behind the gateway.
    package let store: Store
    /// The clock stamping new records.
    package let clock: Clock
    let committer: GroupCommitter<Store>
    let urlGuard: URLGuard
    let intake = MessageIntake()
    let metrics = HooklineMetrics()
    let logger: Logger
    let secretGracePeriod: Duration
    /// Raised when a background task is created, to wake the `TaskRunner`.
    package let taskSignal: WakeSignal

    /// Creates a gateway that commits messages through `committer`; `tasks` wakes the task runner.
    package init(
        configuration: Configuration, store: Store, clock: Clock, committer: GroupCommitter<Store>, logger: Logger,
        tasks: WakeSignal = WakeSignal()
    ) {
        self.secretGracePeriod = configuration.secretGracePeriod
        self.taskSignal = tasks
        self.store = store
        self.clock = clock
        self.committer = committer
        self.urlGuard = URLGuard(policy: configuration.networkPolicy, resolver: configuration.resolver)
        self.logger = logger
    }

    func checkPage(_ page: PageRequest) throws {
        try Validation.limit(page.limit)
    }
}

extension Gateway {
    /// The circuit state, recent failures and load `governor` (this node's) holds for an endpoint.
    package func endpointHealth(appIdOrUid: String, _ idOrUid: String, governor: EndpointGovernor) async throws -> EndpointHealth {
        let application = try await application(appIdOrUid)
        guard let endpoint = try await store.endpoint(appId: application.id, idOrUid: idOrUid) else {
            throw HooklineError.notFound("endpoint")
        }
        return governor.health(
            endpointId: endpoint.id, throttleRate: endpoint.throttleRate ?? application.throttleRate, now: clock.now())
    }
}

extension Gateway {
    /// `PUT /app/{app_id}` as Svix: replaces the application, or creates one from the draft (a new id, the draft's uid)
    /// when none has this id or uid; returns it and whether it was created.
    package func upsertApplication(_ idOrUid: String, with draft: ApplicationDraft) async throws -> (Application, created: Bool) {
        guard try await store.application(idOrUid) != nil else {
            return (try await createApplication(draft).0, true)
        }
        return (try await replaceApplication(idOrUid, with: draft), false)
    }

    /// `PUT …/endpoint/{endpoint_id}` as Svix: replaces the endpoint, or creates one from the draft when the
    /// application has none with this id or uid; returns it and whether it was created.
    package func upsertEndpoint(appIdOrUid: String, _ idOrUid: String, with draft: EndpointDraft) async throws -> (Endpoint, created: Bool) {
        let application = try await application(appIdOrUid)
        guard try await store.endpoint(appId: application.id, idOrUid: idOrUid) != nil else {
            return (try await createEndpoint(appIdOrUid: application.id, draft), true)
        }
        return (try await replaceEndpoint(appIdOrUid: application.id, idOrUid, with: draft), false)
    }
}
