import Foundation

/// How a source checks its requests: a scheme and the options the generic schemes need.
public struct SourceVerification: Sendable, Equatable, Codable {
    /// The verification schemes.
    public enum Scheme: String, Sendable, Codable, CaseIterable {
        /// Nothing is checked.
        case none
        /// Standard Webhooks (`webhook-*` headers).
        case standardWebhooks = "standard-webhooks"
        /// Svix: Standard Webhooks, `svix-id` as the default dedup key.
        case svix
        /// GitHub `X-Hub-Signature-256`.
        case github
        /// Stripe `Stripe-Signature`.
        case stripe
        /// Shopify `X-Shopify-Hmac-Sha256`.
        case shopify
        /// A configurable HMAC header.
        case hmac
        /// HTTP basic auth (secret `user:password`).
        case basicAuth = "basic-auth"
        /// A static token in a header.
        case headerToken = "header-token"
    }

    /// The scheme.
    public var scheme: Scheme
    /// `hmac`: the signature header; `header-token`: the token header.
    public var header: String?
    /// `hmac`: the hash function (default sha256).
    public var algorithm: HMACAlgorithm?
    /// `hmac`: how the signature is written (default hex).
    public var encoding: SignatureEncoding?
    /// `hmac`: text before the signature, e.g. `sha256=`.
    public var prefix: String?
    /// `hmac`: the signed content with `{body}` and `{timestamp}`; the raw body when absent.
    public var template: String?
    /// `hmac`: the header holding `{timestamp}`.
    public var timestampHeader: String?
    /// Seconds a signed timestamp may be off (standard-webhooks, stripe, hmac); default 300.
    public var toleranceSeconds: Int?

    /// Creates a verification setting.
    public init(
        scheme: Scheme, header: String? = nil, algorithm: HMACAlgorithm? = nil, encoding: SignatureEncoding? = nil,
        prefix: String? = nil, template: String? = nil, timestampHeader: String? = nil, toleranceSeconds: Int? = nil
    ) {
        self.scheme = scheme
        self.header = header
        self.algorithm = algorithm
        self.encoding = encoding
        self.prefix = prefix
        self.template = template
        self.timestampHeader = timestampHeader
        self.toleranceSeconds = toleranceSeconds
    }

    /// The pure verifier these settings describe.
    public var verifier: any SignatureVerifier {
        let tolerance = TimeInterval(toleranceSeconds ?? 300)
        switch scheme {
        case .none: return NoVerification()
        case .standardWebhooks, .svix: return StandardWebhooksVerifier(tolerance: tolerance)
        case .github: return HMACVerifier.github
        case .stripe: return StripeVerifier(tolerance: tolerance)
        case .shopify: return HMACVerifier.shopify
        case .hmac:
            return HMACVerifier(
                header: header ?? "x-signature", algorithm: algorithm ?? .sha256, encoding: encoding ?? .hex, prefix: prefix ?? "",
                template: template, timestampHeader: timestampHeader, tolerance: tolerance)
        case .basicAuth: return CredentialVerifier(style: .basicAuth)
        case .headerToken: return CredentialVerifier(style: .headerToken(header: header ?? "x-webhook-token"))
        }
    }

    /// Whether the scheme needs a secret.
    public var needsSecret: Bool { scheme != .none }

    /// The header that carries a credential and is therefore never stored, if any.
    public var credentialHeader: String? {
        switch scheme {
        case .basicAuth: "authorization"
        case .headerToken: (header ?? "x-webhook-token").lowercased()
        default: nil
        }
    }
}
