import Foundation

extension Endpoint {
    /// The secrets that sign a delivery at `time`: the current one, then retired ones still in their grace period.
    public func signingSecrets(at time: Date) -> [EndpointSecret] {
        [secret] + previousSecrets.filter { $0.expiresAt > time }.map(\.secret)
    }

    /// Makes `newSecret` current; the old one keeps signing until `now + gracePeriod` (not at all when zero).
    public mutating func rotateSecret(to newSecret: EndpointSecret, gracePeriod: Duration, now: Date) {
        var retired = previousSecrets.filter { $0.expiresAt > now }
        if gracePeriod > .zero {
            retired.insert(RetiredSecret(secret: secret, expiresAt: now.adding(gracePeriod)), at: 0)
        }
        secret = newSecret
        previousSecrets = Array(retired.prefix(Self.maxRetiredSecrets))
    }

    /// The most retired secrets kept signing at once.
    public static let maxRetiredSecrets = 4
}
