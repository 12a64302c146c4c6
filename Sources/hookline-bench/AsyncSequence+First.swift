extension AsyncSequence where Self: Sendable, Element: Sendable {
    /// The first element, or nil if the sequence ends or `timeout` passes before one arrives.
    ///
    /// The sequence must stop when its consuming task is cancelled (``AsyncStream`` does).
    func first(within timeout: Duration) async -> Element? {
        await withTaskGroup(of: Element?.self) { group in
            group.addTask {
                var iterator = self.makeAsyncIterator()
                return try? await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
