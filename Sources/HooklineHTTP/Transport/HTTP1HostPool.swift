import NIOCore
import Synchronization

/// An open pooled connection: its channel and its exchange handler (used on the channel's loop only).
final class HTTP1Connection: Sendable {
    /// The channel.
    let channel: any Channel
    /// The handler that runs exchanges.
    let handler: NIOLoopBound<HTTP1ExchangeHandler>

    /// Wraps `channel` and its `handler`.
    init(channel: any Channel, handler: NIOLoopBound<HTTP1ExchangeHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// Starts `exchange` on the channel's loop.
    func start(_ exchange: HTTP1Exchange) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.start(exchange) }
    }
}

/// The keep-alive connections to one (host, port): at most `capacity` open, idle ones reused
/// most-recently-used first, and requests queued in order while all are busy.
///
/// Counting is the pool's only job: a request gets an idle connection, or the right to open one (a
/// slot), or waits. A slot is given back when its connect fails or its connection closes, and then
/// passes straight to the first waiter.
final class HTTP1HostPool: Sendable {
    /// What `acquire` hands out.
    enum Lease: Sendable {
        /// An idle connection, now this request's.
        case connection(HTTP1Connection)
        /// A slot: open a connection, then `opened` it (or `connectFailed`).
        case connect
        /// The deadline passed while waiting.
        case timedOut
        /// The pool is shut down.
        case shutDown
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Lease, Never>
        var timer: Scheduled<Void>?
    }

    private struct State {
        var idle: [HTTP1Connection] = []
        var open: [ObjectIdentifier: HTTP1Connection] = [:]
        var slots = 0
        var waiters: [Waiter] = []
        var nextWaiter = 0
        var shutDown = false

        /// An idle live connection or a free slot, if there is one.
        mutating func take(capacity: Int) -> Lease? {
            if shutDown { return .shutDown }
            while let connection = idle.popLast() {
                if connection.channel.isActive { return .connection(connection) }
            }
            guard slots < capacity else { return nil }
            slots += 1
            return .connect
        }

        /// Hands a freed slot to the first waiter, if any.
        mutating func passSlot() -> Waiter? {
            guard !shutDown, !waiters.isEmpty else { return nil }
            slots += 1
            return waiters.removeFirst()
        }
    }

    private let capacity: Int
    private let timers: any EventLoopGroup
    private let state = Mutex(State())

    /// A pool of at most `capacity` connections; waiters' deadlines run on `timers`.
    init(capacity: Int, timers: any EventLoopGroup) {
        self.capacity = max(1, capacity)
        self.timers = timers
    }

    /// An idle connection, a slot to connect with, or — when all are busy — the first of those freed before `deadline`.
    func acquire(deadline: NIODeadline) async -> Lease {
        if let lease = state.withLock({ $0.take(capacity: capacity) }) { return lease }
        return await withCheckedContinuation { continuation in
            let id: Int? = state.withLock { state in
                if let lease = state.take(capacity: capacity) {
                    continuation.resume(returning: lease)
                    return nil
                }
                let id = state.nextWaiter
                state.nextWaiter += 1
                state.waiters.append(Waiter(id: id, continuation: continuation))
                return id
            }
            guard let id else { return }
            let timer = timers.any().scheduleTask(deadline: deadline) { self.expire(id) }
            let stale = state.withLock { state -> Bool in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return true }
                state.waiters[index].timer = timer
                return false
            }
            if stale { timer.cancel() }
        }
    }

    /// Records a connection opened with a slot; false (and the connection is closed) after shutdown.
    func opened(_ connection: HTTP1Connection) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.shutDown else { return false }
            state.open[ObjectIdentifier(connection)] = connection
            return true
        }
        guard accepted else {
            connection.channel.close(promise: nil)
            return false
        }
        connection.channel.closeFuture.whenComplete { _ in self.closed(connection) }
        return true
    }

    /// Gives back a slot whose connect failed or was refused.
    func connectFailed() {
        let waiter = state.withLock { state -> Waiter? in
            state.slots -= 1
            return state.passSlot()
        }
        resume(waiter, with: .connect)
    }

    /// Returns a connection after its exchange: to the first waiter, else to the idle list, unless it cannot be reused.
    func release(_ connection: HTTP1Connection, reusable: Bool) {
        guard reusable, connection.channel.isActive else { return }
        let waiter = state.withLock { state -> Waiter? in
            guard !state.shutDown, state.open[ObjectIdentifier(connection)] != nil else { return nil }
            guard !state.waiters.isEmpty else {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        resume(waiter, with: .connection(connection))
    }

    /// Closes every connection and turns waiters away; later requests get `.shutDown`.
    func shutdown() async {
        let (connections, waiters) = state.withLock { state in
            state.shutDown = true
            defer {
                state.idle = []
                state.waiters = []
            }
            return (Array(state.open.values), state.waiters)
        }
        for waiter in waiters { resume(waiter, with: .shutDown) }
        for connection in connections {
            connection.channel.close(promise: nil)
            try? await connection.channel.closeFuture.get()
        }
    }

    private func closed(_ connection: HTTP1Connection) {
        let waiter = state.withLock { state -> Waiter? in
            guard state.open.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return nil }
            state.idle.removeAll { $0 === connection }
            state.slots -= 1
            return state.passSlot()
        }
        resume(waiter, with: .connect)
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: .timedOut)
    }

    private func resume(_ waiter: Waiter?, with lease: Lease) {
        guard let waiter else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(returning: lease)
    }
}
