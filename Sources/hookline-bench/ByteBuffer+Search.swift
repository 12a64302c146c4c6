import NIOCore

extension ByteBuffer {
    /// The offset (from the reader index) of the first occurrence of `needle` in the readable bytes.
    ///
    /// A plain scan over the raw bytes: the receiver runs it on every delivery, where the generic
    /// `Collection.firstRange(of:)` cost more than the rest of the request put together.
    func readableOffset(of needle: some StringProtocol) -> Int? {
        let needle = Array(needle.utf8)
        guard let first = needle.first else { return 0 }
        return withUnsafeReadableBytes { haystack in
            guard haystack.count >= needle.count else { return nil }
            var start = 0
            while start <= haystack.count - needle.count {
                if haystack[start] == first,
                    needle.indices.allSatisfy({ haystack[start + $0] == needle[$0] })
                {
                    return start
                }
                start += 1
            }
            return nil
        }
    }
}
