import Foundation
import HooklineCore
import Testing

/// Digests become the same lowercase hex text as `String(format: "%02x")` gave, byte for byte.
@Suite struct LowercaseHexTests {
    @Test func everyByteIsTwoLowercaseDigits() {
        let all = (0...255).map { UInt8($0) }
        #expect(LowercaseHex.text(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(LowercaseHex.text([UInt8]()) == "")
        #expect(LowercaseHex.text([0x0A, 0xF0]) == "0af0")
    }
}
