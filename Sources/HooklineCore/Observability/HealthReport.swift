import Foundation

/// The readiness verdict: every check with whether it passed and, when not, why.
package struct HealthReport: Sendable, Equatable, Encodable {
    /// One condition the node is judged on.
    package struct Check: Sendable, Equatable, Encodable {
        /// `store`, `deliveries`, `disk` or `migrations`.
        package var name: String
        /// Whether the condition holds.
        package var ok: Bool
        /// What is wrong (or what was measured), for operators.
        package var reason: String?

        /// Creates a check result.
        package init(name: String, ok: Bool, reason: String?) {
            self.name = name
            self.ok = ok
            self.reason = reason
        }
    }

    /// `ok` when every check passes, else `failing`.
    package var status: String { checks.allSatisfy(\.ok) ? "ok" : "failing" }
    /// The checks in a fixed order.
    package var checks: [Check]

    /// Creates a report from its checks.
    package init(checks: [Check]) {
        self.checks = checks
    }

    /// Whether every check passed.
    package var ok: Bool { checks.allSatisfy(\.ok) }

    enum CodingKeys: String, CodingKey { case status, checks }

    /// Encodes `status` and `checks`.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(checks, forKey: .checks)
    }
}

/// What the readiness check measured; the verdict is a pure function of these facts.
package struct HealthFacts: Sendable, Equatable {
    /// Why the store did not answer, or `nil` when it did.
    package var storeError: String?
    /// When the earliest active delivery became (or becomes) due.
    package var oldestDue: Date?
    /// The engine's last progress (attempt started, or its start); `nil` when the engine does not run.
    package var engineProgress: Date?
    /// Bytes the store may still grow by, when known.
    package var freeSpace: Int64?
    /// Migrations not applied.
    package var pendingMigrations: [String]

    /// Creates a set of facts.
    package init(
        storeError: String? = nil, oldestDue: Date? = nil, engineProgress: Date? = nil, freeSpace: Int64? = nil, pendingMigrations: [String] = []
    ) {
        self.storeError = storeError
        self.oldestDue = oldestDue
        self.engineProgress = engineProgress
        self.freeSpace = freeSpace
        self.pendingMigrations = pendingMigrations
    }

    /// The verdict at `now`: stalled when a delivery has been due and the engine idle for `stallAfter` each.
    package func verdict(now: Date, stallAfter: Duration, minFreeSpace: Int64) -> HealthReport {
        var checks: [HealthReport.Check] = []
        checks.append(.init(name: "store", ok: storeError == nil, reason: storeError.map { "store unreachable: \($0)" }))
        let limit = stallAfter.timeInterval
        if storeError != nil {
            checks.append(.init(name: "deliveries", ok: true, reason: "not checked: the store did not answer"))
        } else if let oldestDue, let engineProgress, now.timeIntervalSince(oldestDue) >= limit, now.timeIntervalSince(engineProgress) >= limit {
            let waited = Int(now.timeIntervalSince(oldestDue).rounded(.down))
            let idle = Int(now.timeIntervalSince(engineProgress).rounded(.down))
            checks.append(
                .init(
                    name: "deliveries", ok: false,
                    reason: "stalled: a delivery has been due for \(waited)s and none was attempted for \(idle)s (stall-after \(Int(limit))s)"))
        } else if engineProgress == nil, let oldestDue, oldestDue <= now {
            checks.append(.init(name: "deliveries", ok: true, reason: "engine not running yet"))
        } else {
            checks.append(.init(name: "deliveries", ok: true, reason: nil))
        }
        if let freeSpace {
            let low = freeSpace < minFreeSpace
            checks.append(.init(name: "disk", ok: !low, reason: low ? "low disk: \(freeSpace) bytes free, below min-free-disk \(minFreeSpace)" : nil))
        } else {
            checks.append(.init(name: "disk", ok: true, reason: storeError == nil ? "not applicable to this store" : "not checked"))
        }
        let pending = pendingMigrations
        checks.append(
            .init(name: "migrations", ok: pending.isEmpty, reason: pending.isEmpty ? nil : "pending migrations: \(pending.joined(separator: ", "))"))
        return HealthReport(checks: checks)
    }
}
