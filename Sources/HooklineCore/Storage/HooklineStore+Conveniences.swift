extension HooklineStore {
    /// A page of an application's messages, newest first, unfiltered.
    public func messages(appId: String, page: PageRequest) async throws -> Page<Message> {
        try await messages(MessageQuery(appId: appId, page: page))
    }

    /// Records outcomes, in this order, in one transaction (the plan of `outcomes`).
    public func completeDeliveries(_ outcomes: [DeliveryOutcome]) async throws {
        try await completeDeliveries(CompletionPlan(outcomes))
    }
}
