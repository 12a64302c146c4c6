import Foundation
import HooklineCore

extension StreamFrame {
    /// The frame as Server-Sent Events text, ending with the blank line that dispatches it.
    func sseText(encoder: JSONEncoder) throws -> String {
        switch self {
        case .retry(let milliseconds):
            return "retry: \(milliseconds)\n\n"
        case .heartbeat:
            return ": heartbeat\n\n"
        case .event(let event):
            let data = String(decoding: try encoder.encode(StreamEventOut(event)), as: UTF8.self)
            return "id: \(event.id)\nevent: \(event.kind.rawValue)\ndata: \(data)\n\n"
        case .gap(let requested, let oldestKept):
            let oldest = oldestKept.map(String.init) ?? "null"
            return "event: stream.gap\ndata: {\"requested\":\(requested),\"oldestKept\":\(oldest)}\n\n"
        case .cutOff(let resumeFrom):
            let id = resumeFrom > 0 ? "id: \(resumeFrom)\n" : ""
            return "\(id)event: stream.cutoff\ndata: {\"resumeFrom\":\(resumeFrom),\"reason\":\"client too slow\"}\n\n"
        }
    }
}
