import Foundation
import HooklineCore
import Hummingbird
import NIOCore

extension Request {
    /// Collects at most `limit` bytes of body and decodes them as `T`, mapping failures to API errors.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HooklineError(.payloadTooLarge, "the body exceeds the limit of \(limit) bytes")
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw error.hooklineError
        }
    }

    /// Collects at most `limit` bytes of body (413 past it).
    mutating func collectBody(limit: Int) async throws -> Data {
        do {
            return Data(buffer: try await collectBody(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw HooklineError(.payloadTooLarge, "the body exceeds the limit of \(limit) bytes")
        }
    }
}

extension Request {
    /// Like `decodeJSON`, but an empty body decodes as `nil` (for calls whose body is optional).
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, allowEmpty: Bool) async throws -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HooklineError(.payloadTooLarge, "the body exceeds the limit of \(limit) bytes")
        }
        if allowEmpty && buffer.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return nil
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw error.hooklineError
        }
    }
}

extension DecodingError {
    /// This decoding failure as a validation or malformed-JSON error naming the field.
    var hooklineError: HooklineError {
        func path(_ context: Context, _ extra: CodingKey? = nil) -> [String] {
            ["body"] + (context.codingPath + (extra.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }
        }
        switch self {
        case .keyNotFound(let key, let context):
            return HooklineError(.validation, "field required", field: path(context, key))
        case .typeMismatch(let type, let context):
            return HooklineError(.validation, "expected a value of type \(type)", field: path(context))
        case .valueNotFound(let type, let context):
            return HooklineError(.validation, "expected a value of type \(type), found null", field: path(context))
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return HooklineError(.invalidJSON, "the body is not valid JSON")
        case .dataCorrupted(let context):
            return HooklineError(.validation, context.debugDescription, field: path(context))
        @unknown default:
            return HooklineError(.validation, "the body could not be decoded")
        }
    }
}
