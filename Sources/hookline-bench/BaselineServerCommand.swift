import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `hookline-bench baseline-server`: the reference the bench divides Hookline's figures by.
///
/// It speaks just enough of Hookline's contract to be driven identically (the same listening line,
/// health route, app and endpoint creation, message create with a 202 and a small JSON body) and does
/// no work at all: it reads the request body and answers. Hookline ÷ baseline therefore prices what
/// Hookline adds (validation, storage, fsync, dispatch) over the very same HTTP stack on the same machine.
struct BaselineServerCommand: AsyncParsableCommand {
    /// Hidden from help: only the bench itself starts it.
    static let configuration = CommandConfiguration(
        commandName: "baseline-server",
        abstract: "Serve trivial Hookline-shaped responses (the benchmark's reference).",
        shouldDisplay: false
    )

    /// Address to bind.
    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    /// Port to bind; 0 picks a free one.
    @Option(help: "Port to bind (0: any free port).")
    var port = 0

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    func run() async throws {
        let host = self.host
        let app = Application(
            router: Self.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                // Unbuffered: a pipe would otherwise hold the line back.
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            },
            logger: .quiet(label: "hookline-bench.baseline")
        )
        try await app.runService()
    }

    /// The routes: fixed JSON answers, shaped like Hookline's.
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        let messages = SequenceNumbers()
        let timestamp = "2025-01-01T00:00:00Z"
        let created = #""metadata":{},"createdAt":"\#(timestamp)","updatedAt":"\#(timestamp)""#

        router.get("api/v1/health") { _, _ -> HTTPResponse.Status in .ok }
        router.post("api/v1/app") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            return json(.created, #"{"id":"app_baseline","name":"bench",\#(created)}"#)
        }
        router.post("api/v1/app/:app/endpoint") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            return json(.created, #"{"id":"ep_baseline","url":"http://127.0.0.1/","description":"",\#(created)}"#)
        }
        router.post("api/v1/app/:app/msg") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            let number = messages.take()
            return json(.accepted, #"{"id":"msg_baseline\#(number)","eventType":"bench.ping","payload":{},"timestamp":"\#(timestamp)"}"#)
        }
        return router
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
