import Foundation
import HooklineCore
import Testing

/// The pure ordering rules behind claims: priority lanes with aging, and the fair selection of a batch.
@Suite struct PriorityLaneTests {
    @Test func sortKeyAdvancesTenSecondsPerLevel() {
        #expect(PriorityLane.normal.sortKey(dueAtMilliseconds: 100_000) == 50_000)
        #expect(PriorityLane(clamping: 9).sortKey(dueAtMilliseconds: 100_000) == 10_000)
        #expect(PriorityLane(clamping: 0).sortKey(dueAtMilliseconds: 100_000) == 100_000)
        #expect(PriorityLane(clamping: 42).level == 9 && PriorityLane(clamping: -3).level == 0)
    }

    @Test func urgentWorkOvertakesOnlyWithinTheAgingWindow() {
        let low = PriorityLane(clamping: 0)
        let high = PriorityLane(clamping: 9)
        let lowDue: Int64 = 1_000_000
        #expect(high.sortKey(dueAtMilliseconds: lowDue + 89_000) < low.sortKey(dueAtMilliseconds: lowDue), "due 89 s later, still first")
        #expect(high.sortKey(dueAtMilliseconds: lowDue + 91_000) > low.sortKey(dueAtMilliseconds: lowDue), "due 91 s later: the old one wins")
        #expect(PriorityLane.high.sortKey(dueAtMilliseconds: 30_000) == PriorityLane.normal.sortKey(dueAtMilliseconds: 0))
    }

    @Test func namesMapToLevels() {
        #expect(PriorityLane(name: "high")?.level == 8)
        #expect(PriorityLane(name: "Normal")?.level == 5)
        #expect(PriorityLane(name: "low")?.level == 2)
        #expect(PriorityLane(name: "urgent") == nil)
    }

    @Test func validationAcceptsIntegersAndNames() throws {
        #expect(try Validation.priority(nil) == nil)
        #expect(try Validation.priority(.null) == nil)
        #expect(try Validation.priority(.integer(0)) == 0)
        #expect(try Validation.priority(.integer(9)) == 9)
        #expect(try Validation.priority(.number(7)) == 7)
        #expect(try Validation.priority(.string("high")) == 8)
        #expect(try Validation.priority(.string("low")) == 2)
    }

    @Test(arguments: [JSONValue.integer(10), .integer(-1), .number(2.5), .string("urgent"), .bool(true), .array([])])
    func validationRejects(_ value: JSONValue) {
        let error = #expect(throws: HooklineError.self) { try Validation.priority(value) }
        #expect(error?.code == .validation && error?.field == ["body", "priority"] && error?.message.contains("priority") == true)
    }

    @Test func selectorTakesEveryEndpointsFirstRowBeforeAnySecond() {
        var candidates = (0..<10).map { ClaimSelector.Candidate(id: Int64($0), endpointId: "a", sortKey: Int64($0)) }
        candidates.append(ClaimSelector.Candidate(id: 100, endpointId: "b", sortKey: 1_000))
        let chosen = ClaimSelector(limit: 3).select(candidates) { _ in 32 }
        #expect(chosen.map(\.id) == [0, 100, 1])
    }

    @Test func selectorRespectsAllowanceAndLimit() {
        let candidates = [
            ClaimSelector.Candidate(id: 1, endpointId: "a", sortKey: 5),
            ClaimSelector.Candidate(id: 2, endpointId: "a", sortKey: 1),
            ClaimSelector.Candidate(id: 3, endpointId: "a", sortKey: 3),
            ClaimSelector.Candidate(id: 4, endpointId: "b", sortKey: 2),
            ClaimSelector.Candidate(id: 5, endpointId: "c", sortKey: 0),
        ]
        let chosen = ClaimSelector(limit: 10).select(candidates) { ["a": 2, "b": 0, "c": 1][$0] ?? 0 }
        #expect(chosen.map(\.id) == [5, 2, 3], "rank 0 by key (c, a), then a's second; b has no allowance")
        #expect(ClaimSelector(limit: 1).select(candidates) { _ in 5 }.map(\.id) == [5])
        #expect(ClaimSelector(limit: 0).select(candidates) { _ in 5 }.isEmpty)
    }

    @Test func selectorBreaksTiesByAge() {
        let candidates = [
            ClaimSelector.Candidate(id: 9, endpointId: "a", sortKey: 1),
            ClaimSelector.Candidate(id: 4, endpointId: "a", sortKey: 1),
        ]
        #expect(ClaimSelector(limit: 2).select(candidates) { _ in 2 }.map(\.id) == [4, 9])
    }
}
