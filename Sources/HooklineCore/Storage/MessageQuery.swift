/// Which messages of an application to list.
public struct MessageQuery: Sendable {
    /// The application.
    public var appId: String
    /// What the messages must match.
    public var filter: ListFilter
    /// Only messages with a delivery in this state, if set.
    public var deliveryState: DeliveryState?
    /// The slice to read.
    public var page: PageRequest

    /// Creates a message query.
    public init(appId: String, filter: ListFilter = ListFilter(), deliveryState: DeliveryState? = nil, page: PageRequest = PageRequest()) {
        self.appId = appId
        self.filter = filter
        self.deliveryState = deliveryState
        self.page = page
    }
}
