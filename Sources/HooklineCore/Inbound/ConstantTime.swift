/// Byte comparison whose running time does not depend on where the inputs differ: the one used for every
/// secret, signature and key Hookline compares.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, without an early exit on the first difference.
    public static func equal(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        let left = Array(lhs)
        let right = Array(rhs)
        // The whole length difference counts: folded into a byte, lengths 256 apart would compare equal.
        var difference = UInt(bitPattern: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= UInt(a ^ b)
        }
        return difference == 0
    }
}
