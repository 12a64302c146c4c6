import GRDB
import HooklineCore
import Metrics
import Synchronization

/// Caches applications and each application's endpoints for the ingest path.
///
/// It observes every committed write to the `application` and `endpoint` tables on the store's
/// writer and then drops everything, so no write path can leave a stale entry. An entry read before
/// a commit carries the older generation and is never served after it.
final class ResourceCache: TransactionObserver, Sendable {
    private struct State {
        var generation: UInt64 = 0
        var changedInTransaction = false
        var applications: [String: (UInt64, Application)] = [:]
        var endpoints: [String: (UInt64, [Endpoint])] = [:]
    }

    private let state = Mutex(State())
    private let hits = Counter(label: "hookline_resource_cache_total", dimensions: [("result", "hit")])
    private let misses = Counter(label: "hookline_resource_cache_total", dimensions: [("result", "miss")])

    /// The generation to tag a read with; take it before reading.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// The cached application for an id or uid.
    func application(_ idOrUid: String) -> Application? {
        let found = state.withLock { state in
            state.applications[idOrUid].flatMap { $0.0 == state.generation ? $0.1 : nil }
        }
        (found == nil ? misses : hits).increment()
        return found
    }

    /// Remembers an application read at `generation`, under its id and its uid.
    func store(_ application: Application, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            state.applications[application.id] = (generation, application)
            if let uid = application.uid { state.applications[uid] = (generation, application) }
        }
    }

    /// The cached endpoints of an application.
    func endpoints(appId: String) -> [Endpoint]? {
        let found = state.withLock { state in
            state.endpoints[appId].flatMap { $0.0 == state.generation ? $0.1 : nil }
        }
        (found == nil ? misses : hits).increment()
        return found
    }

    /// Remembers an application's endpoints read at `generation`.
    func store(_ endpoints: [Endpoint], appId: String, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            state.endpoints[appId] = (generation, endpoints)
        }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "application" || eventKind.tableName == "endpoint"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        state.withLock { $0.changedInTransaction = true }
    }

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            guard state.changedInTransaction else { return }
            state.changedInTransaction = false
            state.generation &+= 1
            state.applications.removeAll()
            state.endpoints.removeAll()
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.changedInTransaction = false }
    }
}
