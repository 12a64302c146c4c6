/// Lowercase hexadecimal text of bytes (digests in keys and signatures), written in one allocation.
package enum LowercaseHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The bytes as two lowercase hex digits each.
    package static func text<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let bytes = Array(bytes)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index * 2] = digits[Int(byte >> 4)]
                buffer[index * 2 + 1] = digits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}
