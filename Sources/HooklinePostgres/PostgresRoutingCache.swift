import Foundation
import HooklineCore
import Metrics
import Synchronization

/// This node's copy of applications and their endpoints for routing new messages, each tagged with the
/// `application.routing_version` it was read at.
///
/// Nothing invalidates it from outside: another node's change bumps the version in the database, the ingest
/// statement compares each message's version (`NewMessage.routingVersion`) with the stored one and inserts
/// nothing for a message whose version is no longer current (or whose application is gone), and the store then
/// forgets that application here, so the caller's next snapshot is read fresh. So a stale entry can delay a
/// message by one more commit, never route it.
final class PostgresRoutingCache: Sendable {
    /// One application's snapshot.
    private struct Entry {
        var snapshot: RoutingSnapshot
        var version: Int64
    }

    private struct State {
        /// By application id.
        var entries: [String: Entry] = [:]
        /// Each id or uid a snapshot was asked for (and its application's id and uid) → the application's id.
        var keys: [String: String] = [:]
        /// By application id: the lowest version that may be kept after a commit found an older one stale, so a read
        /// that started before the change cannot put the stale snapshot back.
        var floors: [String: Int64] = [:]
    }

    /// The most applications kept; past it the cache starts over.
    let capacity: Int
    private let state = Mutex(State())
    private let hits = Counter(label: "hookline_resource_cache_total", dimensions: [("result", "hit")])
    private let misses = Counter(label: "hookline_resource_cache_total", dimensions: [("result", "miss")])

    /// Creates an empty cache holding at most `capacity` applications (default 4 096).
    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The snapshot of the application with this id or uid, if one is kept.
    func snapshot(_ appIdOrUid: String) -> RoutingSnapshot? {
        let found = state.withLock { state in
            state.keys[appIdOrUid].flatMap { state.entries[$0]?.snapshot }
        }
        (found == nil ? misses : hits).increment()
        return found
    }

    /// Keeps `snapshot` (its version set) under `appIdOrUid`, the application's id and its uid, unless a newer one is kept.
    func keep(_ snapshot: RoutingSnapshot, as appIdOrUid: String) {
        guard let version = snapshot.version else { return }
        let application = snapshot.application
        state.withLock { state in
            if let kept = state.entries[application.id], kept.version > version { return }
            if let floor = state.floors[application.id], version < floor { return }
            if state.entries[application.id] == nil, state.entries.count >= capacity || state.floors.count >= capacity { state = State() }
            state.entries[application.id] = Entry(snapshot: snapshot, version: version)
            state.keys[appIdOrUid] = application.id
            state.keys[application.id] = application.id
            if let uid = application.uid { state.keys[uid] = application.id }
        }
    }

    /// Drops the applications whose snapshots at these versions (by application id) were found stale, with every key
    /// that leads to them; no snapshot at or below such a version is kept again.
    func forget(_ stale: [String: Int64]) {
        guard !stale.isEmpty else { return }
        state.withLock { state in
            for (id, version) in stale {
                state.entries[id] = nil
                state.floors[id] = max(state.floors[id] ?? 0, version + 1)
            }
            state.keys = state.keys.filter { stale[$0.value] == nil }
        }
    }
}

extension PostgresStore {
    /// The application with this id or uid and all its endpoints, from this node's cache or else read (two
    /// statements on one connection) and kept; tagged with the routing version read first, so a change committed
    /// between the two reads makes the snapshot stale at commit rather than inconsistent.
    package func routingSnapshot(_ appIdOrUid: String) async throws -> RoutingSnapshot? {
        if let cached = routes.snapshot(appIdOrUid) { return cached }
        let snapshot = try await reading { session -> RoutingSnapshot? in
            guard
                let row = try await session.first(
                    """
                    SELECT * FROM application WHERE id = \(appIdOrUid) OR uid = \(appIdOrUid)
                    ORDER BY id = \(appIdOrUid) DESC LIMIT 1
                    """)
            else { return nil }
            let application = try Application(pg: row)
            let endpoints = try await session.rows("SELECT * FROM endpoint WHERE app_id = \(application.id) ORDER BY id").map(Endpoint.init(pg:))
            return RoutingSnapshot(application: application, endpoints: endpoints, version: try row.get("routing_version", as: Int64.self))
        }
        if let snapshot { routes.keep(snapshot, as: appIdOrUid) }
        return snapshot
    }
}
