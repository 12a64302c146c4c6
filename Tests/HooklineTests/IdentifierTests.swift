import Foundation
import HooklineCore
import Testing

@Suite struct IdentifierTests {
    /// Identifiers made in the same millisecond differ (their random part is drawn afresh) and share the time prefix.
    @Test func sameMillisecondIdentifiersDiffer() {
        let time = Date(millisecondsSince1970: 1_700_000_000_123)
        let ids = (0..<1_000).map { _ in Identifier.make(.message, at: time) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { $0.prefix(4 + 9) }).count == 1)
        #expect(ids.allSatisfy { $0.hasPrefix("msg_") && $0.count == 4 + 24 })
        #expect(Set(ids.map { $0.suffix(15) }).count == ids.count)
    }

    /// Identifiers made at once on many tasks share the process's reserve of random words and still all differ.
    @Test func concurrentIdentifiersDiffer() async {
        let time = Date(millisecondsSince1970: 1_700_000_000_123)
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<500).map { _ in Identifier.make(.attempt, at: time) } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(ids.count == 4_000)
        #expect(Set(ids).count == ids.count)
        let alphabet = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        #expect(ids.allSatisfy { $0.hasPrefix("atmpt_") && $0.count == 6 + 24 && $0.dropFirst(6).allSatisfy(alphabet.contains) })
    }

    /// Later identifiers sort after earlier ones as plain strings.
    @Test func identifiersSortByTime() {
        let earlier = Identifier.make(.attempt, at: Date(millisecondsSince1970: 1_700_000_000_000))
        let later = Identifier.make(.attempt, at: Date(millisecondsSince1970: 1_700_000_000_001))
        #expect(earlier < later)
        #expect(Identifier.floor(.attempt, at: Date(millisecondsSince1970: 1_700_000_000_001)) > earlier)
    }
}

/// Reading an identifier's time back, as windowed list reads do.
@Suite struct IdentifierTimeTests {
    /// The time an identifier was made at comes back to the millisecond; its floor carries the same time.
    @Test func timeComesBackFromTheIdentifier() {
        let time = Date(millisecondsSince1970: 1_764_633_600_123)
        #expect(Identifier.time(of: Identifier.make(.message, at: time), kind: .message) == time)
        #expect(Identifier.time(of: Identifier.floor(.attempt, at: time), kind: .attempt) == time)
    }

    /// Anything that is not an identifier of the kind asked for has no time.
    @Test func otherValuesHaveNoTime() {
        let message = Identifier.make(.message, at: Date(millisecondsSince1970: 1_764_633_600_123))
        #expect(Identifier.time(of: message, kind: .attempt) == nil)
        #expect(Identifier.time(of: "msg_0123", kind: .message) == nil)
        #expect(Identifier.time(of: "msg_00Vc-K4Ey0000", kind: .message) == nil)
        #expect(Identifier.time(of: "my-event-uid", kind: .message) == nil)
    }
}
