extension PageRequest {
    /// Whether the iterator pages backwards, towards the start of the list (it starts with `-`).
    public var isBackward: Bool { iterator?.hasPrefix("-") ?? false }

    /// The id or name the iterator points at, without its direction prefix; `nil` for the first page.
    public var cursor: String? {
        guard let iterator else { return nil }
        let bare = iterator.hasPrefix("-") ? String(iterator.dropFirst()) : iterator
        return bare.isEmpty ? nil : bare
    }
}
