import Foundation

/// A signature header holding `prefix + encode(HMAC(secret's UTF-8 bytes, content))`.
///
/// The signed content is the raw body, or `template` with `{body}` and `{timestamp}` (from
/// `timestampHeader`, checked against `tolerance`) substituted. GitHub and Shopify are instances.
public struct HMACVerifier: SignatureVerifier {
    /// The header carrying the signature.
    public var header: String
    /// The hash function.
    public var algorithm: HMACAlgorithm
    /// How the signature is written.
    public var encoding: SignatureEncoding
    /// Text before the signature, e.g. `sha256=`.
    public var prefix: String
    /// The signed content; `nil` for the raw body.
    public var template: String?
    /// The header holding the Unix timestamp `{timestamp}` stands for.
    public var timestampHeader: String?
    /// How far the timestamp may be from now.
    public var tolerance: TimeInterval

    /// Creates a verifier; defaults: SHA-256, hex, no prefix, raw body, 5 minutes.
    public init(
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
    public static let github = HMACVerifier(header: "x-hub-signature-256", prefix: "sha256=")
    /// Shopify: `X-Shopify-Hmac-Sha256: <base64>`.
    public static let shopify = HMACVerifier(header: "x-shopify-hmac-sha256", encoding: .base64)

    /// Verifies the header against each secret.
    public func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
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
