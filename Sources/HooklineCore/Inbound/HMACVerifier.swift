import Crypto
import Foundation

/// A signature header holding `prefix + encode(HMAC(secret's UTF-8 bytes, content))`.
///
/// The signed content is the raw body, or `template` with `{body}` and `{timestamp}` (from
/// `timestampHeader`, checked against `tolerance`) substituted. GitHub and Shopify are instances.
package struct HMACVerifier: SignatureVerifier {
    /// The header carrying the signature.
    package var header: String
    /// The hash function.
    package var algorithm: HMACAlgorithm
    /// How the signature is written.
    package var encoding: SignatureEncoding
    /// Text before the signature, e.g. `sha256=`.
    package var prefix: String
    /// The signed content; `nil` for the raw body.
    package var template: String?
    /// The header holding the Unix timestamp `{timestamp}` stands for.
    package var timestampHeader: String?
    /// How far the timestamp may be from now.
    package var tolerance: TimeInterval

    /// Creates a verifier; defaults: SHA-256, hex, no prefix, raw body, 5 minutes.
    package init(
        header: String, algorithm: HMACAlgorithm = .sha256, encoding: SignatureEncoding = .hex, prefix: String = "",
        template: String? = nil, timestampHeader: String? = nil, tolerance: TimeInterval = 300
    ) {
        self.header = header
        self.algorithm = algorithm
        self.encoding = encoding
        self.prefix = prefix
        self.template = template
        self.timestampHeader = timestampHeader
        self.tolerance = tolerance
    }

    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`.
    package static let github = HMACVerifier(header: "x-hub-signature-256", prefix: "sha256=")
    /// Shopify: `X-Shopify-Hmac-Sha256: <base64>`.
    package static let shopify = HMACVerifier(header: "x-shopify-hmac-sha256", encoding: .base64)

    /// Verifies the header against each secret.
    package func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
        guard let value = request.header(header)?.trimmingCharacters(in: .whitespaces) else {
            return .failed("missing \(header) header")
        }
        guard value.hasPrefix(prefix), let presented = encoding.decode(String(value.dropFirst(prefix.count))) else {
            return .failed("malformed \(header) header")
        }
        let content: Data
        switch signedContent(request, now: now) {
        case .success(let data): content = data
        case .failure(let reason): return .failed(reason.text)
        }
        for secret in secrets where ConstantTime.equal(algorithm.authenticationCode(key: Array(secret.utf8), content: content), presented) {
            return .verified
        }
        return .failed("signature mismatch")
    }

    private func signedContent(_ request: InboundHTTPRequest, now: Date) -> Result<Data, VerificationReason> {
        guard let template else { return .success(request.body) }
        var timestamp = ""
        if let timestampHeader {
            guard let text = request.header(timestampHeader), let seconds = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                return .failure(VerificationReason("missing or malformed \(timestampHeader) header"))
            }
            guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
                return .failure(VerificationReason("timestamp outside the tolerance"))
            }
            timestamp = String(seconds)
        }
        var content = Data()
        var rest = Substring(template.replacingOccurrences(of: "{timestamp}", with: timestamp))
        while let range = rest.range(of: "{body}") {
            content.append(contentsOf: rest[..<range.lowerBound].utf8)
            content.append(request.body)
            rest = rest[range.upperBound...]
        }
        content.append(contentsOf: rest.utf8)
        return .success(content)
    }
}

/// A failure reason carried through a `Result`.
struct VerificationReason: Error {
    /// The reason text.
    let text: String

    /// Wraps `text`.
    init(_ text: String) { self.text = text }
}

/// The hash functions a generic HMAC source may use.
package enum HMACAlgorithm: String, Sendable, Codable, CaseIterable {
    /// HMAC-SHA1 (legacy providers).
    case sha1
    /// HMAC-SHA256.
    case sha256
    /// HMAC-SHA512.
    case sha512

    /// The HMAC of `content` under `key`.
    package func authenticationCode(key: [UInt8], content: Data) -> [UInt8] {
        let symmetric = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: content, using: symmetric))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: content, using: symmetric))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: content, using: symmetric))
        }
    }
}

/// How signature bytes are written in a header.
package enum SignatureEncoding: String, Sendable, Codable, CaseIterable {
    /// Hexadecimal digits (either case).
    case hex
    /// Standard base64.
    case base64

    /// The bytes `text` encodes, or `nil` when it is not valid in this encoding.
    package func decode(_ text: String) -> [UInt8]? {
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
    package func encode(_ bytes: [UInt8]) -> String {
        switch self {
        case .base64: Data(bytes).base64EncodedString()
        case .hex: LowercaseHex.text(bytes)
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

/// Byte comparison whose running time does not depend on where the inputs differ: the one used for every
/// secret, signature and key Hookline compares.
package enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, without an early exit on the first difference.
    package static func equal(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
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
