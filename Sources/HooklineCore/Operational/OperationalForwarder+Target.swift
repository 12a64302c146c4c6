import Foundation

extension OperationalForwarder {
    /// Creates the internal operational application and its endpoint, or brings the endpoint's URL and secret
    /// up to date; returns the application id. An endpoint disabled by an operator stays disabled.
    func prepareTarget() async throws -> String {
        let now = clock.now()
        let application: Application
        if let existing = try await store.application(configuration.applicationUid) {
            application = existing
        } else {
            application = Application(
                id: Identifier.make(.application, at: now), uid: configuration.applicationUid, name: "Hookline operational webhooks",
                metadata: ["hookline": "operational"], throttleRate: nil, createdAt: now, updatedAt: now)
            try await store.insertApplication(application)
        }
        if var endpoint = try await store.endpoint(appId: application.id, idOrUid: configuration.endpointUid) {
            guard endpoint.url != configuration.url || endpoint.secret != configuration.secret else { return application.id }
            endpoint.url = configuration.url
            endpoint.secret = configuration.secret
            endpoint.updatedAt = now
            try await store.updateEndpoint(endpoint)
        } else {
            let endpoint = Endpoint(
                id: Identifier.make(.endpoint, at: now), appId: application.id, uid: configuration.endpointUid, url: configuration.url,
                description: "Operational webhooks of this Hookline server", eventTypes: nil, channels: nil, disabled: false,
                secret: configuration.secret, metadata: [:], headers: [:], throttleRate: nil, createdAt: now, updatedAt: now)
            try await store.insertEndpoint(endpoint)
        }
        logger.debug("operational webhooks: endpoint ready", metadata: ["app": "\(application.id)"])
        return application.id
    }
}
