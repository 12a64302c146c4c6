import AsyncHTTPClient
import Foundation
import NIOCore

extension HooklineAPI {
    /// `POST /api/v1/app/{app}/endpoint` for an endpoint that only receives `eventTypes`; returns its id.
    func createEndpoint(applicationID: String, url: String, eventTypes: [String]) async throws -> String {
        struct Body: Encodable {
            var url: String
            var filterTypes: [String]
        }
        let body = try JSONEncoder().encode(Body(url: url, filterTypes: eventTypes))
        return try await post(path: "/api/v1/app/\(applicationID)/endpoint", body: body, call: "create endpoint", expecting: [201, 200])
    }

    /// `DELETE /api/v1/app/{app}/endpoint/{endpoint}`.
    func deleteEndpoint(applicationID: String, endpointID: String) async throws {
        var request = request(path: "/api/v1/app/\(applicationID)/endpoint/\(endpointID)")
        request.method = .DELETE
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw BenchError.unexpectedResponse("delete endpoint", status: response.status.code, body: String(buffer: bytes))
        }
    }

    /// `POST /api/v1/app/{app}/msg` with a small payload of type `eventType`; returns the message id.
    func sendMessage(applicationID: String, eventType: String, number: Int) async throws -> String {
        let body = Data(#"{"eventType":"\#(eventType)","payload":{"n":\#(number)}}"#.utf8)
        return try await post(path: "/api/v1/app/\(applicationID)/msg", body: body, call: "create message", expecting: [202])
    }

    private func post(path: String, body: Data, call: String, expecting statuses: Set<UInt>) async throws -> String {
        struct Created: Decodable {
            var id: String
        }
        var request = request(path: path)
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard statuses.contains(response.status.code),
            let created = try? JSONDecoder().decode(Created.self, from: Data(bytes.readableBytesView))
        else {
            throw BenchError.unexpectedResponse(call, status: response.status.code, body: String(buffer: bytes))
        }
        return created.id
    }
}
