/// One field of a partial update: left as it is, or set to a new value (which may be `nil`).
public enum FieldPatch<Value: Sendable>: Sendable {
    /// The field was absent from the request.
    case keep
    /// The field was present with this value.
    case set(Value)

    /// Writes the new value into `field` unless the patch keeps it.
    public func apply(to field: inout Value) {
        if case .set(let value) = self { field = value }
    }
}
