import Foundation
import Logging
import ServiceLifecycle

/// Long work the API answers at once and finishes in the background, e.g. recovering an endpoint.
///
/// The row is the work: a runner resumes every `running` task after a restart from its `cursor`.
package struct BackgroundTask: Sendable, Equatable {
    /// What a task does.
    package struct Kind: RawRepresentable, Hashable, Sendable {
        /// The wire name, e.g. `endpoint.recover`.
        package let rawValue: String
        /// Creates a kind from its wire name.
        package init(rawValue: String) { self.rawValue = rawValue }
        /// Re-queue an endpoint's failed deliveries in a window.
        package static let endpointRecover = Kind(rawValue: "endpoint.recover")
    }

    /// Where a task stands.
    package struct Status: RawRepresentable, Hashable, Sendable {
        /// The wire name.
        package let rawValue: String
        /// Creates a status from its wire name.
        package init(rawValue: String) { self.rawValue = rawValue }
        /// Still working.
        package static let running = Status(rawValue: "running")
        /// Done.
        package static let finished = Status(rawValue: "finished")
        /// Stopped by an error.
        package static let failed = Status(rawValue: "failed")
    }

    /// The `qtask_` identifier.
    package var id: String
    /// What it does.
    package var kind: Kind
    /// Where it stands.
    package var status: Status
    /// The application it works on.
    package var appId: String
    /// The endpoint it works on, if any.
    package var endpointId: String?
    /// The start of its time window (inclusive).
    package var since: Date
    /// The end of its time window (exclusive), or open.
    package var until: Date?
    /// The last message id processed, for resuming.
    package var cursor: String?
    /// How many items it has processed (for recover: messages re-queued).
    package var processed: Int
    /// When it was created.
    package var createdAt: Date
    /// When it last changed.
    package var updatedAt: Date

    /// Creates a task value.
    package init(
        id: String, kind: Kind, status: Status, appId: String, endpointId: String?, since: Date, until: Date?,
        cursor: String? = nil, processed: Int = 0, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.appId = appId
        self.endpointId = endpointId
        self.since = since
        self.until = until
        self.cursor = cursor
        self.processed = processed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Works background tasks (endpoint recovery) in batches, resuming running tasks after a restart.
///
/// Each batch is one short transaction, so API requests and deliveries interleave with a long
/// recovery; after each batch the delivery engine is woken and the task row records its progress.
package struct TaskRunner<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// How tasks are worked.
    package struct Configuration: Sendable {
        /// The most deliveries re-queued per transaction.
        package var batchSize: Int
        /// How long to sleep when nothing signals (a safety net).
        package var idlePollInterval: Duration
        /// Who this runner is when it leases a task, so one node of a cluster works each task.
        package var leaseHolder: String
        /// How long a task's lease lasts without a batch renewing it.
        package var leaseDuration: Duration

        /// Creates a configuration; defaults: batches of 500, 30 s idle poll, this process as holder, 60 s task leases.
        package init(
            batchSize: Int = 500, idlePollInterval: Duration = .seconds(30), leaseHolder: String = ClusterLease.processHolder,
            leaseDuration: Duration = .seconds(60)
        ) {
            self.batchSize = batchSize
            self.idlePollInterval = idlePollInterval
            self.leaseHolder = leaseHolder
            self.leaseDuration = leaseDuration
        }
    }

    /// Batch size and idle poll.
    let configuration: Configuration
    /// Where tasks and deliveries live.
    let store: Store
    /// Stamps progress and bounds idle waits.
    let clock: Clock
    /// Raised when a task is created.
    let tasks: WakeSignal
    /// Raised after each batch to wake the delivery engine.
    let deliveries: WakeSignal
    /// Where failures are reported.
    let logger: Logger

    /// Creates a runner woken by `tasks` that raises `deliveries` after each batch.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, tasks: WakeSignal, deliveries: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.tasks = tasks
        self.deliveries = deliveries
        self.logger = logger
    }

    /// Runs until graceful shutdown (between batches) or cancellation.
    package func run() async {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            while !stopping.isRaised && !Task.isCancelled {
                let running: [BackgroundTask]
                do {
                    running = try await store.runningTasks()
                } catch {
                    logger.error("reading background tasks failed", metadata: ["error": "\(error)"])
                    running = []
                }
                for task in running where !stopping.isRaised {
                    await work(task, stopping: stopping)
                }
                if stopping.isRaised { break }
                await tasks.wait(until: clock.now().adding(configuration.idlePollInterval), on: clock)
            }
        } onGracefulShutdown: {
            stopping.raise()
            tasks.signal()
        }
    }

    /// Works `task` until it finishes, fails, or the runner stops.
    func work(_ task: BackgroundTask, stopping: StopFlag) async {
        var task = task
        while task.status == .running && !stopping.isRaised && !Task.isCancelled {
            do {
                let now = clock.now()
                let lease = ClusterLease(
                    name: "task:\(task.id)", holder: configuration.leaseHolder, now: now, until: now.adding(configuration.leaseDuration))
                guard try await store.acquireLease(lease) else { return }  // another node works it
                task = try await step(task)
                try await store.updateTask(task)
            } catch {
                logger.error("background task failed", metadata: ["task": "\(task.id)", "error": "\(error)"])
                task.status = .failed
                task.updatedAt = clock.now()
                try? await store.updateTask(task)
            }
        }
    }

    /// Does one batch of `task` and returns it with its progress.
    func step(_ task: BackgroundTask) async throws -> BackgroundTask {
        var task = task
        let now = clock.now()
        guard task.kind == .endpointRecover, let endpointId = task.endpointId else {
            throw HooklineError(.internalError, "unknown background task kind \(task.kind.rawValue)")
        }
        let result = try await store.recoverDeliveries(
            RecoverBatch(endpointId: endpointId, since: task.since, until: task.until, cursor: task.cursor, limit: configuration.batchSize, now: now))
        if result.count > 0 { deliveries.signal() }
        task.processed += result.count
        task.cursor = result.cursor ?? task.cursor
        if result.count < configuration.batchSize { task.status = .finished }
        task.updatedAt = now
        return task
    }
}
