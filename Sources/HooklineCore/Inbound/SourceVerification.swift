import Foundation

/// How a source checks its requests: a scheme and the options the generic schemes need.
package struct SourceVerification: Sendable, Equatable, Codable {
    /// The verification schemes.
    package enum Scheme: String, Sendable, Codable, CaseIterable {
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
    package var scheme: Scheme
    /// `hmac`: the signature header; `header-token`: the token header.
    package var header: String?
    /// `hmac`: the hash function (default sha256).
    package var algorithm: HMACAlgorithm?
    /// `hmac`: how the signature is written (default hex).
    package var encoding: SignatureEncoding?
    /// `hmac`: text before the signature, e.g. `sha256=`.
    package var prefix: String?
    /// `hmac`: the signed content with `{body}` and `{timestamp}`; the raw body when absent.
    package var template: String?
    /// `hmac`: the header holding `{timestamp}`.
    package var timestampHeader: String?
    /// Seconds a signed timestamp may be off (standard-webhooks, stripe, hmac); default 300.
    package var toleranceSeconds: Int?

    /// Creates a verification setting.
    package init(
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
    package var verifier: any SignatureVerifier {
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
    package var needsSecret: Bool { scheme != .none }

    /// The header that carries a credential and is therefore never stored, if any.
    package var credentialHeader: String? {
        switch scheme {
        case .basicAuth: "authorization"
        case .headerToken: (header ?? "x-webhook-token").lowercased()
        default: nil
        }
    }
}

/// Where a value of an inbound request comes from: a header, a JSON path in the body, or a fixed value.
///
/// Written as text: `header:X-GitHub-Event`, `json:data.object.id`, `fixed:order.created`.
package struct FieldSelector: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The kinds of source.
    package enum Kind: String, Sendable, Codable {
        /// A request header (case-insensitive).
        case header
        /// A dotted path into the JSON body.
        case json
        /// The value itself.
        case fixed
    }

    /// The kind.
    package var kind: Kind
    /// The header name, the dotted JSON path, or the fixed value.
    package var value: String

    /// Creates a selector.
    package init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// Parses `kind:value`; `nil` when the kind is unknown or the value empty.
    package init?(spec: String) {
        let parts = spec.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
        self.init(kind, String(parts[1]))
    }

    /// The text form, `kind:value`.
    package var description: String { "\(kind.rawValue):\(value)" }

    /// Encodes as the text form.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes the text form.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let selector = FieldSelector(spec: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected header:NAME, json:PATH or fixed:VALUE")
        }
        self = selector
    }

    /// The selected value of `request`, whose body parsed as `json` (if it is JSON); `nil` when absent.
    package func extract(from request: InboundHTTPRequest, json: JSONValue?) -> String? {
        switch kind {
        case .fixed: return value
        case .header: return request.header(value).flatMap { $0.isEmpty ? nil : $0 }
        case .json:
            var current = json
            for key in value.split(separator: ".") { current = current?[String(key)] }
            switch current {
            case .string(let text)?: return text.isEmpty ? nil : text
            case .integer(let number)?: return String(number)
            case .number(let number)?: return String(number)
            case .bool(let flag)?: return String(flag)
            default: return nil
            }
        }
    }
}
