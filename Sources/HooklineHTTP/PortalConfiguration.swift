extension HooklineServer.Configuration {
    /// How the tenant portal is reached and where it may be embedded.
    package struct Portal: Sendable {
        /// The public base URL of this server for portal links (e.g. `https://hooks.example.com`); `nil`: the request's host over http.
        package var publicURL: String?
        /// The CSP `frame-ancestors` sources allowed to embed the portal in an iframe; default `'self'` only.
        package var frameAncestors: [String]

        /// Creates portal settings; defaults: links from the request's host, embeddable by the same origin only.
        package init(publicURL: String? = nil, frameAncestors: [String] = ["'self'"]) {
            self.publicURL = publicURL
            self.frameAncestors = frameAncestors
        }
    }
}
