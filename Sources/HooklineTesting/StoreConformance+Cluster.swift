import Foundation
import HooklineCore

extension StoreConformance {
    static func clusterLeases(_ store: any HooklineStore) async throws {
        let until = t0.addingTimeInterval(30)
        try await expect(try await store.acquireLease(ClusterLease(name: "retention", holder: "a", now: t0, until: until)), "a free lease is taken")
        try await expect(
            !(try await store.acquireLease(ClusterLease(name: "retention", holder: "b", now: t0.addingTimeInterval(10), until: until))),
            "a held lease is refused to another holder")
        try await expect(
            try await store.acquireLease(ClusterLease(name: "other", holder: "b", now: t0, until: until)), "leases are independent by name")
        try await expect(
            try await store.acquireLease(
                ClusterLease(name: "retention", holder: "a", now: t0.addingTimeInterval(20), until: t0.addingTimeInterval(50))),
            "the holder renews its lease")
        try await expect(
            !(try await store.acquireLease(
                ClusterLease(name: "retention", holder: "b", now: t0.addingTimeInterval(40), until: t0.addingTimeInterval(70)))),
            "the renewal extended the lease")
        try await expect(
            try await store.acquireLease(
                ClusterLease(name: "retention", holder: "b", now: t0.addingTimeInterval(50), until: t0.addingTimeInterval(80))),
            "a lapsed lease passes to another holder")
        let active = try await store.activeLeases(prefix: "ret", now: t0.addingTimeInterval(60))
        try await expect(active.map(\.holder) == ["b"] && active.first?.name == "retention", "active leases by prefix, got \(active)")
        try await expect(
            try await store.activeLeases(prefix: "", now: t0.addingTimeInterval(60)).map(\.name) == ["retention"], "lapsed leases are not active")
        try await expect(try await store.activeLeases(prefix: "x", now: t0).isEmpty, "no lease has this prefix")
    }
}
