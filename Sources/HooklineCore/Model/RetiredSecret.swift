import Foundation

/// A secret replaced by a rotation that keeps signing until its grace period ends.
public struct RetiredSecret: Sendable, Equatable {
    /// The previous secret.
    public var secret: EndpointSecret
    /// When it stops signing.
    public var expiresAt: Date

    /// Creates a retired secret.
    public init(secret: EndpointSecret, expiresAt: Date) {
        self.secret = secret
        self.expiresAt = expiresAt
    }
}
