import Crypto
import Foundation

/// The hash functions a generic HMAC source may use.
public enum HMACAlgorithm: String, Sendable, Codable, CaseIterable {
    /// HMAC-SHA1 (legacy providers).
    case sha1
    /// HMAC-SHA256.
    case sha256
    /// HMAC-SHA512.
    case sha512

    /// The HMAC of `content` under `key`.
    public func authenticationCode(key: [UInt8], content: Data) -> [UInt8] {
        let symmetric = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: content, using: symmetric))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: content, using: symmetric))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: content, using: symmetric))
        }
    }
}

/// How signature bytes are written in a header.
public enum SignatureEncoding: String, Sendable, Codable, CaseIterable {
    /// Hexadecimal digits (either case).
    case hex
    /// Standard base64.
    case base64

    /// The bytes `text` encodes, or `nil` when it is not valid in this encoding.
    public func decode(_ text: String) -> [UInt8]? {
        switch self {
        case .base64:
            return Data(base64Encoded: text).map(Array.init)
        case .hex:
            let digits = Array(text.utf8)
            guard digits.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(digits.count / 2)
            for index in stride(from: 0, to: digits.count, by: 2) {
                guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
                bytes.append(high << 4 | low)
            }
            return bytes
        }
    }

    /// `bytes` written in this encoding (lowercase hex).
    public func encode(_ bytes: [UInt8]) -> String {
        switch self {
        case .base64: Data(bytes).base64EncodedString()
        case .hex: bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }
}
